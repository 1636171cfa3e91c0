import { Injectable } from '@nestjs/common';

import { NodeApiClient } from '../node-api/node-api.client';
import { PageNotFoundError } from '../pages/page-errors';
import { formatDateTime } from '../presentation/area-time';
import { ActiveSession } from '../session/console-sessions.service';
import { CorrelationTrailJson, TrailRowJson } from './audit-json';
import { AuditNames } from './audit-names.service';
import { trailEventWords, typeWords } from './trail-words';

/** One event of the story's timeline. */
export interface StoryEvent {
  seq: number;
  at: string;
  when: string;
  title: string;
  by: string;
  lines: string[];
  messageId: string | null;
}

/** Where one delivery (one recipient's view) stands, from its own rows. */
export interface StoryRecipient {
  deliveryId: string;
  recipient: string;
  view: string;
  sent: string;
  delivered: string | null;
  acknowledged: string | null;
  escalated: string | null;
}

export interface MessageStory {
  messageId: string;
  asked: string;
  type: string;
  subjectRef: string | null;
  sender: string;
  events: StoryEvent[];
  recipients: StoryRecipient[];
  notShared: string[];
  reads: number;
}

/**
 * One message's whole story for the auditor, FOLLOWING ITS CORRELATION: GET
 * /audit/correlations/:messageId gives the submission's own rows, every delivery's (routed,
 * delivered, acknowledged, escalated: each delivery is a message of its own) and the replies'.
 * The timeline is every event in chain order; beside it, each recipient's standing. Auditors'
 * reads of the story are counted, not listed: opening this page is one of them.
 */
@Injectable()
export class MessageStories {
  constructor(
    private readonly api: NodeApiClient,
    private readonly names: AuditNames,
  ) {}

  async of(session: ActiveSession, messageId: string): Promise<MessageStory> {
    const trail = await this.api.get<CorrelationTrailJson>(
      session,
      this.names.auditUrl,
      `/audit/correlations/${encodeURIComponent(messageId)}`,
    );
    const story = trail.rows.filter((row) => row.action !== 'trail-read');
    if (!story.length) throw new PageNotFoundError();
    const first =
      story.find((row) => row.messageId === trail.messageId && row.messageType) ?? story[0];
    const sender = story.find((row) => row.senderAgency)?.senderAgency;
    return {
      messageId: trail.messageId,
      asked: messageId,
      type: typeWords(first.messageType),
      subjectRef: story.find((row) => row.subjectRef)?.subjectRef ?? null,
      sender: sender ? this.names.agency(sender) : this.names.actor(first.actor),
      events: story.map((row) => {
        const words = trailEventWords(row, this.names);
        return {
          seq: row.seq,
          at: row.occurredAt,
          when: formatDateTime(row.occurredAt),
          title: words.title,
          by: words.by,
          lines: words.lines,
          messageId: row.messageId ?? null,
        };
      }),
      recipients: this.recipients(story),
      notShared: story
        .filter((row) => row.action === 'sharing-refused')
        .map((row) => this.names.mailboxOf(row.recipientMailbox, row.recipientAgency)),
      reads: trail.rows.length - story.length,
    };
  }

  /** Each delivery the hub sent (its routed or reply row), with its receipts and escalation. */
  private recipients(rows: TrailRowJson[]): StoryRecipient[] {
    const sentRows = rows.filter(
      (row) =>
        row.actor === 'hub' &&
        row.messageId &&
        row.recipientMailbox &&
        row.correlationId &&
        !['policy-decision', 'sharing-refused', 'delivered', 'acknowledged', 'escalated'].includes(
          row.action,
        ),
    );
    const firstOf = (deliveryId: string, action: string) => {
      const row = rows.find((each) => each.messageId === deliveryId && each.action === action);
      return row ? formatDateTime(row.occurredAt) : null;
    };
    return sentRows.map((row) => ({
      deliveryId: row.messageId!,
      recipient: this.names.mailboxOf(row.recipientMailbox, row.recipientAgency),
      view: typeWords(row.messageType),
      sent: formatDateTime(row.occurredAt),
      delivered: firstOf(row.messageId!, 'delivered'),
      acknowledged: firstOf(row.messageId!, 'acknowledged'),
      escalated: firstOf(row.messageId!, 'escalated'),
    }));
  }
}
