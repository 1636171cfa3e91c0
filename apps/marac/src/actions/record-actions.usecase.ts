import { randomUUID } from 'node:crypto';

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AtRestSealer } from '@app/node';
import { DataSource } from 'typeorm';

import { MaracAudit, MaracAuditFacts } from '../audit/marac-audit';
import { addDays, isCalendarDate, zonedDate, zonedInstant } from '../calendar/calendar-dates';
import { Clock } from '../clock/clock';
import { MaracEnv } from '../config/marac.env';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { MARAC_OUTBOUND, MaracOutbound } from '../outbound/marac-outbound';
import { RecordActionsDto } from './actions.dto';

export interface ActionRecorded {
  actionId: string;
  ownerAgencyId: string;
  ownerMailboxId: string;
  dueDate: string;
  dueAt: string;
}

/**
 * Records the meeting's actions. An owner must be a member of this case's MARAC (its mailbox was
 * asked for research), so an action, like every MARAC message, goes only to the case's members.
 */
@Injectable()
export class RecordActionsUseCase implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly env: MaracEnv,
    @Inject(MARAC_OUTBOUND) private readonly outbound: MaracOutbound,
    private readonly audit: MaracAudit,
    private readonly sealer: AtRestSealer,
  ) {}

  onModuleInit(): void {
    this.sealer.register({ table: 'marac_action', key: 'id', column: 'description' });
  }

  async execute(caseId: string, input: RecordActionsDto): Promise<ActionRecorded[]> {
    const now = this.clock.now();
    const today = zonedDate(now, this.env.MARAC_TIME_ZONE);
    const audit: MaracAuditFacts[] = [];
    input.actions.forEach((action, index) => {
      if (!isCalendarDate(action.dueDate) || action.dueDate < today) {
        throw new MaracError(
          MaracErrorCode.INVALID_REFERRAL,
          `actions.${index}.dueDate`,
          'must be a calendar date, today or later',
        );
      }
    });

    await this.outbound.prepare();
    const recorded = await this.db.transaction(async (tx) => {
      const cases = (await tx.query('SELECT victim_ref FROM marac_case WHERE id = $1', [
        caseId,
      ])) as { victim_ref: string }[];
      if (cases.length === 0) {
        throw new MaracError(MaracErrorCode.CASE_NOT_FOUND, 'caseId', 'no such case');
      }
      const victimRef = cases[0].victim_ref;
      const members = (await tx.query(
        `SELECT agency_id, mailbox_id, escalation_mailbox_id FROM information_request WHERE case_id = $1`,
        [caseId],
      )) as { agency_id: string; mailbox_id: string; escalation_mailbox_id: string }[];

      const result: ActionRecorded[] = [];
      for (const [index, action] of input.actions.entries()) {
        const candidates = members.filter(
          (member) =>
            member.agency_id === action.ownerAgencyId &&
            (!action.ownerMailboxId || member.mailbox_id === action.ownerMailboxId),
        );
        if (candidates.length === 0) {
          throw new MaracError(
            MaracErrorCode.NOT_A_CASE_MEMBER,
            `actions.${index}.${action.ownerMailboxId ? 'ownerMailboxId' : 'ownerAgencyId'}`,
            "is not a member of this case's MARAC",
          );
        }
        if (candidates.length > 1) {
          throw new MaracError(
            MaracErrorCode.INVALID_REFERRAL,
            `actions.${index}.ownerMailboxId`,
            'the agency has several mailboxes on this case: name the one that owns the action',
          );
        }
        const owner = candidates[0];
        const actionId = randomUUID();
        // Due by the end of the due date in the area's time zone.
        const dueAt = zonedInstant(addDays(action.dueDate, 1), '00:00', this.env.MARAC_TIME_ZONE);
        const messageId = await this.outbound.sendAction(
          tx,
          { agencyId: owner.agency_id, mailboxId: owner.mailbox_id },
          {
            caseId,
            actionId,
            victimRef,
            description: action.description,
            dueDate: action.dueDate,
            dueAt: dueAt.toISOString(),
          },
        );
        await tx.query(
          `INSERT INTO marac_action
             (id, case_id, owner_agency_id, owner_mailbox_id, escalation_mailbox_id, description,
              due_date, due_at, outgoing_message_id, created_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
          [
            actionId,
            caseId,
            owner.agency_id,
            owner.mailbox_id,
            owner.escalation_mailbox_id,
            // What the agency is asked to do for the victim: sealed at rest (AtRestSealer).
            await this.sealer.seal(action.description),
            action.dueDate,
            dueAt,
            messageId,
            now,
          ],
        );
        audit.push({
          action: 'submitted',
          messageType: 'marac-action',
          messageId,
          correlationId: caseId,
          subjectRef: victimRef,
          recipientAgency: owner.agency_id,
          recipientMailbox: owner.mailbox_id,
          deadline: dueAt.toISOString(),
          detail: 'sent through the hub',
        });
        result.push({
          actionId,
          ownerAgencyId: owner.agency_id,
          ownerMailboxId: owner.mailbox_id,
          dueDate: action.dueDate,
          dueAt: dueAt.toISOString(),
        });
      }
      await this.audit.record(tx, audit);
      return result;
    });
    this.audit.wake();
    return recorded;
  }
}
