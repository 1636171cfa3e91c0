import { randomUUID } from 'node:crypto';
import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { deliveryTopic, envelopeKafkaRecord, MessageTypeDefinition } from '@app/contracts';
import {
  decryptEnvelope,
  encryptEnvelope,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  NodeKeyPair,
  signEnvelope,
} from '@app/crypto';
import { JWK } from 'jose';
import { KafkaMessage, Producer } from 'kafkajs';

import { testKafka } from './test-kafka';

export interface OpenedEnvelope {
  iss: string;
  sub: string;
  jti: string;
  type: string;
  body: Record<string, unknown>;
}

/** The agencies of the demo registry's nodes (deploy/registry/demo-area.json). */
export const DEMO_NODE_AGENCIES: Record<string, string> = {
  police: 'northshire-police',
  health: 'northshire-community-health',
  education: 'northshire-education',
  'social-care': 'northshire-childrens-social-care',
  marac: 'northshire-marac',
};

/** Answers `/.well-known/nodes/:nodeId` as the hub's node directory does; false for other paths. */
function answerNodeDirectory(
  agencies: Map<string, string>,
  url: string | undefined,
  response: ServerResponse,
): boolean {
  const node = /^\/\.well-known\/nodes\/([^/]+)$/.exec(url ?? '');
  if (!node) return false;
  const id = decodeURIComponent(node[1]);
  const agencyId = agencies.get(id);
  response.statusCode = agencyId ? 200 : 404;
  response.setHeader('Content-Type', 'application/json');
  response.end(JSON.stringify(agencyId ? { id, agencyId, status: 'active' } : {}));
  return true;
}

/**
 * Only the hub's node directory (the demo registry's agencies), for a test in which the hub's
 * key set must stay unreachable. Returns its base URL (HUB_REGISTRY_URL) and how to stop it.
 */
export async function serveNodeDirectory(): Promise<{ url: string; stop: () => Promise<void> }> {
  const agencies = new Map(Object.entries(DEMO_NODE_AGENCIES));
  const server = createServer((incoming, response) => {
    if (!answerNodeDirectory(agencies, incoming.url, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/nodes/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Plays the hub for the integration test of one node, so the node's own inbound and outbound
 * paths can be tested without the hub's routing: it serves a hub key set over real HTTP (as the
 * hub's /.well-known/hub-jwks.json does) and the nodes' registry entries (as
 * /.well-known/nodes/:nodeId does), signs views as `hub` and encrypts them to the node,
 * publishes them on the node's delivery topic of the real broker, and opens what the node
 * submitted (encrypted to this stand-in's key). The broker and the database stay real; the
 * end-to-end tests run the real hub.
 */
export class HubStandIn {
  private server: Server | null = null;
  private producer: Producer | null = null;
  private signing!: NodeKeyPair;
  private encryption!: NodeKeyPair;
  jwksUrl = '';
  /** The registry's agency of each node, served as the hub's node directory does. */
  readonly nodeAgencies = new Map<string, string>(Object.entries(DEMO_NODE_AGENCIES));

  async start(): Promise<void> {
    this.signing = await generateSigningKeyPair();
    this.encryption = await generateEncryptionKeyPair();
    const keys = { keys: [this.signing.publicJwk, this.encryption.publicJwk] };
    this.server = createServer((incoming, response) => {
      if (answerNodeDirectory(this.nodeAgencies, incoming.url, response)) return;
      response.setHeader('Content-Type', 'application/jwk-set+json');
      response.end(JSON.stringify(keys));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/hub-jwks.json`;
    this.producer = testKafka('hub-stand-in').producer({ idempotent: true });
    await this.producer.connect();
  }

  /** Signs a view as the hub, encrypts it to the node and publishes it on its delivery topic. */
  async deliver<B extends object>(
    nodeId: string,
    nodeEncryptionKey: JWK,
    definition: MessageTypeDefinition<B>,
    body: B,
    subjectRef: string,
  ): Promise<string> {
    const jti = randomUUID();
    const claims = {
      iss: 'hub',
      sub: subjectRef,
      jti,
      iat: Math.floor(Date.now() / 1000),
      type: definition.type,
      version: definition.version,
    };
    const jws = await signEnvelope({ ...claims, body }, this.signing);
    const jwe = await encryptEnvelope(jws, nodeEncryptionKey);
    const record = envelopeKafkaRecord(jwe, claims);
    await this.producer!.send({
      topic: deliveryTopic(nodeId),
      acks: -1,
      messages: [{ key: record.key, value: record.value, headers: record.headers }],
    });
    return jti;
  }

  /** What a node submitted to the hub, decrypted; undefined when it was not encrypted to us. */
  async open(record: KafkaMessage): Promise<OpenedEnvelope | undefined> {
    const jwe = record.value?.toString() ?? '';
    let jws: string;
    try {
      jws = await decryptEnvelope(jwe, {
        nodeId: 'hub',
        encryption: new Map([[this.encryption.kid, this.encryption.privateKey]]),
      });
    } catch {
      return undefined;
    }
    return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()) as OpenedEnvelope;
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
