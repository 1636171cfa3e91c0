import { IsIn, IsOptional, IsUUID } from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { SharingStatementFields } from '../sharing-statement/sharing-statement';
import { IsAgencyId } from './marac-ids';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

export const MaracEscalationSubjects = ['information-request', 'action'] as const;
export type MaracEscalationSubject = (typeof MaracEscalationSubjects)[number];

/**
 * The MARAC tells a member agency's escalation mailbox that its mailbox let a research request
 * or an action pass its deadline. Its own type rather than the exchange's `escalation`: the MARAC
 * (a node) signs it, names the case and what is overdue, and the hub checks the escalation
 * mailbox belongs to the overdue mailbox's agency and that agency is a member of the MARAC.
 */
export class MaracEscalation extends SharingStatementFields {
  @IsUUID()
  caseId!: string;

  @IsIn(MaracEscalationSubjects)
  about!: MaracEscalationSubject;

  /** The overdue request's or action's id. */
  @IsUUID()
  overdueId!: string;

  @IsAgencyId()
  overdueAgencyId!: string;

  @IsAgencyId()
  overdueMailboxId!: string;

  @IsRfc3339DateTime()
  dueAt!: string;

  @IsRfc3339DateTime()
  escalatedAt!: string;

  /** The agency's escalation mailbox this goes to. */
  @IsAgencyId()
  recipientMailboxId!: string;
}

export const MARAC_ESCALATION: MessageTypeDefinition<MaracEscalation> = {
  type: 'uk.safeguarding.exchange.marac-escalation',
  version: 1,
  body: MaracEscalation,
};

/** What the escalation mailbox receives: what is overdue, per the policy's fields. */
export class MaracEscalationView {
  @IsUUID()
  caseId!: string;

  @IsUUID()
  overdueId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;

  @IsOptional()
  @IsIn(MaracEscalationSubjects)
  about?: MaracEscalationSubject;

  @IsOptional()
  @IsAgencyId()
  overdueAgencyId?: string;

  @IsOptional()
  @IsAgencyId()
  overdueMailboxId?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  dueAt?: string;

  @IsOptional()
  @IsRfc3339DateTime()
  escalatedAt?: string;
}

export const MARAC_ESCALATION_VIEW: MessageTypeDefinition<MaracEscalationView> = {
  type: 'uk.safeguarding.exchange.marac-escalation-view',
  version: 1,
  body: MaracEscalationView,
};
