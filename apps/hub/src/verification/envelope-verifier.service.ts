import { Inject, Injectable } from '@nestjs/common';
import { MessageTypeRegistry } from '@app/contracts';
import { verifyEnvelope, VerifiedEnvelope } from '@app/crypto';
import { NodeKeyService } from '@app/registry';

import { HubEnv } from '../config/hub.env';
import { ReplayGuardService } from '../replay/replay-guard.service';
import { MESSAGE_TYPES } from './message-types.token';

/**
 * The hub's verification of a submitted envelope: every stateless check of `verifyEnvelope`
 * against the registry's keys, then the replay check in PostgreSQL. The submission consumer
 * calls this and maps an ExchangeError's code to quarantine and audit.
 */
@Injectable()
export class EnvelopeVerifierService {
  constructor(
    private readonly nodeKeys: NodeKeyService,
    private readonly replayGuard: ReplayGuardService,
    private readonly env: HubEnv,
    @Inject(MESSAGE_TYPES) private readonly messageTypes: MessageTypeRegistry,
  ) {}

  async verify<B extends object = object>(
    jws: string,
    now = new Date(),
  ): Promise<VerifiedEnvelope<B>> {
    const verified = await this.check<B>(jws, now);
    await this.admit(verified);
    return verified;
  }

  /** Every check except replay: for callers that tell a duplicate from a replay themselves. */
  check<B extends object = object>(jws: string, now = new Date()): Promise<VerifiedEnvelope<B>> {
    return verifyEnvelope<B>(jws, {
      resolveKey: (kid) => this.nodeKeys.resolve(kid),
      messageTypes: this.messageTypes,
      now,
      clockSkewSeconds: this.env.ENVELOPE_CLOCK_SKEW_SECONDS,
      maxBytes: this.env.ENVELOPE_MAX_BYTES,
      maxLifetimeSeconds: this.env.ENVELOPE_MAX_LIFETIME_SECONDS,
    });
  }

  /** Records the jti as seen; REPLAYED when it was already. */
  async admit(verified: VerifiedEnvelope): Promise<void> {
    // Last, and only for envelopes that passed the signature: nobody can fill the table with
    // ids of messages they could not sign, and a refused message does not burn its id.
    const rememberUntil = (verified.claims.exp + this.env.ENVELOPE_CLOCK_SKEW_SECONDS) * 1000;
    await this.replayGuard.admit(verified.claims.jti, verified.claims.iss, new Date(rememberUntil));
  }
}
