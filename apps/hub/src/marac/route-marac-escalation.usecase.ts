import { Injectable } from '@nestjs/common';
import {
  ExchangeErrorCode,
  MARAC_ESCALATION,
  MARAC_ESCALATION_VIEW,
  MaracEscalation,
  MaracEscalationView,
} from '@app/contracts';
import { DataSource } from 'typeorm';

import { RefusalService } from '../exchange/refusal.service';
import { refusedSubmission, VerifiedSubmission } from '../referrals/verified-submission';
import { RoutesSubmission, SubmissionRoute } from '../routing/submission-route';
import { maracEscalationView } from './marac-views';
import { RouteToMaracMember } from './route-to-marac-member.service';

/**
 * A MARAC's escalation of an overdue request or action, to the escalation mailbox of the agency
 * whose mailbox is late: the mailbox must be of kind `escalation`, belong to that agency, and
 * the agency be a member of the MARAC; and it must be about a request or action the hub delivered
 * from that MARAC to that agency's mailbox (UNKNOWN_MESSAGE otherwise). Once per overdue item (a
 * second is DUPLICATE_NOTIFICATION).
 */
@Injectable()
@RoutesSubmission(MARAC_ESCALATION)
export class RouteMaracEscalationUseCase implements SubmissionRoute {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: RouteToMaracMember,
    private readonly refusals: RefusalService,
  ) {}

  async execute(submission: VerifiedSubmission<MaracEscalation>): Promise<void> {
    const { claims, body: escalation } = submission.verified;
    const [delivered] = (await this.dataSource.query(
      `SELECT 1 FROM marac_delivery
        WHERE ref_kind = $1 AND ref_id = $2 AND case_id = $3 AND marac_node = $4
          AND recipient_mailbox = $5 AND recipient_agency = $6`,
      [
        escalation.about,
        escalation.overdueId,
        escalation.caseId,
        claims.iss,
        escalation.overdueMailboxId,
        escalation.overdueAgencyId,
      ],
    )) as unknown[];
    if (!delivered) {
      return this.refusals.refuse(
        ...refusedSubmission(
          submission,
          ExchangeErrorCode.UNKNOWN_MESSAGE,
          'the escalation names no request or action this MARAC sent to that mailbox',
          escalation.recipientMailboxId,
        ),
      );
    }
    return this.members.route<MaracEscalationView>({
      submission,
      mailboxId: escalation.recipientMailboxId,
      agencyId: escalation.overdueAgencyId,
      mailboxKind: 'escalation',
      dedupeKey: `marac-escalation:${escalation.overdueId}`,
      detail: `case ${escalation.caseId}; overdue ${escalation.about} ${escalation.overdueId}`,
      view: (fields, { mailbox }) => ({
        definition: MARAC_ESCALATION_VIEW,
        body: maracEscalationView(escalation, fields, mailbox),
      }),
    });
  }
}
