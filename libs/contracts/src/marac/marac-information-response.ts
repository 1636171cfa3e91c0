import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { MessageTypeDefinition } from '../envelope/message-type-definition';
import { IsAgencyId, IsSubjectRef } from './marac-ids';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

/** What the agency knows (facts, with dates and sources) kept apart from what it thinks. */
export class MaracFactsAndOpinion {
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  facts!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  opinion?: string;
}

export class MaracChildInvolvement extends MaracFactsAndOpinion {
  @IsSubjectRef()
  subjectRef!: string;
}

/** The structured research form a member mailbox fills in for the meeting. */
export class MaracResearchForm {
  // ValidateNested alone lets an absent object through.
  @IsDefined()
  @ValidateNested()
  @Type(() => MaracFactsAndOpinion)
  victimInvolvement!: MaracFactsAndOpinion;

  // ValidateNested alone lets an absent object through.
  @IsDefined()
  @ValidateNested()
  @Type(() => MaracFactsAndOpinion)
  perpetratorInvolvement!: MaracFactsAndOpinion;

  /** Absent or empty: nothing known of the children. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaracChildInvolvement)
  childrenInvolvement?: MaracChildInvolvement[];

  // ValidateNested alone lets an absent object through.
  @IsDefined()
  @ValidateNested()
  @Type(() => MaracFactsAndOpinion)
  knownRisks!: MaracFactsAndOpinion;

  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  currentActions!: string;

  /** How the meeting reaches the researcher: a team, role and secure contact, not the subject's. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  contact!: string;
}

/**
 * A member mailbox's answer to a MARAC information request, as its node signs it. The hub takes
 * it only from the node and mailbox the request was delivered to, once, and sends it to the
 * MARAC coordinator's mailbox.
 */
export class MaracInformationResponse extends MaracResearchForm {
  @IsUUID()
  requestId!: string;

  @IsUUID()
  caseId!: string;

  /** The mailbox the request was delivered to. */
  @IsAgencyId()
  respondingMailboxId!: string;

  @IsRfc3339DateTime('past')
  answeredAt!: string;
}

export const MARAC_INFORMATION_RESPONSE: MessageTypeDefinition<MaracInformationResponse> = {
  type: 'uk.safeguarding.exchange.marac-information-response',
  version: 1,
  body: MaracInformationResponse,
};

/** What the MARAC coordinator's mailbox receives: the answer and who gave it, per the registry. */
export class MaracInformationResponseView extends MaracInformationResponse {
  /** The responding mailbox's agency, from the hub's registry (never from the answer). */
  @IsAgencyId()
  respondingAgencyId!: string;

  @IsAgencyId()
  recipientMailboxId!: string;
}

export const MARAC_INFORMATION_RESPONSE_VIEW: MessageTypeDefinition<MaracInformationResponseView> =
  {
    type: 'uk.safeguarding.exchange.marac-information-response-view',
    version: 1,
    body: MaracInformationResponseView,
  };
