import { MigrationInterface, QueryRunner } from 'typeorm';

/** The audit trail table; event_id is unique so a redelivered event is not appended twice. */
export class CreateAuditRecord1764140200000 implements MigrationInterface {
  name = 'CreateAuditRecord1764140200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_record (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        action varchar(40) NOT NULL,
        actor varchar(100) NOT NULL,
        occurred_at timestamptz NOT NULL,
        message_id uuid,
        subject_ref varchar(200),
        payload_digest varchar(43),
        detail varchar(200),
        appended_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_record_message_id ON audit_record (message_id, seq)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_record_subject_ref ON audit_record (subject_ref, seq)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_record`);
  }
}
