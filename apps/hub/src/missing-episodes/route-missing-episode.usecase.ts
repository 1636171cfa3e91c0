import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MISSING_EPISODE,
  MISSING_EPISODE_VIEW,
  MISSING_RISK_TO_POLICY_RISK,
  MissingEpisode,
  RETURN_HOME_INTERVIEW_DEADLINE,
  RETURN_HOME_INTERVIEW_DUE_HOURS,
} from '@app/contracts';
import { nextSchoolDayStart } from '@app/calendar';
import { OutboxWriter } from '@app/messaging';
import { Clock } from '@app/platform';
import { MailboxEntity, RegistryService } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';

import { HubEnv } from '../config/hub.env';
import { calendarOf } from '../domestic-abuse/route-domestic-abuse-notification.usecase';
import { HubSender } from '../exchange/hub-sender.service';
import { RefusalService } from '../exchange/refusal.service';
import { HUB_NODE_ID } from '../keys/hub-keys.service';
import { SharingStatement } from '../policy/sharing-request';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { ChildRecipients } from '../routing/child-recipients.service';
import { RouteOutcome, RecipientPlan } from '../routing/route-plan';
import { SubmissionRouter } from '../routing/submission-router.service';
import { unknownRecipientNotices } from '../routing/unknown-recipient-notices';
import { missingEpisodeView } from './missing-episode-view';
import { updateReturning } from '@app/persistence';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';

interface EpisodeRow {
  reporter_node: string;
  report_count: number;
  rhi_delivery_id: string | null;
}

/**
 * One report of a missing episode. The episode id belongs to the node that first reported it
 * (another node's report under it is refused EPISODE_CONFLICT). The report goes, under the sharing
 * policy per recipient, to the area's MASH (not when social care reports: the MASH is its own),
 * the child's school by URN (the local authority's education mailbox for a child educated at
 * home) and health (health visiting under five, school nursing from five: ChildRecipients);
 * each delivery is a new signed view numbered in the episode, with an acknowledgement deadline
 * at the next school day's start, and it supersedes the open acknowledgement deadlines of the
 * episode's earlier deliveries to the same mailbox. The MASH's delivery of the first report that
 * says found carries the return home interview deadline, found + 72 hours. A recipient the
 * registry lacks is answered with a signed rejection naming it; the others are still delivered.
 */
