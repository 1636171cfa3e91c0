import { HASHED_KEYS, INSERT_COLUMNS } from './chain-record';

/**
 * The canonical JSON of a row built straight from PostgreSQL's text output, for verification.
 *
 * `canonicalRecord` (chain-record.ts) encodes a ChainRecord object; reading rows as objects costs
 * `pg` about 5 µs a row and PostgreSQL's to_char another 1.3 µs. Verification instead selects
 * the hashed columns as an array, already in the order RFC 8785 sorts their keys, with every
 * value left as PostgreSQL's text (no type parsing in Node), and writes the JSON from that array
 * in one pass. A unit test holds it equal to the general canonicaliser (canonical-row.spec.ts).
 *
 * Text forms used, read with `DateStyle = ISO` (verify sets it for its transaction):
 * - bigint `seq` and smallint `completeness`: decimal digits, which is how JSON writes integers;
 * - uuid: lower-case hyphenated, as the record holds it;
 * - timestamptz as `column AT TIME ZONE 'UTC'`: `2026-11-26 08:30:00.12` (trailing zeros of the
 *   fraction dropped), turned into `2026-11-26T08:30:00.120Z` by `isoFromPgTimestamp`.
 */

const COLUMN_OF = new Map<string, string>(
  INSERT_COLUMNS.map(([column, , field]) => [field, column]),
);
const NUMBER_KEYS = new Set(['seq', 'completeness']);
const TIME_KEYS = new Set(['occurredAt', 'appendedAt', 'deadline']);

const enum Kind {
  Text,
  Number,
  Time,
}
const KINDS: Kind[] = HASHED_KEYS.map((key) =>
  NUMBER_KEYS.has(key) ? Kind.Number : TIME_KEYS.has(key) ? Kind.Time : Kind.Text,
);
const KEY_PREFIXES = HASHED_KEYS.map((key) => `${JSON.stringify(key)}:`);

/** Position of each hashed member in a row read with CANONICAL_ROW_COLUMNS. */
export const ROW_INDEX: Readonly<Record<string, number>> = Object.fromEntries(
  HASHED_KEYS.map((key, i) => [key, i]),
);
/** Position of the stored `hash` (not hashed itself): after the hashed members. */
export const ROW_HASH_INDEX = HASHED_KEYS.length;

/** The SELECT list for canonicalRow: the hashed columns in canonical key order, then `hash`. */
export const CANONICAL_ROW_COLUMNS = [
  ...HASHED_KEYS.map((key) => {
    const column = COLUMN_OF.get(key);
    if (!column) throw new Error(`no column for hashed member ${key}`);
    return TIME_KEYS.has(key) ? `${column} AT TIME ZONE 'UTC'` : column;
  }),
  'hash',
].join(', ');

/** Printable ASCII without `"` and `\\`: JSON writes such a string as it is, between quotes. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** A `timestamp` in ISO DateStyle for years 0001–9999 AD: `YYYY-MM-DD HH:MM:SS[.f…]`. */
const PG_TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/;

/**
 * `2026-11-26 08:30:00.12` → `2026-11-26T08:30:00.120Z`, the form the appender hashed
 * (`Date.toISOString`). A fraction finer than milliseconds is kept whole (`…00.123456Z`), so
 * such a value, which the appender never writes, fails the hash instead of being truncated. Any
 * other text (BC, year 10000 and later, `infinity`) is returned unchanged: it equals no ISO time
 * the appender writes, so that row fails its hash too.
 */
export function isoFromPgTimestamp(text: string): string {
  if (!PG_TIMESTAMP.test(text)) return text;
  const fraction = text.length > 20 ? text.slice(20).padEnd(3, '0') : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}

/**
 * The RFC 8785 JSON of a row (without its hash) from its values as read with
 * CANONICAL_ROW_COLUMNS in array row mode with no type parsing: null means absent and is omitted.
 */
export function canonicalRow(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < ROW_HASH_INDEX; i++) {
    const value = values[i];
    if (value === null) continue;
    if (out.length > 1) out += ',';
    switch (KINDS[i]) {
      case Kind.Number:
        out += KEY_PREFIXES[i] + value;
        break;
      case Kind.Time:
        out += `${KEY_PREFIXES[i]}"${isoFromPgTimestamp(value)}"`;
        break;
      default:
        // Most values need no escaping: skip JSON.stringify's cost for them.
        out += PLAIN_STRING.test(value)
          ? `${KEY_PREFIXES[i]}"${value}"`
          : KEY_PREFIXES[i] + JSON.stringify(value);
    }
  }
  return `${out}}`;
}
