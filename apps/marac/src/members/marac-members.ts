import { readFileSync } from 'node:fs';
import path from 'node:path';

import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsNotEmpty,
  IsString,
  Matches,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';

const ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const ID_MESSAGE = '$property must be a lower-case id (letters, digits, dashes)';

export class MaracMember {
  @Matches(ID, { message: ID_MESSAGE })
  agencyId!: string;

  @Matches(ID, { message: ID_MESSAGE })
  kind!: string;

  @Matches(ID, { message: ID_MESSAGE })
  informationRequestMailboxId!: string;

  @Matches(ID, { message: ID_MESSAGE })
  escalationMailboxId!: string;
}

export class MaracSchools {
  @Matches(ID, { message: ID_MESSAGE })
  agencyId!: string;

  @Matches(ID, { message: ID_MESSAGE })
  kind!: string;

  /** The mailbox of a school's designated safeguarding lead, `{urn}` replaced by the school's URN. */
  @Matches(/^[a-z0-9-]*\{urn\}[a-z0-9-]*$/, { message: 'mailboxIdTemplate must contain {urn}' })
  mailboxIdTemplate!: string;

  @Matches(ID, { message: ID_MESSAGE })
  escalationMailboxId!: string;
}

export class MaracMembership {
  @IsString()
  @IsNotEmpty()
  area!: string;

  @Matches(ID, { message: ID_MESSAGE })
  coordinatorMailboxId!: string;

  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => MaracMember)
  members!: MaracMember[];

  @ValidateNested()
  @Type(() => MaracSchools)
  schools!: MaracSchools;
}

/** One recipient of a case's information request, with where to escalate if it is late. */
export interface CaseRecipient {
  agencyId: string;
  agencyKind: string;
  mailboxId: string;
  escalationMailboxId: string;
}

export class InvalidMembersFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`MARAC members file ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidMembersFileError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const name = `${prefix}${error.property}`;
    return [
      ...Object.values(error.constraints ?? {}).map((message) => `${name}: ${message}`),
      ...flatten(error.children ?? [], `${name}.`),
    ];
  });
}

/** Validates a parsed members file; throws naming every problem. */
export function parseMembership(raw: unknown, file = 'members file'): MaracMembership {
  const membership = plainToInstance(MaracMembership, raw);
  const problems = flatten(validateSync(membership, { forbidUnknownValues: true }));
  if (problems.length === 0) {
    const agencies = membership.members.map((member) => member.agencyId);
    const duplicates = agencies.filter((id, index) => agencies.indexOf(id) !== index);
    if (duplicates.length) problems.push(`members: agency listed twice: ${duplicates.join(', ')}`);
    if (agencies.includes(membership.schools.agencyId)) {
      problems.push('schools.agencyId: also listed as a member; schools are addressed per child');
    }
  }
  if (problems.length) throw new InvalidMembersFileError(file, problems);
  return membership;
}

/** Reads and validates the members file at start-up (MARAC_MEMBERS_FILE); relative to the cwd. */
export function loadMembership(file: string): MaracMembership {
  const resolved = path.resolve(file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolved, 'utf8'));
  } catch (error) {
    throw new InvalidMembersFileError(file, [`cannot read JSON: ${(error as Error).message}`]);
  }
  return parseMembership(raw, file);
}

/**
 * Who receives a case's information request: every member agency of the area, and the school
 * of each child who has one (deduplicated: siblings at one school make one request).
 */
export function caseRecipients(membership: MaracMembership, schoolUrns: string[]): CaseRecipient[] {
  const recipients: CaseRecipient[] = membership.members.map((member) => ({
    agencyId: member.agencyId,
    agencyKind: member.kind,
    mailboxId: member.informationRequestMailboxId,
    escalationMailboxId: member.escalationMailboxId,
  }));
  for (const urn of [...new Set(schoolUrns)].sort()) {
    recipients.push({
      agencyId: membership.schools.agencyId,
      agencyKind: membership.schools.kind,
      mailboxId: membership.schools.mailboxIdTemplate.replace('{urn}', urn),
      escalationMailboxId: membership.schools.escalationMailboxId,
    });
  }
  return recipients;
}
