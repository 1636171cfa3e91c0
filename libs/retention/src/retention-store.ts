import { EntityManager } from 'typeorm';

import { RetentionRuleId } from './retention-rules';

/** One item a purge cleared: what its tombstone and its `purged` audit event name. */
export interface PurgedItem {
  /** The message (or delivery) id the item is known by in the trail. */
  messageId: string;
  messageType: string | null;
  subjectRef: string | null;
  recipientMailbox: string | null;
}

/** What a store is asked to purge in one batch. */
export interface PurgeBatch {
  /** Items whose period started before this instant are due. */
  cutoff: Date;
  /** When the purge happens, written into the tombstone. */
  purgedAt: Date;
  limit: number;
}

/**
 * One store of personal data under one retention rule, declared by the service that owns it.
 * `purge` clears the payload of at most `limit` due items and leaves their tombstone, in the
 * caller's transaction, taking each row with FOR UPDATE SKIP LOCKED and only while it has no
 * tombstone: two instances purging at once each take different rows, and a second run finds
 * nothing left.
 */
export interface RetentionStore {
  readonly ruleId: RetentionRuleId;
  purge(manager: EntityManager, batch: PurgeBatch): Promise<PurgedItem[]>;
}

/** The stores a service owns (a multi-provider list given to RetentionModule). */
export const RETENTION_STORES = Symbol('RETENTION_STORES');
/** The actor the service's `purged` audit events name (the node id, `hub`). */
export const RETENTION_ACTOR = Symbol('RETENTION_ACTOR');
