import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { updateReturning } from '@app/persistence';
import { Clock, SERVICE_ENV } from '@app/platform';
import { FindOptionsWhere, LessThan, Repository } from 'typeorm';

import { ConsoleEnv } from '../config/console.env';
import { ConsoleSessionEntity, PendingSignIn, SessionPerson } from './console-session.entity';
import { newSessionSecret, seal, sessionIdHash, unseal } from './session-secret';

/** How long the provider's login page may stay open before the sign-in must start again. */
const SIGN_IN_MINUTES = 10;

/** How long an ended session's cookie is still recognised, to say why it ended. */
const ENDED_KEPT_MINUTES = 60;

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
    const row = await this.sessions.findOne({ where: { idHash } });
    if (row?.stage === 'ended') return { state: 'expired' };
    if (row?.stage !== 'active' || !row.person || !row.sealedTokens) return { state: 'none' };
    const now = this.clock.now();
    if (this.hasEnded(row, now)) {
      await this.markEnded({ idHash }, now);
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

  /**
   * Ends idle and expired sessions (their tokens cleared at once) and deletes what can no longer
   * be used: ended sessions past ENDED_KEPT_MINUTES and abandoned sign-ins.
   */
  async purge(): Promise<number> {
    const now = this.clock.now();
    await this.markEnded(
      [
        { stage: 'active', lastSeenAt: LessThan(this.idleSince(now)) },
        { stage: 'active', expiresAt: LessThan(now) },
      ],
      now,
    );
    const deleted = await this.sessions.delete({ expiresAt: LessThan(now) });
    return deleted.affected ?? 0;
  }

  private idleSince(now: Date): Date {
    return new Date(now.getTime() - this.env.CONSOLE_SESSION_IDLE_MINUTES * 60_000);
  }

  private hasEnded(row: ConsoleSessionEntity, now: Date): boolean {
    return row.lastSeenAt < this.idleSince(now) || row.expiresAt <= now;
  }

  /** Clears the sessions' tokens and person, keeping the row to answer "ended" for a while. */
  private async markEnded(
    where: FindOptionsWhere<ConsoleSessionEntity> | FindOptionsWhere<ConsoleSessionEntity>[],
    now: Date,
  ): Promise<void> {
    await this.sessions.update(where, {
      stage: 'ended',
      person: null,
      sealedTokens: null,
      pendingSignIn: null,
      expiresAt: new Date(now.getTime() + ENDED_KEPT_MINUTES * 60_000),
    });
  }
}
