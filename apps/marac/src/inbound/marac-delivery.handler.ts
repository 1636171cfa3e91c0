import { Injectable, Logger } from '@nestjs/common';
import {
  MARAC_ACTION_UPDATE_VIEW,
  MARAC_INFORMATION_RESPONSE_VIEW,
  MARAC_REFERRAL_VIEW,
  MaracActionUpdateView,
  MaracInformationResponseView,
  MaracReferralView,
} from '@app/contracts';
import { VerifiedEnvelope } from '@app/crypto';
import { NodeDeliveryHandler } from '@app/node';
import { EntityManager } from 'typeorm';

import { ActionProgressUseCase } from '../actions/action-progress.usecase';
import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { ReferralDecisions } from '../referrals/referral-decisions.service';
import { SubmitReferralUseCase } from '../referrals/submit-referral.usecase';
import { RecordResearchUseCase } from '../research/record-research.usecase';
import { recordOutgoingStatus } from './outgoing-status';

/**
 * What reaches the MARAC through the hub, verified and stored once by the node's inbox, is fed
 * to the coordinator's use cases in the inbox's own transaction: a referral lists a case, an
 * answer fills the pack, an update moves an action on; receipts and refusals move the MARAC's
 * outgoing messages on. The inbox runs this once per message id, so a redelivered record has no
 * second effect. A message the MARAC refuses (a claimed repeat without history, a second answer)
 * is recorded and audited with its code, never thrown: throwing would roll the inbox back and
 * retry a message that can never succeed.
 */
@Injectable()
export class MaracDeliveryHandler implements NodeDeliveryHandler {
  private readonly logger = new Logger(MaracDeliveryHandler.name);

  constructor(
    private readonly referrals: SubmitReferralUseCase,
    private readonly decisions: ReferralDecisions,
    private readonly research: RecordResearchUseCase,
    private readonly actions: ActionProgressUseCase,
    private readonly audit: MaracAudit,
    private readonly clock: Clock,
  ) {}

  async onDelivered(tx: EntityManager, envelope: VerifiedEnvelope): Promise<void> {
    const { type, jti } = envelope.claims;
    try {
      if (type === MARAC_REFERRAL_VIEW.type) {
        await this.referrals.listDelivered(tx, envelope.body as MaracReferralView);
      } else if (type === MARAC_INFORMATION_RESPONSE_VIEW.type) {
        await this.research.recordIn(tx, envelope.body as MaracInformationResponseView, jti);
      } else if (type === MARAC_ACTION_UPDATE_VIEW.type) {
        await this.actions.applyIn(tx, envelope.body as MaracActionUpdateView, jti);
      } else {
        await recordOutgoingStatus(tx, envelope);
      }
    } catch (error) {
      if (!(error instanceof MaracError)) throw error;
      await this.refused(tx, envelope, error);
    }
  }

  private async refused(
    tx: EntityManager,
    envelope: VerifiedEnvelope,
    error: MaracError,
  ): Promise<void> {
    const { type, jti } = envelope.claims;
    // Codes and ids only: the refusal's message names the field and rule, never a value.
    this.logger.warn(`MARAC refused delivered message ${jti} (${type}): ${error.code}`);
    if (type === MARAC_REFERRAL_VIEW.type && isReferralRefusal(error.code)) {
      const referral = envelope.body as MaracReferralView;
      // An INSERT … RETURNING answers its rows (only UPDATE and DELETE answer [rows, count]).
      const kept: unknown[] = await tx.query(
        `INSERT INTO refused_referral (referral_id, message_id, referring_agency_id, victim_ref,
           code, field, reason, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (referral_id) DO NOTHING
         RETURNING referral_id`,
        [
          referral.referralId,
          jti,
          referral.referringAgencyId,
          referral.victimRef,
          error.code,
          error.field,
          error.message.slice(0, 1000),
          this.clock.now(),
        ],
      );
      // The referrer is told why, once: the message names the field and rule, never a value.
      if (kept.length > 0) {
        await this.decisions.refused(
          tx,
          referral,
          error.code,
          `${error.field ? `${error.field}: ` : ''}${error.message}`,
        );
      }
    }
    await this.audit.record(tx, [
      {
        action: 'rejected',
        messageType: type.replace('uk.safeguarding.exchange.', ''),
        messageId: jti,
        errorCode: error.code,
        detail: `${error.field ?? ''}: ${error.message}`.slice(0, 1000),
      },
    ]);
  }
}

/** The MARAC's refusals of a referral it could not list (not a second copy of a listed one). */
function isReferralRefusal(
  code: MaracErrorCode,
): code is MaracErrorCode.CRITERION_NOT_MET | MaracErrorCode.INVALID_REFERRAL {
  return code === MaracErrorCode.CRITERION_NOT_MET || code === MaracErrorCode.INVALID_REFERRAL;
}
