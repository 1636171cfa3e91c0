import { CONSENT_POSITIONS, choiceText, LAWFUL_BASES } from '../presentation/choice-labels';
import { messageTypeLabel } from '../presentation/message-labels';
import { formatDateTime } from '../presentation/area-time';
import { SharingBasisJson, TrailRowJson } from './audit-json';

/** The names a row's ids are shown by (AuditNames). */
export interface TrailNames {
  agency(id: string | null | undefined): string;
  mailboxOf(id: string | null | undefined, agencyId?: string | null): string;
  actor(nodeId: string): string;
}

/** A row of the trail in plain words. */
export interface TrailEventWords {
  title: string;
  /** Who recorded it: the exchange, or an agency's node. */
  by: string;
  lines: string[];
}

/** The search form's words for what happened (every action of the trail). */
export const ACTION_WORDS: Record<string, string> = {
  submitted: 'Sent to the exchange',
  verified: 'Checked by the exchange',
  rejected: 'Rejected by the exchange',
  'policy-decision': 'Sharing decision',
  'sharing-refused': 'Not shared',
  routed: 'Sent to a recipient',
  delivered: 'Delivered',
  acknowledged: 'Acknowledged',
  escalated: 'Escalated (overdue)',
  superseded: 'Replaced by a later report',
  'consent-withdrawn': 'Withdrawal of consent sent',
  'referral-outcome': 'Referral outcome',
  'return-home-interview': 'Return home interview outcome',
  'marac-request': 'MARAC information request',
  'marac-response': 'MARAC research',
  'marac-referral-decision': 'MARAC referral decision',
  purged: 'Purged under a retention rule',
  corrected: 'Correction sent',
  'trail-read': 'Trail read by an auditor',
  'service-started': 'Service started',
  'key-rotated': 'Key rotated',
  'key-revoked': 'Key revoked',
  'dead-letter-replayed': 'Dead-lettered record replayed',
};

const DECISIONS: Record<string, string> = {
  allow: 'shared',
  'allow-with-fields': 'shared, with only the fields the rule allows',
  refuse: 'not shared',
};

/** "uk.safeguarding.exchange.missing-episode-view" → "Missing episode (the recipient’s view)". */
export function typeWords(type: string | null | undefined): string {
  if (!type) return 'Not recorded';
  const label = messageTypeLabel(type);
  return type.endsWith('-view') ? `${label} (the recipient’s view)` : label;
}

/**
 * The hub writes a decision's detail as `family informed: yes; shared under consent; basis
 * <code>; consent <position>` (apps/hub sharing-request.ts): codes only, read back here as the
 * audit API's disclosures read them.
 */
export function basisFromDetail(detail: string | undefined): SharingBasisJson {
  const lawfulBasis = /(?:^|; )basis ([^;]+)/.exec(detail ?? '')?.[1] ?? null;
  const consent = /(?:^|; )consent ([^;]+)/.exec(detail ?? '')?.[1] ?? null;
  const informed = /(?:^|; )family informed: (yes|no)/.exec(detail ?? '')?.[1];
  return {
    lawfulBasis,
    consent,
    familyInformed: informed === undefined ? null : informed === 'yes',
  };
}

/** "Lawful basis: Data Protection Act 2018, Schedule 8 … Consent was not sought. The family was told." */
export function basisWords(basis: SharingBasisJson): string {
  const parts = [
    basis.lawfulBasis
      ? `Lawful basis: ${choiceText(LAWFUL_BASES, basis.lawfulBasis)}.`
      : 'No lawful basis recorded.',
    basis.consent
      ? `${choiceText(CONSENT_POSITIONS, basis.consent)}.`
      : 'No consent position recorded.',
  ];
  if (basis.familyInformed !== null) {
    parts.push(basis.familyInformed ? 'The family was told.' : 'The family was not told.');
  }
  return parts.join(' ');
}

function ruleWords(row: TrailRowJson): string | null {
  if (!row.ruleId) return null;
  return `Rule ${row.ruleId}${row.policyVersion ? ` of policy version ${row.policyVersion}` : ''}.`;
}

