/** The child a message is about, as the views name her: full name and date of birth. */
export interface ChildIdentity {
  name: string;
  dateOfBirth: string;
}

/** The child named by a decrypted view or referral (`child.name`, `child.dateOfBirth`), if any. */
export function childIdentityOf(body: unknown): ChildIdentity | null {
  const child = (body as { child?: unknown } | null | undefined)?.child as
    { name?: unknown; dateOfBirth?: unknown } | undefined;
  if (typeof child?.name !== 'string' || typeof child.dateOfBirth !== 'string') return null;
  if (!child.name.trim() || !child.dateOfBirth.trim()) return null;
  return { name: child.name, dateOfBirth: child.dateOfBirth };
}

/**
 * One key per child for matching inside the node: the name without case, accents or spacing
 * differences, with the date of birth. Never stored or sent anywhere; compared in memory only.
 */
export function childKey(identity: ChildIdentity): string {
  const name = identity.name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return `${name}|${identity.dateOfBirth.trim().slice(0, 10)}`;
}
