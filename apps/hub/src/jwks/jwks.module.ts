import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';

import { JwksController } from './jwks.controller';
import { NodeDirectoryController } from './node-directory.controller';

@Module({
  imports: [RegistryModule],
  controllers: [JwksController, NodeDirectoryController],
})
export class JwksModule {}
