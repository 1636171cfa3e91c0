/** The only algorithms the exchange accepts: never `none`, never HMAC. */
export const SIGNING_ALGORITHM = 'EdDSA';
export const KEY_AGREEMENT_ALGORITHM = 'ECDH-ES';
export const CONTENT_ENCRYPTION = 'A256GCM';
export const SIGNING_CURVE = 'Ed25519';
export const ENCRYPTION_CURVE = 'X25519';
