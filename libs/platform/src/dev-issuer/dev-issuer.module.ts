import { DynamicModule, Module } from '@nestjs/common';

import { DevIssuerController } from './dev-issuer.controller';
import { DevIssuerSignInController } from './dev-issuer-sign-in.controller';

/**
 * Mounts the development issuer (its JWKS, and sign-in for the console: discovery, authorize, token), except when NODE_ENV=production, where it does
 * not exist at all (and the env check refuses AUTH_ISSUER pointing at it).
 */
@Module({})
export class DevIssuerModule {
  static register(): DynamicModule {
    const production = process.env.NODE_ENV === 'production';
    return {
      module: DevIssuerModule,
      controllers: production ? [] : [DevIssuerController, DevIssuerSignInController],
    };
  }
}
