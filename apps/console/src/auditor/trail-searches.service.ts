import { Injectable } from '@nestjs/common';
import { AuditActions } from '@app/contracts';

import { ApiRefusedError, NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { apiFieldErrors, formErrors, FormErrors, NO_ERRORS } from '../presentation/form-errors';
import { FormPost, text } from '../presentation/form-values';
import { ActiveSession } from '../session/console-sessions.service';
import { TrailPageJson } from './audit-json';
import { AuditNames } from './audit-names.service';
import { parseTrailSearch, SEARCH_FIELDS, TrailSearchFilter } from './trail-search-form';
import { ACTION_WORDS, trailEventWords, typeWords } from './trail-words';

/** Rows per page of results. */
export const SEARCH_PAGE_SIZE = 50;

/**
 * The types a search can ask for: what senders send and the views recipients get (the trail
 * records a delivery under its view's type).
 */
export const SEARCHABLE_TYPES = [
  'domestic-abuse-notification',
  'missing-episode',
  'referral',
  'referral-outcome',
  'return-home-interview-outcome',
  'consent-withdrawn',
  'marac-referral',
  'marac-referral-decision',
  'marac-information-request',
  'marac-information-response',
  'marac-action',
  'marac-action-update',
  'correction',
  'escalation',
  'receipt',
].flatMap((name) => {
  const type = `uk.safeguarding.exchange.${name}`;
  const noView = [
    'marac-information-response',
    'return-home-interview-outcome',
    'escalation',
    'receipt',
  ];
  return noView.includes(name) ? [type] : [type, `${type}-view`];
});

export interface TrailResultRow {
  seq: number;
  when: string;
  at: string;
  title: string;
  lines: string[];
  type: string;
  from: string;
  messageId: string | null;
  subjectRef: string | null;
}

export interface TrailSearchPage {
  values: Record<string, string>;
  errors: FormErrors;
  choices: {
    agencies: { value: string; text: string }[];
    mailboxes: { value: string; text: string }[];
    types: { value: string; text: string }[];
    actions: { value: string; text: string }[];
  };
  searched: boolean;
  rows: TrailResultRow[];
  nextHref: string | null;
  firstHref: string | null;
}

/** Form fields kept in the page's links (paging) and shown back in the form. */
const FORM_INPUTS = [
  'subjectRef',
  'agency',
  'mailbox',
  'type',
  'action',
  ...['from', 'to'].flatMap((end) => ['day', 'month', 'year', 'time'].map((p) => `${end}-${p}`)),
];

/**
 * The auditor's search of the trail: the form is checked here (every problem named), then
 * GET /audit/records is asked with the person's token, a page at a time; each row is said in
 * words with names for its agencies and mailboxes, and times in UK time.
 */
@Injectable()
export class TrailSearches {
  constructor(
    private readonly api: NodeApiClient,
    private readonly names: AuditNames,
  ) {}

  async page(session: ActiveSession, query: FormPost): Promise<TrailSearchPage> {
    const values = Object.fromEntries(FORM_INPUTS.map((field) => [field, text(query, field)]));
    const choices = this.choices();
    const blank = {
      values,
      errors: NO_ERRORS,
      choices,
      searched: false,
      rows: [],
      nextHref: null,
      firstHref: null,
    };
    const asked = ['search', 'afterSeq', ...FORM_INPUTS].some((field) => field in query);
    if (!asked) return blank;
    const parsed = parseTrailSearch(query, {
      agencies: choices.agencies.map((choice) => choice.value),
      mailboxes: choices.mailboxes.map((choice) => choice.value),
      types: SEARCHABLE_TYPES,
    });
    if (!parsed.ok) return { ...blank, errors: parsed.errors };
    const afterSeq = /^\d{1,15}$/.test(text(query, 'afterSeq')) ? text(query, 'afterSeq') : null;
    let page: TrailPageJson;
    try {
      page = await this.api.get<TrailPageJson>(
        session,
        this.names.auditUrl,
        `/audit/records?${apiQuery(parsed.filter, afterSeq)}`,
      );
    } catch (error) {
      if (!(error instanceof ApiRefusedError)) throw error;
      const found = apiFieldErrors(error.body, {});
      return { ...blank, errors: formErrors(found, SEARCH_FIELDS) };
    }
    const own = new URLSearchParams(
      FORM_INPUTS.filter((field) => values[field]).map((field): [string, string] => [
        field,
        values[field],
      ]),
    );
    const withAfter = (seq: number) => {
      const link = new URLSearchParams(own);
      link.set('afterSeq', String(seq));
      return `/audit?${link.toString()}`;
    };
    return {
      ...blank,
      searched: true,
      rows: page.rows.map((row) => {
        const words = trailEventWords(row, this.names);
        return {
          seq: row.seq,
          at: row.occurredAt,
          when: formatDateTime(row.occurredAt),
          title: words.title,
          lines: words.lines,
          type: row.messageType ? typeWords(row.messageType) : '–',
          from: row.senderAgency ? this.names.agency(row.senderAgency) : words.by,
          messageId: row.messageId ?? null,
          subjectRef: row.subjectRef ?? null,
        };
      }),
      nextHref: page.nextAfterSeq !== undefined ? withAfter(page.nextAfterSeq) : null,
      firstHref: afterSeq ? `/audit?${own.toString() || 'search='}` : null,
    };
  }

  private choices(): TrailSearchPage['choices'] {
    return {
      agencies: this.names.agencies(),
      mailboxes: this.names.mailboxes(),
      types: SEARCHABLE_TYPES.map((type) => ({ value: type, text: typeWords(type) })),
      actions: AuditActions.map((action) => ({
        value: action,
        text: ACTION_WORDS[action] ?? action,
      })),
    };
  }
}

function apiQuery(filter: TrailSearchFilter, afterSeq: string | null): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  if (afterSeq) query.set('afterSeq', afterSeq);
  query.set('limit', String(SEARCH_PAGE_SIZE));
  return query.toString();
}
