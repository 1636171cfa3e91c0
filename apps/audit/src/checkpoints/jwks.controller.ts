import { Controller, Get, Inject } from '@nestjs/common';
import { Public } from '@app/platform';
import { JWK } from 'jose';

import { CHECKPOINT_SIGNING_KEY, CheckpointSigningKey } from './checkpoint-signing-key.provider';

/** Public: anyone holding an export verifies its checkpoint with these keys. */
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey) {}

  @Public()
  @Get('jwks.json')
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }
}
