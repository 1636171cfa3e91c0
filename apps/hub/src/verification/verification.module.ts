import { Module } from '@nestjs/common';
import { exchangeMessageTypes } from '@app/contracts';
import { RegistryModule } from '@app/registry';

import { ReplayModule } from '../replay/replay.module';
import { EnvelopeVerifierService } from './envelope-verifier.service';
import { MESSAGE_TYPES } from './message-types.token';

@Module({
  imports: [RegistryModule, ReplayModule],
  providers: [
    EnvelopeVerifierService,
    { provide: MESSAGE_TYPES, useFactory: () => exchangeMessageTypes() },
  ],
  exports: [EnvelopeVerifierService, MESSAGE_TYPES],
})
export class VerificationModule {}
