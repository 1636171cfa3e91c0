import { execFileSync } from 'node:child_process';
import path from 'node:path';

const script = path.join(__dirname, '..', '..', '..', 'deploy', 'keycloak', 'keycloak.sh');

function keycloakSh(...args: string[]): string {
  return execFileSync('bash', [script, ...args], { encoding: 'utf8' }).trim();
}

/**
 * The Keycloak that `npm test` starts (deploy/keycloak): its issuer, key set and the demo
 * people's passwords, generated on this machine at its first start.
 */
export const testKeycloak = {
  running(): boolean {
    try {
      keycloakSh('status');
      return true;
    } catch {
      return false;
    }
  },
  issuer: () => keycloakSh('issuer'),
  jwksUrl: () => `${keycloakSh('issuer')}/protocol/openid-connect/certs`,
  password: (username: string) => keycloakSh('password', username),

  /** A token for a demo person from the realm's test-only client (password grant). */
  async token(username: string): Promise<string> {
    const response = await fetch(`${keycloakSh('issuer')}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'sgx-token-check',
        username,
        password: keycloakSh('password', username),
        scope: 'openid',
      }),
    });
    if (!response.ok)
      throw new Error(`Keycloak refused a token for ${username}: ${response.status}`);
    return ((await response.json()) as { access_token: string }).access_token;
  },
};
