/** The only algorithms the exchange accepts: never `none`, never HMAC. */
export const SIGNING_ALGORITHM = 'EdDSA';
export const KEY_AGREEMENT_ALGORITHM = 'ECDH-ES';
export const CONTENT_ENCRYPTION = 'A256GCM';
export const SIGNING_CURVE = 'Ed25519';
export const ENCRYPTION_CURVE = 'X25519';

/** Allow-lists checked before any key is touched; anything else is ALG_NOT_ALLOWED. */
export const ALLOWED_SIGNING_ALGORITHMS: readonly string[] = [SIGNING_ALGORITHM];
export const ALLOWED_KEY_AGREEMENT_ALGORITHMS: readonly string[] = [KEY_AGREEMENT_ALGORITHM];
export const ALLOWED_CONTENT_ENCRYPTIONS: readonly string[] = [CONTENT_ENCRYPTION];
