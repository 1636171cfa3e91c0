import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const NotificationStatuses = [
  'submitted',
  'delivered',
  'acknowledged',
  'overdue',
  'rejected',
  'sharing-refused',
] as const;
export type NotificationStatus = (typeof NotificationStatuses)[number];

interface Row {
  message_id: string;
  child_index: number;
  school_urn: string | null;
  educated_at_home: boolean;
  mailbox_id: string | null;
  submitted_at: Date;
  delivered_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  overdue_at: Date | null;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
  sharing_refused_at: Date | null;
  sharing_rule_id: string | null;
  sharing_policy_version: string | null;
  sharing_refusal_reason: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The most telling status of a notification, from the times the exchange reported. */
function statusOf(row: Row): NotificationStatus {
  if (row.rejected_at) return 'rejected';
  if (row.sharing_refused_at) return 'sharing-refused';
  if (row.acknowledged_at) return 'acknowledged';
  if (row.overdue_at) return 'overdue';
  if (row.delivered_at) return 'delivered';
  return 'submitted';
}

/** What the police system can see of its incident's notifications: status and times. */
@Injectable()
export class IncidentStatusService {
  constructor(private readonly dataSource: DataSource) {}

  async notifications(incidentId: string) {
    const [incident] = (await this.dataSource.query(
      'SELECT id, police_reference FROM incident WHERE id = $1',
      [incidentId],
    )) as { id: string; police_reference: string }[];
    if (!incident) throw new NotFoundException('no such incident');
    const rows = (await this.dataSource.query(
      'SELECT * FROM incident_notification WHERE incident_id = $1 ORDER BY child_index',
      [incidentId],
    )) as Row[];
    return {
      incidentId,
      policeReference: incident.police_reference,
      notifications: rows.map((row) => ({
        messageId: row.message_id,
        childIndex: row.child_index,
        ...(row.educated_at_home ? { educatedAtHome: true } : { schoolUrn: row.school_urn }),
        mailboxId: row.mailbox_id,
        status: statusOf(row),
        submittedAt: iso(row.submitted_at),
        deliveredAt: iso(row.delivered_at),
        acknowledgedAt: iso(row.acknowledged_at),
        acknowledgedBy: row.acknowledged_by,
        overdueAt: iso(row.overdue_at),
        rejectedAt: iso(row.rejected_at),
        ...(row.rejection_code
          ? { rejection: { code: row.rejection_code, reason: row.rejection_reason } }
          : {}),
        ...(row.sharing_refused_at
          ? {
              sharingRefusedAt: iso(row.sharing_refused_at),
              sharingRefusal: {
                ruleId: row.sharing_rule_id,
                policyVersion: row.sharing_policy_version,
                reason: row.sharing_refusal_reason,
              },
            }
          : {}),
      })),
    };
  }
}
