import { DomesticAbuseNotification } from '@app/contracts';
import { OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';

import { IncidentChildDto } from './incident-child.dto';

/**
 * A domestic abuse incident as the force's system submits it: the notification contract with
 * its children as a list (one notification per child, each optionally with the force's own
 * subjectRef). Derived from the contract's class, with its validation, so what the API accepts
 * is exactly what the envelope may carry.
 */
export class SubmitIncidentDto extends OmitType(DomesticAbuseNotification, ['child'] as const) {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IncidentChildDto)
  children!: IncidentChildDto[];
}
