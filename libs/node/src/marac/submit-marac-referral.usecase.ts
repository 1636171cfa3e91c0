import { randomUUID } from 'node:crypto';

import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import {
  assessDashRisk,
  DashRiskAssessment,
  MARAC_REFERRAL,
  MaracReferral,
  MaracReferralDetails,
  MaracReferralRefusal,
  MaracReferralSubmission,
  Topics,
} from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { assertValidBody } from '../validation/assert-valid-body';
import { NodeSender } from '../outgoing/node-sender.service';

export interface SubmittedMaracReferral {
  referralId: string;
  /** The referral's message id on the exchange: the same UUID as the referral id. */
  messageId: string;
  dashTotal: number;
  dashTotalComputed: boolean;
}

/** The DASH and criterion rules the MARAC applies, applied before anything is signed. */
function assessRisk(referral: MaracReferralDetails): DashRiskAssessment {
  try {
    return assessDashRisk(referral);
  } catch (error) {
    if (!(error instanceof MaracReferralRefusal)) throw error;
    // The MARAC service's refusal shape: the code, and the field with the rule it broke.
    throw new BadRequestException({
      statusCode: 400,
      error: error.code,
      message: [`${error.field}: ${error.message}`],
    });
  }
}

/**
 * An agency's system refers a victim to its area's MARAC. Refused with 400 before anything is
 * signed when the DASH checklist and criterion do not hold (the same rules as the MARAC's, from
 * libs/contracts); a claimed repeat is checked by the MARAC against its case history. Otherwise
 * the `marac-referral` is signed, encrypted to the hub and written to the outbox with the node's
 * `marac_sent` row (with the referrer mailbox) and the `submitted` audit event in one
 * transaction. The hub routes it to the MARAC coordinator's mailbox, refuses a referral naming
 * another agency than this node's or a mailbox of another node, and brings the MARAC's decision
 * back to the referrer mailbox (MaracDeliveries).
 */
@Injectable()
export class SubmitMaracReferralUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(details: MaracReferralSubmission, by: string): Promise<SubmittedMaracReferral> {
    const risk = assessRisk(details);
    const referralId = randomUUID();
    const body: MaracReferral = { ...details, children: details.children ?? [], referralId };
    await assertValidBody(MaracReferral, body);
    // A fresh reference per referral: the record's key and headers say nothing about the victim.
    const subjectRef = randomUUID();
    const sealed = await this.sender.seal<MaracReferral>({
      definition: MARAC_REFERRAL,
      jti: referralId,
      subjectRef,
      body,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO marac_sent (message_id, kind, ref_id, agency_id, mailbox_id, sent_by, sent_at)
         VALUES ($1, 'marac-referral', $1, $2, $3, $4, $5)`,
        [referralId, details.referringAgencyId, details.referrerMailboxId, by, this.clock.now()],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'submitted',
          actor: this.identity.nodeId,
          messageId: referralId,
          subjectRef,
          messageType: MARAC_REFERRAL.type,
          senderNode: this.identity.nodeId,
          senderAgency: details.referringAgencyId,
          detail: `criterion ${details.criterion}; DASH ${risk.dashTotal}`,
        },
      ]);
    });
    this.outbox.wake();
    return {
      referralId,
      messageId: referralId,
      dashTotal: risk.dashTotal,
      dashTotalComputed: risk.dashTotalComputed,
    };
  }
}
