import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';

import { InboxMessageEntity } from '../inbox/inbox-message.entity';
import { AtRestSealer } from '../keys/at-rest-sealer.service';
import { MailboxReads } from '../mailbox/mailbox-reads.service';
import { referralStatus, ReferralStatus } from '../referrals/referral-reads.service';
import { ChildIdentity, childIdentityOf, childKey } from './child-identity';

/** One thing the mailbox holds about the child: a delivery, or a referral the mailbox made. */
export interface ChronologyEntry {
  kind: 'message' | 'referral';
  /** The delivery's message id, or the referral's id: what the entry's own page is named by. */
  id: string;
  /** The message type; `referral` for a referral the mailbox made. */
  type: string;
  /** When it was received, or when the referral was sent. */
  at: string;
  /** received or acknowledged for a delivery; the referral's status for a referral. */
  status: string;
  dueAt: string | null;
  acknowledgedAt: string | null;
  /** A missing episode's report: its number and what it said (missing or found). */
  report: { number: number; status: string | null } | null;
  /** A referral's decision, or a referral outcome's: the code and when it was decided. */
  outcome: { outcome: string; decidedAt: string | null } | null;
  /** True when the delivery is sealed to a key the node lost: shown, but not its content. */
  unreadable: boolean;
  /** When a retention rule purged the delivery's content (its tombstone is shown). */
  purgedAt: string | null;
}

/** Everything one mailbox holds about one child, newest first. */
export interface ChildChronology {
  /** The item the chronology was asked for by. */
  itemId: string;
  child: ChildIdentity | null;
  entries: ChronologyEntry[];
}

interface MessageCandidate {
  row: InboxMessageEntity;
  view: Record<string, unknown> | null;
  key: string | null;
  matched: boolean;
}

interface ReferralRow {
  referral_id: string;
  subject_ref: string;
  submitted_at: Date;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  overdue_at: Date | null;
  rejected_at: Date | null;
  outcome: string | null;
  decided_at: Date | null;
  child_sealed: string | null;
}

interface ReferralCandidate {
  row: ReferralRow;
  child: ChildIdentity | null;
  key: string | null;
  matched: boolean;
}

/** How far back a chronology reads, per kind: the newest this many rows of the mailbox. */
const READ_LIMIT = 500;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * Per child, one chronology of what a mailbox holds about her: its deliveries (notifications,
 * each report of a missing episode, withdrawals of consent, referral outcomes) and the referrals
 * it made, newest first. The child is asked for by any item about her (a message id or a
 * referral id, opaque), never by a name or date of birth. Matching happens here, over the
 * decrypted store, by what the messages share: the pseudonymous subject reference (a
 * withdrawal and an outcome carry the one their notification or referral used), the child's
 * name and date of birth as the views give them, the ids a withdrawal names and the referral an
 * outcome answers — repeated until nothing more joins. Every query names the mailbox.
 */
@Injectable()
export class ChildChronologies {
  constructor(
    @InjectRepository(InboxMessageEntity) private readonly inbox: Repository<InboxMessageEntity>,
    private readonly dataSource: DataSource,
    private readonly reads: MailboxReads,
    private readonly sealer: AtRestSealer,
  ) {}

  async chronology(mailboxId: string, itemId: string): Promise<ChildChronology> {
    const [messages, referrals] = await Promise.all([
      this.messages(mailboxId),
      this.referrals(mailboxId),
    ]);
    const anchorMessage = messages.find((candidate) => candidate.row.messageId === itemId);
    const anchorReferral = referrals.find((candidate) => candidate.row.referral_id === itemId);
    // The same answer whether the item does not exist or belongs to another mailbox.
    if (!anchorMessage && !anchorReferral) {
      throw new NotFoundException('no such item in this mailbox');
    }

    const refs = new Set<string>();
    const keys = new Set<string>();
    const ids = new Set<string>();
    let child: ChildIdentity | null = null;
    const join = (subjectRef: string | null | undefined, key: string | null, id: string) => {
      if (subjectRef) refs.add(subjectRef);
      if (key) keys.add(key);
      ids.add(id);
    };
    if (anchorMessage) {
      anchorMessage.matched = true;
      join(anchorMessage.row.subjectRef, anchorMessage.key, anchorMessage.row.messageId);
    } else if (anchorReferral) {
      anchorReferral.matched = true;
      join(anchorReferral.row.subject_ref, anchorReferral.key, anchorReferral.row.referral_id);
    }

    for (let changed = true; changed;) {
      changed = false;
      for (const candidate of messages) {
        if (candidate.matched || !this.belongs(candidate, refs, keys, ids)) continue;
        candidate.matched = changed = true;
        join(candidate.row.subjectRef, candidate.key, candidate.row.messageId);
      }
      for (const candidate of referrals) {
        if (candidate.matched) continue;
        const { subject_ref: subjectRef, referral_id: referralId } = candidate.row;
        if (!refs.has(subjectRef) && !(candidate.key && keys.has(candidate.key))) continue;
        candidate.matched = changed = true;
        join(subjectRef, candidate.key, referralId);
      }
    }

    const entries: ChronologyEntry[] = [];
    for (const candidate of messages.filter((m) => m.matched)) {
      child ??= childIdentityOf(candidate.view);
      entries.push(this.messageEntry(candidate));
    }
    for (const candidate of referrals.filter((r) => r.matched)) {
      child ??= candidate.child;
      entries.push(this.referralEntry(candidate.row));
    }
    entries.sort((a, b) => b.at.localeCompare(a.at));
    return { itemId, child, entries };
  }

