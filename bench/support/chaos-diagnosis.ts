/**
 * Where a message the fault run found lost or stuck stopped: each hop of its way is looked up
 * in turn — the sender's outbox row, the hub's processed message, its delivery to the mailbox
 * and the outbox row that published it, the recipient's inbox and the outbox row of its
 * receipt, the hub's delivered time and the forwarded receipt, the sender's status — and the
 * records of the dead-letter and quarantine topics since the run began are matched by ce_id.
 * The first hop that is missing is named, with what the topics say about it, so that nobody has
 * to dig through the databases and the broker after a failed run.
 */
import { deliveryTopic, Topics } from '@app/contracts';
import { DeadLetterHeader, kafkaClientConfig, KafkaSettings } from '@app/messaging';
import { IHeaders, Kafka } from 'kafkajs';

import { BenchStack } from './bench-stack';

/** One message from a sender node to one mailbox at a recipient node, by the apps' names. */
export interface Journey {
  messageId: string;
  subjectRef: string;
  senderApp: string;
  senderNode: string;
  mailboxId: string;
  recipientApp: string;
}

interface SetAside {
  topic: string;
  code: string;
  reason: string;
  sourceTopic: string;
}

const text = (headers: IHeaders | undefined, name: string): string => {
  const value = headers?.[name];
  return value === undefined ? '' : String(Array.isArray(value) ? value[0] : value);
};

/**
 * The dead-letter and quarantine records produced since `sinceMs`, by the ce_id of the record
 * set aside. Read once, when the first diagnosis needs them.
 */
export class SetAsideRecords {
  private byId: Map<string, SetAside[]> | null = null;

  constructor(
    private readonly settings: KafkaSettings,
    private readonly sinceMs: number,
  ) {}

  async of(messageId: string): Promise<SetAside[]> {
    this.byId ??= await this.read();
    return this.byId.get(messageId) ?? [];
  }

  private async read(): Promise<Map<string, SetAside[]>> {
    const found = new Map<string, SetAside[]>();
    const kafka = new Kafka(kafkaClientConfig(this.settings, 'chaos-diagnosis'));
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const topic of [Topics.deadLetter, Topics.quarantine]) {
        const ends = await admin.fetchTopicOffsets(topic);
        const starts = await admin.fetchTopicOffsetsByTimestamp(topic, this.sinceMs);
        const consumer = kafka.consumer({ groupId: `chaos-diagnosis-${Date.now()}` });
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        const remaining = new Map<number, bigint>();
        for (const { partition, high } of ends) {
          const start = BigInt(starts.find((s) => s.partition === partition)?.offset ?? high);
          if (BigInt(high) > start) remaining.set(partition, BigInt(high) - 1n);
        }
        let finished: () => void = () => undefined;
        const done = new Promise<void>((resolve) => (finished = resolve));
        if (remaining.size === 0) finished();
        await consumer.run({
          eachMessage: async ({ partition, message }) => {
            const id = text(message.headers, 'ce_id');
            const entry = {
              topic,
              // The dead-letter topic's headers, or the hub's refusal headers on quarantine.
              code:
                text(message.headers, DeadLetterHeader.code) ||
                text(message.headers, 'sgx_refusal_code'),
              reason:
                text(message.headers, DeadLetterHeader.reason) ||
                text(message.headers, 'sgx_refusal_reason'),
              sourceTopic: text(message.headers, DeadLetterHeader.sourceTopic),
            };
            if (id) found.set(id, [...(found.get(id) ?? []), entry]);
            const last = remaining.get(partition);
            if (last !== undefined && BigInt(message.offset) >= last) {
              remaining.delete(partition);
              if (remaining.size === 0) finished();
            }
          },
        });
        for (const { partition, offset } of starts) {
          if (remaining.has(partition)) consumer.seek({ topic, partition, offset });
        }
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 30_000))]);
        await consumer.disconnect();
      }
    } finally {
      await admin.disconnect();
    }
    return found;
  }
}

interface OutboxRow {
  sent_at: Date | null;
  failed_at: Date | null;
  attempts: number;
  last_error: string | null;
  ce_id: string;
}

