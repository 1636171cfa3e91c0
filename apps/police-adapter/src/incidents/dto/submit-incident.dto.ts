import {
  ConsentStatement,
  IncidentRiskLevels,
  LawfulBases,
  SafeguardingJustificationValues,
} from '@app/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IncidentChildDto } from './incident-child.dto';

/**
 * A domestic abuse incident as the force's system submits it. The children and the consent
 * statement use the message contract's own classes, so what the API accepts is exactly what the
 * envelope may carry.
 */
export class SubmitIncidentDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  policeReference!: string;

  /** Date and time of the incident (ISO 8601). */
  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  location!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => IncidentChildDto)
  children!: IncidentChildDto[];

  @IsIn(IncidentRiskLevels)
  riskLevel!: (typeof IncidentRiskLevels)[number];

  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  circumstances!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(8000)
  actionsTaken!: string;

  @ValidateNested()
  @Type(() => ConsentStatement)
  consent!: ConsentStatement;

  @IsIn(LawfulBases)
  lawfulBasis!: (typeof LawfulBases)[number];

  /** Why the police share without consent; without it (and without consent) the hub refuses. */
  @IsOptional()
  @IsIn(SafeguardingJustificationValues)
  safeguardingJustification?: (typeof SafeguardingJustificationValues)[number];

  /** Whether the family was told that the police share this incident. */
  @IsBoolean()
  familyInformed!: boolean;
}
