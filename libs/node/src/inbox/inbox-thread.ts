import {
  CORRECTION_VIEW,
  CorrectionView,
  MISSING_EPISODE_VIEW,
  MissingEpisodeView,
} from '@app/contracts';

/** Where a delivery sits in its mailbox's thread: the thread's key and the delivery's place. */
export interface InboxThread {
  key: string;
  sequence: number;
  /**
   * The message the thread grows from, filed before threads applied to it (a notification a
   * correction corrects): put in the thread at sequence 0 when the first correction arrives.
   */
  root?: string;
}

/** The thread key of a message and its corrections in a mailbox. */
export function correctionThreadKey(originalMessageId: string): string {
  return `corrected:${originalMessageId}`;
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
  if (type === CORRECTION_VIEW.type) {
    // A message and its corrections are one item: the latest correction, with its history.
    const view = body as CorrectionView;
    return {
      key: correctionThreadKey(view.originalMessageId),
      sequence: view.correctionNumber,
      root: view.originalMessageId,
    };
  }
  return undefined;
}
