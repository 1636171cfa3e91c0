import { Injectable } from '@nestjs/common';
import { MISSING_EPISODE_VIEW } from '@app/contracts';
import type { MailboxItem, MailboxMessage } from '@app/node';
import { Clock } from '@app/platform';

import { AreaDirectory, MailboxEntry } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { countdown, formatDateTime } from '../presentation/area-time';
import { messageGuidance, messageTypeLabel } from '../presentation/message-labels';
import { viewFields, ViewField } from '../presentation/view-fields';
import {
  CORRECTION_KIND_LABELS,
  CorrectionNotice,
  correctionNotice,
} from '../presentation/correction-notice';
import { NotificationAction, notificationAction } from './notification-action';
import { chronologyPath } from '../chronology/chronology-path';
import { SentDecision, SentDecisions } from '../referral-decision/sent-decisions.service';
import { ActiveSession } from '../session/console-sessions.service';
import { EpisodeThreads, EpisodeUpdateRow } from '../thread/episode-threads.service';

export interface MailboxRow {
  href: string;
  type: string;
  received: string;
  receivedAt: string;
  dueAt: string | null;
  due: string | null;
  countdown: string | null;
  overdue: boolean;
  acknowledged: boolean;
  updated: boolean;
  /** When its content was purged under a retention rule; the row stays as its tombstone. */
  purged: string | null;
  /** On a correction: "Corrected", "Withdrawn" or "Not for you", shown as a tag. */
  correction: string | null;
}

export interface MailboxPage {
  mailbox: MailboxEntry;
  rows: MailboxRow[];
  unread: number;
  overdue: number;
  /** The mailbox refers children to the MASH: its referrals page is offered. */
  refers: boolean;
}

/** Mailboxes that make referrals to the MASH (and hear back its decisions). */
const REFERRER_KINDS = new Set([
  'designated-safeguarding-lead',
  'local-authority-education',
  'school-nursing',
  'health-visiting',
  'police-safeguarding',
]);

export interface NotificationPage {
  mailbox: MailboxEntry;
  messageId: string;
  type: string;
  received: string;
  dueAt: string | null;
  due: string | null;
  countdown: string | null;
  overdue: boolean;
  acknowledged: string | null;
  /** Purged under a retention rule: when, and the rule; the content is no longer held. */
  purged: { on: string; rule: string | null } | null;
  fields: ViewField[];
  reports: number;
  action: NotificationAction;
  guidance: string | null;
  /** A missing episode's reports, oldest first; empty for other messages. */
  updates: EpisodeUpdateRow[];
  /** On a referral the MASH received: the decision it already sent, shown instead of a form. */
  sentDecision: SentDecision | null;
  /** Everything the mailbox holds about the child this message is about. */
  chronologyHref: string;
  /** When the sender corrected the message: the notice, its history and what changed. */
  correction: CorrectionNotice | null;
  /** A not-for-recipient notice is addressed to a school or to a mailbox. */
  forSchool: boolean;
}

/** The address of a notification's page: ids only, never personal data. */
export function notificationPath(mailboxId: string, messageId: string): string {
  return `/mailboxes/${encodeURIComponent(mailboxId)}/notifications/${encodeURIComponent(messageId)}`;
}

/**
 * The mailbox pages' data, from the node that holds the mailbox, called as the signed-in person.
 * A mailbox the person is not bound to, or one that does not exist, is the same 404 page: the
 * console never says which.
 */
@Injectable()
export class MailboxPages {
  constructor(
    private readonly area: AreaDirectory,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
    private readonly threads: EpisodeThreads,
    private readonly decisions: SentDecisions,
  ) {}

  /** The person's own mailbox and its node's URL, or the 404 page. */
  reach(session: ActiveSession, mailboxId: string): { mailbox: MailboxEntry; nodeUrl: string } {
    const mailbox = this.area.mailbox(mailboxId);
    const nodeUrl = mailbox && this.area.nodeUrl(mailbox.nodeId);
    if (!mailbox || !nodeUrl || !session.person.mailboxes.includes(mailboxId)) {
      throw new PageNotFoundError();
    }
    return { mailbox, nodeUrl };
  }

  /** The person's mailboxes the area knows, for the home page. */
  mailboxesOf(session: ActiveSession): MailboxEntry[] {
    return session.person.mailboxes
      .map((id) => this.area.mailbox(id))
      .filter((mailbox): mailbox is MailboxEntry => Boolean(mailbox));
  }

