import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CORRECTION_VIEW, CorrectionView, ExchangeError, ExchangeErrorCode } from '@app/contracts';
import { EntityManager, IsNull, Repository } from 'typeorm';

import { NodeKeys } from '../keys/node-keys.service';
import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { correctionThreadKey } from '../inbox/inbox-thread';

const CORRECTION_THREAD_PREFIX = correctionThreadKey('');

export interface MailboxItem {
  messageId: string;
  type: string;
  receivedAt: string;
  status: string;
  dueAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /**
   * True when this item replaced earlier deliveries of its thread (a missing episode reported
   * again): it arrived unacknowledged whatever happened to the earlier ones.
   */
  updated: boolean;
  /** How many deliveries the item's thread holds in this mailbox (1 when not threaded). */
  reports: number;
  /** The later delivery that replaced this one, when it is not the thread's latest. */
  supersededBy: string | null;
  /**
   * When a retention rule purged the content (libs/retention): the item stays listed as its
   * tombstone, with its times and status; null while the content is kept.
   */
  purgedAt: string | null;
  /** The retention rule it was purged under, e.g. `inbox-acknowledged`. */
  purgeRule: string | null;
  /**
   * On a correction (listed in place of the message it corrects): what it says of that message,
   * so an inbox can mark it amended, withdrawn or not for this mailbox; null on other items.
   */
  correctionState: CorrectionView['kind'] | null;
}

/** One correction of a message, as its mailbox received it. */
export interface MailboxCorrectionEntry {
  messageId: string;
  correctionNumber: number;
  kind: string;
  reason: string;
  correctedAt: string;
  receivedAt: string;
  acknowledgedAt: string | null;
}

/**
 * Where a message stands after its sender corrected it: the message as first received (linked
 * by id), what stands now (`amended`: the latest corrected view; `withdrawn`: disregard it;
 * `not-for-recipient`: it was never meant for this mailbox) and every correction with its times.
 */
export interface MailboxCorrection {
  originalMessageId: string;
  state: 'amended' | 'withdrawn' | 'not-for-recipient';
  /** This mailbox's view of the message as it stands now; null when withdrawn or not for it. */
  current: Record<string, unknown> | null;
  history: MailboxCorrectionEntry[];
}

export interface MailboxMessage extends MailboxItem {
  /**
   * The hub's signed view, as the hub signed it (verified when it was stored); null once purged
   * (`purgedAt` says when): the exchange no longer holds it, the agency's own record does.
   */
  notification: Record<string, unknown> | null;
  /** The message's corrections, when its sender corrected it; null otherwise. */
  correction: MailboxCorrection | null;
}

/** Codes of a stored delivery this node's keys cannot open (not of a fault to retry). */
const UNREADABLE_CODES: readonly ExchangeErrorCode[] = [
  ExchangeErrorCode.NOT_ADDRESSED_TO_NODE,
  ExchangeErrorCode.DECRYPTION_FAILED,
];

export function mailboxItem(row: InboxMessageEntity, reports = 1): MailboxItem {
  return {
    messageId: row.messageId,
    type: row.type,
    receivedAt: row.receivedAt.toISOString(),
    status: row.status ?? 'received',
    dueAt: row.dueAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy ?? null,
    updated: reports > 1 && !row.supersededBy,
    reports,
    supersededBy: row.supersededBy ?? null,
    purgedAt: row.purgedAt?.toISOString() ?? null,
    purgeRule: row.purgeRule ?? null,
    correctionState: null,
  };
}

/**
 * A mailbox's messages. Every method takes the mailbox id and filters by it, so one mailbox can
 * never read another's rows, whatever message id it is given.
 */
@Injectable()
export class MailboxReads {
  constructor(
    @InjectRepository(InboxMessageEntity) private readonly inbox: Repository<InboxMessageEntity>,
    private readonly keys: NodeKeys,
  ) {}

  /** The mailbox's items: for a thread (a missing episode's reports) only the latest. */
  async list(mailboxId: string): Promise<MailboxItem[]> {
    const rows = await this.inbox.find({
      where: { mailboxId, supersededBy: IsNull() },
      order: { receivedAt: 'DESC' },
      take: 500,
    });
    const threads = await this.threadSizes(
      mailboxId,
      rows.map((row) => row.threadKey).filter((key): key is string => Boolean(key)),
    );
    return Promise.all(
      rows.map(async (row) => ({
        ...mailboxItem(row, row.threadKey ? threads.get(row.threadKey) : 1),
        correctionState: await this.correctionStateOf(row),
      })),
    );
  }

