import { Controller, Get, Header, Inject } from '@nestjs/common';
import { JsonWebKeySet } from '@app/crypto';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import { BaseServiceEnv } from '../config/base-service.env';
import { SERVICE_ENV } from '../config/service-env.token';
import { Public } from '../auth/auth.decorators';
import { loadOrCreateDevIssuerKey } from './dev-issuer-keys';

/** The development issuer's public key set, so services verify its tokens as any OIDC JWKS. */
@ApiTags('development issuer')
@Controller('dev-issuer')
export class DevIssuerController {
  constructor(@Inject(SERVICE_ENV) private readonly env: BaseServiceEnv) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: 'Public keys of the development token issuer (not served in production)',
  })
  async jwks(): Promise<JsonWebKeySet> {
    const key = await loadOrCreateDevIssuerKey(this.env.KEYS_DIR);
    return { keys: [key.publicJwk] };
  }
}
