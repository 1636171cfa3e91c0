import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';

import { JwksController } from './jwks.controller';

@Module({
  imports: [RegistryModule],
  controllers: [JwksController],
})
export class JwksModule {}