  private belongs(
    candidate: MessageCandidate,
    refs: Set<string>,
    keys: Set<string>,
    ids: Set<string>,
  ): boolean {
    if (candidate.row.subjectRef && refs.has(candidate.row.subjectRef)) return true;
    if (candidate.key && keys.has(candidate.key)) return true;
    const view = candidate.view ?? {};
    // A withdrawal names the mailbox's messages it concerns; an outcome names its referral.
    const shared = Array.isArray(view.sharedMessageIds) ? (view.sharedMessageIds as unknown[]) : [];
    if (shared.some((id) => typeof id === 'string' && ids.has(id))) return true;
    const referralId = text(view.referralId);
    return referralId !== null && ids.has(referralId);
  }

  private async messages(mailboxId: string): Promise<MessageCandidate[]> {
    const rows = await this.inbox.find({
      where: { mailboxId },
      order: { receivedAt: 'DESC' },
      take: READ_LIMIT,
    });
    return Promise.all(
      rows.map(async (row) => {
        const view = await this.reads.viewInList(row);
        const identity = childIdentityOf(view);
        return { row, view, key: identity ? childKey(identity) : null, matched: false };
      }),
    );
  }

  private async referrals(mailboxId: string): Promise<ReferralCandidate[]> {
    const rows = (await this.dataSource.query(
      `SELECT referral_id, subject_ref, submitted_at, delivered_at, acknowledged_at, overdue_at,
              rejected_at, outcome, decided_at, child_sealed
         FROM referral WHERE mailbox_id = $1 ORDER BY submitted_at DESC LIMIT ${READ_LIMIT}`,
      [mailboxId],
    )) as ReferralRow[];
    return Promise.all(
      rows.map(async (row) => {
        const opened = row.child_sealed ? await this.sealer.openInList(row.child_sealed) : null;
        const identity = opened ? childIdentityOf({ child: JSON.parse(opened) as unknown }) : null;
        return { row, child: identity, key: identity ? childKey(identity) : null, matched: false };
      }),
    );
  }

  private messageEntry({ row, view }: MessageCandidate): ChronologyEntry {
    const reportNumber = view && typeof view.reportNumber === 'number' ? view.reportNumber : null;
    const outcome = view ? text(view.outcome) : null;
    return {
      kind: 'message',
      id: row.messageId,
      type: row.type,
      at: row.receivedAt.toISOString(),
      status: row.status ?? 'received',
      dueAt: iso(row.dueAt ?? null),
      acknowledgedAt: iso(row.acknowledgedAt ?? null),
      report: reportNumber !== null ? { number: reportNumber, status: text(view?.status) } : null,
      outcome: outcome ? { outcome, decidedAt: text(view?.decidedAt) } : null,
      unreadable: view === null && row.body !== null,
      purgedAt: iso(row.purgedAt ?? null),
    };
  }

  private referralEntry(row: ReferralRow): ChronologyEntry {
    const status: ReferralStatus = referralStatus(row);
    return {
      kind: 'referral',
      id: row.referral_id,
      type: 'referral',
      at: new Date(row.submitted_at).toISOString(),
      status,
      dueAt: null,
      acknowledgedAt: iso(row.acknowledged_at),
      report: null,
      outcome: row.outcome ? { outcome: row.outcome, decidedAt: iso(row.decided_at) } : null,
      unreadable: false,
      purgedAt: null,
    };
  }
}
