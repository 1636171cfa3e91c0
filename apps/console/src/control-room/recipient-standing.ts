import { formatDateTime } from '../presentation/area-time';

/** What the police node says about one recipient of a notification or a missing episode. */
export interface RecipientFactsJson {
  mailboxId: string;
  role?: string | null;
  status: string;
  acknowledgeBy?: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  sharingRefusal: { reason: string | null } | null;
  rejection: { code: string | null; reason: string | null } | null;
}

/** One recipient's row on the control room page: a badge and the words beside it. */
export interface RecipientStanding {
  recipient: string;
  /** MOJ badge modifier: blue, green, red, purple, grey. */
  colour: 'blue' | 'green' | 'red' | 'purple' | 'grey';
  badge: string;
  detail: string;
  overdue: boolean;
  refused: boolean;
}

/** The exchange's refusal codes a control room meets, in the words its staff use. */
const REFUSALS: Record<string, string> = {
  RECIPIENT_UNKNOWN:
    'the exchange has no mailbox for this recipient (for a school, check the school’s URN in the force’s record)',
  RECIPIENT_NODE_INACTIVE: 'the recipient’s system is not taking messages at the moment',
  DUPLICATE_NOTIFICATION: 'this recipient was already told about this child and this incident',
  AGENCY_MISMATCH: 'the exchange’s registry does not list this recipient for that agency',
  SCHEMA_INVALID: 'the exchange could not accept what the force’s system sent',
  NOT_ADDRESSED_TO_NODE:
    'the exchange could not read it: it was locked with a key the exchange no longer uses (send it again)',
  DECRYPTION_FAILED: 'the exchange could not read it: it was damaged on the way (send it again)',
};

/** Names for a recipient the area's registry lacks, by the role the exchange gave it. */
const UNLISTED: Record<string, string> = {
  school: 'The child’s school (not in the area’s registry)',
  health: 'Health (not in the area’s registry)',
  mash: 'The MASH (not in the area’s registry)',
};

const at = (value: string | null | undefined) =>
  value ? formatDateTime(value) : 'a time not recorded';

/**
 * A recipient's status in plain words: who (the mailbox's name from the area file, never its
 * id), a badge, and what happened when — acknowledged by whom and when, overdue since when,
 * refused and why. Overdue and refused rows are flagged so the page can make them stand out.
 */
export function recipientStanding(
  facts: RecipientFactsJson,
  nameOf: (mailboxId: string) => string | undefined,
): RecipientStanding {
  const recipient =
    nameOf(facts.mailboxId) ??
    UNLISTED[facts.role ?? ''] ??
    'A recipient not in the area’s registry';
  const base = { recipient, overdue: false, refused: false };
  switch (facts.status) {
    case 'acknowledged':
      return {
        ...base,
        colour: 'green',
        badge: 'Acknowledged',
        detail: `Acknowledged by ${facts.acknowledgedBy ?? 'someone not named'} at ${at(facts.acknowledgedAt)}`,
      };
    case 'overdue':
      return {
        ...base,
        overdue: true,
        colour: 'red',
        badge: 'Overdue',
        detail: `Not acknowledged: overdue since ${at(facts.overdueAt ?? facts.acknowledgeBy)}`,
      };
    case 'delivered':
      return {
        ...base,
        colour: 'blue',
        badge: 'Delivered',
        detail: facts.acknowledgeBy
          ? `Delivered at ${at(facts.deliveredAt)}; to be acknowledged by ${at(facts.acknowledgeBy)}`
          : `Delivered at ${at(facts.deliveredAt)}`,
      };
    case 'sharing-refused':
      return {
        ...base,
        refused: true,
        colour: 'purple',
        badge: 'Not shared',
        detail: `Not shared under the area’s sharing policy: ${facts.sharingRefusal?.reason ?? 'no reason given'}`,
      };
    case 'rejected': {
      const code = facts.rejection?.code ?? '';
      return {
        ...base,
        refused: true,
        colour: 'red',
        badge: 'Refused',
        detail: `Refused by the exchange: ${REFUSALS[code] ?? facts.rejection?.reason ?? 'no reason given'}`,
      };
    }
    case 'return-home-interview-received':
      return {
        ...base,
        colour: 'green',
        badge: 'Interview received',
        detail: 'The return home interview’s outcome has arrived',
      };
    default:
      return {
        ...base,
        colour: 'grey',
        badge: 'Sent',
        detail: 'Sent by the exchange; not delivered yet',
      };
  }
}
