import { ExchangeErrorCode, Topics } from '@app/contracts';
import { KafkaContext, KafkaRetriableException } from '@nestjs/microservices';

import { KafkaPublisher } from '../kafka/kafka-publisher.service';
import { MAX_HANDLER_ATTEMPTS, RecordProcessor } from './record-processor.service';
import { TransientDependencyError } from './record-failure';

/** Unit test: the publisher and the dependency probe are fakes; the processor is real. */
function context(): KafkaContext {
  return new KafkaContext([
    { key: Buffer.from('k'), value: 'v', offset: '7', headers: { ce_id: 'id' } } as never,
    2,
    'sgx.submissions.v1',
    undefined as never,
    undefined as never,
    undefined as never,
  ]);
}

describe('RecordProcessor (issue 12 finding 1)', () => {
  const published: { topic: string; headers: Record<string, string> }[] = [];
  const publisher = {
    publish: async (topic: string, records: { headers: Record<string, string> }[]) => {
      for (const record of records) published.push({ topic, headers: record.headers });
    },
  } as unknown as KafkaPublisher;
  let up = true;
  const processor = new RecordProcessor(publisher, { dependenciesUp: async () => up });

  beforeEach(() => {
    published.length = 0;
    up = true;
  });

  it('finding 1: a record failing with `Invalid time value` is refused on its first attempt, with its code', async () => {
    let attempts = 0;
    const refused: unknown[] = [];
    await processor.run(
      context(),
      async () => {
        attempts++;
        new Date('2026-W01-1').toISOString();
      },
      async (failure) => {
        refused.push(failure);
      },
    );
    expect(attempts).toBe(1);
    expect(refused).toEqual([
      {
        code: ExchangeErrorCode.UNPROCESSABLE,
        reason: expect.stringContaining('Invalid time value'),
      },
    ]);
    expect(published).toEqual([]);
  });

  it('finding 1: without a refusal of its own the record is dead-lettered at once with the code', async () => {
    await processor.run(context(), async () => {
      throw Object.assign(new Error('x'), { driverError: { code: '22021' } });
    });
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe(Topics.deadLetter);
    expect(published[0].headers).toMatchObject({
      sgx_dead_letter_code: ExchangeErrorCode.UNSTORABLE_TEXT,
      sgx_source_offset: '7',
    });
  });

  it('finding 1: a failure of no certain cause is tried a few times at once, then refused as HANDLER_FAILED', async () => {
    let attempts = 0;
    const refused: { code: string }[] = [];
    await processor.run(
      context(),
      async () => {
        attempts++;
        throw new Error('lost a race');
      },
      async (failure) => {
        refused.push(failure);
      },
    );
    expect(attempts).toBe(MAX_HANDLER_ATTEMPTS);
    expect(refused.map((failure) => failure.code)).toEqual([ExchangeErrorCode.HANDLER_FAILED]);
  });

  it('a record whose dependency is away is retried by the transport, never refused', async () => {
    await expect(
      processor.run(context(), async () => {
        throw new TransientDependencyError('keys unavailable');
      }),
    ).rejects.toBeInstanceOf(KafkaRetriableException);
    up = false;
    await expect(
      processor.run(context(), async () => {
        throw new Error('connection terminated');
      }),
    ).rejects.toBeInstanceOf(KafkaRetriableException);
    expect(published).toEqual([]);
  });

  it('dead-letters a record whose own refusal fails for good', async () => {
    await processor.run(
      context(),
      async () => {
        throw new RangeError('Invalid time value');
      },
      async () => {
        throw Object.assign(new Error('x'), { driverError: { code: '22P05' } });
      },
    );
    expect(published[0].headers.sgx_dead_letter_code).toBe(ExchangeErrorCode.UNPROCESSABLE);
  });
});
