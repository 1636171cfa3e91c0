import { Inject, Injectable } from '@nestjs/common';
import { EnvelopeClaims, envelopeKafkaRecord, MessageTypeDefinition } from '@app/contracts';
import { encryptEnvelope, signEnvelope } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { HubKeySet } from '../keys/hub-key-set.service';
import { NodeKeys } from '../keys/node-keys.service';

export interface OutgoingEnvelope<B extends object> {
  definition: MessageTypeDefinition<B>;
  subjectRef: string;
  body: B;
  /** The message id; given when the caller must know it before the commit. */
  jti: string;
}

/** A signed envelope encrypted to the hub, ready for the outbox. */
export interface SealedEnvelope {
  jti: string;
  /** The signed envelope inside; its digest is what the audit trail names. */
  jws: string;
  /** Key = subjectRef, CloudEvents headers, value = the JWE to the hub. */
  record: { key: string; value: string; headers: Record<string, string> };
}

/**
 * Signs an envelope as this node (current signing key) and encrypts it to the hub's current
 * encryption key, so no record this node publishes carries personal data in clear: not on the
 * topic, not in the outbox row until it is sent. Both steps run before the caller's transaction
 * (CPU work must not hold a connection); `enqueue` then writes the outbox row within it.
 */
@Injectable()
export class NodeSender {
  constructor(
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
    private readonly keys: NodeKeys,
    private readonly hubKeys: HubKeySet,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Loads this node's keys and the hub's current encryption key, so that a `seal` called inside
   * a transaction right after does no I/O (the MARAC seals while it lists a case).
   */
  async warm(): Promise<void> {
    await this.keys.keyring();
    await this.hubKeys.encryptionKey();
  }

  async seal<B extends object>(message: OutgoingEnvelope<B>): Promise<SealedEnvelope> {
    const ring = await this.keys.keyring();
    const jws = await signEnvelope(
      {
        iss: this.identity.nodeId,
        sub: message.subjectRef,
        jti: message.jti,
        type: message.definition.type,
        version: message.definition.version,
        body: message.body,
      },
      ring.signing,
    );
    const claims = JSON.parse(
      Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'),
    ) as EnvelopeClaims;
    const jwe = await encryptEnvelope(jws, await this.hubKeys.encryptionKey());
    return { jti: message.jti, jws, record: envelopeKafkaRecord(jwe, claims) };
  }

  async enqueue(manager: EntityManager, topic: string, sealed: SealedEnvelope): Promise<void> {
    await this.outbox.add(manager, [{ topic, ...sealed.record }]);
  }
}
