import { INestMicroservice, Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';

import { keepConsuming, SILENT_CONSUMER_MS } from './consumer-keeper';

/** kafkajs's own event names, from a consumer that never connects. */
const EVENTS = new Kafka({ brokers: ['127.0.0.1:1'] }).consumer({ groupId: 'spec' }).events;

/** A consumer that emits what the test says, as kafkajs's instrumentation would. */
class FakeConsumer {
  readonly events = EVENTS;
  private readonly listeners = new Map<string, ((event: { payload: unknown }) => void)[]>();
  disconnect = jest.fn(() => Promise.resolve());
  on(event: string, listener: (event: { payload: unknown }) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => undefined;
  }
  emit(event: string, payload: unknown = {}) {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }
}

describe('keepConsuming', () => {
  let clock: number;
  let consumers: FakeConsumer[];
  let microservice: INestMicroservice;
  const logger = { error: jest.fn(), log: jest.fn(), warn: jest.fn() } as unknown as Logger;
  const current = () => consumers[consumers.length - 1];
  const pass = async (ms: number, every = 3_000, sign?: string) => {
    for (let spent = 0; spent < ms; spent += every) {
      clock += every;
      if (sign) current().emit(sign);
      await jest.advanceTimersByTimeAsync(every);
    }
  };

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    consumers = [new FakeConsumer()];
    const producer = { disconnect: jest.fn(() => Promise.resolve()) };
    microservice = {
      unwrap: () => [{}, current(), producer],
      // Nest's listen makes a new client and consumer, as at boot.
      listen: jest.fn(() => {
        consumers.push(new FakeConsumer());
        return Promise.resolve();
      }),
    } as unknown as INestMicroservice;
  });
  afterEach(() => jest.useRealTimers());

  it('leaves alone a consumer that heartbeats, however long it runs', async () => {
    keepConsuming(microservice, logger, () => clock);
    await pass(10 * SILENT_CONSUMER_MS, 3_000, EVENTS.HEARTBEAT);
    expect(microservice.listen).not.toHaveBeenCalled();
  });

  it('starts afresh a connected consumer that went silent, once, and keeps the new one', async () => {
    keepConsuming(microservice, logger, () => clock);
    await pass(SILENT_CONSUMER_MS + 20_000);
    expect(microservice.listen).toHaveBeenCalledTimes(1);
    expect(consumers[0].disconnect).toHaveBeenCalled();
    // The new consumer is watched in turn, and heartbeats: nothing more happens.
    await pass(5 * SILENT_CONSUMER_MS, 3_000, EVENTS.HEARTBEAT);
    expect(microservice.listen).toHaveBeenCalledTimes(1);
  });

  it('never takes a consumer busy in its handlers, or disconnected, for a silent one', async () => {
    keepConsuming(microservice, logger, () => clock);
    current().emit(EVENTS.START_BATCH_PROCESS);
    await pass(3 * SILENT_CONSUMER_MS);
    expect(microservice.listen).not.toHaveBeenCalled();
    current().emit(EVENTS.END_BATCH_PROCESS);
    current().emit(EVENTS.DISCONNECT); // the service closing
    await pass(3 * SILENT_CONSUMER_MS);
    expect(microservice.listen).not.toHaveBeenCalled();
  });

  it('starts afresh a consumer that crashed and will not restart itself, and not one that will', async () => {
    keepConsuming(microservice, logger, () => clock);
    current().emit(EVENTS.CRASH, { error: new Error('retriable'), restart: true });
    await pass(10_000);
    expect(microservice.listen).not.toHaveBeenCalled();
    current().emit(EVENTS.CRASH, { error: new Error('gave up'), restart: false });
    await jest.advanceTimersByTimeAsync(0);
    expect(microservice.listen).toHaveBeenCalledTimes(1);
  });
});
