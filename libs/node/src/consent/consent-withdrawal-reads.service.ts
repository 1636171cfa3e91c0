import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const ConsentWithdrawalStatuses = [
  'submitted',
  'rejected',
  'nobody-to-tell',
  'told',
  'overdue',
  'acknowledged',
] as const;
export type ConsentWithdrawalStatus = (typeof ConsentWithdrawalStatuses)[number];

export const ConsentRecipientStatuses = [
  'told',
  'delivered',
  'acknowledged',
  'overdue',
  'not-reached',
] as const;
export type ConsentRecipientStatus = (typeof ConsentRecipientStatuses)[number];

export interface ConsentWithdrawalRecipientSummary {
  mailboxId: string;
  status: ConsentRecipientStatus;
  acknowledgeBy: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  notReached: { code: string; reason: string } | null;
}

export interface ConsentWithdrawalSummary {
  messageId: string;
  subjectRef: string;
  status: ConsentWithdrawalStatus;
  withdrawnAt: string;
  submittedAt: string;
  routedAt: string | null;
  rejection: { code: string; reason: string; at: string } | null;
  recipients: ConsentWithdrawalRecipientSummary[];
}

interface WithdrawalRow {
  message_id: string;
  subject_ref: string;
  withdrawn_at: Date;
  submitted_at: Date;
  routed_at: Date | null;
  outcome: 'told' | 'nobody-to-tell' | null;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

interface RecipientRow {
  mailbox_id: string;
  acknowledge_by: Date | null;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  overdue_at: Date | null;
  not_reached_code: string | null;
  not_reached_reason: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** A mailbox's standing: acknowledged beats overdue (a late acknowledgement still counts). */
export function recipientStatus(row: RecipientRow): ConsentRecipientStatus {
  if (row.not_reached_code) return 'not-reached';
  if (row.acknowledged_at) return 'acknowledged';
  if (row.overdue_at) return 'overdue';
  if (row.delivered_at) return 'delivered';
  return 'told';
}

/** The withdrawal as a whole: settled only when every mailbox told has acknowledged. */
export function withdrawalStatus(
  row: WithdrawalRow,
  recipients: ConsentRecipientStatus[],
): ConsentWithdrawalStatus {
  if (row.rejected_at) return 'rejected';
  if (row.outcome === 'nobody-to-tell') return 'nobody-to-tell';
  if (!row.routed_at && recipients.length === 0) return 'submitted';
  const open = recipients.filter((status) => status !== 'not-reached');
  if (open.includes('overdue')) return 'overdue';
  if (open.length > 0 && open.every((status) => status === 'acknowledged')) return 'acknowledged';
  return 'told';
}

/** What this node's agency system sees of a withdrawal it sent: whom the hub told, and who acknowledged. */
@Injectable()
export class ConsentWithdrawalReads {
  constructor(private readonly dataSource: DataSource) {}

  async find(messageId: string): Promise<ConsentWithdrawalSummary> {
    const [row] = (await this.dataSource.query(
      'SELECT * FROM consent_withdrawal WHERE message_id = $1',
      [messageId],
    )) as WithdrawalRow[];
    if (!row) throw new NotFoundException('no such consent withdrawal');
    const recipients = (await this.dataSource.query(
      'SELECT * FROM consent_withdrawal_recipient WHERE message_id = $1 ORDER BY mailbox_id',
      [messageId],
    )) as RecipientRow[];
    const summaries = recipients.map((recipient) => ({
      mailboxId: recipient.mailbox_id,
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
    return {
      messageId: row.message_id,
      subjectRef: row.subject_ref,
      status: withdrawalStatus(
        row,
        summaries.map((summary) => summary.status),
      ),
      withdrawnAt: iso(row.withdrawn_at)!,
      submittedAt: iso(row.submitted_at)!,
      routedAt: iso(row.routed_at),
      rejection: row.rejected_at
        ? {
            code: row.rejection_code ?? '',
            reason: row.rejection_reason ?? '',
            at: iso(row.rejected_at)!,
          }
        : null,
      recipients: summaries,
    };
  }
}
