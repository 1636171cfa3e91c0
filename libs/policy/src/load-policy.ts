import { readFileSync } from 'node:fs';

import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';

import {
  AgencyKind,
  AgencyKinds,
  ConsentPosition,
  ConsentPositions,
  LawfulBases,
  LawfulBasis,
  RiskLevel,
  RiskLevels,
  SharingPolicy,
  SharingRule,
} from './policy.types';

class SharingRuleDocument implements SharingRule {
  @Matches(/^[a-z0-9][a-z0-9-]{1,80}$/)
  id!: string;

  @IsString()
  @IsNotEmpty()
  messageType!: string;

  @IsOptional()
  @ArrayNotEmpty()
  @IsIn(AgencyKinds, { each: true })
  senderKinds?: AgencyKind[];

  @IsOptional()
  @ArrayNotEmpty()
  @IsIn(AgencyKinds, { each: true })
  recipientKinds?: AgencyKind[];

  @IsOptional()
  @ArrayNotEmpty()
  @IsIn(ConsentPositions, { each: true })
  consent?: ConsentPosition[];

  @IsOptional()
  @ArrayNotEmpty()
  @IsIn(LawfulBases, { each: true })
  lawfulBases?: LawfulBasis[];

  @IsOptional()
  @IsBoolean()
  justified?: boolean;

  @IsOptional()
  @IsIn(RiskLevels)
  minimumRisk?: RiskLevel;

  @IsIn(['allow', 'refuse'])
  effect!: 'allow' | 'refuse';

  @IsOptional()
  @IsArray()
  @Matches(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/, { each: true })
  fields?: string[];

  @IsString()
  @IsNotEmpty()
  reason!: string;
}

class SharingPolicyDocument {
  @Matches(/^\d{4}-\d{2}-\d{2}\.\d+$/, { message: 'version must look like 2026-11-26.1' })
  version!: string;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => SharingRuleDocument)
  rules!: SharingRuleDocument[];
}

function problems(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = `${prefix}${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`),
      ...problems(error.children ?? [], `${path}.`),
    ];
  });
}

/**
 * Reads and checks a policy file: every rule well-formed, ids unique, an allow rule's fields
 * non-empty or absent. A bad file stops the service at start-up, naming what is wrong.
 */
export function parseSharingPolicy(raw: unknown, source = 'policy'): SharingPolicy {
  const document = plainToInstance(SharingPolicyDocument, raw);
  const found = problems(validateSync(document, { whitelist: true, forbidNonWhitelisted: true }));
  const ids = new Set<string>();
  for (const rule of document.rules ?? []) {
    if (ids.has(rule.id)) found.push(`rules: duplicate id ${rule.id}`);
    ids.add(rule.id);
    if (rule.effect === 'refuse' && rule.fields)
      found.push(`rules.${rule.id}: a refusal has no fields`);
  }
  if (found.length > 0) throw new Error(`${source} is invalid:\n  - ${found.join('\n  - ')}`);
  return { version: document.version, rules: document.rules.map((rule) => ({ ...rule })) };
}

export function loadSharingPolicy(file: string): SharingPolicy {
  return parseSharingPolicy(JSON.parse(readFileSync(file, 'utf8')), file);
}
