import { randomUUID } from 'node:crypto';

import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { CONSENT_WITHDRAWN, ConsentWithdrawn, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender } from '../outgoing/node-sender.service';
import { WithdrawConsentDto } from './dto/withdraw-consent.dto';

/** Clocks of the agency's system and this node may differ a little. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

export interface SubmittedWithdrawal {
  messageId: string;
  subjectRef: string;
  submittedAt: string;
}

/**
 * An agency system reports a withdrawal of consent: a signed `consent-withdrawn` about the
 * subject, encrypted to the hub, is written to the outbox with the node's own row and the
 * `submitted` audit event in one transaction. The hub finds whom to tell from its own delivery
 * records, so the request names only the subject.
 */
@Injectable()
export class WithdrawConsentUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(dto: WithdrawConsentDto, by: string): Promise<SubmittedWithdrawal> {
    const now = this.clock.now();
    const withdrawnAt = new Date(dto.withdrawnAt);
    if (withdrawnAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: ['withdrawnAt must not be in the future'],
      });
    }
    const messageId = randomUUID();
    const body: ConsentWithdrawn = {
      withdrawnBy: dto.withdrawnBy,
      withdrawnAt: dto.withdrawnAt,
      ...(dto.note ? { note: dto.note } : {}),
      ...(dto.senderMailboxId ? { senderMailboxId: dto.senderMailboxId } : {}),
    };
    const sealed = await this.sender.seal<ConsentWithdrawn>({
      definition: CONSENT_WITHDRAWN,
      jti: messageId,
      subjectRef: dto.subjectRef,
      body,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO consent_withdrawal (message_id, subject_ref, withdrawn_at, submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [messageId, dto.subjectRef, withdrawnAt, by, now],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'submitted',
          actor: this.identity.nodeId,
          messageId,
          subjectRef: dto.subjectRef,
          messageType: CONSENT_WITHDRAWN.type,
          senderNode: this.identity.nodeId,
          payloadDigest: payloadDigest(sealed.jws),
        },
      ]);
    });
    this.outbox.wake();
    return { messageId, subjectRef: dto.subjectRef, submittedAt: now.toISOString() };
  }
}
