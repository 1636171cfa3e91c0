import { CorrectionKind, CorrectionRecipientRole, CorrectionViewKind } from '@app/contracts';

/** One step of a message's life in a mailbox, from the hub's delivery records, oldest first. */
export interface HoldingEvent {
  mailboxId: string;
  deliveryId: string;
  /** `original`: a delivery of the message itself; otherwise the role of a correction's delivery. */
  role: 'original' | CorrectionRecipientRole;
}

/** A mailbox that holds the message now, and the id its own inbox knows it by. */
export interface Holding {
  mailboxId: string;
  messageId: string;
}

/** Whom a correction goes to, in which role, and what that mailbox's view of it says. */
export interface CorrectionTarget {
  mailboxId: string;
  role: CorrectionRecipientRole;
  viewKind: CorrectionViewKind | 'notification';
  /** The mailbox's own message that is corrected; none for a new recipient. */
  originalMessageId?: string;
}

/**
 * Who holds a message now: every mailbox it was delivered to, plus a mailbox an earlier
 * correction sent it to as a new recipient (which then knows it by that delivery's id), minus a
 * mailbox an earlier correction told it was not meant for it (until a later one sends it back).
 */
export function currentHolders(events: HoldingEvent[]): Holding[] {
  const held = new Map<string, string>();
  for (const event of events) {
    if (event.role === 'original' || event.role === 'new-recipient') {
      held.set(event.mailboxId, event.deliveryId);
    } else if (event.role === 'not-for-recipient') {
      held.delete(event.mailboxId);
    }
  }
  return [...held].map(([mailboxId, messageId]) => ({ mailboxId, messageId }));
}

/**
 * The routing rule of a correction. A withdrawal goes to every mailbox that holds the message,
 * and to nobody else. An amendment goes to every holder the corrected message is still meant
 * for (`recipient`, with its view of the corrected message); to a holder it is no longer meant
 * for, a notice that it was not for them (`not-for-recipient`: a changed school's old school);
 * and to a mailbox the corrected message is now meant for that never had it, the corrected
 * message as a notification of its own (`new-recipient`: the new school). `meantFor` is who the
 * corrected message is meant for, as the original's journey finds its recipients; the sharing
 * policy still decides, per mailbox, whether and with which fields.
 */
export function correctionTargets(
  kind: CorrectionKind,
  holders: Holding[],
  meantFor: string[],
): CorrectionTarget[] {
  if (kind === 'withdrawn') {
    return holders.map(({ mailboxId, messageId }) => ({
      mailboxId,
      role: 'recipient',
      viewKind: 'withdrawn',
      originalMessageId: messageId,
    }));
  }
  const meant = new Set(meantFor);
  const held = new Set(holders.map((holder) => holder.mailboxId));
  return [
    ...holders.map(({ mailboxId, messageId }): CorrectionTarget =>
      meant.has(mailboxId)
        ? { mailboxId, role: 'recipient', viewKind: 'amended', originalMessageId: messageId }
        : {
            mailboxId,
            role: 'not-for-recipient',
            viewKind: 'not-for-recipient',
            originalMessageId: messageId,
          },
    ),
    ...[...meant]
      .filter((mailboxId) => !held.has(mailboxId))
      .map((mailboxId): CorrectionTarget => ({
        mailboxId,
        role: 'new-recipient',
        viewKind: 'notification',
      })),
  ];
}
