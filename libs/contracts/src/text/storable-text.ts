/**
 * Text PostgreSQL cannot store as it came: a NUL (refused in text and jsonb) or a lone UTF-16
 * surrogate (refused in jsonb, silently turned into U+FFFD in text, so a digest of the string
 * as it arrived no longer matches what was stored). Found at the boundary, such a value is a
 * permanent refusal of its record, never a database error to retry.
 */
// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- finding the NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/** True when the string holds a NUL or a lone surrogate. */
export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** The string with every NUL and lone surrogate replaced by U+FFFD: what a text column keeps. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, '\uFFFD');
}

/**
 * The path of the first string (a value or a member name) in a JSON value that PostgreSQL
 * cannot store, e.g. `body.child.name`; undefined when there is none. Names the place, never
 * the value, so it may go into a refusal's reason.
 */
export function findUnstorableText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isUnstorableText(value) ? path || '(value)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnstorableText(value[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [name, member] of Object.entries(value)) {
    const memberPath = path ? `${path}.${storableText(name)}` : storableText(name);
    if (isUnstorableText(name)) return memberPath;
    const found = findUnstorableText(member, memberPath);
    if (found) return found;
  }
  return undefined;
}

/** A JSON value with every string and member name made storable (see storableText). */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => storableJson(item)) as T;
  return Object.fromEntries(
    Object.entries(value).map(([name, member]) => [storableText(name), storableJson(member)]),
  ) as T;
}
