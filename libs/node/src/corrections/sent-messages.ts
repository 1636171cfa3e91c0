import { EntityManager } from 'typeorm';

/** A message this node sent, as far as a correction needs it. */
export interface SentMessage {
  type: string;
  subjectRef: string;
}

/**
 * Finds a message this node sent in the agency's own tables (the police node's notifications):
 * provided by an adapter under SENT_MESSAGE_LOOKUP. The node's own referrals are found without it.
 */
export interface SentMessageLookup {
  find(manager: EntityManager, messageId: string): Promise<SentMessage | undefined>;
}

export const SENT_MESSAGE_LOOKUP = Symbol('SENT_MESSAGE_LOOKUP');
