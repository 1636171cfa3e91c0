import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { RecordProcessor } from '@app/messaging';

import { incomingRecord } from './incoming-record';
import { ProcessReceiptUseCase } from './process-receipt.usecase';
import { ProcessSubmissionUseCase } from './process-submission.usecase';

/** The hub's two inbound topics; each record is handled by one use case, or retried. */
@Controller()
export class ExchangeConsumer {
  constructor(
    private readonly records: RecordProcessor,
    private readonly submissions: ProcessSubmissionUseCase,
    private readonly receipts: ProcessReceiptUseCase,
  ) {}

  @EventPattern(Topics.submissions)
  onSubmission(@Ctx() context: KafkaContext): Promise<void> {
    return this.records.run(context, () => this.submissions.execute(incomingRecord(context)));
  }

  @EventPattern(Topics.receipts)
  onReceipt(@Ctx() context: KafkaContext): Promise<void> {
    return this.records.run(context, () => this.receipts.execute(incomingRecord(context)));
  }
}
