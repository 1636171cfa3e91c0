import { Injectable } from '@nestjs/common';

import { chronologyPath } from '../chronology/chronology-path';
import { MailboxPages } from '../mailbox/mailbox-pages.service';
import { MailboxEntry } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { formatDateTime } from '../presentation/area-time';
import { choiceText, REFERRAL_DECISIONS } from '../presentation/choice-labels';
import { ActiveSession } from '../session/console-sessions.service';

/** A referral as the referring node reports it (GET /mailboxes/:id/referrals). */
interface ReferralSummary {
  referralId: string;
  status: string;
  completeness: number;
  submittedAt: string;
  rejection: { code: string; reason: string; at: string } | null;
  outcome: {
    outcome: string;
    nextSteps: string | null;
    decidedAt: string;
    receivedAt: string;
    /** Set once the next steps were purged under a retention rule. */
    purgedAt?: string | null;
  } | null;
}

/** The id of a referral's row on the referrals page, for links to it (the chronology's). */
export function referralAnchor(referralId: string): string {
  return `referral-${referralId}`;
}

export interface SentReferralRow {
  /** The row's id on the page, and the referral's chronology. */
  anchor: string;
  chronologyHref: string;
  /** The first block of the referral id: what the referrer quotes when she calls the MASH. */
  reference: string;
  sent: string;
  sentAt: string;
  status: { text: string; colour: string };
  completeness: number;
  outcome: { decision: string; nextSteps: string; decided: string } | null;
  rejection: string | null;
}

/** A referral's status in the referrer's words, with its tag colour. */
export const REFERRAL_STATUS: Record<string, { text: string; colour: string }> = {
  submitted: { text: 'Sent', colour: 'grey' },
  delivered: { text: 'With the MASH', colour: 'blue' },
  acknowledged: { text: 'Acknowledged by the MASH', colour: 'light-blue' },
  'outcome-received': { text: 'Decision received', colour: 'green' },
  overdue: { text: 'Decision overdue', colour: 'red' },
  rejected: { text: 'Not accepted', colour: 'red' },
};

/**
 * The referrals a mailbox made and what became of each: the decision and next steps the MASH
 * sent back ("schools receiving outcome feedback"), or why a referral was not accepted.
 */
@Injectable()
export class SentReferrals {
  constructor(
    private readonly pages: MailboxPages,
    private readonly api: NodeApiClient,
  ) {}

  async list(
    session: ActiveSession,
    mailboxId: string,
  ): Promise<{ mailbox: MailboxEntry; rows: SentReferralRow[] }> {
    const { mailbox, nodeUrl } = this.pages.reach(session, mailboxId);
    const referrals = await this.api.get<ReferralSummary[]>(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/referrals`,
    );
    return {
      mailbox,
      rows: referrals.map((referral) => ({
        anchor: referralAnchor(referral.referralId),
        chronologyHref: chronologyPath(mailboxId, referral.referralId),
        reference: referral.referralId.slice(0, 8).toUpperCase(),
        sent: formatDateTime(referral.submittedAt),
        sentAt: referral.submittedAt,
        status: REFERRAL_STATUS[referral.status] ?? { text: referral.status, colour: 'grey' },
        completeness: referral.completeness,
        outcome: referral.outcome
          ? {
              decision: choiceText(REFERRAL_DECISIONS, referral.outcome.outcome),
              // Purged under a retention rule: said so, rather than shown as blank.
              nextSteps: referral.outcome.purgedAt
                ? `Next steps purged on ${formatDateTime(referral.outcome.purgedAt)} (retention)`
                : (referral.outcome.nextSteps ?? ''),
              decided: formatDateTime(referral.outcome.decidedAt),
            }
          : null,
        rejection: referral.rejection?.reason ?? null,
      })),
    };
  }
}
