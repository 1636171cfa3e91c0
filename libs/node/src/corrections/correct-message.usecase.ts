import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  CORRECTABLE_MESSAGES,
  CORRECTION,
  Correction,
  ExchangeError,
  ExchangeErrorCode,
  REFERRAL,
  Topics,
} from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender } from '../outgoing/node-sender.service';
import { assertValidBody } from '../validation/assert-valid-body';
import { CorrectMessageDto } from './dto/correct-message.dto';
import { SENT_MESSAGE_LOOKUP, SentMessage, SentMessageLookup } from './sent-messages';

export interface SubmittedCorrection {
  messageId: string;
  originalMessageId: string;
  subjectRef: string;
  submittedAt: string;
}

/**
 * An agency system corrects a message this node sent. The original must be this node's (its
 * referrals, or the adapter's own messages through SENT_MESSAGE_LOOKUP) and of a correctable
 * type: otherwise 404 ORIGINAL_UNKNOWN; a message this node already withdrew takes no further
 * correction: 409 ORIGINAL_WITHDRAWN. The corrected message is held to the original's contract
 * (400 naming every invalid field). Then a signed `correction` about the original's subject,
 * encrypted to the hub, is written to the outbox with the node's `correction` row and the
 * `submitted` audit event (linked to the original) in one transaction. The hub finds the
 * recipients from its own delivery records, so the request names only the original.
 */
@Injectable()
export class CorrectMessageUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
    @Optional() @Inject(SENT_MESSAGE_LOOKUP) private readonly adapterSent?: SentMessageLookup,
  ) {}

  async execute(dto: CorrectMessageDto, by: string): Promise<SubmittedCorrection> {
    const now = this.clock.now();
    const original = await this.original(this.dataSource.manager, dto.originalMessageId);
    if (!original || !CORRECTABLE_MESSAGES[original.type]) {
      throw new ExchangeError(
        ExchangeErrorCode.ORIGINAL_UNKNOWN,
        'this node sent no correctable message with this id',
      );
    }
    const [withdrawn] = (await this.dataSource.query(
      `SELECT 1 FROM correction WHERE original_message_id = $1 AND kind = 'withdrawn'
          AND rejected_at IS NULL`,
      [dto.originalMessageId],
    )) as unknown[];
    if (withdrawn) {
      throw new ExchangeError(
        ExchangeErrorCode.ORIGINAL_WITHDRAWN,
        'this message was already withdrawn: nothing is left to correct',
      );
    }
    const body: Correction = {
      originalMessageId: dto.originalMessageId,
      kind: dto.kind,
      reason: dto.reason,
      correctedAt: dto.correctedAt ?? now.toISOString(),
      ...(dto.kind === 'amended' || dto.corrected !== undefined
        ? { correctedType: original.type, corrected: dto.corrected }
        : {}),
    };
    await assertValidBody(Correction, body);

    const messageId = randomUUID();
    const sealed = await this.sender.seal<Correction>({
      definition: CORRECTION,
      jti: messageId,
      subjectRef: original.subjectRef,
      body,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO correction (message_id, original_message_id, original_type, subject_ref, kind,
           submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [messageId, dto.originalMessageId, original.type, original.subjectRef, dto.kind, by, now],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'submitted',
          actor: this.identity.nodeId,
          messageId,
          correlationId: dto.originalMessageId,
          subjectRef: original.subjectRef,
          messageType: CORRECTION.type,
          senderNode: this.identity.nodeId,
          payloadDigest: payloadDigest(sealed.jws),
        },
      ]);
    });
    this.outbox.wake();
    return {
      messageId,
      originalMessageId: dto.originalMessageId,
      subjectRef: original.subjectRef,
      submittedAt: now.toISOString(),
    };
  }

  /** The node's own referrals first, then the adapter's messages. */
  private async original(
    manager: EntityManager,
    messageId: string,
  ): Promise<SentMessage | undefined> {
    const [referral] = (await manager.query(
      'SELECT subject_ref FROM referral WHERE referral_id = $1',
      [messageId],
    )) as { subject_ref: string }[];
    if (referral) return { type: REFERRAL.type, subjectRef: referral.subject_ref };
    return this.adapterSent?.find(manager, messageId);
  }
}
