import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
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

/**
 * Plays the hub for the integration test of one node, so the node's own inbound and outbound
 * paths can be tested without the hub's routing: it serves a hub key set over real HTTP (as the
 * hub's /.well-known/hub-jwks.json does), signs views as `hub` and encrypts them to the node,
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

  async start(): Promise<void> {
    this.signing = await generateSigningKeyPair();
    this.encryption = await generateEncryptionKeyPair();
    const keys = { keys: [this.signing.publicJwk, this.encryption.publicJwk] };
    this.server = createServer((_, response) => {
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
