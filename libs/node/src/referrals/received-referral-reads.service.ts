import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { AtRestSealer } from '../keys/at-rest-sealer.service';

/** What the MASH sent on a referral it received, read back for its page. */
export interface ReceivedReferralDecision {
  referralId: string;
  /** Null until the MASH has sent its decision. */
  decision: {
    outcome: string;
    /**
     * Null when not kept (sent before the node kept it) or sealed to a key this node no
     * longer holds.
     */
    nextSteps: string | null;
    decidedAt: string;
    /** Who sent it (the token's subject). */
    decidedBy: string | null;
  } | null;
}

interface ReceivedReferralRow {
  referral_id: string;
  outcome: string | null;
  outcome_sent_at: Date | null;
  outcome_by: string | null;
  outcome_next_steps: string | null;
}

/**
 * The decision a mailbox (the MASH) sent on a referral it received, so its page shows it
 * read-only instead of a second form. 404 when the referral was not received by this mailbox,
 * the same whether it does not exist or is another mailbox's.
 */
@Injectable()
export class ReceivedReferralReads {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: AtRestSealer,
  ) {}

  async decision(mailboxId: string, referralId: string): Promise<ReceivedReferralDecision> {
    const [row] = (await this.dataSource.query(
      `SELECT referral_id, outcome, outcome_sent_at, outcome_by, outcome_next_steps
         FROM received_referral WHERE mailbox_id = $1 AND referral_id = $2`,
      [mailboxId, referralId],
    )) as ReceivedReferralRow[];
    if (!row) throw new NotFoundException('no such referral in this mailbox');
    if (!row.outcome || !row.outcome_sent_at) return { referralId, decision: null };
    return {
      referralId,
      decision: {
        outcome: row.outcome,
        nextSteps: row.outcome_next_steps
          ? await this.sealer.openInList(row.outcome_next_steps)
          : null,
        decidedAt: new Date(row.outcome_sent_at).toISOString(),
        decidedBy: row.outcome_by,
      },
    };
  }
}
