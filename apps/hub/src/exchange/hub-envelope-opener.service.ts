import { Injectable } from '@nestjs/common';
import { ExchangeError, ExchangeErrorCode, isExchangeError } from '@app/contracts';
import { decryptEnvelope } from '@app/crypto';

import { HubEnv } from '../config/hub.env';
import { HubKeys } from '../keys/hub-keys.service';

/**
 * Opens a record a node sent to the hub (submission or receipt): it must be a JWE to one of the
 * hub's encryption keys, whose plaintext is the node's signed envelope, verified next by the
 * caller. A plain JWS is refused `NOT_ENCRYPTED` (it must not be processed, or senders would
 * never notice they publish personal data in clear); a JWE to another key
 * `NOT_ADDRESSED_TO_NODE`, after one re-read of the key directory in case the hub's key was
 * rotated while it ran.
 */
@Injectable()
export class HubEnvelopeOpener {
  constructor(
    private readonly keys: HubKeys,
    private readonly env: HubEnv,
  ) {}

  async open(value: string): Promise<string> {
    const parts = value.split('.').length;
    if (parts === 3) {
      throw new ExchangeError(
        ExchangeErrorCode.NOT_ENCRYPTED,
        'records to the hub must be encrypted to its key (JWE), not a bare JWS',
      );
    }
    const max = this.env.ENVELOPE_MAX_BYTES;
    try {
      return await decryptEnvelope(value, await this.keys.keyring(), max);
    } catch (error) {
      if (!isExchangeError(error, ExchangeErrorCode.NOT_ADDRESSED_TO_NODE)) throw error;
      return decryptEnvelope(value, await this.keys.reload(), max);
    }
  }
}
