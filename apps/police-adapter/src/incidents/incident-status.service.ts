import { Injectable, NotFoundException } from '@nestjs/common';
import { EncompassRecipientRoles } from '@app/contracts';
import {
  RecipientFactsView,
  recipientFactsView,
  RecipientStatus,
  recipientStatusOf,
  RefusedCopies,
  RefusedCopy,
} from '@app/node';

import {
  IncidentNotificationRecipientRepository,
  RecipientRow,
} from './incident-notification-recipient.repository';
import {
  IncidentNotificationRepository,
  NotificationRow,
} from './incident-notification.repository';
import { IncidentRepository, IncidentRow } from './incident.repository';

/** A child's notification: `submitted` until the hub answers about the school, then the school's. */
export type NotificationStatus = 'submitted' | RecipientStatus;

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
  submittedAt: string;
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
    private readonly incidents: IncidentRepository,
    private readonly childNotifications: IncidentNotificationRepository,
    private readonly recipients: IncidentNotificationRecipientRepository,
    private readonly refusedCopies: RefusedCopies,
  ) {}

  async notifications(incidentId: string): Promise<IncidentNotifications> {
    const incident = await this.incidents.find(incidentId);
    if (!incident) throw new NotFoundException('no such incident');
    const [notifications] = await this.of([incident]);
    return notifications;
  }

  /** The notifications of several incidents at once, in the order given (the list's page). */
  async of(incidents: IncidentRow[]): Promise<IncidentNotifications[]> {
    const rows = await this.childNotifications.ofIncidents(
      incidents.map((incident) => incident.id),
    );
    const messageIds = rows.map((row) => row.message_id);
    const recipients = await this.recipients.ofNotifications(messageIds);
    const copies = await this.refusedCopies.of(messageIds);
    return incidents.map((incident) => ({
      incidentId: incident.id,
      policeReference: incident.police_reference,
      submittedAt: new Date(incident.created_at).toISOString(),
      notifications: rows
        .filter((row) => row.incident_id === incident.id)
        .map((row) =>
          this.notification(
            row,
            recipients.filter((recipient) => recipient.message_id === row.message_id).sort(byRole),
            copies.get(row.message_id) ?? [],
          ),
        ),
    }));
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
