/**
 * Mints a bearer token from the development issuer, for trying the APIs with curl:
 *   npm run token -- --role mailbox-user --mailbox school-100001-dsl [--sub alice] [--ttl 3600]
 *   npm run token -- --role agency-system --agency northshire-police
 * Refused when NODE_ENV=production: production tokens come from the real OIDC provider.
 */
import { parseArgs } from 'node:util';

import { loadOrCreateDevIssuerKey, mintDevToken, Role, Roles } from '@app/platform';

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the development issuer is refused when NODE_ENV=production');
  }
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      mailbox: { type: 'string', multiple: true },
      agency: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string' },
    },
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !(Roles as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new Error(`--role must be one or more of: ${Roles.join(', ')}`);
  }
  const ttlSeconds = Number(values.ttl ?? '3600');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400) {
    throw new Error('--ttl must be a whole number of seconds between 1 and 86400');
  }
  const issuer = process.env.AUTH_ISSUER || 'http://127.0.0.1:3000/dev-issuer';
  const key = await loadOrCreateDevIssuerKey(process.env.KEYS_DIR || '.keys');
  const token = await mintDevToken(key, {
    issuer,
    audience: process.env.AUTH_AUDIENCE || 'safeguarding-exchange',
    subject: values.sub ?? `dev-${roles[0]}`,
    roles: roles as Role[],
    mailboxes: values.mailbox,
    agency: values.agency,
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
});
