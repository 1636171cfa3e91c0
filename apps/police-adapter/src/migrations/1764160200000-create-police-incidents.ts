import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The police node's incidents and per-child notifications: references, recipients and status
 * times only. Names and dates of birth stay in the force's own system; they are not kept here.
 */
export class CreatePoliceIncidents1764160200000 implements MigrationInterface {
  name = 'CreatePoliceIncidents1764160200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY,
        police_reference varchar(100) NOT NULL,
        submitted_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE incident_notification (
        message_id uuid PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident (id),
        child_index int NOT NULL,
        subject_ref varchar(200) NOT NULL,
        school_urn varchar(10),
        educated_at_home boolean NOT NULL DEFAULT false,
        mailbox_id varchar(100),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200),
        overdue_at timestamptz,
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000),
        UNIQUE (incident_id, child_index)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incident_notification`);
    await queryRunner.query(`DROP TABLE incident`);
  }
}
