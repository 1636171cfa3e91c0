import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { AuditEvent, Topics } from '@app/contracts';
import { RecordProcessor } from '@app/messaging';

import { AuditTrailService } from './audit-trail.service';

@Controller()
export class AuditEventConsumer {
  constructor(
    private readonly records: RecordProcessor,
    private readonly trail: AuditTrailService,
  ) {}

  @EventPattern(Topics.auditEvents)
  onAuditEvent(@Ctx() context: KafkaContext): Promise<void> {
    return this.records.process(context, AuditEvent, (event) => this.trail.append(event));
  }
}
