import { Module } from '@nestjs/common';

import { CheckpointsModule } from '../checkpoints/checkpoints.module';
import { AuditEventVerifier } from './audit-event-verifier.service';
import { OwnAuditEvents } from './own-audit-events.service';
import { RegisteredSigningKeys } from './registered-signing-keys.service';
import { SigningKeyStore } from './signing-key-store.service';

/** Who signed each audit event: checked for events from the topic, made for the audit's own. */
@Module({
  imports: [CheckpointsModule],
  providers: [RegisteredSigningKeys, AuditEventVerifier, SigningKeyStore, OwnAuditEvents],
  exports: [AuditEventVerifier, SigningKeyStore, OwnAuditEvents],
})
export class SignaturesModule {}
