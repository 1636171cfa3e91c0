import { DomesticAbuseNotification, ENCOMPASS_FIELDS, EncompassView } from '@app/contracts';
import { minimise } from '@app/policy';

/**
 * The policy decision the hub applies to a domestic abuse notification for a school or the
 * local authority's education mailbox, until the policy lib's rule file decides it.
 */
export const ENCOMPASS_RULE = { ruleId: 'operation-encompass-fixed', policyVersion: 'fixed-1' };

/**
 * A school's view of a notification: the Operation Encompass set and nothing else (not the risk
 * level, the actions taken, consent or lawful basis). The field list is the one line a later
 * issue replaces with the policy's decision.
 */
export function encompassView(
  notification: DomesticAbuseNotification,
  recipientMailboxId: string,
  acknowledgeBy: Date,
): EncompassView {
  const allowed = minimise(
    notification as unknown as Record<string, unknown>,
    ENCOMPASS_FIELDS,
  ) as unknown as Omit<EncompassView, 'recipientMailboxId' | 'acknowledgeBy'>;
  return { ...allowed, recipientMailboxId, acknowledgeBy: acknowledgeBy.toISOString() };
}
