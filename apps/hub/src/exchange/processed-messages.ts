import { EntityManager } from 'typeorm';

export type ProcessedOutcome = 'routed' | 'rejected' | 'sharing-refused' | 'receipt' | 'duplicate';

/**
 * Marks a message processed inside the transaction that carries its effects. False when it
 * already was: the caller then rolls back, so a re-published copy has no second effect.
 */
export async function markProcessed(
  manager: EntityManager,
  key: string,
  iss: string | null,
  digest: string,
  outcome: ProcessedOutcome,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO processed_message (message_key, iss, payload_digest, outcome) VALUES ($1, $2, $3, $4)
     ON CONFLICT (message_key) DO NOTHING RETURNING message_key`,
    [key, iss, digest, outcome],
  );
  return rows.length === 1;
}

/** The digest a message id was processed with, or undefined when it was not processed. */
export async function processedDigest(
  manager: EntityManager,
  key: string,
): Promise<string | undefined> {
  const rows: { payload_digest: string }[] = await manager.query(
    'SELECT payload_digest FROM processed_message WHERE message_key = $1',
    [key],
  );
  return rows[0]?.payload_digest;
}

/** Thrown inside a transaction to roll it back when another copy won the race. */
export class AlreadyProcessed extends Error {}
