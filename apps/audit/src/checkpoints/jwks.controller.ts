import { Controller, Get, Inject } from '@nestjs/common';
import { JsonWebKeySet } from '@app/crypto';
import { Public } from '@app/platform';

import { CHECKPOINT_SIGNING_KEY, CheckpointSigningKey } from './checkpoint-signing-key.provider';

/** Public: anyone holding an export verifies its checkpoint with these keys. */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey) {}

  @Public()
  @Get('jwks.json')
  jwks(): JsonWebKeySet {
    return { keys: [this.key.publicJwk] };
  }
}
