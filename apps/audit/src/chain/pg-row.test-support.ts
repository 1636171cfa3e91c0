/** Test support for the chain specs (excluded from the build): rows as verification reads them. */
import { ROW_HASH_INDEX, ROW_INDEX } from './canonical-row';
import { ChainRecord, HASHED_KEYS, UnhashedRecord } from './chain-record';

/** An ISO time as PostgreSQL prints `timestamp` in ISO DateStyle: trailing fraction zeros dropped. */
export function pgTimestampText(iso: string): string {
  const [, date, time, millis] = /^(.{10})T(.{8})\.(\d{3})Z$/.exec(iso)!;
  const fraction = millis.replace(/0+$/, '');
  return `${date} ${time}${fraction ? `.${fraction}` : ''}`;
}

/** A record as verification reads it: PostgreSQL text values in CANONICAL_ROW_COLUMNS order. */
export function pgRow(record: UnhashedRecord | ChainRecord): (string | null)[] {
  const values = record as unknown as Record<string, string | number | undefined>;
  const row: (string | null)[] = new Array<string | null>(ROW_HASH_INDEX + 1).fill(null);
  for (const key of HASHED_KEYS) {
    const value = values[key];
    if (value === undefined) continue;
    row[ROW_INDEX[key]] = ['occurredAt', 'appendedAt', 'deadline'].includes(key)
      ? pgTimestampText(value as string)
      : String(value);
  }
  row[ROW_HASH_INDEX] = (values.hash as string | undefined) ?? null;
  return row;
}
