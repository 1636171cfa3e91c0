/**
 * JSON Canonicalization Scheme (RFC 8785) for the values the audit trail hashes and signs:
 * objects with keys sorted by UTF-16 code units, no whitespace, strings escaped and numbers
 * written as ECMAScript's JSON.stringify does (which is what RFC 8785 specifies). Written here
 * rather than taken from a package because it is twenty lines and the trail depends on it.
 */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | CanonicalValue[]
  | { [key: string]: CanonicalValue | undefined };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Default sort compares UTF-16 code units, as RFC 8785 section 3.2.3 requires.
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as CanonicalValue)}`);
  return `{${members.join(',')}}`;
}
