import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { ResearchResponseDto } from './research-response.dto';

export interface ResearchRecorded {
  responseId: string;
  requestId: string;
  receivedAt: string;
  late: boolean;
}

/**
 * Records one member agency's research against the request its mailbox received for the case.
 * An agency or mailbox the case never asked is refused: MARAC research comes only from members.
 */
@Injectable()
export class RecordResearchUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: MaracAudit,
  ) {}

  async execute(caseId: string, response: ResearchResponseDto): Promise<ResearchRecorded> {
    const now = this.clock.now();
    const recorded = await this.db.transaction(async (tx) => {
      const cases = (await tx.query('SELECT victim_ref FROM marac_case WHERE id = $1', [
        caseId,
      ])) as { victim_ref: string }[];
      if (cases.length === 0) {
        throw new MaracError(MaracErrorCode.CASE_NOT_FOUND, 'caseId', 'no such case');
      }
      const requests = (await tx.query(
        `SELECT id, agency_id, state, due_at, outgoing_message_id FROM information_request
          WHERE case_id = $1 AND mailbox_id = $2 FOR UPDATE`,
        [caseId, response.respondingMailboxId],
      )) as {
        id: string;
        agency_id: string;
        state: string;
        due_at: Date;
        outgoing_message_id: string;
      }[];
      const request = requests[0];
      if (!request || request.agency_id !== response.respondingAgencyId) {
        throw new MaracError(
          MaracErrorCode.NOT_A_CASE_MEMBER,
          'respondingMailboxId',
          "this agency's mailbox was not asked for research on this case",
        );
      }
      if (request.state === 'answered') {
        throw new MaracError(
          MaracErrorCode.ALREADY_ANSWERED,
          'respondingMailboxId',
          'this request has already been answered',
        );
      }
      const late = now > request.due_at;
      const responseId = randomUUID();
      const { respondingAgencyId, respondingMailboxId, ...form } = response;
      await tx.query(
        `INSERT INTO research_response (id, request_id, case_id, agency_id, mailbox_id, received_at, late, form)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [
          responseId,
          request.id,
          caseId,
          respondingAgencyId,
          respondingMailboxId,
          now,
          late,
          JSON.stringify(form),
        ],
      );
      await tx.query(`UPDATE information_request SET state = 'answered' WHERE id = $1`, [
        request.id,
      ]);
      await this.audit.record(tx, [
        {
          action: 'marac-response',
          messageType: 'marac-research-response',
          correlationId: request.outgoing_message_id,
          subjectRef: cases[0].victim_ref,
          senderAgency: response.respondingAgencyId,
          deadline: request.due_at.toISOString(),
          detail: late ? 'late' : 'on time',
        },
      ]);
      return { responseId, requestId: request.id, receivedAt: now.toISOString(), late };
    });
    this.audit.wake();
    return recorded;
  }
}
