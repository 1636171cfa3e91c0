import { SignJWT } from 'jose';

import { Role } from '../auth/roles';
import { DEV_ISSUER_ALGORITHM, DevIssuerKey } from './dev-issuer-keys';

export interface DevTokenRequest {
  issuer: string;
  audience: string;
  subject: string;
  roles: Role[];
  mailboxes?: string[];
  /** The agency an agency-system token acts for. */
  agency?: string;
  ttlSeconds?: number;
}

/** A bearer token from the development issuer, shaped as an OIDC provider's access token. */
export function mintDevToken(key: DevIssuerKey, request: DevTokenRequest): Promise<string> {
  return new SignJWT({
    roles: request.roles,
    mailboxes: request.mailboxes ?? [],
    ...(request.agency ? { agency: request.agency } : {}),
  })
    .setProtectedHeader({ alg: DEV_ISSUER_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setSubject(request.subject)
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds ?? 3600}s`)
    .sign(key.privateKey);
}