/** What one row of the trail says happened, in words, with names for its ids. */
export function trailEventWords(row: TrailRowJson, names: TrailNames): TrailEventWords {
  const by = names.actor(row.actor);
  const recipient = names.mailboxOf(row.recipientMailbox, row.recipientAgency);
  const fromHub = row.actor === 'hub';
  const lines: string[] = [];
  const add = (line: string | null | undefined) => {
    if (line) lines.push(line);
  };
  let title: string;
  switch (row.action) {
    case 'submitted':
      title = `Sent to the exchange by ${by}`;
      add(`Message type: ${typeWords(row.messageType)}.`);
      break;
    case 'verified':
      title = 'Checked by the exchange: signature, sender, schema and replay';
      add(row.senderAgency ? `Sender: ${names.agency(row.senderAgency)}.` : null);
      add(row.completeness !== undefined ? `Completeness: ${row.completeness}%.` : null);
      break;
    case 'rejected':
      title = 'Rejected by the exchange';
      add(row.recipientMailbox ? `For ${recipient}.` : null);
      add(row.errorCode ? `Error code: ${row.errorCode}.` : null);
      break;
    case 'policy-decision':
      title = `Sharing decision for ${recipient}: ${DECISIONS[row.decision ?? ''] ?? 'not recorded'}`;
      add(ruleWords(row));
      add(basisWords(basisFromDetail(row.detail)));
      break;
    case 'sharing-refused':
      title = `Not shared with ${recipient}`;
      add(ruleWords(row));
      add(basisWords(basisFromDetail(row.detail)));
      break;
    case 'routed':
      title = `Sent to ${recipient}`;
      add(`As ${typeWords(row.messageType)}.`);
      add(ruleWords(row));
      add(row.deadline ? `To be acknowledged by ${formatDateTime(row.deadline)}.` : null);
      break;
    case 'delivered':
      title = fromHub
        ? `Delivery receipt${row.recipientMailbox ? ` of ${recipient}` : ''} passed back to the sender`
        : `Delivered to ${row.recipientMailbox ? recipient : `${by}’s node`}`;
      add(fromHub ? null : `Recorded by ${by}’s node.`);
      break;
    case 'acknowledged':
      title = fromHub
        ? `Acknowledgement${row.recipientMailbox ? ` by ${recipient}` : ''} passed back to the sender`
        : `Acknowledged in ${row.recipientMailbox ? recipient : `${by}’s node`}`;
      add(fromHub ? null : `Recorded by ${by}’s node.`);
      break;
    case 'escalated':
      title = `Escalated: ${recipient} did not acknowledge in time`;
      add(row.deadline ? `It was due by ${formatDateTime(row.deadline)}.` : null);
      break;
    case 'superseded':
      title = `Replaced in ${recipient} by a later report`;
      break;
    case 'consent-withdrawn':
      title = `Withdrawal of consent sent to ${recipient}`;
      break;
    case 'referral-outcome':
      title = fromHub
        ? `Referral outcome sent to ${recipient}`
        : `Referral outcome recorded by ${by}`;
      break;
    case 'return-home-interview':
      title = fromHub
        ? `Return home interview outcome sent to ${recipient}`
        : `Return home interview outcome recorded by ${by}`;
      break;
    case 'marac-request':
      title = `MARAC information request sent to ${recipient}`;
      break;
    case 'marac-response':
      title = fromHub ? `MARAC research sent to ${recipient}` : `MARAC research sent by ${by}`;
      break;
    case 'marac-referral-decision':
      title = `MARAC decision on the referral sent to ${recipient}`;
      break;
    case 'corrected':
      title = `Correction of this message sent by ${row.senderNode ? names.actor(row.senderNode) : by}`;
      add(row.detail ? `The exchange recorded: ${row.detail}.` : null);
      break;
    case 'purged':
      title = `Kept data cleared by ${by} under a retention rule`;
      add(row.ruleId ? `Rule ${row.ruleId}.` : null);
      break;
    case 'trail-read':
      title = `Trail read by an auditor (${row.actor})`;
      break;
    default:
      title = row.action.charAt(0).toUpperCase() + row.action.slice(1).replace(/-/g, ' ');
  }
  return { title, by, lines };
}
