import { AuditActions } from '@app/contracts';

import { areaDateTime } from '../presentation/area-time';
import { formErrors, FormErrors } from '../presentation/form-errors';
import { FormPost, text } from '../presentation/form-values';

/** The search form's fields in the order the page shows them (the error summary follows it). */
export const SEARCH_FIELDS = [
  'subjectRef',
  'agency',
  'mailbox',
  'type',
  'action',
  'from',
  'to',
] as const;

/** The subject reference the exchange gives a child: never a name (no spaces). */
const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9._:-]{2,199}$/;

/** What the audit API's GET /audit/records is asked. */
export interface TrailSearchFilter {
  subjectRef?: string;
  agency?: string;
  mailbox?: string;
  type?: string;
  action?: string;
  /** ISO 8601, UTC: from ≤ occurredAt < to. */
  from?: string;
  to?: string;
}

/** The choices the form offers: only these are searched for. */
export interface SearchChoices {
  agencies: readonly string[];
  mailboxes: readonly string[];
  types: readonly string[];
}

export type ParsedSearch =
  { ok: true; filter: TrailSearchFilter; empty: boolean } | { ok: false; errors: FormErrors };

const DATE_PARTS = ['day', 'month', 'year'] as const;

/**
 * One end of the time range, as typed in UK time: a date (day, month, year) and an optional time.
 * Without a time, "from" starts at the beginning of the day and "to" takes in the whole day.
 */
function readTime(
  form: FormPost,
  name: 'from' | 'to',
  label: string,
): { at?: string; error?: string } {
  const parts = DATE_PARTS.map((part) => text(form, `${name}-${part}`));
  const time = text(form, `${name}-time`);
  if (parts.every((part) => part === '') && time === '') return {};
  if (parts.some((part) => part === '')) {
    return { error: `${label} must include a day, month and year` };
  }
  const at = areaDateTime(parts[0], parts[1], parts[2], time || '00:00');
  if (!at) {
    return {
      error: time
        ? `${label} must be a real date and a UK time, for example 3 12 2026 and 14:30`
        : `${label} must be a real date, for example 3 12 2026`,
    };
  }
  if (name === 'to' && !time) {
    // "To 6 December" takes in the whole of that day: up to midnight at its end, UK time.
    const next = new Date(Date.UTC(Number(parts[2]), Number(parts[1]) - 1, Number(parts[0]) + 1));
    const end = areaDateTime(
      String(next.getUTCDate()),
      String(next.getUTCMonth() + 1),
      String(next.getUTCFullYear()),
      '00:00',
    );
    if (end) return { at: end.toISOString() };
  }
  return { at: at.toISOString() };
}

/** Checks the search form; a filter the audit API can take, or every problem named. */
export function parseTrailSearch(form: FormPost, choices: SearchChoices): ParsedSearch {
  const found: Record<string, string> = {};
  const filter: TrailSearchFilter = {};
  const subjectRef = text(form, 'subjectRef');
  if (subjectRef) {
    if (SUBJECT_REF.test(subjectRef)) filter.subjectRef = subjectRef;
    else {
      found.subjectRef =
        'Enter the subject reference the exchange gave the child: 3 to 200 letters, digits and . _ : - with no spaces (never a name)';
    }
  }
  const pick = (
    field: 'agency' | 'mailbox' | 'type' | 'action',
    allowed: readonly string[],
    message: string,
  ) => {
    const value = text(form, field);
    if (!value) return;
    if (allowed.includes(value)) filter[field] = value;
    else found[field] = message;
  };
  pick('agency', choices.agencies, 'Choose an agency from the list');
  pick('mailbox', choices.mailboxes, 'Choose a mailbox from the list');
  pick('type', choices.types, 'Choose a message type from the list');
  pick('action', AuditActions, 'Choose what happened from the list');
  const from = readTime(form, 'from', 'From');
  const to = readTime(form, 'to', 'To');
  if (from.error) found.from = from.error;
  if (to.error) found.to = to.error;
  if (from.at) filter.from = from.at;
  if (to.at) filter.to = to.at;
  if (from.at && to.at && Date.parse(from.at) >= Date.parse(to.at)) {
    found.to = 'To must be after From';
  }
  if (Object.keys(found).length) {
    return { ok: false, errors: formErrors(found, SEARCH_FIELDS, idOf) };
  }
  return { ok: true, filter, empty: Object.keys(filter).length === 0 };
}

/** The id of the field an error links to: a date's first box. */
function idOf(field: string): string {
  return field === 'from' || field === 'to' ? `${field}-day` : field;
}
