import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsRfc3339DateTime } from '../validation/date-time.validators';

export const AUDIT_EVENT_TYPE = 'uk.safeguarding.exchange.audit-event';
export const AUDIT_EVENT_VERSION = 1;
/**
 * `typ` of the compact JWS an audit event travels as on the audit topic: the payload is the
 * event's JSON, signed (EdDSA) by the service that emits it with its registered signing key.
 */
export const AUDIT_EVENT_TYP = 'sgx-audit-event+jws';

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
  // A later delivery of the same thread (a missing episode's next report) replaced this one in
  // its mailbox; its acknowledgement deadline closed without escalation.
  'superseded',
  'consent-withdrawn',
  'key-rotated',
  'key-revoked',
  // An operator wrote a dead-lettered record back to its source topic (npm run dead-letter).
  'dead-letter-replayed',
  'trail-read',
  // Replies that close a loop; `correlationId` names the message they answer.
  'referral-outcome',
  'return-home-interview',
  'marac-request',
  'marac-response',
  // The MARAC's decision on a referral (listed or refused), told to the referrer.
  'marac-referral-decision',
  // A retention rule cleared a stored payload and left its tombstone (libs/retention);
  // `ruleId` names the rule, `messageId` the item. Metadata only, like every event.
  'purged',
  // A sender's correction was routed: `messageId` is the correction, `correlationId` the message
  // it corrects; its deliveries are `routed` with the correction as their correlationId.
  'corrected',
] as const;
export type AuditAction = (typeof AuditActions)[number];

/**
 * The actions of the hub's event for one delivery (one view sealed to one mailbox; messageId is
 * the delivery's id): `routed`, or the loop a delivery closes. The partnership metrics find
 * deliveries by these actions (docs/audit.md), so a route may audit its deliveries only so.
 */
export const DeliveryAuditActions = [
  'routed',
  'consent-withdrawn',
  'referral-outcome',
  'return-home-interview',
  'marac-response',
  'marac-referral-decision',
  'acknowledged',
] as const satisfies readonly AuditAction[];
export type DeliveryAuditAction = (typeof DeliveryAuditActions)[number];

/** Outcomes of the sharing policy (libs/policy) as the trail records them. */
export const AuditDecisions = ['allow', 'refuse', 'allow-with-fields'] as const;
export type AuditDecision = (typeof AuditDecisions)[number];

/** Identifiers of nodes, agencies, mailboxes, message types, rules and error codes. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;
const NAME_MESSAGE = '$property must be letters, digits and . _ : / -';

/**
 * One audit event on the audit topic: who did what to which message, when, with what outcome.
 * Metadata only: a payload is referred to by its digest and never travels here, so the trail
 * can be shown to auditors. Only eventId, action, actor and occurredAt are required.
 */
export class AuditEvent {
  @IsUUID()
  eventId!: string;

  @IsIn(AuditActions)
  action!: AuditAction;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  actor!: string;

  @IsRfc3339DateTime()
  occurredAt!: string;

  @IsOptional()
  @IsUUID()
  messageId?: string;

  /** Links a reply (referral outcome, MARAC response) to the message it answers. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  correlationId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectRef?: string;

  /** The message type, e.g. `referral`, `domestic-abuse-incident`, `marac-referral`. */
  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  messageType?: string;

  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  senderNode?: string;

  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  senderAgency?: string;

  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  recipientMailbox?: string;

  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  recipientAgency?: string;

  @IsOptional()
  @IsIn(AuditDecisions)
  decision?: AuditDecision;

  /** The policy rule that decided, with the policy's version. */
  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(100)
  ruleId?: string;

  @IsOptional()
  @Matches(NAME, { message: NAME_MESSAGE })
  @MaxLength(40)
  policyVersion?: string;

  /** Why a message was rejected, e.g. SIGNATURE_INVALID, KID_REVOKED, REPLAYED. */
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]*$/, { message: 'errorCode must be an upper-case code' })
  @MaxLength(60)
  errorCode?: string;

  /** When the recipient must act (acknowledge, respond) by; "on time" is measured against it. */
  @IsOptional()
  @IsRfc3339DateTime()
  deadline?: string;

  /** For referrals: how many of the fields a good referral needs were filled in, 0 to 100. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  completeness?: number;

  /** SHA-256 of the payload, base64url, so an auditor can match a payload without seeing it. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'payloadDigest must be a base64url SHA-256 digest' })
  payloadDigest?: string;

  /** A short free-text note for people; never personal data or payload content. */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  detail?: string;
}