@Injectable()
@RoutesSubmission(MISSING_EPISODE)
export class RouteMissingEpisodeUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly sender: HubSender,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
    private readonly childRecipients: ChildRecipients,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly env: HubEnv,
  ) {}

  async execute(submission: VerifiedSubmission<MissingEpisode>): Promise<void> {
    const { claims, body: report } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string, recipient?: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason, recipient));

    const [episode] = (await this.dataSource.query(
      'SELECT reporter_node, report_count, rhi_delivery_id FROM missing_episode WHERE episode_id = $1',
      [report.episodeId],
    )) as EpisodeRow[];
    if (episode && episode.reporter_node !== claims.iss) {
      return refuse(
        ExchangeErrorCode.EPISODE_CONFLICT,
        "this episode id is another node's episode",
      );
    }
    const reporterMailbox = await this.registry.findMailbox(report.reporterMailboxId);
    if (reporterMailbox?.nodeId !== claims.iss) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        'reporterMailboxId is not a mailbox of the sending node',
      );
    }

    // Social care's own report does not go to its own MASH.
    const { found: recipients, missing } = await this.childRecipients.find(
      report.child,
      new Date(report.startedAt),
      claims.iss,
    );
    const found = recipients.map((recipient) => recipient.mailbox);
    if (found.length === 0) {
      return refuse(
        ExchangeErrorCode.RECIPIENT_UNKNOWN,
        `the area has none of this episode's recipients: ${missing.map((m) => m.recipient).join(', ')}`,
      );
    }
    const reportNumber = (episode?.report_count ?? 0) + 1;
    const now = this.clock.now();
    const acknowledgeBy = nextSchoolDayStart(now, calendarOf(this.env));
    const mash = found.find((mailbox) => mailbox.kind === 'mash');
    const interviewDue =
      report.status === 'found' && report.foundAt && !episode?.rhi_delivery_id
        ? new Date(Date.parse(report.foundAt) + RETURN_HOME_INTERVIEW_DUE_HOURS * 3_600_000)
        : undefined;
    const statement: SharingStatement = {
      consent: report.consent,
      lawfulBasis: report.lawfulBasis,
      ...(report.safeguardingJustification
        ? { safeguardingJustification: report.safeguardingJustification }
        : {}),
      familyInformed: report.familyInformed,
      riskLevel: MISSING_RISK_TO_POLICY_RISK[report.riskGrading],
    };
    const rejections = await unknownRecipientNotices(this.sender, submission, missing);
    const plans: RecipientPlan[] = found.map((mailbox) => ({
      mailbox,
      // Every report is its own delivery: the episode and the report's message id.
      dedupeKey: `missing-episode:${report.episodeId}:${claims.jti}`,
      view: (fields) => ({
        definition: MISSING_EPISODE_VIEW,
        body: missingEpisodeView(report, fields, {
          recipientMailboxId: mailbox.id,
          acknowledgeBy,
          reportNumber,
        }),
      }),
      deadlines: [
        { kind: 'acknowledgement', dueAt: acknowledgeBy },
        ...(mailbox === mash && interviewDue
          ? [{ kind: RETURN_HOME_INTERVIEW_DEADLINE, dueAt: interviewDue }]
          : []),
      ],
    }));

    await this.router.route({
      submission,
      statement,
      detail: `missing episode report ${reportNumber}; ${report.status}; risk ${report.riskGrading} (policy ${statement.riskLevel})`,
      // An escalation of any of these deliveries (an unacknowledged report, an overdue return
      // home interview) is filed in the reporter's mailbox as well as reaching its node.
      senderMailboxId: reporterMailbox.id,
      recipients: plans,
      alsoWrite: async (manager, outcome) => {
        const mashShare = mash && outcome.delivered.find((share) => share.mailbox === mash);
        await this.recordEpisode(manager, submission, reportNumber, {
          mash: mashShare ? mash : undefined,
          interview:
            mashShare && interviewDue
              ? { deliveryId: mashShare.deliveryId, dueAt: interviewDue }
              : undefined,
        });
        await this.recordDeliveries(manager, submission, reportNumber, outcome, now);
        await this.outbox.add(manager, rejections.records);
        await this.outbox.audit(manager, rejections.audits);
      },
    });
  }

  /**
   * The episode's row: created by its first report (the reporter owns the id from then on),
   * updated by each later one. The guard on the owner and on the previous report's number makes
   * a concurrent report of the same episode roll back and be retried rather than miscount.
   */
  private async recordEpisode(
    manager: EntityManager,
    submission: VerifiedSubmission<MissingEpisode>,
    reportNumber: number,
    routed: {
      mash: MailboxEntity | undefined;
      interview: { deliveryId: string; dueAt: Date } | undefined;
    },
  ): Promise<void> {
    const { claims, body: report } = submission.verified;
    const written: unknown[] = await manager.query(
      `INSERT INTO missing_episode (episode_id, reporter_node, reporter_mailbox, subject_ref,
         report_count, status, found_at, consent_position, lawful_basis, safeguarding_justification,
         risk_grading, risk_level, family_informed, mash_node, mash_mailbox, rhi_delivery_id,
         rhi_due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (episode_id) DO UPDATE SET reporter_mailbox = EXCLUDED.reporter_mailbox,
         report_count = EXCLUDED.report_count, status = EXCLUDED.status,
         found_at = COALESCE(EXCLUDED.found_at, missing_episode.found_at),
         consent_position = EXCLUDED.consent_position, lawful_basis = EXCLUDED.lawful_basis,
         safeguarding_justification = EXCLUDED.safeguarding_justification,
         risk_grading = EXCLUDED.risk_grading, risk_level = EXCLUDED.risk_level,
         family_informed = EXCLUDED.family_informed,
         mash_node = COALESCE(EXCLUDED.mash_node, missing_episode.mash_node),
         mash_mailbox = COALESCE(EXCLUDED.mash_mailbox, missing_episode.mash_mailbox),
         rhi_delivery_id = COALESCE(missing_episode.rhi_delivery_id, EXCLUDED.rhi_delivery_id),
         rhi_due_at = COALESCE(missing_episode.rhi_due_at, EXCLUDED.rhi_due_at),
         updated_at = now()
       WHERE missing_episode.reporter_node = EXCLUDED.reporter_node
         AND missing_episode.report_count = EXCLUDED.report_count - 1
       RETURNING episode_id`,
      [
        report.episodeId,
        claims.iss,
        report.reporterMailboxId,
        claims.sub,
        reportNumber,
        report.status,
        report.foundAt ? new Date(report.foundAt) : null,
        report.consent.position,
        report.lawfulBasis,
        report.safeguardingJustification ?? null,
        report.riskGrading,
        MISSING_RISK_TO_POLICY_RISK[report.riskGrading],
        report.familyInformed,
        routed.mash?.nodeId ?? null,
        routed.mash?.id ?? null,
        routed.interview?.deliveryId ?? null,
        routed.interview?.dueAt ?? null,
      ],
    );
    if (written.length === 0) {
      throw new Error('the episode changed since this report was read; retrying it');
    }
  }

  /**
   * Which delivery carried this report to which mailbox, and the earlier reports' open
   * acknowledgement deadlines in those mailboxes superseded: the mailbox shows one item, the
   * latest, and only its acknowledgement is due.
   */
  private async recordDeliveries(
    manager: EntityManager,
    submission: VerifiedSubmission<MissingEpisode>,
    reportNumber: number,
    outcome: RouteOutcome,
    now: Date,
  ): Promise<void> {
    const { claims } = submission.verified;
    const { episodeId } = submission.verified.body;
    for (const share of outcome.delivered) {
      await manager.query(
        `INSERT INTO missing_episode_delivery (delivery_id, episode_id, mailbox_id, report_number)
         VALUES ($1, $2, $3, $4)`,
        [share.deliveryId, episodeId, share.mailbox.id, reportNumber],
      );
    }
    if (outcome.delivered.length === 0) return;
    const superseded = await updateReturning<{
      delivery_id: string;
      mailbox_id: string;
      due_at: Date;
    }>(
      manager,
      `UPDATE deadline d SET state = 'superseded', closed_at = $4
         FROM missing_episode_delivery m
        WHERE m.delivery_id = d.delivery_id AND m.episode_id = $1 AND m.mailbox_id = ANY($2)
          AND m.report_number < $3 AND d.kind = 'acknowledgement' AND d.state = 'open'
        RETURNING d.delivery_id, d.mailbox_id, d.due_at`,
      [episodeId, outcome.delivered.map((share) => share.mailbox.id), reportNumber, now],
    );
    await this.outbox.audit(
      manager,
      superseded.map((row) => ({
        action: 'superseded' as const,
        actor: HUB_NODE_ID,
        messageId: row.delivery_id,
        correlationId: claims.jti,
        subjectRef: claims.sub,
        messageType: MISSING_EPISODE_VIEW.type,
        senderNode: claims.iss,
        recipientMailbox: row.mailbox_id,
        deadline: new Date(row.due_at).toISOString(),
        detail: `acknowledgement deadline superseded by report ${reportNumber}`,
      })),
    );
  }
}
