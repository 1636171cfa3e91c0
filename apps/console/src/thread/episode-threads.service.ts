import { Injectable } from '@nestjs/common';
import type { MailboxThread } from '@app/node';

import { NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { ViewField, viewFields } from '../presentation/view-fields';
import { ActiveSession } from '../session/console-sessions.service';

/** One update of a missing episode as its page's timeline shows it. */
export interface EpisodeUpdateRow {
  title: string;
  received: string;
  receivedAt: string;
  /** Not acknowledged in the mailbox yet: marked on the timeline. */
  unread: boolean;
  acknowledged: string | null;
  /** The update this page shows above (the thread's latest, or the one opened). */
  current: boolean;
  href: string;
  /** What the update said; empty when it is sealed to a key the node lost, or purged. */
  fields: ViewField[];
  unreadable: boolean;
  /** When a retention rule purged the update's content. */
  purged: string | null;
}

const REPORTED: Record<string, string> = {
  missing: 'Reported missing',
  found: 'Reported found',
};

/**
 * A missing episode's thread for its page: every report the mailbox was sent about the episode
 * (missing, found, regraded), in the reporter's order, each with its time in UK time and whether
 * it was acknowledged. Read from the node's thread of the item (GET …/notifications/:id/thread).
 */
@Injectable()
export class EpisodeThreads {
  constructor(private readonly api: NodeApiClient) {}

  async updates(
    session: ActiveSession,
    nodeUrl: string,
    mailboxId: string,
    messageId: string,
  ): Promise<EpisodeUpdateRow[]> {
    const mailbox = encodeURIComponent(mailboxId);
    const thread = await this.api.get<MailboxThread>(
      session,
      nodeUrl,
      `/mailboxes/${mailbox}/notifications/${encodeURIComponent(messageId)}/thread`,
    );
    return thread.updates.map((update) => {
      const view = update.notification;
      const said = typeof view?.status === 'string' ? REPORTED[view.status] : undefined;
      const acknowledged = update.acknowledgedAt !== null || update.status === 'acknowledged';
      return {
        title: `Report ${update.sequence}: ${said ?? 'Update'}`,
        received: formatDateTime(update.receivedAt),
        receivedAt: update.receivedAt,
        unread: !acknowledged,
        acknowledged: update.acknowledgedAt ? formatDateTime(update.acknowledgedAt) : null,
        current: update.messageId === messageId,
        href: `/mailboxes/${mailbox}/notifications/${encodeURIComponent(update.messageId)}`,
        fields: view ? viewFields(view) : [],
        unreadable: view === null && !update.purgedAt,
        purged: update.purgedAt ? formatDateTime(update.purgedAt) : null,
      };
    });
  }
}
