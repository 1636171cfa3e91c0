import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections this node sent, and what became of them per mailbox. `correction`: the
 * correction's id, the message it corrects (its type and subject), amended or withdrawn, and
 * the hub's answer (the corrected message and the reason stay in the signed envelope, encrypted
 * to the hub in the outbox). `correction_recipient`: each mailbox the hub sent it to, in which
 * role (from its signed `correction-routed`), with the receipts, escalation and any refusal the
 * hub sent back. Ids, codes and times only.
 */
export class CreateNodeCorrections1764210000000 implements MigrationInterface {
  name = 'CreateNodeCorrections1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE correction (
        message_id uuid PRIMARY KEY,
        original_message_id uuid NOT NULL,
        original_type varchar(200) NOT NULL,
        subject_ref varchar(200) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('amended', 'withdrawn')),
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL,
        routed_at timestamptz,
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000)
      )`);
    await queryRunner.query(
      `CREATE INDEX correction_original ON correction (original_message_id, submitted_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE correction_recipient (
        message_id uuid NOT NULL REFERENCES correction (message_id),
        mailbox_id varchar(100) NOT NULL,
        role varchar(20),
        acknowledge_by timestamptz,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200),
        overdue_at timestamptz,
        not_reached_code varchar(60),
        not_reached_reason varchar(1000),
        PRIMARY KEY (message_id, mailbox_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE correction_recipient`);
    await queryRunner.query(`DROP TABLE correction`);
  }
}
