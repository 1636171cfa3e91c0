import { VerifiedEnvelope } from '@app/crypto';
import { EntityManager } from 'typeorm';

/**
 * What an agency does with a verified delivery besides filing it in the inbox (the police node
 * updates its notifications' status). Runs in the inbox's transaction, once per message.
 */
export interface NodeDeliveryHandler {
  onDelivered(manager: EntityManager, envelope: VerifiedEnvelope): Promise<void>;
}

export const NODE_DELIVERY_HANDLER = Symbol('NODE_DELIVERY_HANDLER');
