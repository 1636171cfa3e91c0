import { Inject, Injectable } from '@nestjs/common';
import { envelopeKafkaRecord, MessageTypeDefinition } from '@app/contracts';
import { signEnvelope } from '@app/crypto';
import { OutboxWriter } from '@app/messaging';
import { EntityManager } from 'typeorm';

import { NODE_IDENTITY, NodeIdentity } from '../identity/node-identity';
import { NodeKeys } from '../keys/node-keys.service';

export interface OutgoingEnvelope<B extends object> {
  definition: MessageTypeDefinition<B>;
  subjectRef: string;
  body: B;
  /** The message id; given when the caller must know it before the commit. */
  jti: string;
}

/**
 * Signs an envelope as this node (current signing key) and puts it in the outbox within the
 * caller's transaction; the relay publishes it keyed by subjectRef.
 */
@Injectable()
export class NodeSender {
  constructor(
    @Inject(NODE_IDENTITY) private readonly identity: NodeIdentity,
    private readonly keys: NodeKeys,
    private readonly outbox: OutboxWriter,
  ) {}

  async sign<B extends object>(message: OutgoingEnvelope<B>): Promise<string> {
    const ring = await this.keys.keyring();
    return signEnvelope(
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
  }

  async enqueue(manager: EntityManager, topic: string, jws: string): Promise<void> {
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8'));
    await this.outbox.add(manager, [{ topic, ...envelopeKafkaRecord(jws, claims) }]);
  }
}
