import { loadOrCreateDevIssuerKey, mintDevToken, Role } from '@app/platform';

import { eventually, RunningService } from '../../support/service-harness';
import { ConsoleStack } from './console-stack';

export interface ApiCaller {
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  post<T = Record<string, unknown>>(path: string, body: unknown, status?: number): Promise<T>;
}

/**
 * Calls one node's API with a development-issuer token, as an agency's system or a mailbox's
 * person would: how a browser test sets up what the person then sees in the console.
 */
export async function apiAs(
  stack: ConsoleStack,
  node: RunningService,
  who: { subject: string; roles: Role[]; mailboxes?: string[]; agency?: string },
): Promise<ApiCaller> {
  const token = await mintDevToken(await loadOrCreateDevIssuerKey(stack.keysDir), {
    issuer: stack.issuer,
    audience: 'safeguarding-exchange',
    ...who,
  });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    async get<T>(path: string) {
      const response = await fetch(`${node.url}${path}`, { headers });
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
      return (await response.json()) as T;
    },
    async post<T>(path: string, body: unknown, status = 202) {
      const response = await fetch(`${node.url}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as T;
      if (response.status !== status) {
        throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
      }
      return answer;
    },
  };
}

/** The id of the message in a mailbox whose decrypted view matches, once it has arrived. */
export function messageIn(
  mailbox: ApiCaller,
  mailboxId: string,
  matches: (item: { type: string; notification: Record<string, unknown> }) => boolean,
  what: string,
): Promise<string> {
  return eventually(
    async () => {
      const items = await mailbox.get<{ messageId: string; type: string; receivedAt: string }[]>(
        `/mailboxes/${mailboxId}/notifications`,
      );
      // The newest first: earlier runs leave their messages in the shared test database.
      // Earlier runs' messages are sealed to keys that are gone (409): they are passed over.
      for (const item of items.slice(0, 30)) {
        const message = await mailbox
          .get<{ type: string; notification: Record<string, unknown> }>(
            `/mailboxes/${mailboxId}/notifications/${item.messageId}`,
          )
          .catch(() => undefined);
        if (message && matches(message)) return item.messageId;
      }
      return undefined;
    },
    { what, timeoutMs: 90_000, intervalMs: 500 },
  );
}

/** The demo area's callers the browser tests set up with: the police system, the DSL, the MASH. */
export async function demoCallers(stack: ConsoleStack) {
  // One after the other: the first call creates the development issuer's key file.
  const police = await apiAs(stack, stack.police, {
    subject: 'police-cad',
    roles: ['agency-system'],
    agency: 'northshire-police',
  });
  const school = await apiAs(stack, stack.education, {
    subject: 'dsl-hillside',
    roles: ['mailbox-user'],
    mailboxes: ['school-990101-dsl'],
  });
  const mash = await apiAs(stack, stack.socialCare, {
    subject: 'mash-duty',
    roles: ['mailbox-user'],
    mailboxes: ['mash'],
  });
  return { police, school, mash };
}
