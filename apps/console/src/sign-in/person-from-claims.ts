import { claimList, Roles } from '@app/platform';

import { ConsoleEnv } from '../config/console.env';
import { SessionPerson } from '../session/console-session.entity';

/**
 * Who signed in, from the verified ID token, read with the same claim names as the APIs read the
 * access token (AUTH_ROLES_CLAIM, AUTH_MAILBOXES_CLAIM, AUTH_AGENCY_CLAIM). The console uses it
 * only to choose what to show; the APIs decide again on every call from the access token.
 */
export function personFromClaims(claims: Record<string, unknown>, env: ConsoleEnv): SessionPerson {
  const name = [
    claims.name,
    [claims.given_name, claims.family_name].filter(Boolean).join(' '),
  ].find((candidate) => typeof candidate === 'string' && candidate.trim() !== '') as
    string | undefined;
  const agency = claims[env.AUTH_AGENCY_CLAIM];
  return {
    subject: String(claims.sub),
    name: name ?? 'Signed in',
    roles: claimList(claims[env.AUTH_ROLES_CLAIM]).filter((role) =>
      (Roles as readonly string[]).includes(role),
    ),
    mailboxes: claimList(claims[env.AUTH_MAILBOXES_CLAIM]),
    ...(typeof agency === 'string' ? { agencyId: agency } : {}),
  };
}
