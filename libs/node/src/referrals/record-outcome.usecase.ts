import { randomUUID } from 'node:crypto';

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { REFERRAL_OUTCOME, ReferralOutcome, Topics } from '@app/contracts';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { AtRestSealer } from '../keys/at-rest-sealer.service';
import { NodeSender } from '../outgoing/node-sender.service';
import { RecordOutcomeDto } from './dto/record-outcome.dto';

interface ReceivedReferralRow {
  referral_id: string;
  message_id: string;
  subject_ref: string;
  outcome_message_id: string | null;
}

export interface RecordedOutcome {
  referralId: string;
  messageId: string;
  outcome: string;
  decidedAt: string;
}

/**
 * The MASH decides on a referral delivered to its mailbox: a signed `referral-outcome` goes to
 * the hub (which routes it to the original referrer, found from its own records), with the audit
 * event, in one transaction. Only a referral this mailbox received can be answered (404
 * otherwise, the same whether it does not exist or is another mailbox's), and only once (409).
 */
@Injectable()
export class RecordOutcomeUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly sealer: AtRestSealer,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(
    mailboxId: string,
    referralId: string,
    dto: RecordOutcomeDto,
    by: string,
  ): Promise<RecordedOutcome> {
    const current = await this.find(this.dataSource.manager, mailboxId, referralId);
    if (current.outcome_message_id) throw new ConflictException('an outcome was already sent');
    const decidedAt = this.clock.now();
    const messageId = randomUUID();
    const sealed = await this.sender.seal<ReferralOutcome>({
      definition: REFERRAL_OUTCOME,
      jti: messageId,
      subjectRef: current.subject_ref,
      body: {
        referralId,
        outcome: dto.outcome,
        nextSteps: dto.nextSteps,
        decidedAt: decidedAt.toISOString(),
      },
    });
    // Kept so the MASH can read back what it sent; free text about the child, sealed at rest.
    const nextSteps = await this.sealer.seal(dto.nextSteps);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, mailboxId, referralId, true);
      if (row.outcome_message_id) throw new ConflictException('an outcome was already sent');
      await manager.query(
        `UPDATE received_referral SET outcome_message_id = $3, outcome = $4, outcome_sent_at = $5,
           outcome_by = $6, outcome_next_steps = $7 WHERE mailbox_id = $1 AND referral_id = $2`,
        [mailboxId, referralId, messageId, dto.outcome, decidedAt, by, nextSteps],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'referral-outcome',
          actor: this.identity.nodeId,
          messageId,
          correlationId: row.message_id,
          subjectRef: row.subject_ref,
          messageType: REFERRAL_OUTCOME.type,
          senderNode: this.identity.nodeId,
          recipientMailbox: mailboxId,
          detail: `outcome ${dto.outcome}`,
        },
      ]);
    });
    this.outbox.wake();
    return { referralId, messageId, outcome: dto.outcome, decidedAt: decidedAt.toISOString() };
  }

  private async find(
    manager: EntityManager,
    mailboxId: string,
    referralId: string,
    lock = false,
  ): Promise<ReceivedReferralRow> {
    const [row] = (await manager.query(
      `SELECT referral_id, message_id, subject_ref, outcome_message_id FROM received_referral
        WHERE mailbox_id = $1 AND referral_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [mailboxId, referralId],
    )) as ReceivedReferralRow[];
    if (!row) throw new NotFoundException('no such referral in this mailbox');
    return row;
  }
}
