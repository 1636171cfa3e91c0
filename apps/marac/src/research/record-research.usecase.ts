import { randomUUID } from 'node:crypto';

import { Injectable, OnModuleInit } from '@nestjs/common';
import { MaracInformationResponseView } from '@app/contracts';
import { AtRestSealer } from '@app/node';
import { EntityManager } from 'typeorm';

import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';

export interface ResearchRecorded {
  responseId: string;
  requestId: string;
  receivedAt: string;
  late: boolean;
}

/**
 * Records one member agency's research, delivered through the hub, against the request its
 * mailbox received for the case; runs in the inbox's transaction. The hub takes an answer only
 * from the node and mailbox the request went to, and names the agency from its registry; this
 * checks again against the case, so an agency or mailbox the case never asked is refused here
 * too, and a second answer is refused. The answers (facts and opinions about the victim, the
 * perpetrator and the children) are stored sealed to the MARAC node's key (AtRestSealer).
 */
@Injectable()
export class RecordResearchUseCase implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly audit: MaracAudit,
    private readonly sealer: AtRestSealer,
  ) {}

  onModuleInit(): void {
    // Answers stored before they were sealed are sealed at start-up.
    this.sealer.register({ table: 'research_response', key: 'id', column: 'form' });
  }

  async recordIn(
    tx: EntityManager,
    response: MaracInformationResponseView,
    messageId: string,
  ): Promise<ResearchRecorded> {
    const now = this.clock.now();
    const cases = (await tx.query('SELECT victim_ref FROM marac_case WHERE id = $1', [
      response.caseId,
    ])) as { victim_ref: string }[];
    if (cases.length === 0) {
      throw new MaracError(MaracErrorCode.CASE_NOT_FOUND, 'caseId', 'no such case');
    }
    const requests = (await tx.query(
      `SELECT id, agency_id, mailbox_id, state, due_at, outgoing_message_id FROM information_request
        WHERE id = $1 AND case_id = $2 FOR UPDATE`,
      [response.requestId, response.caseId],
    )) as {
      id: string;
      agency_id: string;
      mailbox_id: string;
      state: string;
      due_at: Date;
      outgoing_message_id: string;
    }[];
    const request = requests[0];
    if (
      !request ||
      request.agency_id !== response.respondingAgencyId ||
      request.mailbox_id !== response.respondingMailboxId
    ) {
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
    // Fact and opinion stay apart as the form keeps them; the pack prints them apart.
    const form = {
      victimInvolvement: response.victimInvolvement,
      perpetratorInvolvement: response.perpetratorInvolvement,
      childrenInvolvement: response.childrenInvolvement ?? [],
      knownRisks: response.knownRisks,
      currentActions: response.currentActions,
      contact: response.contact,
    };
    await tx.query(
      `INSERT INTO research_response
         (id, request_id, case_id, agency_id, mailbox_id, received_at, late, form, message_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [
        responseId,
        request.id,
        response.caseId,
        response.respondingAgencyId,
        response.respondingMailboxId,
        now,
        late,
        await this.sealer.seal(JSON.stringify(form)),
        // The delivery that carried it: its inbox copy is purged with it (libs/retention).
        messageId,
      ],
    );
    await tx.query(`UPDATE information_request SET state = 'answered' WHERE id = $1`, [request.id]);
    await this.audit.record(tx, [
      {
        action: 'marac-response',
        messageType: 'marac-research-response',
        messageId,
        correlationId: request.outgoing_message_id,
        subjectRef: cases[0].victim_ref,
        senderAgency: response.respondingAgencyId,
        recipientMailbox: response.respondingMailboxId,
        deadline: request.due_at.toISOString(),
        detail: late ? 'late' : 'on time',
      },
    ]);
    return { responseId, requestId: request.id, receivedAt: now.toISOString(), late };
  }
}
