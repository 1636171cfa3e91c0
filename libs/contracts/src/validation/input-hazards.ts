import { isUnstorableText } from '../text/storable-text';

/**
 * What no input to the exchange may hold, whatever its schema: keys that reach an object's
 * prototype when a library copies or merges the object, control characters (other than tab,
 * line feed and carriage return in free text), which PostgreSQL cannot store (NUL) or which
 * forge lines in a reader's log or screen, and lone UTF-16 surrogates, which have no UTF-8
 * encoding and are stored as U+FFFD, so a hash or signature over the input no longer matches
 * what is stored. Checked on every HTTP body, query and path of every service before any
 * handler runs, and usable on a decrypted record's body.
 */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

// eslint-disable-next-line no-control-regex -- finding them is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Why a string is refused, or null. */
export function stringHazard(value: string): string | null {
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters';
  // With control characters ruled out, what PostgreSQL cannot store is a lone surrogate.
  if (isUnstorableText(value)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/**
 * Every hazard in a parsed JSON value, as `path: reason` (never the value itself), at most
 * `limit` of them. Recursion is bounded by the caller's depth limit on the raw input.
 */
export function findInputHazards(value: unknown, path: string, limit = 20): string[] {
  const found: string[] = [];
  const visit = (node: unknown, at: string): void => {
    if (found.length >= limit) return;
    if (typeof node === 'string') {
      const hazard = stringHazard(node);
      if (hazard) found.push(`${at} ${hazard}`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${at}[${index}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const keyHazard = FORBIDDEN_KEYS.includes(key)
        ? `key ${key} is not allowed`
        : stringHazard(key) && `keys ${stringHazard(key)}`;
      if (keyHazard) {
        found.push(`${at}: ${keyHazard}`);
        continue;
      }
      visit((node as Record<string, unknown>)[key], `${at}.${key}`);
    }
  };
  visit(value, path);
  return found;
}
