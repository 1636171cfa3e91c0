import { MissingEpisode, MissingEpisodeView } from '@app/contracts';
import { minimise } from '@app/policy';

/** What the hub adds to every view: ids, a deadline and a number, never personal data. */
export interface MissingEpisodeViewEnvelope {
  recipientMailboxId: string;
  acknowledgeBy: Date;
  reportNumber: number;
}

/**
 * One mailbox's view of one report: exactly the fields the deciding policy rule allows (the file
 * lists them, not this code), plus the mailbox, the acknowledgement deadline, the episode id
 * (the receiving node keeps one item per episode and mailbox) and the report's number.
 */
export function missingEpisodeView(
  episode: MissingEpisode,
  allowedFields: string[] | undefined,
  added: MissingEpisodeViewEnvelope,
): MissingEpisodeView {
  const allowed = minimise(
    episode as unknown as Record<string, unknown>,
    allowedFields,
  ) as Partial<MissingEpisodeView>;
  return {
    ...allowed,
    recipientMailboxId: added.recipientMailboxId,
    acknowledgeBy: added.acknowledgeBy.toISOString(),
    episodeId: episode.episodeId,
    reportNumber: added.reportNumber,
  };
}
