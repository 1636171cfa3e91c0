import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook calls waiting to be made, written with the inbox row they announce: ids, type and
 * time only (the school fetches the notification through the authenticated API).
 */
export class CreateMailboxWebhook1764170000000 implements MigrationInterface {
  name = 'CreateMailboxWebhook1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mailbox_webhook (
        message_id uuid PRIMARY KEY,
        mailbox_id varchar(100) NOT NULL,
        message_type varchar(200) NOT NULL,
        received_at timestamptz NOT NULL,
        status varchar(20) NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error varchar(200),
        delivered_at timestamptz
      )`);
    // The relay's only question: which pending calls are due.
    await queryRunner.query(
      `CREATE INDEX mailbox_webhook_due ON mailbox_webhook (next_attempt_at) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mailbox_webhook`);
  }
}
