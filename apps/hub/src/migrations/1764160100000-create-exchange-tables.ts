import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the hub remembers of the messages it handled: which it processed (so a re-published copy
 * is a harmless duplicate), each delivery per mailbox (one per child, incident and mailbox) and
 * each deadline. Metadata and digests only; no payload is stored.
 */
export class CreateExchangeTables1764160100000 implements MigrationInterface {
  name = 'CreateExchangeTables1764160100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE processed_message (
        message_key varchar(120) PRIMARY KEY,
        iss varchar(63),
        payload_digest varchar(43) NOT NULL,
        outcome varchar(20) NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE delivery (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        sender_node varchar(63) NOT NULL,
        subject_ref varchar(200) NOT NULL,
        message_type varchar(200) NOT NULL,
        dedupe_digest varchar(43) NOT NULL,
        mailbox_id varchar(100) NOT NULL,
        recipient_node varchar(63) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200)
      )`);
    // The same child and incident never reaches one mailbox twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX delivery_once_per_mailbox ON delivery (sender_node, dedupe_digest, mailbox_id)`,
    );
    await queryRunner.query(`CREATE INDEX delivery_submission ON delivery (submission_id)`);
    await queryRunner.query(`
      CREATE TABLE deadline (
        delivery_id uuid PRIMARY KEY REFERENCES delivery (id),
        mailbox_id varchar(100) NOT NULL,
        due_at timestamptz NOT NULL,
        state varchar(20) NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'met', 'escalated')),
        closed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX deadline_open_due ON deadline (due_at) WHERE state = 'open'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deadline`);
    await queryRunner.query(`DROP TABLE delivery`);
    await queryRunner.query(`DROP TABLE processed_message`);
  }
}
