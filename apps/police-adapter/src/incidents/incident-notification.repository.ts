import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A child's notification of an incident: ids, the school named and the message's own refusal. */
export interface NotificationRow {
  message_id: string;
  incident_id: string;
  child_index: number;
  school_urn: string | null;
  educated_at_home: boolean;
  submitted_at: Date;
  rejected_at: Date | null;
  rejection_code: string | null;
  rejection_reason: string | null;
}

/** The SQL that reads the incident_notification table. */
@Injectable()
export class IncidentNotificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every child's notification of these incidents, in child order. */
  async ofIncidents(incidentIds: string[]): Promise<NotificationRow[]> {
    if (!incidentIds.length) return [];
    return (await this.dataSource.query(
      `SELECT message_id, incident_id, child_index, school_urn, educated_at_home, submitted_at,
              rejected_at, rejection_code, rejection_reason
         FROM incident_notification WHERE incident_id = ANY($1::uuid[])
        ORDER BY incident_id, child_index`,
      [incidentIds],
    )) as NotificationRow[];
  }
}
