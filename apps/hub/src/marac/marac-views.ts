import {
  MaracAction,
  MaracActionView,
  MaracEscalation,
  MaracEscalationView,
  MaracInformationRequest,
  MaracInformationRequestView,
  MaracReferralDecision,
  MaracReferralDecisionView,
} from '@app/contracts';
import { minimise } from '@app/policy';

/** Where a view goes: the mailbox, its kind, and a school's URN (its registry `external_ref`). */
export interface ViewMailbox {
  id: string;
  kind: string;
  externalRef: string | null;
}

/** The members of `source` named in `keys` that are present: a view takes only its own fields. */
function pickPresent<T extends object, K extends keyof T>(
  source: Partial<T>,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) {
    if (source[key] !== undefined) picked[key] = source[key];
  }
  return picked;
}

const kept = <T extends object>(body: T, fields: string[] | undefined): Partial<T> =>
  minimise(body as unknown as Record<string, unknown>, fields) as Partial<T>;

/**
 * A member mailbox's view of an information request: the ids it answers with and the due time,
 * then only what the deciding rule's fields allow, each a field of the view (so a rule without a
 * list never forwards the sharing terms or the recipient's own ids). A school's designated
 * safeguarding lead keeps only the children on its roll — the URN the registry gives its mailbox
 * — whatever the MARAC sent.
 */
export function maracRequestView(
  request: MaracInformationRequest,
  fields: string[] | undefined,
  mailbox: ViewMailbox,
): MaracInformationRequestView {
  const allowed = kept(request, fields);
  const children =
    allowed.children && mailbox.kind === 'designated-safeguarding-lead'
      ? allowed.children.filter((child) => child.schoolUrn === mailbox.externalRef)
      : allowed.children;
  return {
    requestId: request.requestId,
    caseId: request.caseId,
    recipientMailboxId: mailbox.id,
    dueAt: request.dueAt,
    ...pickPresent(allowed, [
      'meetingDate',
      'meetingAt',
      'victimRef',
      'perpetratorRef',
      'criterion',
      'dashTotal',
      'repeat',
    ]),
    ...(children ? { children } : {}),
  };
}

/** The owner mailbox's view of an action: ids and due time, the rest as the rule allows. */
export function maracActionView(
  action: MaracAction,
  fields: string[] | undefined,
  mailbox: ViewMailbox,
): MaracActionView {
  return {
    actionId: action.actionId,
    caseId: action.caseId,
    recipientMailboxId: mailbox.id,
    dueAt: action.dueAt,
    ...pickPresent(kept(action, fields), ['victimRef', 'description', 'dueDate']),
  };
}

/** The escalation mailbox's view: what is overdue, as the rule allows. */
export function maracEscalationView(
  escalation: MaracEscalation,
  fields: string[] | undefined,
  mailbox: ViewMailbox,
): MaracEscalationView {
  return {
    caseId: escalation.caseId,
    overdueId: escalation.overdueId,
    recipientMailboxId: mailbox.id,
    ...pickPresent(kept(escalation, fields), [
      'about',
      'overdueAgencyId',
      'overdueMailboxId',
      'dueAt',
      'escalatedAt',
    ]),
  };
}

/**
 * The referrer mailbox's view of the MARAC's decision: the referral it answers and listed or
 * refused, then the meeting or the reason as the rule allows; never the basis the MARAC shares
 * under.
 */
export function maracReferralDecisionView(
  decision: MaracReferralDecision,
  fields: string[] | undefined,
  mailbox: Pick<ViewMailbox, 'id'>,
): MaracReferralDecisionView {
  return {
    referralId: decision.referralId,
    decision: decision.decision,
    recipientMailboxId: mailbox.id,
    ...pickPresent(kept(decision, fields), [
      'caseId',
      'meetingDate',
      'meetingAt',
      'reasonCode',
      'reason',
      'decidedAt',
    ]),
  };
}
