import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { deliveryTopic, envelopeKafkaRecord, MessageTypeDefinition } from '@app/contracts';
import { encryptEnvelope, signEnvelope } from '@app/crypto';
import { OutboxRecord } from '@app/messaging';
import { NodeKeyService } from '@app/registry';

import { HUB_NODE_ID, HubKeys } from '../keys/hub-keys.service';

export interface HubMessage<B extends object> {
  definition: MessageTypeDefinition<B>;
  subjectRef: string;
  body: B;
  jti?: string;
}

/** A node has no current encryption key: nothing can be sent to it. */
export class NodeUnreachableError extends Error {}

/**
 * Countersigns a message as the hub and encrypts it to one node's current encryption key, as a
 * record for that node's delivery topic. Built before the transaction that writes it to the
 * outbox, so no connection is held during the crypto.
 */
@Injectable()
export class HubSender {
  constructor(
    private readonly keys: HubKeys,
    private readonly nodeKeys: NodeKeyService,
  ) {}

  async sealFor<B extends object>(
    nodeId: string,
    message: HubMessage<B>,
  ): Promise<{ jti: string; record: OutboxRecord }> {
    // The hub has keys in the registry like every node but no delivery topic: a record claiming
    // to come from the hub gets no answer addressed back to it (issue 12 finding 7).
    if (nodeId === HUB_NODE_ID) throw new NodeUnreachableError('the hub is not a recipient node');
    // Only a node the registry has, with a current encryption key, has a delivery topic to write to.
    const recipientKey = await this.nodeKeys.current(nodeId, 'enc');
    if (!recipientKey)
      throw new NodeUnreachableError(`node ${nodeId} has no current encryption key`);
    const ring = await this.keys.keyring();
    const jti = message.jti ?? randomUUID();
    const claims = {
      iss: HUB_NODE_ID,
      sub: message.subjectRef,
      jti,
      iat: Math.floor(Date.now() / 1000),
      type: message.definition.type,
      version: message.definition.version,
    };
    const jws = await signEnvelope({ ...claims, body: message.body }, ring.signing);
    const jwe = await encryptEnvelope(jws, recipientKey);
    return { jti, record: { topic: deliveryTopic(nodeId), ...envelopeKafkaRecord(jwe, claims) } };
  }
}
