import { EntityManager } from 'typeorm';

/** A table of what the hub said about each recipient of the messages this node sent. */
export interface RecipientTable {
  /** e.g. `incident_notification_recipient`; keyed by (message_id, mailboxColumn). */
  table: string;
  /** The column naming the recipient: its mailbox id, or what a rejection named instead. */
  mailboxColumn: string;
  /** The table of the messages this node sent, keyed by message_id. */
  messages: string;
  /** Columns copied from the message's row into a new recipient row (e.g. `episode_id`). */
  copied?: string[];
}

/**
 * Sets columns of one recipient's row of a message this node sent, creating the row with the
 * first of the hub's messages about it. Only a message in `table.messages` gets a row, so a
 * receipt about any other message (another journey's) changes nothing. A column only moves from
 * null to a value, so a message handled twice changes nothing and the hub's messages may arrive
 * in any order.
 */
export async function markRecipient(
  manager: EntityManager,
  table: RecipientTable,
  messageId: string,
  mailboxId: string,
  values: Record<string, unknown>,
): Promise<void> {
  const columns = Object.keys(values);
  const copied = table.copied ?? [];
  await manager.query(
    `INSERT INTO ${table.table} (message_id, ${table.mailboxColumn}, ${[...copied, ...columns].join(', ')})
     SELECT $1, $2, ${[...copied, ...columns.map((_, i) => `$${i + 3}`)].join(', ')}
       FROM ${table.messages} WHERE message_id = $1
     ON CONFLICT (message_id, ${table.mailboxColumn}) DO UPDATE SET ${columns
       .map((column) => `${column} = COALESCE(${table.table}.${column}, EXCLUDED.${column})`)
       .join(', ')}`,
    [messageId, mailboxId, ...Object.values(values)],
  );
}
