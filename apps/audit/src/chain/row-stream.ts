import { ClientBase, CustomTypesConfig, Query, QueryArrayConfig } from 'pg';

/** Every column as PostgreSQL's text output: no parsing into numbers, dates or objects in Node. */
const RAW_TEXT = { getTypeParser: () => (text: string) => text } as unknown as CustomTypesConfig;

/**
 * Runs a SELECT on a pg client and hands each row to `onRow` as it arrives from the socket, as
 * an array of PostgreSQL text values (null for NULL), without collecting the rows. PostgreSQL
 * produces the next rows while Node handles these, so reading and hashing overlap on two cores;
 * the socket's buffer bounds memory. Once `onRow` returns false the remaining rows of this
 * statement are read and dropped (callers keep statements to a bounded seq range).
 */
export function streamRows(
  client: ClientBase,
  text: string,
  values: unknown[],
  onRow: (row: (string | null)[]) => boolean,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let wanted = true;
    let thrown: unknown;
    const config: QueryArrayConfig = { text, values, rowMode: 'array', types: RAW_TEXT };
    // @types/pg types Query's config without rowMode; pg itself honours it.
    const query = new Query(config);
    query.on('row', (row: (string | null)[]) => {
      if (!wanted) return;
      try {
        wanted = onRow(row);
      } catch (error) {
        // Not thrown into pg's socket handler: the statement finishes and the call rejects.
        wanted = false;
        thrown = error;
      }
    });
    query.on('end', () => (thrown === undefined ? resolve() : reject(thrown)));
    query.on('error', reject);
    client.query(query);
  });
}
