import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { Topics } from '@app/contracts';
import { RecordProcessor } from '@app/messaging';

import { incomingRecord } from './incoming-record';
import { ProcessReceiptUseCase } from './process-receipt.usecase';
import { ProcessSubmissionUseCase } from './process-submission.usecase';

/**
 * The hub's two inbound topics; each record is handled by one use case, retried while a
 * dependency is away, or refused to its sender when it fails for good.
 */
@Controller()
export class ExchangeConsumer {
  constructor(
    private readonly records: RecordProcessor,
    private readonly submissions: ProcessSubmissionUseCase,
    private readonly receipts: ProcessReceiptUseCase,
  ) {}

  @EventPattern(Topics.submissions)
  onSubmission(@Ctx() context: KafkaContext): Promise<void> {
    const record = incomingRecord(context);
    return this.records.run(
      context,
      () => this.submissions.execute(record),
      (failure) => this.submissions.refuse(record, failure),
    );
  }

  @EventPattern(Topics.receipts)
  onReceipt(@Ctx() context: KafkaContext): Promise<void> {
    const record = incomingRecord(context);
    return this.records.run(
      context,
      () => this.receipts.execute(record),
      (failure) => this.receipts.refuse(record, failure),
    );
  }
}
