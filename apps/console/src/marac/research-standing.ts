import { formatDateTime } from '../presentation/area-time';

/** One research request of the MARAC's tracker (GET /meetings/:date of the MARAC API). */
export interface TrackerCellJson {
  requestId: string;
  agencyId: string;
  agencyName: string;
  mailboxId: string;
  mailboxName: string;
  standing: 'answered' | 'answered-late' | 'due' | 'overdue' | 'not-delivered';
  sentAt: string | null;
  dueAt: string;
  answeredAt: string | null;
  escalatedAt: string | null;
  notDeliveredCode: string | null;
}

/** A tracker cell as the coordinator reads it: a badge in words, and the dates behind it. */
export interface ResearchStanding {
  mailbox: string;
  badge: string;
  colour: 'green' | 'blue' | 'orange' | 'red';
  /** Late or never delivered: stands out by its words and its weight, not by colour alone. */
  late: boolean;
  lines: string[];
}

const BADGES: Record<TrackerCellJson['standing'], Omit<ResearchStanding, 'mailbox' | 'lines'>> = {
  answered: { badge: 'Answered', colour: 'green', late: false },
  'answered-late': { badge: 'Answered late', colour: 'orange', late: true },
  due: { badge: 'Due', colour: 'blue', late: false },
  overdue: { badge: 'Late: not answered', colour: 'red', late: true },
  'not-delivered': { badge: 'Not delivered', colour: 'red', late: true },
};

/** Where a request stands, with when it went, was due, answered and escalated, in area time. */
export function researchStanding(cell: TrackerCellJson): ResearchStanding {
  const lines = [
    cell.sentAt ? `Sent ${formatDateTime(cell.sentAt)}` : 'Not sent yet',
    `Due by ${formatDateTime(cell.dueAt)}`,
  ];
  if (cell.answeredAt) lines.push(`Answered ${formatDateTime(cell.answeredAt)}`);
  if (cell.escalatedAt) lines.push(`Escalated ${formatDateTime(cell.escalatedAt)}`);
  if (cell.notDeliveredCode) {
    lines.push(`The exchange did not deliver it (${cell.notDeliveredCode}): never asked`);
  }
  return { mailbox: cell.mailboxName, ...BADGES[cell.standing], lines };
}
