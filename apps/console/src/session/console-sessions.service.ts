import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { updateReturning } from '@app/persistence';
import { Clock, SERVICE_ENV } from '@app/platform';
import { LessThan, Repository } from 'typeorm';

import { ConsoleEnv } from '../config/console.env';
import { ConsoleSessionEntity, PendingSignIn, SessionPerson } from './console-session.entity';
import { newSessionSecret, seal, sessionIdHash, unseal } from './session-secret';

/** How long the provider's login page may stay open before the sign-in must start again. */
const SIGN_IN_MINUTES = 10;

export interface SessionTokens {
  accessToken: string;
  idToken?: string;
}

/** A signed-in session as a request sees it: the person and the way to call the APIs. */
export interface ActiveSession {
  secret: string;
  person: SessionPerson;
  csrfToken: string;
  tokens: SessionTokens;
}

export type SessionLookup =
  { state: 'active'; session: ActiveSession } | { state: 'expired' } | { state: 'none' };

/**
 * The console's sessions in PostgreSQL (its own schema). Sessions end after
 * CONSOLE_SESSION_IDLE_MINUTES without a request, when the access token expires, and on sign-out.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    @InjectRepository(ConsoleSessionEntity)
    private readonly sessions: Repository<ConsoleSessionEntity>,
    @Inject(SERVICE_ENV) private readonly env: ConsoleEnv,
    private readonly clock: Clock,
  ) {}

  /** Starts a sign-in; the returned secret goes into the short-lived sign-in cookie. */
  async beginSignIn(pending: PendingSignIn): Promise<string> {
    const secret = newSessionSecret();
    const now = this.clock.now();
    await this.sessions.insert({
      idHash: sessionIdHash(secret),
      stage: 'sign-in',
      pendingSignIn: pending,
      person: null,
      sealedTokens: null,
      csrfToken: randomBytes(24).toString('base64url'),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SIGN_IN_MINUTES * 60_000),
    });
    return secret;
  }

  /** The pending sign-in of that cookie, taken once: a second callback finds nothing. */
  async takeSignIn(secret: string): Promise<PendingSignIn | null> {
    const rows = await updateReturning<{ pending_sign_in: PendingSignIn }>(
      this.sessions.manager,
      `DELETE FROM console_session WHERE id_hash = $1 AND stage = 'sign-in' AND expires_at > $2
        RETURNING pending_sign_in`,
      [sessionIdHash(secret), this.clock.now()],
    );
    return rows[0]?.pending_sign_in ?? null;
  }

  /** A new session (a new secret: the sign-in cookie's is never promoted, no fixation). */
  async open(person: SessionPerson, tokens: SessionTokens, expiresAt: Date): Promise<string> {
    const secret = newSessionSecret();
    await this.sessions.insert({
      idHash: sessionIdHash(secret),
      stage: 'active',
      pendingSignIn: null,
      person,
      sealedTokens: seal(secret, JSON.stringify(tokens)),
      csrfToken: randomBytes(24).toString('base64url'),
      lastSeenAt: this.clock.now(),
      expiresAt,
    });
    return secret;
  }

  /**
   * Finds the cookie's session and, unless told it is not the person's doing (a page refreshing
   * itself), records this request as activity; an idle one is ended.
   */
  async touch(secret: string, { activity = true } = {}): Promise<SessionLookup> {
    const idHash = sessionIdHash(secret);
    const row = await this.sessions.findOne({ where: { idHash, stage: 'active' } });
    if (!row || !row.person || !row.sealedTokens) return { state: 'none' };
    const now = this.clock.now();
    const idleSince = now.getTime() - this.env.CONSOLE_SESSION_IDLE_MINUTES * 60_000;
    if (row.lastSeenAt.getTime() < idleSince || row.expiresAt.getTime() <= now.getTime()) {
      await this.sessions.delete({ idHash });
      return { state: 'expired' };
    }
    if (activity) await this.sessions.update({ idHash }, { lastSeenAt: now });
    return {
      state: 'active',
      session: {
        secret,
        person: row.person,
        csrfToken: row.csrfToken,
        tokens: JSON.parse(unseal(secret, row.sealedTokens)) as SessionTokens,
      },
    };
  }

  async end(secret: string): Promise<void> {
    await this.sessions.delete({ idHash: sessionIdHash(secret) });
  }

  /** Deletes sessions that can no longer be used (idle, expired, abandoned sign-ins). */
  async purge(): Promise<number> {
    const now = this.clock.now();
    const idleSince = new Date(now.getTime() - this.env.CONSOLE_SESSION_IDLE_MINUTES * 60_000);
    const idle = await this.sessions.delete({ lastSeenAt: LessThan(idleSince) });
    const expired = await this.sessions.delete({ expiresAt: LessThan(now) });
    return (idle.affected ?? 0) + (expired.affected ?? 0);
  }
}
