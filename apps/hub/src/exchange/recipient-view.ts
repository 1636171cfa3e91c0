import { DomesticAbuseNotification, EncompassView } from '@app/contracts';
import { minimise } from '@app/policy';

/**
 * A recipient's view of a domestic abuse notification: exactly the fields the sharing policy's
 * deciding rule allows (a school the Operation Encompass set, health that set and the risk level,
 * the MASH everything: no list), plus the mailbox it is for and when acknowledgement is due. The
 * field list comes from the policy file, never from code.
 */
export function encompassView(
  notification: DomesticAbuseNotification,
  allowedFields: string[] | undefined,
  recipientMailboxId: string,
  acknowledgeBy: Date,
): EncompassView {
  const allowed = minimise(
    notification as unknown as Record<string, unknown>,
    allowedFields,
  ) as unknown as Omit<EncompassView, 'recipientMailboxId' | 'acknowledgeBy'>;
  return { ...allowed, recipientMailboxId, acknowledgeBy: acknowledgeBy.toISOString() };
}
