/**
 * What a fault run checks at the end: every accepted incident is in each of its mailboxes
 * exactly once (the recipient node's inbox, by the subject's reference) and the police node,
 * its sender, has each mailbox's delivered receipt. Waits until that holds for all, or until
 * nothing has moved for `quietMs`.
 */
import { BenchStack, sleep } from './bench-stack';

export interface TrackedIncident {
  /** The police node's message id, from its 202 answer. */
  messageId: string;
  sentAt: number;
  /** Accepted after the fault the run is about (a lost broker). */
  afterLoss?: boolean;
}

export interface DeliveryCheck {
  /** Incidents in every mailbox exactly once, each receipt back at the sender. */
  delivered: number;
  /** Incidents missing from at least one mailbox. */
  lost: number;
  /** Incidents in at least one mailbox more than once. */
  duplicated: number;
  /** Incidents in every mailbox once whose sender still lacks a receipt. */
  unreceipted: number;
  fullyDelivered: Set<string>;
  /** When the last mailbox's delivered receipt of each incident was made (its node's clock). */
  deliveredAt: Map<string, number>;
  describe(): string;
}

const POLL_MS = 500;

export async function deliveryCheck(
  stack: BenchStack,
  incidents: TrackedIncident[],
  quietMs: number,
): Promise<DeliveryCheck> {
  const ids = incidents.map((incident) => incident.messageId);
  const police = stack.pool('police-adapter');
  const mailboxes = stack.incidentMailboxes;
  const { rows: subjects } = await police.query<{ message_id: string; subject_ref: string }>(
    'SELECT message_id, subject_ref FROM incident_notification WHERE message_id = ANY($1)',
    [ids],
  );
  const subjectOf = new Map(subjects.map((row) => [row.message_id, row.subject_ref]));
  const refs = [...subjectOf.values()];

  /** inbox rows per `mailbox subjectRef`, receipts per `messageId mailbox`. */
  const inbox = new Map<string, number>();
  const receipts = new Set<string>();
  const deliveredAt = new Map<string, number>();
  const complete = () =>
    incidents.every((incident) =>
      mailboxes.every(
        ({ mailboxId }) =>
          inbox.get(`${mailboxId} ${subjectOf.get(incident.messageId)}`) === 1 &&
          receipts.has(`${incident.messageId} ${mailboxId}`),
      ),
    );

  let lastSeen = -1;
  let lastChange = Date.now();
  for (;;) {
    inbox.clear();
    for (const { mailboxId, service } of mailboxes) {
      const { rows } = await stack.pool(service).query<{ subject_ref: string; n: number }>(
        `SELECT subject_ref, count(*)::int AS n FROM inbox_message
            WHERE mailbox_id = $1 AND subject_ref = ANY($2) GROUP BY subject_ref`,
        [mailboxId, refs],
      );
      for (const row of rows) inbox.set(`${mailboxId} ${row.subject_ref}`, row.n);
    }
    const { rows } = await police.query<{
      message_id: string;
      mailbox_id: string;
      delivered_at: Date;
    }>(
      `SELECT message_id, mailbox_id, delivered_at FROM incident_notification_recipient
        WHERE message_id = ANY($1) AND delivered_at IS NOT NULL`,
      [ids],
    );
    for (const row of rows) {
      receipts.add(`${row.message_id} ${row.mailbox_id}`);
      const at = row.delivered_at.getTime();
      deliveredAt.set(row.message_id, Math.max(deliveredAt.get(row.message_id) ?? 0, at));
    }
    const seen = [...inbox.values()].reduce((sum, n) => sum + n, 0) + receipts.size;
    if (seen !== lastSeen) {
      lastSeen = seen;
      lastChange = Date.now();
    }
    if (complete() || Date.now() - lastChange > quietMs) break;
    await sleep(POLL_MS);
  }

  const result = {
    delivered: 0,
    lost: 0,
    duplicated: 0,
    unreceipted: 0,
    fullyDelivered: new Set<string>(),
    deliveredAt,
  };
  const missingAt = new Map<string, number>();
  const extraAt = new Map<string, number>();
  for (const incident of incidents) {
    const counts = mailboxes.map(
      ({ mailboxId }) => inbox.get(`${mailboxId} ${subjectOf.get(incident.messageId)}`) ?? 0,
    );
    mailboxes.forEach(({ mailboxId }, i) => {
      if (counts[i] === 0) missingAt.set(mailboxId, (missingAt.get(mailboxId) ?? 0) + 1);
      if (counts[i] > 1) extraAt.set(mailboxId, (extraAt.get(mailboxId) ?? 0) + 1);
    });
    if (counts.some((n) => n > 1)) result.duplicated++;
    else if (counts.some((n) => n === 0)) result.lost++;
    else if (
      mailboxes.every(({ mailboxId }) => receipts.has(`${incident.messageId} ${mailboxId}`))
    ) {
      result.delivered++;
      result.fullyDelivered.add(incident.messageId);
    } else result.unreceipted++;
  }
  const perMailbox = (label: string, counts: Map<string, number>) =>
    counts.size ? `; ${label}: ${[...counts].map(([m, n]) => `${m} ${n}`).join(', ')}` : '';
  return {
    ...result,
    describe: () =>
      `${incidents.length} accepted incidents x ${mailboxes.length} mailboxes: ${result.delivered} ` +
      `delivered once everywhere with every receipt, ${result.lost} lost, ${result.duplicated} ` +
      `duplicated, ${result.unreceipted} without every receipt` +
      perMailbox('missing at', missingAt) +
      perMailbox('twice at', extraAt),
  };
}
