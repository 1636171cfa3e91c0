import { Global, Module } from '@nestjs/common';
import { signAuditEvent } from '@app/crypto';
import { AUDIT_EVENT_SIGNER, AuditEventSigner } from '@app/messaging';

import { HubKeys } from './hub-keys.service';

/**
 * The hub's keys, and the signer of the audit events its outbox relay publishes (as `hub`, with
 * the hub's current signing key). Global, so the outbox module finds the signer.
 */
@Global()
@Module({
  providers: [
    HubKeys,
    {
      provide: AUDIT_EVENT_SIGNER,
      useFactory: (keys: HubKeys): AuditEventSigner => ({
        sign: async (eventJson) => signAuditEvent(eventJson, (await keys.keyring()).signing),
      }),
      inject: [HubKeys],
    },
  ],
  exports: [HubKeys, AUDIT_EVENT_SIGNER],
})
export class HubKeysModule {}
