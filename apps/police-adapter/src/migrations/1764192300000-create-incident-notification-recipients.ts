import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-recipient columns that move from incident_notification to the recipient table. */
const RECIPIENT_COLUMNS = [
  'delivered_at',
  'acknowledged_at',
  'acknowledged_by',
  'overdue_at',
  'sharing_refused_at',
  'sharing_rule_id',
  'sharing_policy_version',
  'sharing_refusal_reason',
];

/**
 * A child's notification now goes to several recipients (the school, health, the MASH), each
 * with its own status: one row per notification and recipient, in the role the hub named
 * (`school`, `health`, `mash`), with what the hub said about it — ids, codes and times only. The
 * recipient columns of incident_notification move there: a notification before this migration
 * had one recipient, the school (or the local authority's education mailbox), so its times
 * become that recipient's row in role `school`. A rejection naming no recipient stays on the
 * notification (the message as a whole).
 */
export class CreateIncidentNotificationRecipients1764192300000 implements MigrationInterface {
  name = 'CreateIncidentNotificationRecipients1764192300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident_notification_recipient (
        message_id uuid NOT NULL REFERENCES incident_notification (message_id),
        mailbox_id varchar(100) NOT NULL,
        role varchar(20),
        acknowledge_by timestamptz,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200),
        overdue_at timestamptz,
        sharing_refused_at timestamptz,
        sharing_rule_id varchar(100),
        sharing_policy_version varchar(40),
        sharing_refusal_reason varchar(1000),
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000),
        PRIMARY KEY (message_id, mailbox_id)
      )`);
    await queryRunner.query(`
      INSERT INTO incident_notification_recipient (message_id, mailbox_id, role, ${RECIPIENT_COLUMNS.join(', ')})
      SELECT message_id, mailbox_id, 'school', ${RECIPIENT_COLUMNS.join(', ')}
        FROM incident_notification WHERE mailbox_id IS NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE incident_notification DROP COLUMN mailbox_id, ${RECIPIENT_COLUMNS.map(
        (column) => `DROP COLUMN ${column}`,
      ).join(', ')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE incident_notification
        ADD COLUMN mailbox_id varchar(100),
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN acknowledged_by varchar(200),
        ADD COLUMN overdue_at timestamptz,
        ADD COLUMN sharing_refused_at timestamptz,
        ADD COLUMN sharing_rule_id varchar(100),
        ADD COLUMN sharing_policy_version varchar(40),
        ADD COLUMN sharing_refusal_reason varchar(1000)`);
    // The school's row is what the notification's own columns used to hold.
    await queryRunner.query(`
      UPDATE incident_notification n SET mailbox_id = r.mailbox_id, ${RECIPIENT_COLUMNS.map(
        (column) => `${column} = r.${column}`,
      ).join(', ')}
        FROM incident_notification_recipient r
       WHERE r.message_id = n.message_id AND r.role = 'school'`);
    await queryRunner.query(`DROP TABLE incident_notification_recipient`);
  }
}
