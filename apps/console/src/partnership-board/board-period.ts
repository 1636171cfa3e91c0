import { AREA_TIME_ZONE, areaDateTime, formatDate, localParts } from '@app/calendar';

import { formErrors, FormErrors, NO_ERRORS } from '../presentation/form-errors';

/** The board's filters as the form sends them (GET, so a board can be bookmarked and shared). */
export interface BoardQuery {
  from?: string;
  to?: string;
  agency?: string;
  messageType?: string;
}

export interface BoardPeriod {
  /** The form's values, to show back. */
  values: { from: string; to: string; agency: string; messageType: string };
  /** [from, to) as instants for the metrics API: from the first day's start to the end of the last, London time. */
  range: { from: string; to: string } | null;
  /** "1 November 2026 to 30 November 2026". */
  label: string;
  errors: FormErrors;
}

/** The longest period one board covers. */
export const MAX_PERIOD_DAYS = 400;
const DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A London calendar date ("2026-12-06") as the instant its day starts, or null. */
function dayStart(date: string): Date | null {
  const match = DATE.exec(date);
  if (!match) return null;
  return areaDateTime(match[3], match[2], match[1], '00:00');
}

/** The London date of an instant, as a date input holds it. */
export function areaDate(instant: Date): string {
  const parts = localParts(instant, AREA_TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}`;
}

/**
 * The board's period from its form: whole London days, the last one included; by default the
 * last 30 days. A date that is not a real date, a period that ends before it starts or is longer
 * than MAX_PERIOD_DAYS is an error the form shows beside its field.
 */
export function boardPeriod(
  query: BoardQuery,
  now: Date,
  known: { agencies: Set<string>; messageTypes: Set<string> },
): BoardPeriod {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const values = {
    to: text(query.to) || areaDate(now),
    from: text(query.from) || areaDate(new Date(now.getTime() - (DEFAULT_DAYS - 1) * DAY_MS)),
    agency: text(query.agency),
    messageType: text(query.messageType),
  };
  const found: Record<string, string> = {};
  const from = dayStart(values.from);
  const lastDay = dayStart(values.to);
  if (!from) found.from = 'Enter the first day as a real date';
  if (!lastDay) found.to = 'Enter the last day as a real date';
  // The day after the last, at its own start: a day with a clock change is 23 or 25 hours.
  const to = lastDay ? dayStart(areaDate(new Date(lastDay.getTime() + 36 * 3_600_000))) : null;
  if (from && to && from >= to) found.to = 'The last day must be the same as or after the first';
  else if (from && to && to.getTime() - from.getTime() > MAX_PERIOD_DAYS * DAY_MS) {
    found.to = `Choose a period of ${MAX_PERIOD_DAYS} days or fewer`;
  }
  if (values.agency && !known.agencies.has(values.agency))
    found.agency = 'Choose an agency from the list';
  if (values.messageType && !known.messageTypes.has(values.messageType)) {
    found.messageType = 'Choose a message type from the list';
  }
  const errors = Object.keys(found).length
    ? formErrors(found, ['from', 'to', 'agency', 'messageType'])
    : NO_ERRORS;
  const valid = from && to && errors === NO_ERRORS;
  return {
    values,
    range: valid ? { from: from.toISOString(), to: to.toISOString() } : null,
    label: valid ? `${formatDate(from)} to ${formatDate(lastDay!)}` : '',
    errors,
  };
}
