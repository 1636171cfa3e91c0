import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { AcknowledgeActionDto, ActionUpdateDto } from './actions.dto';

interface OwnedAction {
  id: string;
  case_id: string;
  owner_agency_id: string;
  state: string;
  acknowledged_at: Date | null;
  outgoing_message_id: string;
  victim_ref: string;
}

export interface ActionState {
  actionId: string;
  state: string;
  acknowledgedAt: string | null;
}

/**
 * The owning agency acknowledges an action and reports progress on it. Every query is scoped by
 * the owner: another agency learns only that it may not touch the action.
 */
@Injectable()
export class ActionProgressUseCase {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly audit: MaracAudit,
  ) {}

  async acknowledge(actionId: string, input: AcknowledgeActionDto): Promise<ActionState> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const action = await this.ownedAction(tx, actionId, input.agencyId);
      // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affected].
      const [rows] = (await tx.query(
        `UPDATE marac_action
            SET state = CASE WHEN state = 'open' THEN 'acknowledged' ELSE state END,
                acknowledged_at = COALESCE(acknowledged_at, $2)
          WHERE id = $1
          RETURNING state, acknowledged_at`,
        [actionId, now],
      )) as [{ state: string; acknowledged_at: Date }[], number];
      if (action.acknowledged_at === null) {
        await this.audit.record(tx, [
          {
            action: 'acknowledged',
            messageType: 'marac-action',
            messageId: action.outgoing_message_id,
            correlationId: action.case_id,
            subjectRef: action.victim_ref,
            senderAgency: input.agencyId,
          },
        ]);
      }
      return { action, row: rows[0] };
    });
    this.audit.wake();
    return {
      actionId,
      state: result.row.state,
      acknowledgedAt: result.row.acknowledged_at.toISOString(),
    };
  }

  async update(actionId: string, input: ActionUpdateDto): Promise<ActionState> {
    const now = this.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const action = await this.ownedAction(tx, actionId, input.agencyId);
      if (action.state === 'completed') {
        throw new MaracError(
          MaracErrorCode.ACTION_CLOSED,
          'actionId',
          'the action is completed and takes no further updates',
        );
      }
      await tx.query(
        `INSERT INTO action_update (id, action_id, agency_id, status, note, recorded_at)
         VALUES ($1,$2,$3,$4,$5,$6)`,
        [randomUUID(), actionId, input.agencyId, input.status, input.note, now],
      );
      // An update is also an acknowledgement: the owner has seen the action.
      const [rows] = (await tx.query(
        `UPDATE marac_action SET state = $2, acknowledged_at = COALESCE(acknowledged_at, $3)
          WHERE id = $1 RETURNING state, acknowledged_at`,
        [actionId, input.status, now],
      )) as [{ state: string; acknowledged_at: Date }[], number];
      await this.audit.record(tx, [
        {
          action: 'marac-response',
          messageType: 'marac-action-update',
          correlationId: action.outgoing_message_id,
          subjectRef: action.victim_ref,
          senderAgency: input.agencyId,
          detail: `status ${input.status}`,
        },
      ]);
      return { action, row: rows[0] };
    });
    this.audit.wake();
    return {
      actionId,
      state: result.row.state,
      acknowledgedAt: result.row.acknowledged_at.toISOString(),
    };
  }

  private async ownedAction(
    tx: EntityManager,
    actionId: string,
    agencyId: string,
  ): Promise<OwnedAction> {
    const rows = (await tx.query(
      `SELECT a.id, a.case_id, a.owner_agency_id, a.state, a.acknowledged_at, a.outgoing_message_id,
              c.victim_ref
         FROM marac_action a JOIN marac_case c ON c.id = a.case_id
        WHERE a.id = $1 FOR UPDATE OF a`,
      [actionId],
    )) as OwnedAction[];
    if (rows.length === 0) {
      throw new MaracError(MaracErrorCode.ACTION_NOT_FOUND, 'actionId', 'no such action');
    }
    if (rows[0].owner_agency_id !== agencyId) {
      throw new MaracError(
        MaracErrorCode.NOT_ACTION_OWNER,
        'agencyId',
        'only the owning agency may acknowledge or update this action',
      );
    }
    return rows[0];
  }
}
