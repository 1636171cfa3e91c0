import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { RecordProcessor } from '@app/messaging';

import { ChainAppender } from '../chain/chain-appender.service';
import { AuditEventVerifier } from '../signatures/audit-event-verifier.service';
import { SigningKeyStore } from '../signatures/signing-key-store.service';

/**
 * Appends every audit event on the topic to the chain, once its signature shows it comes from
 * the service it names as actor; the rest are set aside with their code (AuditEventVerifier). The offset is committed only after the
 * append has committed, so a crash redelivers the event and the appender skips it if it got in.
 */
@Controller()
export class AuditEventConsumer {
  constructor(
    private readonly records: RecordProcessor,
    private readonly chain: ChainAppender,
    private readonly verifier: AuditEventVerifier,
    private readonly signingKeys: SigningKeyStore,
  ) {}

  @EventPattern(Topics.auditEvents)
  onAuditEvent(@Ctx() context: KafkaContext): Promise<void> {
    return this.records.run(context, async () => {
      const message = context.getMessage();
      const producedAt = Number(message.timestamp);
      const verified = await this.verifier.verify(
        message.value,
        Number.isFinite(producedAt) ? producedAt : Date.now(),
      );
      await this.signingKeys.remember(verified.signer);
      await this.chain.append(verified.event, verified.jws);
    });
  }
}
