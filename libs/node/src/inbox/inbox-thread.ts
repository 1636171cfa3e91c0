import { MISSING_EPISODE_VIEW, MissingEpisodeView } from '@app/contracts';

/** Where a delivery sits in its mailbox's thread: the thread's key and the delivery's place. */
export interface InboxThread {
  key: string;
  sequence: number;
}

/**
 * The thread a verified delivery belongs to, if its type is threaded: every report of one
 * missing episode (episode ids are unique across the exchange: the hub refuses a second
 * reporter's use of one) is one item per mailbox, ordered by the hub's report number.
 */
export function inboxThreadOf(type: string, body: unknown): InboxThread | undefined {
  if (type === MISSING_EPISODE_VIEW.type) {
    const view = body as MissingEpisodeView;
    return { key: `missing-episode:${view.episodeId}`, sequence: view.reportNumber };
  }
  return undefined;
}
