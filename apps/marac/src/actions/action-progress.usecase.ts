import { randomUUID } from 'node:crypto';

import { Injectable, OnModuleInit } from '@nestjs/common';
import { MaracActionUpdateView } from '@app/contracts';
import { AtRestSealer } from '@app/node';
import { EntityManager } from 'typeorm';

import { MaracAudit } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracError, MaracErrorCode } from '../errors/marac.error';
import { updateReturning } from '@app/persistence';

interface OwnedAction {
  id: string;
  case_id: string;
  owner_agency_id: string;
  owner_mailbox_id: string;
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
 * The owning mailbox acknowledges an action or reports progress on it, delivered through the
 * hub; runs in the inbox's transaction. The hub takes an update only from the node and mailbox
 * the action went to and names the agency from its registry; this checks the owner again, and
 * a completed action takes no more updates.
 */
@Injectable()
export class ActionProgressUseCase implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly audit: MaracAudit,
    private readonly sealer: AtRestSealer,
  ) {}

  onModuleInit(): void {
    this.sealer.register({ table: 'action_update', key: 'id', column: 'note' });
  }

  applyIn(
    tx: EntityManager,
    update: MaracActionUpdateView,
    messageId: string,
  ): Promise<ActionState> {
    return update.status === 'acknowledged'
      ? this.acknowledge(tx, update, messageId)
      : this.progress(tx, update, messageId);
  }

  private async acknowledge(
    tx: EntityManager,
    update: MaracActionUpdateView,
    messageId: string,
  ): Promise<ActionState> {
    const action = await this.ownedAction(tx, update);
    const rows = await updateReturning<{ state: string; acknowledged_at: Date }>(
      tx,
      `UPDATE marac_action
          SET state = CASE WHEN state = 'open' THEN 'acknowledged' ELSE state END,
              acknowledged_at = COALESCE(acknowledged_at, $2)
        WHERE id = $1
        RETURNING state, acknowledged_at`,
      [action.id, this.clock.now()],
    );
    if (action.acknowledged_at === null) {
      await this.audit.record(tx, [
        {
          action: 'acknowledged',
          messageType: 'marac-action',
          messageId: action.outgoing_message_id,
          correlationId: action.case_id,
          subjectRef: action.victim_ref,
          senderAgency: update.agencyId,
          recipientMailbox: update.mailboxId,
          detail: `acknowledgement ${messageId}`,
        },
      ]);
    }
    return {
      actionId: action.id,
      state: rows[0].state,
      acknowledgedAt: rows[0].acknowledged_at.toISOString(),
    };
  }

  private async progress(
    tx: EntityManager,
    update: MaracActionUpdateView,
    messageId: string,
  ): Promise<ActionState> {
    const now = this.clock.now();
    const action = await this.ownedAction(tx, update);
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
      // The agency's note on the action: sealed at rest (AtRestSealer).
      [
        randomUUID(),
        action.id,
        update.agencyId,
        update.status,
        await this.sealer.seal(update.note ?? ''),
        now,
      ],
    );
    // An update is also an acknowledgement: the owner has seen the action.
    const rows = await updateReturning<{ state: string; acknowledged_at: Date }>(
      tx,
      `UPDATE marac_action SET state = $2, acknowledged_at = COALESCE(acknowledged_at, $3)
        WHERE id = $1 RETURNING state, acknowledged_at`,
      [action.id, update.status, now],
    );
    await this.audit.record(tx, [
      {
        action: 'marac-response',
        messageType: 'marac-action-update',
        messageId,
        correlationId: action.outgoing_message_id,
        subjectRef: action.victim_ref,
        senderAgency: update.agencyId,
        recipientMailbox: update.mailboxId,
        detail: `status ${update.status}`,
      },
    ]);
    return {
      actionId: action.id,
      state: rows[0].state,
      acknowledgedAt: rows[0].acknowledged_at.toISOString(),
    };
  }

  private async ownedAction(
    tx: EntityManager,
    update: MaracActionUpdateView,
  ): Promise<OwnedAction> {
    const rows = (await tx.query(
      `SELECT a.id, a.case_id, a.owner_agency_id, a.owner_mailbox_id, a.state, a.acknowledged_at,
              a.outgoing_message_id, c.victim_ref
         FROM marac_action a JOIN marac_case c ON c.id = a.case_id
        WHERE a.id = $1 AND a.case_id = $2 FOR UPDATE OF a`,
      [update.actionId, update.caseId],
    )) as OwnedAction[];
    if (rows.length === 0) {
      throw new MaracError(MaracErrorCode.ACTION_NOT_FOUND, 'actionId', 'no such action');
    }
    if (
      rows[0].owner_agency_id !== update.agencyId ||
      rows[0].owner_mailbox_id !== update.mailboxId
    ) {
      throw new MaracError(
        MaracErrorCode.NOT_ACTION_OWNER,
        'agencyId',
        'only the owning agency may acknowledge or update this action',
      );
    }
    return rows[0];
  }
}
