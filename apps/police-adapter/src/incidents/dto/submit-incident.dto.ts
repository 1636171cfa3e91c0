import { DomesticAbuseNotification, IncidentChild } from '@app/contracts';
import { OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';

/**
 * A domestic abuse incident as the force's system submits it: the notification contract with
 * its children as a list (one notification per child). Derived from the contract's class, with
 * its validation, so what the API accepts is exactly what the envelope may carry.
 */
export class SubmitIncidentDto extends OmitType(DomesticAbuseNotification, ['child'] as const) {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IncidentChild)
  children!: IncidentChild[];
}
