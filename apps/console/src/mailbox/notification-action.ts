import type { MailboxMessage } from '@app/node';

import { MailboxEntry } from '../node-api/area-directory.service';

const PREFIX = 'uk.safeguarding.exchange.';

/**
 * What a person can do with a notification besides acknowledging it: the MASH decides on a
 * referral it received; social care records the return home interview of a missing episode it
 * received, once the child is reported found. The node decides again when the form is sent.
 */
export type NotificationAction =
  | { kind: 'referral-decision'; referralId: string }
  | { kind: 'return-home-interview'; episodeId: string; found: boolean }
  | null;

export function notificationAction(
  mailbox: MailboxEntry,
  message: MailboxMessage,
): NotificationAction {
  const view = message.notification;
  // A purged item's content is gone: nothing is left to decide on or record against.
  if (!view) return null;
  const id = (key: string) => (typeof view[key] === 'string' ? (view[key] as string) : null);
  if (message.type === `${PREFIX}referral-view` && mailbox.kind === 'mash') {
    const referralId = id('referralId');
    return referralId ? { kind: 'referral-decision', referralId } : null;
  }
  if (message.type === `${PREFIX}missing-episode-view` && mailbox.nodeId === 'social-care') {
    const episodeId = id('episodeId');
    return episodeId
      ? { kind: 'return-home-interview', episodeId, found: view.status === 'found' }
      : null;
  }
  return null;
}
