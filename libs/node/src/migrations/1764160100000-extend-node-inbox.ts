import { MigrationInterface, QueryRunner } from 'typeorm';

/** Mailboxes and acknowledgement on the inbox: metadata only, the body stays a JWE. */
export class ExtendNodeInbox1764160100000 implements MigrationInterface {
  name = 'ExtendNodeInbox1764160100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inbox_message
        ADD COLUMN mailbox_id varchar(100),
        ADD COLUMN status varchar(20) NOT NULL DEFAULT 'received'
          CHECK (status IN ('received', 'acknowledged')),
        ADD COLUMN due_at timestamptz,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN acknowledged_by varchar(200)`);
    await queryRunner.query(
      `CREATE INDEX inbox_message_mailbox ON inbox_message (mailbox_id, received_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_message_mailbox`);
    await queryRunner.query(`
      ALTER TABLE inbox_message DROP COLUMN mailbox_id, DROP COLUMN status, DROP COLUMN due_at,
        DROP COLUMN acknowledged_at, DROP COLUMN acknowledged_by`);
  }
}
