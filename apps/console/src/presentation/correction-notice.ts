import type { MailboxCorrection } from '@app/node';

import { formatDateTime } from './area-time';
import { fieldLabel, messageSender } from './message-labels';
import { scalar } from './view-fields';

export type CorrectionState = MailboxCorrection['state'];

/** One correction of the message, as its history lists it. */
export interface CorrectionHistoryRow {
  number: number;
  kind: string;
  reason: string;
  corrected: string;
  received: string;
  acknowledged: string | null;
}

/** A field the corrections changed: the first version's value and the current one. */
export interface CorrectionChange {
  label: string;
  was: string;
  now: string;
}

/** What a page says about a corrected message: the notice, its history and what changed. */
export interface CorrectionNotice {
  state: CorrectionState;
  /** "Corrected on 6 December 2026 at 9:40pm by the police: wrong date of birth". */
  summary: string;
  history: CorrectionHistoryRow[];
  /** Only for an amended message whose first version the mailbox still holds. */
  changes: CorrectionChange[];
}

/** Said in words (and as a tag in the inbox), never by colour alone. */
export const CORRECTION_KIND_LABELS: Record<CorrectionState, string> = {
  amended: 'Corrected',
  withdrawn: 'Withdrawn',
  'not-for-recipient': 'Not for you',
};

const VERB: Record<CorrectionState, string> = {
  amended: 'Corrected',
  withdrawn: 'Withdrawn',
  'not-for-recipient': 'Redirected',
};

/**
 * The notice for a corrected message. `originalType` names the sender; `original` is the first
 * version's view, compared with the current one only when the message was amended, so a
 * withdrawn or misdirected message never has its fields shown.
 */
export function correctionNotice(
  correction: MailboxCorrection,
  originalType: string | null,
  original: Record<string, unknown> | null,
): CorrectionNotice {
  const latest = correction.history[correction.history.length - 1];
  const sender = messageSender(originalType ?? '');
  return {
    state: correction.state,
    summary: `${VERB[correction.state]} on ${formatDateTime(latest.correctedAt)} by ${sender}: ${latest.reason}`,
    history: correction.history.map((entry) => ({
      number: entry.correctionNumber,
      kind: CORRECTION_KIND_LABELS[entry.kind as CorrectionState] ?? entry.kind,
      reason: entry.reason,
      corrected: formatDateTime(entry.correctedAt),
      received: formatDateTime(entry.receivedAt),
      acknowledged: entry.acknowledgedAt ? formatDateTime(entry.acknowledgedAt) : null,
    })),
    changes:
      correction.state === 'amended' && correction.current && original
        ? changesBetween(original, correction.current)
        : [],
  };
}

/** Every field whose value differs between two versions of a view, in the current one's order. */
export function changesBetween(
  was: Record<string, unknown>,
  now: Record<string, unknown>,
): CorrectionChange[] {
  const before = flatten(was);
  const after = flatten(now);
  const labels = [...new Set([...after.keys(), ...before.keys()])];
  return labels
    .filter((label) => before.get(label) !== after.get(label))
    .map((label) => ({
      label,
      was: before.get(label) ?? 'Not given',
      now: after.get(label) ?? 'Removed',
    }));
}

/** "child.dateOfBirth" → "Child, date of birth" with its value as the page writes it. */
function flatten(view: Record<string, unknown>, prefix = ''): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(view)) {
    if (value === null || value === undefined || value === '') continue;
    const label = prefix ? `${prefix}, ${fieldLabel(key).toLowerCase()}` : fieldLabel(key);
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, text] of flatten(value as Record<string, unknown>, label)) {
        fields.set(inner, text);
      }
    } else if (Array.isArray(value)) {
      fields.set(
        label,
        value
          .map((item) => (typeof item === 'object' ? JSON.stringify(item) : scalar(item)))
          .join(', '),
      );
    } else {
      fields.set(label, scalar(value));
    }
  }
  return fields;
}
