/**
 * A page of a list read newest first, with the keyset cursor of the next page. The cursor is the
 * last row's creation time (to the microsecond, as PostgreSQL keeps it) and id, so a row created
 * while someone pages never shifts another page, and no page costs an OFFSET scan.
 */
export interface NewestFirstPage<T> {
  items: T[];
  /** Pass as `cursor` for the next, older page; null on the last page. */
  nextCursor: string | null;
}

/** Where a page starts: after (older than) this row. */
export interface PageCursor {
  createdAt: string;
  id: string;
}

/** Default and largest page size of the list endpoints. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const CURSOR =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The SQL that selects a row's cursor time, in the exact form the cursor carries. */
export const cursorTimeSql = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(cursor: PageCursor): string {
  return `${cursor.createdAt}~${cursor.id}`;
}

/** The cursor of an earlier page, or null when the text is not one (a real calendar time too). */
export function decodeCursor(text: string): PageCursor | null {
  const match = CURSOR.exec(text);
  if (!match) return null;
  const [, createdAt, id] = match;
  const millis = Date.parse(createdAt);
  // Date.parse rolls 2026-02-30 over to March: the round trip catches impossible dates.
  if (
    Number.isNaN(millis) ||
    new Date(millis).toISOString().slice(0, 23) !== createdAt.slice(0, 23)
  ) {
    return null;
  }
  return { createdAt, id };
}

/** The page of `limit` from rows read with one extra, which only says whether more follow. */
export function pageOf<R extends { cursor_at: string; cursor_id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): NewestFirstPage<T> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(view),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ createdAt: last.cursor_at, id: last.cursor_id })
        : null,
  };
}
