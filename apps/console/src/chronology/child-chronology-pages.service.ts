import { Injectable } from '@nestjs/common';
import type { ChildChronology, ChronologyEntry } from '@app/node';
import { Clock } from '@app/platform';

import { MailboxPages, notificationPath } from '../mailbox/mailbox-pages.service';
import { MailboxEntry } from '../node-api/area-directory.service';
import { NodeApiClient } from '../node-api/node-api.client';
import { formatDate, formatDateTime } from '../presentation/area-time';
import { choiceText, REFERRAL_DECISIONS } from '../presentation/choice-labels';
import { messageTypeLabel } from '../presentation/message-labels';
import { REFERRAL_STATUS, referralAnchor } from '../referrals/sent-referrals.service';
import { ActiveSession } from '../session/console-sessions.service';

/** One entry of a child's chronology as the page's timeline shows it. */
export interface ChronologyRow {
  title: string;
  at: string;
  when: string;
  status: { text: string; colour: string };
  detail: string | null;
  href: string;
  linkText: string;
}

export interface ChronologyPage {
  mailbox: MailboxEntry;
  /** "Cara Smith, born 1 June 2016", shown in the page's body only (never its title). */
  child: string | null;
  rows: ChronologyRow[];
}

const REPORTED: Record<string, string> = { missing: 'reported missing', found: 'reported found' };

/**
 * Per child, one chronology of everything the mailbox holds about her, newest first, from the
 * node (GET /mailboxes/:id/chronology/:itemId), which does the matching over its decrypted
 * store; each entry links to its own page.
 */
@Injectable()
export class ChildChronologyPages {
  constructor(
    private readonly pages: MailboxPages,
    private readonly api: NodeApiClient,
    private readonly clock: Clock,
  ) {}

  async page(session: ActiveSession, mailboxId: string, itemId: string): Promise<ChronologyPage> {
    const { mailbox, nodeUrl } = this.pages.reach(session, mailboxId);
    const chronology = await this.api.get<ChildChronology>(
      session,
      nodeUrl,
      `/mailboxes/${encodeURIComponent(mailboxId)}/chronology/${encodeURIComponent(itemId)}`,
    );
    const now = this.clock.now();
    return {
      mailbox,
      child: chronology.child
        ? `${chronology.child.name}, born ${formatDate(`${chronology.child.dateOfBirth.slice(0, 10)}T12:00:00Z`)}`
        : null,
      rows: chronology.entries.map((entry) => this.row(mailboxId, entry, now)),
    };
  }

  private row(mailboxId: string, entry: ChronologyEntry, now: Date): ChronologyRow {
    const when = formatDateTime(entry.at);
    if (entry.kind === 'referral') {
      return {
        title: 'Referral you made to the MASH',
        at: entry.at,
        when,
        status: REFERRAL_STATUS[entry.status] ?? { text: entry.status, colour: 'grey' },
        detail: entry.outcome
          ? `Decision: ${choiceText(REFERRAL_DECISIONS, entry.outcome.outcome)}`
          : null,
        href: `/mailboxes/${encodeURIComponent(mailboxId)}/referrals#${referralAnchor(entry.id)}`,
        linkText: 'See it among your referrals',
      };
    }
    const acknowledged = entry.acknowledgedAt !== null || entry.status === 'acknowledged';
    const overdue =
      !acknowledged && entry.dueAt !== null && Date.parse(entry.dueAt) < now.getTime();
    const reported = entry.report?.status ? REPORTED[entry.report.status] : undefined;
    return {
      title: entry.report
        ? `${messageTypeLabel(entry.type)}: report ${entry.report.number}${reported ? `, ${reported}` : ''}`
        : messageTypeLabel(entry.type),
      at: entry.at,
      when,
      status: acknowledged
        ? { text: 'Acknowledged', colour: 'green' }
        : overdue
          ? { text: 'Overdue', colour: 'red' }
          : { text: 'Unread', colour: 'blue' },
      detail: entry.purgedAt
        ? `Purged on ${formatDateTime(entry.purgedAt)} under its retention rule.`
        : entry.unreadable
          ? 'This item cannot be opened.'
          : entry.outcome
            ? `Decision: ${choiceText(REFERRAL_DECISIONS, entry.outcome.outcome)}`
            : null,
      href: notificationPath(mailboxId, entry.id),
      linkText: 'Open it',
    };
  }
}
