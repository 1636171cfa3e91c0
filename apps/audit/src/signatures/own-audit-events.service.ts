import { Inject, Injectable } from '@nestjs/common';
import { AuditEvent, storableJson } from '@app/contracts';
import { signAuditEvent } from '@app/crypto';

import {
  CHECKPOINT_SIGNING_KEY,
  CheckpointSigningKey,
} from '../checkpoints/checkpoint-signing-key.provider';
import { SigningKeyStore } from './signing-key-store.service';

/** The node id the audit service's own events (auditor reads) are signed as. */
export const AUDIT_NODE_ID = 'audit';

/**
 * Signs the events the audit service appends itself (an auditor's `trail-read`, whose actor is
 * the auditor's `sub`) with the audit node's key, so every row appended from now on has an
 * origin an offline verifier can check. The event is made storable first, so the signed JSON
 * is exactly what the row holds.
 */
@Injectable()
export class OwnAuditEvents {
  constructor(
    @Inject(CHECKPOINT_SIGNING_KEY) private readonly key: CheckpointSigningKey,
    private readonly keys: SigningKeyStore,
  ) {}

  async sign(draft: AuditEvent): Promise<{ event: AuditEvent; jws: string }> {
    const event = storableJson({
      ...draft,
      ...(draft.messageId ? { messageId: draft.messageId.toLowerCase() } : {}),
    });
    await this.keys.remember({
      nodeId: AUDIT_NODE_ID,
      kid: this.key.kid,
      publicJwk: this.key.publicJwk,
    });
    return { event, jws: await signAuditEvent(JSON.stringify(event), this.key) };
  }
}
