import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, EntityManager } from 'typeorm';

import { MaracAudit, MaracAuditFacts } from '../audit/marac-audit';
import { Clock } from '../clock/clock';
import { MaracEnv } from '../config/marac.env';
import { MARAC_OUTBOUND, MaracOutbound } from '../outbound/marac-outbound';
import { describeError } from '@app/messaging';

const JOB = 'marac-deadlines';
const BATCH = 100;

interface Overdue {
  id: string;
  case_id: string;
  agency_id: string;
  mailbox_id: string;
  escalation_mailbox_id: string;
  due_at: Date;
  victim_ref: string;
}

export interface EscalationRun {
  requests: number;
  actions: number;
}

/**
 * Escalates overdue research requests and actions to the owning agency's escalation mailbox,
 * exactly once: due rows are claimed with FOR UPDATE SKIP LOCKED (so any number of instances
 * share the work), the escalation is sealed to the hub through the node's outbox and the row's
 * escalation_state set in the same transaction; a unique index on the escalation's correlation
 * id is the backstop. A request or action the exchange refused to deliver (rejected, sharing
 * refused) is not escalated: the agency was never asked; the pack shows it as not delivered.
 * Deadlines live in PostgreSQL, so a restart loses none.
 */
@Injectable()
export class DeadlineEscalationJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadlineEscalationJob.name);
  private running: Promise<EscalationRun> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly env: MaracEnv,
    private readonly scheduler: SchedulerRegistry,
    @Inject(MARAC_OUTBOUND) private readonly outbound: MaracOutbound,
    private readonly audit: MaracAudit,
  ) {}

  onApplicationBootstrap(): void {
    // Registered at run time: the interval is configuration, which a decorator cannot read.
    const timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.logger.error(`deadline scan failed: ${describeError(error)}`),
      );
    }, this.env.MARAC_DEADLINE_SCAN_SECONDS * 1_000);
    timer.unref();
    this.scheduler.addInterval(JOB, timer);
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  /** One scan; concurrent calls in one process share the scan in flight. */
  tick(): Promise<EscalationRun> {
    if (!this.db.isInitialized) return Promise.resolve({ requests: 0, actions: 0 });
    this.running ??= this.scan().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async scan(): Promise<EscalationRun> {
    const run: EscalationRun = { requests: 0, actions: 0 };
    for (;;) {
      const requests = await this.escalateBatch('information-request');
      const actions = await this.escalateBatch('action');
      run.requests += requests;
      run.actions += actions;
      if (requests < BATCH && actions < BATCH) break;
    }
    if (run.requests || run.actions) {
      this.logger.log(`escalated ${run.requests} request(s) and ${run.actions} action(s)`);
    }
    return run;
  }

  private async escalateBatch(about: 'information-request' | 'action'): Promise<number> {
    const now = this.clock.now();
    const audit: MaracAuditFacts[] = [];
    await this.outbound.prepare();
    const count = await this.db.transaction(async (tx) => {
      const due = await this.claim(tx, about, now);
      for (const row of due) {
        const messageId = await this.outbound.sendEscalation(
          tx,
          { agencyId: row.agency_id, mailboxId: row.escalation_mailbox_id },
          {
            caseId: row.case_id,
            about,
            overdueId: row.id,
            overdueAgencyId: row.agency_id,
            overdueMailboxId: row.mailbox_id,
            dueAt: row.due_at.toISOString(),
            escalatedAt: now.toISOString(),
          },
        );
        await tx.query(
          `UPDATE ${about === 'action' ? 'marac_action' : 'information_request'}
              SET escalation_state = 'escalated', escalated_at = $2 WHERE id = $1`,
          [row.id, now],
        );
        audit.push({
          action: 'escalated',
          messageType: about === 'action' ? 'marac-action' : 'marac-information-request',
          messageId,
          correlationId: row.id,
          subjectRef: row.victim_ref,
          recipientAgency: row.agency_id,
          recipientMailbox: row.escalation_mailbox_id,
          deadline: row.due_at.toISOString(),
          detail: `overdue ${about}; sent through the hub`,
        });
      }
      await this.audit.record(tx, audit);
      return due.length;
    });
    this.audit.wake();
    return count;
  }

  private claim(tx: EntityManager, about: 'information-request' | 'action', now: Date) {
    const sql =
      about === 'action'
        ? `SELECT a.id, a.case_id, a.owner_agency_id AS agency_id, a.owner_mailbox_id AS mailbox_id,
                  a.escalation_mailbox_id, a.due_at, c.victim_ref
             FROM marac_action a JOIN marac_case c ON c.id = a.case_id
            WHERE a.state <> 'completed' AND a.escalation_state = 'none' AND a.due_at < $1
              AND NOT EXISTS (SELECT 1 FROM outgoing_message o
                               WHERE o.id = a.outgoing_message_id AND o.refused_at IS NOT NULL)
            ORDER BY a.due_at LIMIT ${BATCH}
            FOR UPDATE OF a SKIP LOCKED`
        : `SELECT r.id, r.case_id, r.agency_id, r.mailbox_id, r.escalation_mailbox_id, r.due_at,
                  c.victim_ref
             FROM information_request r JOIN marac_case c ON c.id = r.case_id
            WHERE r.state = 'awaiting' AND r.escalation_state = 'none' AND r.due_at < $1
              AND NOT EXISTS (SELECT 1 FROM outgoing_message o
                               WHERE o.id = r.outgoing_message_id AND o.refused_at IS NOT NULL)
            ORDER BY r.due_at LIMIT ${BATCH}
            FOR UPDATE OF r SKIP LOCKED`;
    return tx.query(sql, [now]) as Promise<Overdue[]>;
  }
}
