import { Injectable } from '@nestjs/common';
import { ExchangeError, ExchangeErrorCode } from '@app/contracts';

import { HubEnv } from '../config/hub.env';
import { HubKeys } from '../keys/hub-keys.service';

/**
 * Opens a record a node sent to the hub (submission or receipt): it must be a JWE to one of the
 * hub's encryption keys, whose plaintext is the node's signed envelope, verified next by the
 * caller. A plain JWS is refused `NOT_ENCRYPTED` (it must not be processed, or senders would
 * never notice they publish personal data in clear); a JWE to another key
 * `NOT_ADDRESSED_TO_NODE` (HubKeys re-reads its key directory first when that key's file is on
 * disk: the hub's key was rotated while it ran).
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
    return this.keys.decrypt(value, this.env.ENVELOPE_MAX_BYTES);
  }
}
