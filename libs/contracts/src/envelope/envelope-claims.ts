import {
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
} from 'class-validator';

/** Explicit `typ` of a signed envelope (RFC 8725 §3.11), so no other JWS can pass for one. */
export const ENVELOPE_TYP = 'sgx-envelope+jws';

/** Default largest record, in bytes, the exchange accepts (1 MiB). */
export const DEFAULT_ENVELOPE_MAX_BYTES = 1024 * 1024;
/** Default tolerance between two nodes' clocks when checking iat, nbf and exp. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;
/** Default longest `exp - iat`; bounds how long the hub must remember a jti. */
export const DEFAULT_MAX_ENVELOPE_LIFETIME_SECONDS = 24 * 60 * 60;
/** Default lifetime of an envelope a node signs. */
export const DEFAULT_ENVELOPE_LIFETIME_SECONDS = 15 * 60;

const NODE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
const MESSAGE_TYPE = /^[a-z][a-z0-9]*(\.[a-z0-9-]+)+$/;

/** The claims of a signed envelope (the JWS payload). The body is validated by its own type. */
export class EnvelopeClaims {
  /** The sending node. */
  @Matches(NODE_ID, { message: 'iss must be a node id' })
  iss!: string;

  /** The subject's pseudonymous reference; also the Kafka record key. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  sub!: string;

  /** The message id; the hub refuses a second envelope with the same one. */
  @IsUUID()
  jti!: string;

  @IsInt()
  @Min(0)
  iat!: number;

  @IsInt()
  @Min(0)
  exp!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  nbf?: number;

  /** Message type, e.g. `uk.safeguarding.exchange.test-notice`. */
  @Matches(MESSAGE_TYPE, { message: 'type must be a dotted lower-case message type' })
  @MaxLength(200)
  type!: string;

  @IsInt()
  @Min(1)
  version!: number;

  @IsObject()
  body!: Record<string, unknown>;
}
