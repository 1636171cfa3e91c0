import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

import { AuditEvent } from '@app/contracts';
import { generateSigningKeyPair, signAuditEvent, SigningKey } from '@app/crypto';
import { OutgoingRecord } from '@app/messaging';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';

import { openHubDatabase } from './registry-fixtures';

const registered = new Map<string, Promise<SigningKey>>();

/**
 * A signing key the registry holds for `nodeId`, as the keys command registers one: a fresh key
 * made the node's current signing key in the test database, the previous one kept verifying for
 * a day (so the node's own key on disk, and other tests', still verify). One per node and test
 * file. Other tests rotate the demo nodes' keys, so the key on disk may not be the registry's.
 */
export function registeredSigningKey(nodeId: string): Promise<SigningKey> {
  let key = registered.get(nodeId);
  if (!key) {
    key = (async () => {
      const pair = await generateSigningKeyPair();
      const db = await openHubDatabase();
      try {
        await new NodeKeyService(db.getRepository(NodeKeyEntity)).rotate(
          { nodeId, publicJwk: pair.publicJwk },
          86_400,
        );
      } finally {
        await db.destroy();
      }
      return { kid: pair.kid, privateKey: pair.privateKey };
    })();
    registered.set(nodeId, key);
  }
  return key;
}

/**
 * An audit event as the service named by its actor publishes it (the relay's signAuditEvent
 * with a registered key of that node), or signed with `key` to play someone else.
 */
export async function signedAuditRecord(
  event: AuditEvent,
  key?: SigningKey,
): Promise<OutgoingRecord> {
  const signing = key ?? (await registeredSigningKey(event.actor));
  return {
    key: event.subjectRef ?? event.messageId ?? event.eventId,
    value: await signAuditEvent(JSON.stringify(event), signing),
  };
}

/**
 * The event inside an audit topic record (a compact JWS; its payload is the event's JSON). The
 * topic also holds what other tests published as forgeries (bare JSON, broken JWS): those read
 * as an empty object, which no test's filter matches.
 */
export function auditEventOf(value: Buffer | string | null | undefined): Record<string, unknown> {
  try {
    const payload = String(value ?? '').split('.')[1] ?? '';
    const event: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The registry's key sets over HTTP, read from the test database as the hub's node directory
 * serves them (`/.well-known/nodes/:nodeId/jwks.json`, `/.well-known/jwks.json`), for a test that
 * runs the audit service without the hub. Returns AUDIT_REGISTRY_URL and how to stop it.
 */
export async function serveRegistryKeys(): Promise<{ url: string; stop: () => Promise<void> }> {
  const db = await openHubDatabase();
  const keys = new NodeKeyService(db.getRepository(NodeKeyEntity));
  const server = createServer((request, response) => {
    const node = /^\/\.well-known\/nodes\/([a-z0-9-]+)\/jwks\.json$/.exec(request.url ?? '');
    const all = request.url === '/.well-known/jwks.json';
    if (!node && !all) {
      response.writeHead(404).end();
      return;
    }
    void (node ? keys.jwksOf(node[1]) : keys.jwks()).then(
      (set) => {
        response.setHeader('Content-Type', 'application/jwk-set+json');
        response.end(JSON.stringify(set));
      },
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/nodes/`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}
