import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { AuditEvent, Topics } from '@app/contracts';
import { RecordProcessor } from '@app/messaging';

import { ChainAppender } from '../chain/chain-appender.service';

/**
 * Appends every audit event on the topic to the chain. The offset is committed only after the
 * append has committed, so a crash redelivers the event and the appender skips it if it got in.
 */
@Controller()
export class AuditEventConsumer {
  constructor(
    private readonly records: RecordProcessor,
    private readonly chain: ChainAppender,
  ) {}

  @EventPattern(Topics.auditEvents)
  onAuditEvent(@Ctx() context: KafkaContext): Promise<void> {
    return this.records.process(context, AuditEvent, (event) => this.chain.append(event));
  }
}
