/**
 * What a fault run checks at the end: every accepted incident is in each of its mailboxes
 * exactly once (the recipient node's inbox, by the subject's reference) and the police node,
 * its sender, has each mailbox's delivered receipt — or the police node holds the exchange's
 * refusal of it for that mailbox, with its code (a refusal is final and not a loss, but the run
 * reports it). Waits until that holds for all, or until nothing has moved for `quietMs`.
 */
import { BenchStack, sleep } from './bench-stack';

export interface TrackedIncident {
  /** The police node's message id, from its 202 answer. */
  messageId: string;
  sentAt: number;
  /** Accepted after the fault the run is about (a lost broker). */
  afterLoss?: boolean;
}

/** One mailbox of one incident that did not end delivered once with its receipt. */
export interface DeliveryProblem {
  messageId: string;
  subjectRef: string;
  mailboxId: string;
  service: string;
  kind: 'lost' | 'duplicated' | 'unreceipted' | 'refused';
  /** For a refusal: its code as the sender holds it. */
  code?: string;
}

export interface DeliveryCheck {
  /** Incidents in every mailbox exactly once, each receipt back at the sender. */
  delivered: number;
  /** Incidents missing from at least one mailbox, with no refusal for it at the sender. */
  lost: number;
  /** Incidents the exchange refused for at least one mailbox, the refusal at the sender. */
  refused: number;
  /** Each mailbox of each incident that is not delivered once with its receipt. */
  problems: DeliveryProblem[];
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
  /** Refusals per `messageId mailbox` (or `messageId *` for the whole notification): the code. */
  const refusals = new Map<string, string>();
  const refusalOf = (messageId: string, mailboxId: string) =>
    refusals.get(`${messageId} ${mailboxId}`) ?? refusals.get(`${messageId} *`);
  const deliveredAt = new Map<string, number>();
  const complete = () =>
    incidents.every((incident) =>
      mailboxes.every(
        ({ mailboxId }) =>
          refusalOf(incident.messageId, mailboxId) !== undefined ||
          (inbox.get(`${mailboxId} ${subjectOf.get(incident.messageId)}`) === 1 &&
            receipts.has(`${incident.messageId} ${mailboxId}`)),
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
    const [{ rows: refusedRecipients }, { rows: refusedWhole }] = await Promise.all([
      police.query<{ message_id: string; mailbox_id: string; code: string }>(
        `SELECT message_id, mailbox_id, COALESCE(rejection_code, 'SHARING_REFUSED') AS code
           FROM incident_notification_recipient
          WHERE message_id = ANY($1) AND (rejected_at IS NOT NULL OR sharing_refused_at IS NOT NULL)`,
        [ids],
      ),
      police.query<{ message_id: string; code: string }>(
        `SELECT message_id, rejection_code AS code FROM incident_notification
          WHERE message_id = ANY($1) AND rejected_at IS NOT NULL`,
        [ids],
      ),
    ]);
    for (const row of refusedRecipients)
      refusals.set(`${row.message_id} ${row.mailbox_id}`, row.code);
    for (const row of refusedWhole) refusals.set(`${row.message_id} *`, row.code);
    const seen = [...inbox.values()].reduce((sum, n) => sum + n, 0) + receipts.size + refusals.size;
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
    refused: 0,
    duplicated: 0,
    unreceipted: 0,
    problems: [] as DeliveryProblem[],
    fullyDelivered: new Set<string>(),
    deliveredAt,
  };
  const missingAt = new Map<string, number>();
  const extraAt = new Map<string, number>();
  const refusedWith = new Map<string, number>();
  const count = (counts: Map<string, number>, key: string) =>
    counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const incident of incidents) {
    const subjectRef = subjectOf.get(incident.messageId) ?? '';
    const kinds = mailboxes.map(({ mailboxId, service }) => {
      const n = inbox.get(`${mailboxId} ${subjectRef}`) ?? 0;
      const code = refusalOf(incident.messageId, mailboxId);
      const problem = { messageId: incident.messageId, subjectRef, mailboxId, service };
      if (n > 1) {
        count(extraAt, mailboxId);
        result.problems.push({ ...problem, kind: 'duplicated' });
        return 'duplicated';
      }
      if (code !== undefined) {
        count(refusedWith, code);
        result.problems.push({ ...problem, kind: 'refused', code });
        return 'refused';
      }
      if (n === 0) {
        count(missingAt, mailboxId);
        result.problems.push({ ...problem, kind: 'lost' });
        return 'lost';
      }
      if (!receipts.has(`${incident.messageId} ${mailboxId}`)) {
        result.problems.push({ ...problem, kind: 'unreceipted' });
        return 'unreceipted';
      }
      return 'delivered';
    });
    if (kinds.includes('duplicated')) result.duplicated++;
    else if (kinds.includes('lost')) result.lost++;
    else if (kinds.includes('refused')) result.refused++;
    else if (kinds.includes('unreceipted')) result.unreceipted++;
    else {
      result.delivered++;
      result.fullyDelivered.add(incident.messageId);
    }
  }
  const perMailbox = (label: string, counts: Map<string, number>) =>
    counts.size ? `; ${label}: ${[...counts].map(([m, n]) => `${m} ${n}`).join(', ')}` : '';
  return {
    ...result,
    describe: () =>
      `${incidents.length} accepted incidents x ${mailboxes.length} mailboxes: ${result.delivered} ` +
      `delivered once everywhere with every receipt, ${result.lost} lost, ${result.duplicated} ` +
      `duplicated, ${result.refused} refused with a reason, ${result.unreceipted} without every receipt` +
      perMailbox('missing at', missingAt) +
      perMailbox('twice at', extraAt) +
      perMailbox('refused with', refusedWith),
  };
}
