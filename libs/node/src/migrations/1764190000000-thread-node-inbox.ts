import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threads in a mailbox: several deliveries about one thing (the reports of one missing episode)
 * show as one item carrying the latest. Each delivery keeps its own row (its id is what receipts
 * and idempotency name); `thread_key` groups them per mailbox, `thread_sequence` orders them
 * whatever order they arrive in, and `superseded_by` marks every row but the latest.
 */
export class ThreadNodeInbox1764190000000 implements MigrationInterface {
  name = 'ThreadNodeInbox1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inbox_message
        ADD COLUMN thread_key varchar(120),
        ADD COLUMN thread_sequence int,
        ADD COLUMN superseded_by uuid`);
    await queryRunner.query(
      `CREATE INDEX inbox_message_thread ON inbox_message (mailbox_id, thread_key)
        WHERE thread_key IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_message_thread`);
    await queryRunner.query(`
      ALTER TABLE inbox_message DROP COLUMN thread_key, DROP COLUMN thread_sequence,
        DROP COLUMN superseded_by`);
  }
}
