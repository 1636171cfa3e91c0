import { JWK } from 'jose';

/** A JSON Web Key Set (RFC 7517 §5): public keys only, as every JWKS endpoint here serves them. */
export interface JsonWebKeySet {
  keys: JWK[];
}
