import { randomUUID } from 'node:crypto';

import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { RETURN_HOME_INTERVIEW_OUTCOME, ReturnHomeInterviewOutcome, Topics } from '@app/contracts';
import { payloadDigest } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { Clock, Principal } from '@app/platform';
import { DataSource, EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeSender } from '../outgoing/node-sender.service';
import { assertValidBody } from '../validation/assert-valid-body';
import { RecordReturnHomeInterviewDto } from './dto/record-return-home-interview.dto';

interface ReceivedRow {
  mailbox_id: string;
  message_id: string;
  subject_ref: string;
  status: string | null;
  rhi_message_id: string | null;
}

export interface RecordedReturnHomeInterview {
  episodeId: string;
  messageId: string;
  outcome: string;
  recordedAt: string;
}

/**
 * Social care records the outcome of the return home interview for an episode one of its
 * mailboxes (the MASH) received: a signed `return-home-interview-outcome` to the hub (which routes
 * it to the reporter and closes the 72-hour deadline), with the audit event, in one transaction.
 * The node's agency system may record it; a mailbox user only for an episode their mailbox
 * received. 404 otherwise (the same whether the episode does not exist or is another mailbox's),
 * 409 before the child is reported found or for a second outcome.
 */
@Injectable()
export class RecordReturnHomeInterviewUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: NodeSender,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
  ) {}

  async execute(
    episodeId: string,
    dto: RecordReturnHomeInterviewDto,
    principal: Principal,
  ): Promise<RecordedReturnHomeInterview> {
    const mailboxes = principal.roles.includes('agency-system') ? null : principal.mailboxes;
    const current = await this.find(this.dataSource.manager, episodeId, mailboxes);
    assertAnswerable(current);
    const recordedAt = this.clock.now();
    const body: ReturnHomeInterviewOutcome = {
      ...JSON.parse(JSON.stringify(dto)),
      episodeId,
      recordedAt: recordedAt.toISOString(),
    };
    await assertValidBody(ReturnHomeInterviewOutcome, body);
    const messageId = randomUUID();
    const sealed = await this.sender.seal<ReturnHomeInterviewOutcome>({
      definition: RETURN_HOME_INTERVIEW_OUTCOME,
      jti: messageId,
      subjectRef: current.subject_ref,
      body,
    });
    await this.dataSource.transaction(async (manager) => {
      const row = await this.find(manager, episodeId, [current.mailbox_id], true);
      assertAnswerable(row);
      await manager.query(
        `UPDATE received_missing_episode SET rhi_message_id = $3, rhi_outcome = $4,
           rhi_sent_at = $5, rhi_by = $6 WHERE mailbox_id = $1 AND episode_id = $2`,
        [row.mailbox_id, episodeId, messageId, dto.outcome, recordedAt, principal.subject],
      );
      await this.sender.enqueue(manager, Topics.submissions, sealed);
      await this.outbox.audit(manager, [
        {
          action: 'return-home-interview',
          actor: this.identity.nodeId,
          messageId,
          correlationId: row.message_id,
          subjectRef: row.subject_ref,
          messageType: RETURN_HOME_INTERVIEW_OUTCOME.type,
          senderNode: this.identity.nodeId,
          recipientMailbox: row.mailbox_id,
          payloadDigest: payloadDigest(sealed.jws),
          detail: `outcome ${dto.outcome}; conducted by ${dto.conductedBy.by}`,
        },
      ]);
    });
    this.outbox.wake();
    return { episodeId, messageId, outcome: dto.outcome, recordedAt: recordedAt.toISOString() };
  }

  /** The episode as one of the given mailboxes (any, for null) received it; latest report first. */
  private async find(
    manager: EntityManager,
    episodeId: string,
    mailboxes: string[] | null,
    lock = false,
  ): Promise<ReceivedRow> {
    const [row] = (await manager.query(
      `SELECT mailbox_id, message_id, subject_ref, status, rhi_message_id
         FROM received_missing_episode
        WHERE episode_id = $1 AND ($2::text[] IS NULL OR mailbox_id = ANY($2::text[]))
        ORDER BY COALESCE(status = 'found', false) DESC, report_number DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
      [episodeId, mailboxes],
    )) as ReceivedRow[];
    if (!row) throw new NotFoundException('no such missing episode received here');
    return row;
  }
}

function assertAnswerable(row: ReceivedRow): void {
  if (row.rhi_message_id) {
    throw new ConflictException('a return home interview outcome was already sent');
  }
  if (row.status !== 'found') {
    throw new ConflictException('the child has not been reported found');
  }
}