  async list(session: ActiveSession, mailboxId: string): Promise<MailboxPage> {
    const { mailbox, nodeUrl } = this.reach(session, mailboxId);
    const items = await this.api.get<MailboxItem[]>(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/notifications`,
    );
    const now = this.clock.now();
    const rows = items.map((item) => this.row(mailboxId, item, now));
    // Overdue first, then the newest: what needs her now is at the top.
    rows.sort(
      (a, b) => Number(b.overdue) - Number(a.overdue) || b.receivedAt.localeCompare(a.receivedAt),
    );
    return {
      mailbox,
      rows,
      unread: rows.filter((row) => !row.acknowledged).length,
      overdue: rows.filter((row) => row.overdue).length,
      refers: REFERRER_KINDS.has(mailbox.kind),
    };
  }

  /** One message of the person's own mailbox, decrypted by its node, with that node's URL. */
  async message(
    session: ActiveSession,
    mailboxId: string,
    messageId: string,
  ): Promise<{ mailbox: MailboxEntry; nodeUrl: string; message: MailboxMessage }> {
    const { mailbox, nodeUrl } = this.reach(session, mailboxId);
    const message = await this.api.get<MailboxMessage>(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/notifications/${encodeURIComponent(messageId)}`,
    );
    return { mailbox, nodeUrl, message };
  }

  async read(
    session: ActiveSession,
    mailboxId: string,
    messageId: string,
  ): Promise<NotificationPage> {
    const { mailbox, nodeUrl, message } = await this.message(session, mailboxId, messageId);
    const now = this.clock.now();
    const row = this.row(mailboxId, message, now);
    const action = notificationAction(mailbox, message);
    const [updates, sentDecision, correction] = await Promise.all([
      message.type === MISSING_EPISODE_VIEW.type
        ? this.threads.updates(session, nodeUrl, mailboxId, messageId)
        : [],
      action?.kind === 'referral-decision'
        ? this.decisions.of(session, nodeUrl, mailboxId, action.referralId)
        : null,
      this.correctionOf(session, mailboxId, message),
    ]);
    const current = message.correction;
    return {
      mailbox,
      messageId: message.messageId,
      type: correction?.originalType ? messageTypeLabel(correction.originalType) : row.type,
      received: row.received,
      dueAt: row.dueAt,
      due: row.due,
      countdown: row.countdown,
      overdue: row.overdue,
      acknowledged: message.acknowledgedAt ? formatDateTime(message.acknowledgedAt) : null,
      purged: message.purgedAt
        ? { on: formatDateTime(message.purgedAt), rule: message.purgeRule }
        : null,
      // A corrected message shows what stands now: the amended fields, or none at all when it
      // was withdrawn or was never meant for this mailbox.
      fields: current
        ? current.current
          ? viewFields(current.current)
          : []
        : message.notification
          ? viewFields(message.notification)
          : [],
      reports: message.reports,
      action,
      guidance: messageGuidance(message.type),
      updates,
      sentDecision,
      chronologyHref: chronologyPath(mailboxId, messageId),
      correction: correction?.notice ?? null,
      forSchool: mailbox.kind === 'designated-safeguarding-lead',
    };
  }

  /**
   * The notice of a corrected message. The first version is read for its type (who sent it) and,
   * when amended, to show what changed; one the node can no longer open leaves the notice without.
   */
  private async correctionOf(
    session: ActiveSession,
    mailboxId: string,
    message: MailboxMessage,
  ): Promise<{ notice: CorrectionNotice; originalType: string | null } | null> {
    const correction = message.correction;
    if (!correction || correction.history.length === 0) return null;
    const original =
      correction.originalMessageId === message.messageId
        ? message
        : await this.message(session, mailboxId, correction.originalMessageId)
            .then((read) => read.message)
            .catch(() => null);
    const originalType = original?.type ?? null;
    return {
      notice: correctionNotice(correction, originalType, original?.notification ?? null),
      originalType,
    };
  }

  async acknowledge(session: ActiveSession, mailboxId: string, messageId: string): Promise<void> {
    const { nodeUrl } = this.reach(session, mailboxId);
    await this.api.post(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/notifications/${encodeURIComponent(messageId)}/acknowledge`,
      {},
    );
  }

  private row(mailboxId: string, item: MailboxItem, now: Date): MailboxRow {
    const acknowledged = item.acknowledgedAt !== null || item.status === 'acknowledged';
    const overdue = !acknowledged && item.dueAt !== null && Date.parse(item.dueAt) < now.getTime();
    return {
      href: notificationPath(mailboxId, item.messageId),
      type: messageTypeLabel(item.type),
      received: formatDateTime(item.receivedAt),
      receivedAt: item.receivedAt,
      dueAt: item.dueAt,
      due: item.dueAt ? formatDateTime(item.dueAt) : null,
      countdown: item.dueAt && !acknowledged ? countdown(item.dueAt, now) : null,
      overdue,
      acknowledged,
      updated: item.updated,
      purged: item.purgedAt ? formatDateTime(item.purgedAt) : null,
      correction: item.correctionState ? CORRECTION_KIND_LABELS[item.correctionState] : null,
    };
  }
}
