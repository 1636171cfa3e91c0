import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { recipientStatus } from '../consent/consent-withdrawal-reads.service';

export interface CorrectionRecipientSummary {
  mailboxId: string;
  /** recipient, new-recipient or not-for-recipient (null until the hub's answer arrives). */
  role: string | null;
  status: 'told' | 'delivered' | 'acknowledged' | 'overdue' | 'not-reached';
  acknowledgeBy: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  notReached: { code: string; reason: string } | null;
}

export interface CorrectionSummary {
  messageId: string;
  originalMessageId: string;
  originalType: string;
  subjectRef: string;
  kind: string;
  /** submitted, rejected, routed, or acknowledged once every mailbox reached has acknowledged. */
  status: 'submitted' | 'rejected' | 'routed' | 'acknowledged';
  submittedAt: string;
  routedAt: string | null;
  rejection: { code: string; reason: string; at: string } | null;
  recipients: CorrectionRecipientSummary[];
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** What this node's agency system sees of a correction it sent: whom the hub sent it to, and who acknowledged. */
@Injectable()
export class CorrectionReads {
  constructor(private readonly dataSource: DataSource) {}

  async find(messageId: string): Promise<CorrectionSummary> {
    const [row] = (await this.dataSource.query('SELECT * FROM correction WHERE message_id = $1', [
      messageId,
    ])) as {
      message_id: string;
      original_message_id: string;
      original_type: string;
      subject_ref: string;
      kind: string;
      submitted_at: Date;
      routed_at: Date | null;
      rejected_at: Date | null;
      rejection_code: string | null;
      rejection_reason: string | null;
    }[];
    if (!row) throw new NotFoundException('no such correction');
    const rows = (await this.dataSource.query(
      'SELECT * FROM correction_recipient WHERE message_id = $1 ORDER BY mailbox_id',
      [messageId],
    )) as (Parameters<typeof recipientStatus>[0] & { role: string | null })[];
    const recipients = rows.map((recipient) => ({
      mailboxId: recipient.mailbox_id,
      role: recipient.role,
      status: recipientStatus(recipient),
      acknowledgeBy: iso(recipient.acknowledge_by),
      deliveredAt: iso(recipient.delivered_at),
      acknowledgedAt: iso(recipient.acknowledged_at),
      acknowledgedBy: recipient.acknowledged_by,
      overdueAt: iso(recipient.overdue_at),
      notReached: recipient.not_reached_code
        ? { code: recipient.not_reached_code, reason: recipient.not_reached_reason ?? '' }
        : null,
    }));
    const open = recipients.filter((recipient) => recipient.status !== 'not-reached');
    const status: CorrectionSummary['status'] = row.rejected_at
      ? 'rejected'
      : !row.routed_at
        ? 'submitted'
        : open.length > 0 && open.every((recipient) => recipient.status === 'acknowledged')
          ? 'acknowledged'
          : 'routed';
    return {
      messageId: row.message_id,
      originalMessageId: row.original_message_id,
      originalType: row.original_type,
      subjectRef: row.subject_ref,
      kind: row.kind,
      status,
      submittedAt: iso(row.submitted_at)!,
      routedAt: iso(row.routed_at),
      rejection: row.rejected_at
        ? {
            code: row.rejection_code ?? '',
            reason: row.rejection_reason ?? '',
            at: iso(row.rejected_at)!,
          }
        : null,
      recipients,
    };
  }
}
