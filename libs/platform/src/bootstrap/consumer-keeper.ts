import { INestMicroservice, Logger as NestLogger } from '@nestjs/common';
import { describeError } from '@app/messaging';
import { Consumer, Kafka, Producer } from 'kafkajs';

const MAX_BACKOFF_MS = 30_000;
/** How often the keeper looks. */
const CHECK_EVERY_MS = 10_000;
/**
 * A consumer in its group heartbeats every few seconds and fetches at least every
 * maxWaitTimeInMs (5 s) even with nothing to read; a rebalance ends within the session timeout.
 * Silence this long, with no batch in its handlers, means it is no longer consuming.
 */
export const SILENT_CONSUMER_MS = 90_000;

/**
 * Keeps a service's Kafka consumer consuming. kafkajs restarts a crashed consumer only after an
 * error it deems retriable; after any other (seen in the fault run: a consumer restarted while
 * the brokers and the database came and went) it leaves the group for good, and the service would
 * look healthy while consuming nothing. The fault run also saw a consumer leave its group without
 * any crash (its group Empty, the process healthy). Either way the consumer is started afresh (a
 * new client, as at boot), retrying with backoff; its uncommitted records come again, and the
 * handlers are idempotent. A consumer busy in a handler (a record waiting for a dependency) is
 * never taken for a silent one.
 */
export function keepConsuming(
  microservice: INestMicroservice,
  logger: NestLogger,
  now: () => number = Date.now,
): void {
  const [, consumer, producer] = microservice.unwrap<[Kafka, Consumer, Producer]>();
  let lastSign = now();
  let batchesInHandlers = 0;
  let done = false;
  const alive = () => {
    lastSign = now();
  };
  const { events } = consumer;
  for (const event of [
    events.HEARTBEAT,
    events.FETCH_START,
    events.FETCH,
    events.GROUP_JOIN,
    events.COMMIT_OFFSETS,
  ]) {
    consumer.on(event, alive);
  }
  consumer.on(events.START_BATCH_PROCESS, () => {
    batchesInHandlers += 1;
    alive();
  });
  consumer.on(events.END_BATCH_PROCESS, () => {
    batchesInHandlers = Math.max(0, batchesInHandlers - 1);
    alive();
  });

  let watch: NodeJS.Timeout | undefined;
  const stopWatching = () => {
    clearInterval(watch);
    watch = undefined;
  };
  const startAfresh = (why: string) => {
    if (done) return;
    done = true;
    stopWatching();
    logger.error(`Kafka consumer ${why}; starting it afresh`);
    void (async () => {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      for (let attempt = 1; ; attempt++) {
        try {
          await microservice.listen();
          logger.log('Kafka consumer started afresh');
          keepConsuming(microservice, logger, now);
          return;
        } catch (error) {
          const delay = Math.min(1_000 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
          logger.warn(
            `Kafka consumer could not start again (attempt ${attempt}): ${describeError(error)}; retrying in ${delay} ms`,
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    })();
  };

  consumer.on(events.CRASH, ({ payload }) => {
    batchesInHandlers = 0;
    if (payload.restart) return;
    startAfresh(`crashed and will not restart itself: ${describeError(payload.error)}`);
  });
  // Watched while connected. Disconnected is the service closing, or kafkajs between a crash
  // and its own restart, which connects again.
  const startWatching = () => {
    if (watch || done) return;
    watch = setInterval(() => {
      const silentFor = now() - lastSign;
      if (batchesInHandlers === 0 && silentFor > SILENT_CONSUMER_MS) {
        startAfresh(`has neither heartbeated nor fetched for ${Math.round(silentFor / 1000)} s`);
      }
    }, CHECK_EVERY_MS);
    watch.unref();
  };
  consumer.on(events.CONNECT, () => {
    alive();
    startWatching();
  });
  consumer.on(events.DISCONNECT, stopWatching);
  startWatching();
}
