/** The roles a bearer token can carry (from the configured roles claim). */
export const Roles = [
  'agency-system',
  'mailbox-user',
  'marac-coordinator',
  'auditor',
  'admin',
] as const;
export type Role = (typeof Roles)[number];

/** Who is calling, as established from a verified bearer token. */
export interface Principal {
  /** The token's `sub`: a person or a system, never shown to other callers. */
  subject: string;
  issuer: string;
  roles: Role[];
  /** The mailboxes a mailbox-user is bound to; empty for other roles. */
  mailboxes: string[];
  /** The agency an agency-system acts for (AUTH_AGENCY_CLAIM); it may speak for no other. */
  agencyId?: string;
}
