import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections in the hub. `correction`: one row per correction routed, with the message it
 * corrects, its sender, its kind and its number among that message's corrections (a withdrawn
 * message takes no further correction). `correction_delivery`: which delivery carried a
 * correction to which mailbox in which role, so the next correction of the same message finds
 * who holds it now (the original's recipients, plus a new recipient, minus a mailbox told it was
 * not meant for it). Ids, codes and times only.
 */
export class CreateCorrectionTracking1764210000000 implements MigrationInterface {
  name = 'CreateCorrectionTracking1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE correction (
        correction_id uuid PRIMARY KEY,
        original_id uuid NOT NULL,
        sender_node varchar(63) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('amended', 'withdrawn')),
        correction_number int NOT NULL CHECK (correction_number > 0),
        routed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (sender_node, original_id, correction_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE correction_delivery (
        delivery_id uuid PRIMARY KEY REFERENCES delivery (id) ON DELETE CASCADE,
        correction_id uuid NOT NULL REFERENCES correction (correction_id),
        mailbox_id varchar(100) NOT NULL,
        role varchar(20) NOT NULL
          CHECK (role IN ('recipient', 'new-recipient', 'not-for-recipient'))
      )`);
    await queryRunner.query(
      `CREATE INDEX correction_delivery_correction ON correction_delivery (correction_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE correction_delivery`);
    await queryRunner.query(`DROP TABLE correction`);
  }
}
