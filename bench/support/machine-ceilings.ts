/**
 * The machine's own ceilings for the three resources a notification spends, measured in the
 * bench's run so that its figures can be set against them: the trust layer's public-key
 * operations, PostgreSQL commits, and Kafka records through the broker.
 */
import { randomUUID } from 'node:crypto';

import { CryptoOperation, decryptWith, encryptTo, generateEncryptionKeyPair } from '@app/crypto';
import { generateSigningKeyPair, signCompact, verifyCompact } from '@app/crypto';
import { Kafka, KafkaConfig } from 'kafkajs';
import { Pool } from 'pg';

export type CryptoCeilings = Record<CryptoOperation, number>;

export interface MachineCeilings {
  /** operations per second on one core */
  crypto: CryptoCeilings;
  /** commits per second of a one-row insert, with one connection and with sixteen */
  commitsPerSecond: { one: number; sixteen: number };
  /** 4 KiB records per second from a producer through the broker to a consumer */
  kafkaRecordsPerSecond: number;
}

const RECORD_BYTES = 4096;

async function rate(seconds: number, operation: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 100; i++) await operation(); // JIT and jose's caches
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let count = 0;
  while (performance.now() < deadline) {
    await operation();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/** EdDSA sign and verify, ECDH-ES+A256GCM encrypt and decrypt of a 2 KiB body, one thread. */
export async function measureCrypto(seconds: number): Promise<CryptoCeilings> {
  const signer = await generateSigningKeyPair();
  const recipient = await generateEncryptionKeyPair();
  const body = new TextEncoder().encode('x'.repeat(2048));
  const jws = await signCompact(body, signer.privateKey, signer.kid, 'bench');
  const jwe = await encryptTo(body, recipient.publicJwk);
  return {
    sign: await rate(seconds, () => signCompact(body, signer.privateKey, signer.kid, 'bench')),
    verify: await rate(seconds, () => verifyCompact(jws, async () => signer.publicJwk)),
    encrypt: await rate(seconds, () => encryptTo(body, recipient.publicJwk)),
    decrypt: await rate(seconds, () => decryptWith(jwe, recipient.privateKey)),
  };
}

/** Committed one-row inserts per second on `connections` connections, each its own transaction. */
async function commitRate(url: string, connections: number, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: connections });
  const table = `bench_commit_${randomUUID().replaceAll('-', '')}`;
  try {
    // A logged table: a commit must reach the WAL on disk, as the exchange's commits do.
    await pool.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY, body text NOT NULL)`);
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    let count = 0;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          await pool.query(`INSERT INTO ${table} (id, body) VALUES ($1, $2)`, [
            randomUUID(),
            'x'.repeat(512),
          ]);
          count++;
        }
      }),
    );
    return count / ((performance.now() - started) / 1000);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

export async function measureCommits(
  url: string,
  seconds: number,
): Promise<MachineCeilings['commitsPerSecond']> {
  return {
    one: await commitRate(url, 1, seconds),
    sixteen: await commitRate(url, 16, seconds),
  };
}

/**
 * `count` records of 4 KiB produced in batches of 100 (acks from all in-sync replicas, as the
 * exchange's producers ask) into a new topic of `partitions` partitions, and read back by one
 * consumer: records per second from the first send to the last record read.
 */
export async function measureKafka(
  config: KafkaConfig,
  count = 20_000,
  partitions = 6,
): Promise<number> {
  const kafka = new Kafka({ ...config, clientId: 'bench-ceilings', logLevel: 1 });
  const topic = `sgx.bench.ceiling.${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions }],
    waitForLeaders: true,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({ groupId: `bench-ceilings-${randomUUID()}` });
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let received = 0;
    let resolveAll: () => void = () => undefined;
    const all = new Promise<void>((resolve) => (resolveAll = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        received += batch.messages.length;
        if (received >= count) resolveAll();
      },
    });
    const value = Buffer.alloc(RECORD_BYTES, 'x');
    const started = performance.now();
    for (let sent = 0; sent < count; sent += 100) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: Math.min(100, count - sent) }, (_, i) => ({
          key: String(sent + i),
          value,
        })),
      });
    }
    await all;
    return count / ((performance.now() - started) / 1000);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