/** Names the first hop of a journey that did not happen, and what the topics say about it. */
export async function diagnoseJourney(
  stack: BenchStack,
  setAside: SetAsideRecords,
  journey: Journey,
): Promise<string> {
  const hub = stack.pool('hub');
  const sender = stack.pool(journey.senderApp);
  const recipient = stack.pool(journey.recipientApp);
  const asideText = async (id: string) =>
    (await setAside.of(id))
      .map((r) => `${r.topic} ${r.code}${r.reason ? ` (${r.reason.slice(0, 160)})` : ''}`)
      .join('; ');
  const outbox = async (pool: typeof hub, where: string, params: unknown[]): Promise<OutboxRow[]> =>
    (
      await pool.query<OutboxRow>(
        `SELECT sent_at, failed_at, attempts, last_error, headers->>'ce_id' AS ce_id FROM outbox
          WHERE ${where} ORDER BY id`,
        params,
      )
    ).rows;
  const unsent = (rows: OutboxRow[]) =>
    rows.every((row) => !row.sent_at)
      ? `unsent (${rows.map((r) => `${r.failed_at ? 'failed, ' : ''}${r.attempts} refusals, ${r.last_error ?? 'no error'}`).join('; ')})`
      : undefined;

  // 1. The sender's submission, out of its outbox.
  const submitted = await outbox(sender, `topic = $1 AND headers->>'ce_id' = $2`, [
    Topics.submissions,
    journey.messageId,
  ]);
  if (submitted.length === 0) return `no outbox row at ${journey.senderApp} for the submission`;
  const notSent = unsent(submitted);
  if (notSent) return `${journey.senderApp}'s outbox row of the submission ${notSent}`;

  // 2. The hub processed it.
  const {
    rows: [processed],
  } = await hub.query<{ outcome: string }>(
    'SELECT outcome FROM processed_message WHERE message_key = $1',
    [journey.messageId],
  );
  if (!processed) {
    const aside = await asideText(journey.messageId);
    return `published, never processed by the hub${aside ? `; set aside: ${aside}` : ' (not dead-lettered nor quarantined)'}`;
  }

  // 3. Its delivery to this mailbox, and the outbox row that published it.
  const {
    rows: [delivery],
  } = await hub.query<{ id: string; delivered_at: Date | null }>(
    'SELECT id, delivered_at FROM delivery WHERE submission_id = $1 AND mailbox_id = $2',
    [journey.messageId, journey.mailboxId],
  );
  if (!delivery)
    return `the hub processed it as '${processed.outcome}' with no delivery to ${journey.mailboxId}`;
  const published = await outbox(hub, `headers->>'ce_id' = $1`, [delivery.id]);
  if (published.length === 0) return `the hub's delivery ${delivery.id} has no outbox row`;
  const deliveryUnsent = unsent(published);
  if (deliveryUnsent) return `the hub's outbox row of delivery ${delivery.id} ${deliveryUnsent}`;

  // 4. The recipient node stored it.
  const { rows: stored } = await recipient.query(
    'SELECT 1 FROM inbox_message WHERE message_id = $1',
    [delivery.id],
  );
  if (stored.length === 0) {
    const aside = await asideText(delivery.id);
    return (
      `the hub published delivery ${delivery.id} to ${deliveryTopic(nodeOf(journey.recipientApp))}; ` +
      `not in ${journey.recipientApp}'s inbox; ${aside ? `set aside: ${aside}` : 'not dead-lettered: ' + (await groupLag(stack.kafkaSettings, journey.recipientApp))}`
    );
  }

  // 5. The recipient's receipt, out of its outbox, processed by the hub.
  const receipts = await outbox(
    recipient,
    `topic = $1 AND headers->>'ce_subject' = $2 AND created_at >= (SELECT received_at FROM inbox_message WHERE message_id = $3) - interval '1 second'`,
    [Topics.receipts, journey.subjectRef, delivery.id],
  );
  if (!delivery.delivered_at) {
    if (receipts.length === 0)
      return `in ${journey.recipientApp}'s inbox, but no receipt in its outbox`;
    const receiptUnsent = unsent(receipts);
    if (receiptUnsent) return `${journey.recipientApp}'s receipt ${receiptUnsent}`;
    const aside = (await Promise.all(receipts.map((r) => asideText(r.ce_id)))).filter(Boolean);
    return `${journey.recipientApp} sent its receipt; the hub has no delivered time${aside.length ? `; set aside: ${aside.join('; ')}` : ' (the receipt was not dead-lettered nor quarantined)'}`;
  }

  // 6. The receipt forwarded to the sender, and the sender's status.
  const forwarded = await outbox(
    hub,
    `topic = $1 AND headers->>'ce_subject' = $2 AND headers->>'ce_type' LIKE '%receipt%'`,
    [deliveryTopic(journey.senderNode), journey.subjectRef],
  );
  if (forwarded.length === 0)
    return `the hub has the delivered time but no forwarded receipt in its outbox`;
  const forwardUnsent = unsent(forwarded);
  if (forwardUnsent) return `the hub's forwarded receipt ${forwardUnsent}`;
  const { rows: inSender } = await sender.query<{ message_id: string }>(
    'SELECT message_id FROM inbox_message WHERE message_id = ANY($1)',
    [forwarded.map((row) => row.ce_id)],
  );
  if (inSender.length < forwarded.length) {
    const missing = forwarded.filter((row) => !inSender.some((s) => s.message_id === row.ce_id));
    const aside = (await Promise.all(missing.map((r) => asideText(r.ce_id)))).filter(Boolean);
    return `the hub published ${forwarded.length} receipts for the subject, ${journey.senderApp}'s inbox has ${inSender.length}${aside.length ? `; set aside: ${aside.join('; ')}` : `; not dead-lettered: ${await groupLag(stack.kafkaSettings, journey.senderApp)}`}`;
  }
  return EVERY_HOP;
}

/** What the diagnosis of a journey says when nothing is missing on its way. */
export const EVERY_HOP = "every hop happened, up to the receipt in the sender node's inbox";

const nodeOf = (app: string) => app.replace(/-adapter$/, '');

/** The consumer group's committed offsets against the delivery topic's end, per partition. */
async function groupLag(settings: KafkaSettings, app: string): Promise<string> {
  const kafka = new Kafka(kafkaClientConfig(settings, 'chaos-diagnosis'));
  const admin = kafka.admin();
  const topic = deliveryTopic(nodeOf(app));
  try {
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: app, topics: [topic] });
    const lag = ends.map(({ partition, high }) => {
      const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      return Number(high) - Math.max(0, Number(at));
    });
    const { state, members } = (await admin.describeGroups([app])).groups[0];
    return `group ${app} ${state} with ${members.length} members, lag ${lag.reduce((a, b) => a + b, 0)}`;
  } catch (error) {
    return `group ${app}: ${(error as Error).message}`;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
