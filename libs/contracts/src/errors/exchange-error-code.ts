/**
 * Every reason the exchange refuses a message, one code each, so that a refusal can be asserted,
 * audited, counted and mapped to an HTTP or Kafka response in one place without parsing text.
 */
export enum ExchangeErrorCode {
  /** Not a compact JWS/JWE, or its header or payload is not the JSON it must be. */
  MALFORMED = 'MALFORMED',
  /** The record is larger than the configured limit; refused before any parsing. */
  TOO_LARGE = 'TOO_LARGE',
  /** A JWS or JWE algorithm outside the allowed list (never `none`, never HMAC). */
  ALG_NOT_ALLOWED = 'ALG_NOT_ALLOWED',
  /** The protected header's `typ` is not the envelope's explicit type. */
  TYP_INVALID = 'TYP_INVALID',
  /** The protected header names no `kid`. */
  KID_MISSING = 'KID_MISSING',
  /** No signing key with this `kid` is registered. */
  KID_UNKNOWN = 'KID_UNKNOWN',
  /** The key was revoked: invalid at once, whatever its dates. */
  KID_REVOKED = 'KID_REVOKED',
  /** The key was rotated out and its grace period has ended. */
  KID_RETIRED = 'KID_RETIRED',
  /** The key's validity has not begun yet. */
  KID_NOT_YET_VALID = 'KID_NOT_YET_VALID',
  /** The `kid` belongs to another node than the envelope's `iss`. */
  KID_NODE_MISMATCH = 'KID_NODE_MISMATCH',
  /** The signature does not verify with the named key. */
  SIGNATURE_INVALID = 'SIGNATURE_INVALID',
  /** The envelope claims (iss, sub, jti, iat, exp, type, version, body) fail their schema. */
  CLAIMS_INVALID = 'CLAIMS_INVALID',
  /** `exp` is in the past, beyond the allowed clock skew. */
  EXPIRED = 'EXPIRED',
  /** `iat` or `nbf` is in the future, beyond the allowed clock skew. */
  NOT_YET_VALID = 'NOT_YET_VALID',
  /** `exp - iat` exceeds the longest lifetime the hub keeps replay records for. */
  LIFETIME_TOO_LONG = 'LIFETIME_TOO_LONG',
  /** The `jti` was seen before: a replay. */
  REPLAYED = 'REPLAYED',
  /** No body schema is registered for this message type and version. */
  MESSAGE_TYPE_UNKNOWN = 'MESSAGE_TYPE_UNKNOWN',
  /** The body fails its message type's class-validator schema. */
  SCHEMA_INVALID = 'SCHEMA_INVALID',
  /** The JWE names a recipient key this node does not hold. */
  NOT_ADDRESSED_TO_NODE = 'NOT_ADDRESSED_TO_NODE',
  /** The Kafka record's key or CloudEvents headers differ from the signed claims. */
  RECORD_MISMATCH = 'RECORD_MISMATCH',
  /** The JWE names this node's key but does not decrypt with it (tampered or mis-addressed). */
  DECRYPTION_FAILED = 'DECRYPTION_FAILED',
  /** No mailbox in the registry answers to the recipient the message names (e.g. a school URN). */
  RECIPIENT_UNKNOWN = 'RECIPIENT_UNKNOWN',
  /** The recipient's node is not active (suspended) or has no current encryption key. */
  RECIPIENT_NODE_INACTIVE = 'RECIPIENT_NODE_INACTIVE',
  /** A node submitted a message type the topic does not take (e.g. a receipt as a submission). */
  TOPIC_TYPE_MISMATCH = 'TOPIC_TYPE_MISMATCH',
  /** A receipt names a message the hub never delivered to that node and mailbox. */
  UNKNOWN_MESSAGE = 'UNKNOWN_MESSAGE',
  /**
   * A record on a node-to-hub topic that is not a JWE to the hub: it may carry personal data in
   * clear, so it is quarantined, never processed.
   */
  NOT_ENCRYPTED = 'NOT_ENCRYPTED',
  /**
   * The same child and incident already reached this mailbox under another message id; the
   * rejection names that original message, whose receipts tell the sender what happened.
   */
  DUPLICATE_NOTIFICATION = 'DUPLICATE_NOTIFICATION',
  /**
   * A missing episode report names an episode id that another node's reports already use: an
   * episode belongs to the node that first reported it, so no node can update another's.
   */
  EPISODE_CONFLICT = 'EPISODE_CONFLICT',
  /**
   * A MARAC message names a mailbox whose agency is not a member of that MARAC in the registry:
   * nothing is delivered, whatever the MARAC's own configuration says.
   */
  NOT_A_MARAC_MEMBER = 'NOT_A_MARAC_MEMBER',
  /** The message names an agency the registry contradicts: not the signing node's, or not the mailbox's. */
  AGENCY_MISMATCH = 'AGENCY_MISMATCH',
  /** A MARAC request already answered, or a MARAC action already completed. */
  ALREADY_CLOSED = 'ALREADY_CLOSED',
  /**
   * The record holds text PostgreSQL cannot store (a NUL, a lone UTF-16 surrogate): refused at
   * the boundary, never retried.
   */
  UNSTORABLE_TEXT = 'UNSTORABLE_TEXT',
  /**
   * Handling the record failed in a way that fails the same way every time (a value the
   * database refuses, an impossible date): refused at once, never retried.
   */
  UNPROCESSABLE = 'UNPROCESSABLE',
  /**
   * The record's handler kept failing while every dependency was up: set aside after a few
   * quick attempts so it holds its partition for a moment only; an operator may replay it.
   */
  HANDLER_FAILED = 'HANDLER_FAILED',
  /**
   * A correction names a message its sender never sent, or one the exchange never delivered
   * (a message of a type that cannot be corrected counts as never sent).
   */
  ORIGINAL_UNKNOWN = 'ORIGINAL_UNKNOWN',
  /** A correction of a message its sender has already withdrawn: nothing is left to correct. */
  ORIGINAL_WITHDRAWN = 'ORIGINAL_WITHDRAWN',
  /** A correction's message is of another type than the message it corrects. */
  CORRECTION_TYPE_MISMATCH = 'CORRECTION_TYPE_MISMATCH',
  /** An audit event on the audit topic that is not a signed audit event (a bare JSON event, say). */
  AUDIT_EVENT_UNSIGNED = 'AUDIT_EVENT_UNSIGNED',
  /**
   * An audit event whose signature does not verify with a registered key of the service it
   * names as its actor: a forged or altered event, another algorithm, a key nobody registered.
   */
  AUDIT_EVENT_BAD_SIGNATURE = 'AUDIT_EVENT_BAD_SIGNATURE',
  /** An audit event signed with another registered service's key than its actor's. */
  AUDIT_EVENT_WRONG_SIGNER = 'AUDIT_EVENT_WRONG_SIGNER',
}
