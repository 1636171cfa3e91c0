import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

export const AUDIT_EVENT_TYPE = 'uk.safeguarding.exchange.audit-event';
export const AUDIT_EVENT_VERSION = 1;

/** What happened to a message. The audit trail stores metadata and digests only, never payloads. */
export const AuditActions = [
  'service-started',
  'submitted',
  'verified',
  'rejected',
  'policy-decision',
  'routed',
  'delivered',
  'acknowledged',
  'escalated',
  'sharing-refused',
  'consent-withdrawn',
  'key-rotated',
  'key-revoked',
  'trail-read',
] as const;
export type AuditAction = (typeof AuditActions)[number];

/** One audit event on the audit topic. */
export class AuditEvent {
  @IsUUID()
  eventId!: string;

  @IsIn(AuditActions)
  action!: AuditAction;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor!: string;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsOptional()
  @IsUUID()
  messageId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectRef?: string;

  /** SHA-256 of the payload, base64url, so an auditor can match a payload without seeing it. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'payloadDigest must be a base64url SHA-256 digest' })
  payloadDigest?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  detail?: string;
}
