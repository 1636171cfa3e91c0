import { Injectable } from '@nestjs/common';
import type { ReceivedReferralDecision } from '@app/node';

import { NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { choiceText, REFERRAL_DECISIONS } from '../presentation/choice-labels';
import { ActiveSession } from '../session/console-sessions.service';

/** A decision the MASH already sent, as its referral's page shows it (read-only). */
export interface SentDecision {
  decision: string;
  nextSteps: string | null;
  sent: string;
}

/**
 * Whether the MASH already sent its decision on a referral it received, read from its node
 * (GET …/referrals/:referralId/outcome): the page then shows that decision instead of a form.
 */
@Injectable()
export class SentDecisions {
  constructor(private readonly api: NodeApiClient) {}

  async of(
    session: ActiveSession,
    nodeUrl: string,
    mailboxId: string,
    referralId: string,
  ): Promise<SentDecision | null> {
    const answer = await this.api.get<ReceivedReferralDecision>(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/referrals/${encodeURIComponent(referralId)}/outcome`,
    );
    if (!answer.decision) return null;
    return {
      decision: choiceText(REFERRAL_DECISIONS, answer.decision.outcome),
      nextSteps: answer.decision.nextSteps,
      sent: formatDateTime(answer.decision.decidedAt),
    };
  }
}
