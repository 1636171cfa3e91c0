import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Who a signed-in person is, as the console shows and gates pages by (from the ID token). */
export interface SessionPerson {
  subject: string;
  name: string;
  roles: string[];
  mailboxes: string[];
  agencyId?: string;
}

/** A sign-in under way: what the callback must check (OAuth state, OIDC nonce, PKCE verifier). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/**
 * One browser's session. The row is found by the SHA-256 of the cookie's secret, and the tokens
 * are sealed with a key derived from that secret, so the table alone opens no session and
 * discloses no token. `stage` is `sign-in` while the provider's login page is open, and `ended`
 * (tokens and person cleared) for a while after the session ended by idleness or expiry.
 */
@Entity('console_session')
export class ConsoleSessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64 })
  idHash!: string;

  @Column({ type: 'varchar', length: 10 })
  stage!: 'sign-in' | 'active' | 'ended';

  @Column({ name: 'pending_sign_in', type: 'jsonb', nullable: true })
  pendingSignIn!: PendingSignIn | null;

  @Column({ type: 'jsonb', nullable: true })
  person!: SessionPerson | null;

  @Column({ name: 'sealed_tokens', type: 'text', nullable: true })
  sealedTokens!: string | null;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** When the access token expires (an ended session: when its row is deleted). */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
