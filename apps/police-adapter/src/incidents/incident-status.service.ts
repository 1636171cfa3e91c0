import { Injectable, NotFoundException } from '@nestjs/common';
import { EncompassRecipientRoles } from '@app/contracts';
import {
  RecipientFacts,
  RecipientFactsView,
  recipientFactsView,
  RecipientStatus,
  recipientStatusOf,
  RefusedCopies,
  RefusedCopy,
} from '@app/node';
import { DataSource } from 'typeorm';

/** A child's notification: `submitted` until the hub answers about the school, then the school's. */
export type NotificationStatus = 'submitted' | RecipientStatus;

interface NotificationRow {
  message_id: string;
  child_index: number;
  school_urn: string | null;
  educated_at_home: boolean;
  submitted_at: Date;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

interface RecipientRow extends RecipientFacts {
  message_id: string;
  mailbox_id: string;
  role: string | null;
  acknowledge_by: Date | null;
}

/** One recipient mailbox of a child's notification: the school, health, the MASH. */
export interface NotificationRecipientView extends RecipientFactsView {
  role: string | null;
  mailboxId: string;
  status: RecipientStatus;
  acknowledgeBy: string | null;
}

/** A child's notification; its own status and times are the school's (see the class comment). */
export interface ChildNotification {
  messageId: string;
  childIndex: number;
  educatedAtHome?: true;
  schoolUrn?: string | null;
  mailboxId: string | null;
  status: NotificationStatus;
  submittedAt: string | null;
  acknowledgeBy: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  overdueAt: string | null;
  rejectedAt: string | null;
  rejection?: { code: string | null; reason: string | null };
  sharingRefusedAt?: string | null;
  sharingRefusal?: { ruleId: string | null; policyVersion: string | null; reason: string | null };
  /** Copies of this message the hub refused (a replay, a re-headered record). */
  refusedCopies: RefusedCopy[];
  recipients: NotificationRecipientView[];
}

/** GET /incidents/:incidentId/notifications: one notification per child. */
export interface IncidentNotifications {
  incidentId: string;
  policeReference: string;
  notifications: ChildNotification[];
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The school first (the police's own duty), then health, the MASH, any the hub did not name. */
function byRole(a: RecipientRow, b: RecipientRow): number {
  const rank = (row: RecipientRow) => {
    const index = EncompassRecipientRoles.indexOf(row.role as never);
    return index < 0 ? EncompassRecipientRoles.length : index;
  };
  return rank(a) - rank(b) || a.mailbox_id.localeCompare(b.mailbox_id);
}

/**
 * What the police system sees of its incident's notifications, per child: every recipient's
 * status and times (`recipients`: the school, health, the MASH), and at the child's own level
 * the **school's** — the child's school or college, or the local authority's education mailbox
 * for a child educated at home — because telling the school before the next school day is the
 * police's Operation Encompass duty; a rejection of the notification as a whole (naming no
 * recipient) shows there too. Health's and the MASH's standing is in `recipients` only.
 */
@Injectable()
export class IncidentStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly refusedCopies: RefusedCopies,
  ) {}

  async notifications(incidentId: string): Promise<IncidentNotifications> {
    const [incident] = (await this.dataSource.query(
      'SELECT id, police_reference FROM incident WHERE id = $1',
      [incidentId],
    )) as { id: string; police_reference: string }[];
    if (!incident) throw new NotFoundException('no such incident');
    const rows = (await this.dataSource.query(
      'SELECT * FROM incident_notification WHERE incident_id = $1 ORDER BY child_index',
      [incidentId],
    )) as NotificationRow[];
    const recipients = (await this.dataSource.query(
      `SELECT r.* FROM incident_notification_recipient r
         JOIN incident_notification n USING (message_id) WHERE n.incident_id = $1`,
      [incidentId],
    )) as RecipientRow[];
    const copies = await this.refusedCopies.of(rows.map((row) => row.message_id));
    return {
      incidentId,
      policeReference: incident.police_reference,
      notifications: rows.map((row) =>
        this.notification(
          row,
          recipients.filter((recipient) => recipient.message_id === row.message_id).sort(byRole),
          copies.get(row.message_id) ?? [],
        ),
      ),
    };
  }

  private notification(
    row: NotificationRow,
    recipients: RecipientRow[],
    copies: RefusedCopy[],
  ): ChildNotification {
    const school = recipients.find((recipient) => recipient.role === 'school');
    const rejection = row.rejected_at
      ? { code: row.rejection_code, reason: row.rejection_reason }
      : school?.rejected_at
        ? { code: school.rejection_code, reason: school.rejection_reason }
        : undefined;
    const status: NotificationStatus = row.rejected_at
      ? 'rejected'
      : school
        ? recipientStatusOf(school)
        : 'submitted';
    return {
      messageId: row.message_id,
      childIndex: row.child_index,
      ...(row.educated_at_home ? { educatedAtHome: true } : { schoolUrn: row.school_urn }),
      // The school's recipient (see the class comment).
      mailboxId: school?.mailbox_id ?? null,
      status,
      submittedAt: iso(row.submitted_at),
      acknowledgeBy: iso(school?.acknowledge_by ?? null),
      deliveredAt: iso(school?.delivered_at ?? null),
      acknowledgedAt: iso(school?.acknowledged_at ?? null),
      acknowledgedBy: school?.acknowledged_by ?? null,
      overdueAt: iso(school?.overdue_at ?? null),
      rejectedAt: iso(row.rejected_at ?? school?.rejected_at ?? null),
      ...(rejection ? { rejection } : {}),
      ...(school?.sharing_refused_at
        ? {
            sharingRefusedAt: iso(school.sharing_refused_at),
            sharingRefusal: {
              ruleId: school.sharing_rule_id,
              policyVersion: school.sharing_policy_version,
              reason: school.sharing_refusal_reason,
            },
          }
        : {}),
      // Copies of this message the hub refused (a replay, a re-headered record): they never
      // change the notification's own status.
      refusedCopies: copies,
      recipients: recipients.map((recipient) => ({
        role: recipient.role,
        mailboxId: recipient.mailbox_id,
        status: recipientStatusOf(recipient),
        acknowledgeBy: iso(recipient.acknowledge_by),
        ...recipientFactsView(recipient),
      })),
    };
  }
}
