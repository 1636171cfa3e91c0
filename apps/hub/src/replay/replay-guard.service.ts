import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { LessThan, Repository } from 'typeorm';

import { SeenJtiEntity } from './seen-jti.entity';

/**
 * Refuses a message id seen before. The insert is the check (ON CONFLICT DO NOTHING), so two
 * hub instances racing on the same jti cannot both accept it.
 */
@Injectable()
export class ReplayGuardService {
  constructor(@InjectRepository(SeenJtiEntity) private readonly seen: Repository<SeenJtiEntity>) {}

  /** Records the jti until `expiresAt`; throws REPLAYED when it was already recorded. */
  async admit(jti: string, iss: string, expiresAt: Date): Promise<void> {
    const inserted: unknown[] = await this.seen.query(
      `INSERT INTO seen_jti (jti, iss, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (jti) DO NOTHING RETURNING jti`,
      [jti, iss, expiresAt],
    );
    if (inserted.length === 0) {
      throw new ExchangeError(ExchangeErrorCode.REPLAYED, 'message id was already seen');
    }
  }

  /** Forgets ids whose envelopes have expired: a copy of those fails EXPIRED instead. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.seen.delete({ expiresAt: LessThan(now) });
    return result.affected ?? 0;
  }
}