  /** A correction row's kind, opened only for that (few rows are corrections). */
  private async correctionStateOf(row: InboxMessageEntity): Promise<CorrectionView['kind'] | null> {
    if (row.type !== CORRECTION_VIEW.type) return null;
    const view = (await this.viewInList(row)) as CorrectionView | null;
    return view?.kind ?? null;
  }

  /** How many deliveries each thread holds in the mailbox. */
  async threadSizes(mailboxId: string, keys: string[]): Promise<Map<string, number>> {
    if (keys.length === 0) return new Map();
    const counts = (await this.inbox.query(
      `SELECT thread_key, count(*)::int AS n FROM inbox_message
        WHERE mailbox_id = $1 AND thread_key = ANY($2) GROUP BY thread_key`,
      [mailboxId, keys],
    )) as { thread_key: string; n: number }[];
    return new Map(counts.map((count) => [count.thread_key, count.n]));
  }

  async read(mailboxId: string, messageId: string): Promise<MailboxMessage> {
    const row = await this.find(mailboxId, messageId);
    const reports = row.threadKey
      ? ((await this.threadSizes(mailboxId, [row.threadKey])).get(row.threadKey) ?? 1)
      : 1;
    // A tombstone is an answer, not a 404: the item existed and was purged under its rule.
    const correction = await this.correctionOf(mailboxId, row);
    return {
      ...mailboxItem(row, reports),
      correctionState: correction?.state ?? null,
      notification: await this.view(row),
      correction,
    };
  }

  /** The corrections of the message a row belongs to (the message itself or one of them). */
  private async correctionOf(
    mailboxId: string,
    row: InboxMessageEntity,
  ): Promise<MailboxCorrection | null> {
    if (!row.threadKey?.startsWith(CORRECTION_THREAD_PREFIX)) return null;
    const rows = await this.inbox.find({
      where: { mailboxId, threadKey: row.threadKey },
      order: { threadSequence: 'ASC', receivedAt: 'ASC' },
      take: 500,
    });
    const history: MailboxCorrectionEntry[] = [];
    let latest: CorrectionView | undefined;
    for (const entry of rows) {
      if (entry.type !== CORRECTION_VIEW.type) continue;
      const view = (await this.viewInList(entry)) as CorrectionView | null;
      if (!view) continue;
      latest = view;
      history.push({
        messageId: entry.messageId,
        correctionNumber: view.correctionNumber,
        kind: view.kind,
        reason: view.reason,
        correctedAt: view.correctedAt,
        receivedAt: entry.receivedAt.toISOString(),
        acknowledgedAt: entry.acknowledgedAt?.toISOString() ?? null,
      });
    }
    if (!latest) return null;
    return {
      originalMessageId: latest.originalMessageId,
      state: latest.kind,
      current: latest.kind === 'amended' ? (latest.corrected ?? null) : null,
      history,
    };
  }

  /**
   * The hub's signed view a row holds, decrypted on read only (the database holds the JWE);
   * null for a tombstone (purged under a retention rule).
   */
  async view(row: InboxMessageEntity): Promise<Record<string, unknown> | null> {
    if (row.body === null) return null;
    const jws = await this.keys.decrypt(row.body);
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as {
      body: Record<string, unknown>;
    };
    return claims.body;
  }

  /**
   * `view` for a row shown among others: null also when it is sealed to a key this node no
   * longer holds, so one such row does not make a whole thread or chronology unreadable.
   */
  async viewInList(row: InboxMessageEntity): Promise<Record<string, unknown> | null> {
    try {
      return await this.view(row);
    } catch (error) {
      if (error instanceof ExchangeError && UNREADABLE_CODES.includes(error.code)) return null;
      throw error;
    }
  }

  /** The row, locked for update when a manager in a transaction is given; 404 when not this mailbox's. */
  async find(
    mailboxId: string,
    messageId: string,
    manager?: EntityManager,
  ): Promise<InboxMessageEntity> {
    const repository = manager ? manager.getRepository(InboxMessageEntity) : this.inbox;
    const row = await repository.findOne({
      where: { mailboxId, messageId },
      ...(manager ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    // The same answer whether the message does not exist or belongs to another mailbox.
    if (!row) throw new NotFoundException('no such message in this mailbox');
    return row;
  }
}
