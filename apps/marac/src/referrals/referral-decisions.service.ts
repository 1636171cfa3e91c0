import { Inject, Injectable } from '@nestjs/common';
import { MaracReferralRefusalCode, MaracReferralView } from '@app/contracts';
import { EntityManager } from 'typeorm';

import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MARAC_OUTBOUND, MaracOutbound, ReferralDecisionBody } from '../outbound/marac-outbound';

/** A listing, as SubmitReferralUseCase answers it. */
export interface Listing {
  caseId: string;
  meeting: { date: string; startsAt: string };
}

/**
 * Tells the referrer what became of a referral that reached the MARAC through the hub (listed for
 * a meeting, or refused with the MARAC's code and the rule it broke), in the transaction that
 * lists or refuses it: told if and only if that commits, once (one decision per referral is also
 * the outgoing table's unique index). The decision goes to the referrer mailbox the referral
 * names, where the hub has recorded it; audited with ids and codes only.
 */
@Injectable()
export class ReferralDecisions {
  constructor(
    @Inject(MARAC_OUTBOUND) private readonly outbound: MaracOutbound,
    private readonly audit: MaracAudit,
    private readonly clock: Clock,
  ) {}

  listed(tx: EntityManager, referral: MaracReferralView, listing: Listing): Promise<string> {
    return this.tell(
      tx,
      referral,
      {
        referralId: referral.referralId,
        decision: 'listed',
        caseId: listing.caseId,
        meetingDate: listing.meeting.date,
        meetingAt: listing.meeting.startsAt,
        decidedAt: this.clock.now().toISOString(),
      },
      listing.caseId,
      `listed for the meeting of ${listing.meeting.date}`,
    );
  }

  /** `reason` names the field and rule (MaracError messages never carry a value). */
  refused(
    tx: EntityManager,
    referral: MaracReferralView,
    code: MaracReferralRefusalCode,
    reason: string,
  ): Promise<string> {
    return this.tell(
      tx,
      referral,
      {
        referralId: referral.referralId,
        decision: 'refused',
        reasonCode: code,
        reason: reason.slice(0, 1000),
        decidedAt: this.clock.now().toISOString(),
      },
      null,
      `refused ${code}`,
    );
  }

  private async tell(
    tx: EntityManager,
    referral: MaracReferralView,
    body: ReferralDecisionBody,
    caseId: string | null,
    detail: string,
  ): Promise<string> {
    const to = { agencyId: referral.referringAgencyId, mailboxId: referral.referrerMailboxId };
    const messageId = await this.outbound.sendReferralDecision(tx, to, body, {
      caseId,
      victimRef: referral.victimRef,
    });
    await this.audit.record(tx, [
      {
        action: 'marac-referral-decision',
        messageType: 'marac-referral-decision',
        messageId,
        correlationId: referral.referralId,
        subjectRef: referral.victimRef,
        recipientAgency: to.agencyId,
        recipientMailbox: to.mailboxId,
        detail: `${detail}; sent through the hub`,
      },
    ]);
    return messageId;
  }
}
