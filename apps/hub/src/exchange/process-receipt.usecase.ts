import { Injectable, Logger } from '@nestjs/common';
import {
  ExchangeError,
  ExchangeErrorCode,
  isExchangeError,
  RECEIPT,
  Receipt,
} from '@app/contracts';

import { OutboxWriter } from '@app/messaging';
import { DataSource } from 'typeorm';

import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { EnvelopeVerifierService } from '../verification/envelope-verifier.service';
import { HubSender } from './hub-sender.service';
import { EnvelopeIntake } from './envelope-intake.service';
import { IncomingRecord } from './incoming-record';
import { AlreadyProcessed, markProcessed, processedDigest } from './processed-messages';
import { RefusalService } from './refusal.service';

interface DeliveryRow {
  id: string;
  submission_id: string;
  sender_node: string;
  subject_ref: string;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
}

/**
 * A recipient node's signed receipt: verify it, check it is about a delivery the hub made to
 * that node and mailbox, record the status (an acknowledgement meets the deadline), and forward
 * a receipt countersigned by the hub to the original sender, naming the sender's message id.
 */
@Injectable()
export class ProcessReceiptUseCase {
  private readonly logger = new Logger(ProcessReceiptUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifier: EnvelopeVerifierService,
    private readonly intake: EnvelopeIntake,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A receipt whose handling failed for good: refused to its sender (EnvelopeIntake). */
  refuse(
    record: IncomingRecord,
    failure: { code: ExchangeErrorCode; reason: string },
  ): Promise<void> {
    return this.intake.refuseUnprocessable(record, [RECEIPT.type], 'receipts', failure);
  }

  async execute(record: IncomingRecord): Promise<void> {
    const accepted = await this.intake.accept<Receipt>(record, [RECEIPT.type], 'receipts');
    if (!accepted) return;
    const { verified, digest, claimed } = accepted;
    const { claims, body: receipt } = verified;
    if ((await processedDigest(this.dataSource.manager, claims.jti)) !== undefined) {
      this.logger.log(`duplicate of processed receipt ${claims.jti} ignored`);
      return;
    }
    try {
      await this.verifier.admit(verified);
    } catch (error) {
      if (!isExchangeError(error, ExchangeErrorCode.REPLAYED)) throw error;
    }

    // A node may only speak for deliveries the hub made to it and to that mailbox.
    const [delivery] = (await this.dataSource.query(
      `SELECT id, submission_id, sender_node, subject_ref, delivered_at, acknowledged_at FROM delivery
        WHERE id = $1 AND recipient_node = $2 AND mailbox_id = $3`,
      [receipt.messageId, claims.iss, receipt.mailboxId],
    )) as DeliveryRow[];
    if (!delivery) {
      return this.refusals.refuse(
        { ...record, ...claimed, sourceTopic: record.topic, signatureVerified: true },
        new ExchangeError(
          ExchangeErrorCode.UNKNOWN_MESSAGE,
          'the receipt names no delivery to this node and mailbox',
        ),
      );
    }
    const firstTime =
      receipt.status === 'delivered' ? !delivery.delivered_at : !delivery.acknowledged_at;
    const forward = firstTime
      ? await this.sender.sealFor<Receipt>(delivery.sender_node, {
          definition: RECEIPT,
          subjectRef: delivery.subject_ref,
          body: { ...receipt, messageId: delivery.submission_id },
        })
      : undefined;

    try {
      await this.dataSource.transaction(async (manager) => {
        if (!(await markProcessed(manager, claims.jti, claims.iss, digest, 'receipt'))) {
          throw new AlreadyProcessed();
        }
        if (!forward) return;
        if (receipt.status === 'delivered') {
          await manager.query(
            'UPDATE delivery SET delivered_at = $2 WHERE id = $1 AND delivered_at IS NULL',
            [delivery.id, new Date(receipt.at)],
          );
        } else {
          await manager.query(
            `UPDATE delivery SET acknowledged_at = $2, acknowledged_by = $3,
               delivered_at = COALESCE(delivered_at, $2) WHERE id = $1`,
            [delivery.id, new Date(receipt.at), receipt.by ?? null],
          );
          // Met, unless it was escalated already: a late acknowledgement does not undo that.
          await manager.query(
            `UPDATE deadline SET state = 'met', closed_at = $2 WHERE delivery_id = $1 AND kind = 'acknowledgement' AND state = 'open'`,
            [delivery.id, new Date(receipt.at)],
          );
        }
        await this.outbox.add(manager, [forward.record]);
        await this.outbox.audit(manager, [
          {
            action: receipt.status,
            actor: HUB_NODE_ID,
            messageId: delivery.id,
            correlationId: delivery.submission_id,
            subjectRef: delivery.subject_ref,
            messageType: RECEIPT.type,
            senderNode: claims.iss,
            recipientMailbox: receipt.mailboxId,
            payloadDigest: digest,
            detail: `receipt forwarded to ${delivery.sender_node}`,
          },
        ]);
      });
    } catch (error) {
      if (error instanceof AlreadyProcessed) return;
      throw error;
    }
    this.outbox.wake();
  }
}
