import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  RETURN_HOME_INTERVIEW_DEADLINE,
  RETURN_HOME_INTERVIEW_OUTCOME,
  RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
  ReturnHomeInterviewOutcome,
  ReturnHomeInterviewOutcomeView,
} from '@app/contracts';
import { ConsentPosition, minimise, RiskLevel, SafeguardingJustification } from '@app/policy';
import { RegistryService } from '@app/registry';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { SharingStatement } from '../policy/sharing-request';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { SubmissionRouter } from '../routing/submission-router.service';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';

interface EpisodeRow {
  episode_id: string;
  reporter_mailbox: string;
  subject_ref: string;
  consent_position: ConsentPosition;
  safeguarding_justification: SafeguardingJustification | null;
  risk_level: RiskLevel;
  family_informed: boolean;
  mash_mailbox: string;
  rhi_delivery_id: string | null;
  rhi_outcome_message_id: string | null;
}

/**
 * Social care's outcome of a return home interview. The episode is looked up in the hub's own
 * records: only the node the hub delivered it to (the MASH's) may answer, once, and only after
 * the child was reported found to it (the interview's deadline exists). The outcome goes to the
 * reporter's mailbox the episode named — nothing in the outcome chooses the recipient — under the
 * sharing policy (return-home-interview-outcome-to-reporter), asked with the episode's consent,
 * justification and risk and with social care's own lawful basis. The interview deadline is met
 * in the routing transaction (unless it was escalated already: a late outcome does not undo that).
 */
@Injectable()
@RoutesSubmission(RETURN_HOME_INTERVIEW_OUTCOME)
export class RouteReturnHomeInterviewUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: RegistryService,
    private readonly refusals: RefusalService,
    private readonly router: SubmissionRouter,
  ) {}

  async execute(submission: VerifiedSubmission<ReturnHomeInterviewOutcome>): Promise<void> {
    const { claims, body: outcome } = submission.verified;
    const refuse = (code: ExchangeErrorCode, reason: string) =>
      this.refusals.refuse(...refusedSubmission(submission, code, reason));

    const [episode] = (await this.dataSource.query(
      `SELECT * FROM missing_episode WHERE episode_id = $1 AND mash_node = $2`,
      [outcome.episodeId, claims.iss],
    )) as EpisodeRow[];
    if (!episode) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'the outcome names no missing episode delivered to this node',
      );
    }
    if (episode.rhi_outcome_message_id) {
      return refuse(
        ExchangeErrorCode.REPLAYED,
        'this episode already has a return home interview outcome',
      );
    }
    if (!episode.rhi_delivery_id) {
      return refuse(
        ExchangeErrorCode.UNKNOWN_MESSAGE,
        'no return home interview is due: the child was not reported found to this node',
      );
    }
    const reporterMailbox = await this.registry.findMailbox(episode.reporter_mailbox);
    if (!reporterMailbox) {
      return refuse(ExchangeErrorCode.RECIPIENT_UNKNOWN, "the reporter's mailbox has gone");
    }
    const statement: SharingStatement = {
      consent: { position: episode.consent_position },
      // Social care's own basis for telling the reporter, not the report's: police report under
      // DPA 2018 Sch. 8, which no other agency may cite.
      lawfulBasis: outcome.lawfulBasis,
      ...(episode.safeguarding_justification
        ? { safeguardingJustification: episode.safeguarding_justification }
        : {}),
      familyInformed: episode.family_informed,
      riskLevel: episode.risk_level,
    };
    await this.router.route({
      submission,
      statement,
      subjectRef: episode.subject_ref,
      correlationId: episode.episode_id,
      detail: `return home interview ${outcome.outcome}`,
      recipients: [
        {
          mailbox: reporterMailbox,
          dedupeKey: `return-home-interview:${episode.episode_id}`,
          auditAction: 'return-home-interview',
          view: (fields) => ({
            definition: RETURN_HOME_INTERVIEW_OUTCOME_VIEW,
            body: {
              ...(minimise(outcome as unknown as Record<string, unknown>, fields) as object),
              recipientMailboxId: reporterMailbox.id,
              episodeId: episode.episode_id,
              fromMailboxId: episode.mash_mailbox,
            } as ReturnHomeInterviewOutcomeView,
          }),
        },
      ],
      alsoWrite: async (manager, routed) => {
        if (routed.delivered.length === 0) return;
        // node-postgres answers an UPDATE with [rows, affected count].
        const [, answered] = (await manager.query(
          `UPDATE missing_episode SET rhi_outcome_message_id = $2, rhi_outcome = $3,
             rhi_outcome_at = now(), updated_at = now()
            WHERE episode_id = $1 AND rhi_outcome_message_id IS NULL`,
          [episode.episode_id, claims.jti, outcome.outcome],
        )) as [unknown[], number];
        // Another outcome won a race since the check above: roll back; the retry refuses this one.
        if (answered === 0) throw new Error('the episode was answered concurrently');
        await manager.query(
          `UPDATE deadline SET state = 'met', closed_at = now()
            WHERE delivery_id = $1 AND kind = $2 AND state = 'open'`,
          [episode.rhi_delivery_id, RETURN_HOME_INTERVIEW_DEADLINE],
        );
      },
    });
  }
}
