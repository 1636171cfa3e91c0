import { randomUUID } from 'node:crypto';

import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { REFERRAL, Referral, Topics } from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { childIdentityOf } from '../chronology/child-identity';
import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { AtRestSealer } from '../keys/at-rest-sealer.service';
import { NodeSender } from '../outgoing/node-sender.service';
import { assessReferral } from './referral-quality';
import { assertValidReferral } from './validate-referral';

export interface SubmittedReferral {
  referralId: string;
  /** The referral's message id on the exchange: the same UUID as the referral id. */
  messageId: string;
  /** The child's pseudonymous reference on the exchange, e.g. for a later consent withdrawal. */
  subjectRef: string;
  completeness: number;
  missingRecommended: string[];
}

/**
 * A mailbox refers a child to the MASH. Refused with 400 listing every missing required field
 * (assessReferral), or every invalid one; otherwise the `referral` envelope is signed and written
 * to the outbox with the node's `referral` row and the `submitted` audit event (with the
 * completeness score) in one transaction. The referrer's mailbox comes from the route, which the
 * guard binds to the token, never from the body.
 */
@Injectable()
export class SubmitReferralUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly sealer: AtRestSealer,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(mailboxId: string, input: unknown, by: string): Promise<SubmittedReferral> {
    const quality = assessReferral(input);
    if (quality.missingRequired.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: quality.missingRequired.map((field) => `${field} is required`),
        missingRequired: quality.missingRequired,
      });
    }
    const referralId = randomUUID();
    const body = {
      ...(input as object),
      referralId,
      referrerMailboxId: mailboxId,
      completeness: quality.completeness,
    } as Referral;
    await assertValidReferral(body);

    // A fresh pseudonymous subject reference per referral; the hub keys the record by it.
    const subjectRef = randomUUID();
    const at = this.clock.now();
    const sealed = await this.sender.seal<Referral>({
      definition: REFERRAL,
      jti: referralId,
      subjectRef,
      body,
    });
    // The child, sealed at rest, so the referral joins her chronology in this mailbox.
    const child = childIdentityOf(body);
    const childSealed = child ? await this.sealer.seal(JSON.stringify(child)) : null;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO referral (referral_id, mailbox_id, subject_ref, completeness,
           missing_recommended, submitted_by, submitted_at, child_sealed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          referralId,
          mailboxId,
          subjectRef,
          quality.completeness,
          quality.missingRecommended.join(','),
          by,
          at,
          childSealed,
        ],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'submitted',
          actor: this.identity.nodeId,
          messageId: referralId,
          subjectRef,
          messageType: REFERRAL.type,
          senderNode: this.identity.nodeId,
          completeness: quality.completeness,
        },
      ]);
    });
    this.outbox.wake();
    return {
      referralId,
      messageId: referralId,
      subjectRef,
      completeness: quality.completeness,
      missingRecommended: quality.missingRecommended,
    };
  }
}
