import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hub's refusals of copies of messages this node sent (a replay, a re-headered or forged
 * record naming the message's id), kept apart from the message's own state so the sender can
 * tell "your message was refused" from "a copy of your message was refused". Ids, codes and
 * the hub's reason (which names rules, never values) only.
 */
export class CreateNodeRefusedCopy1764193000000 implements MigrationInterface {
  name = 'CreateNodeRefusedCopy1764193000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE refused_copy (
        rejection_id uuid PRIMARY KEY,
        message_id uuid NOT NULL,
        code varchar(60) NOT NULL,
        reason varchar(1000) NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query('CREATE INDEX refused_copy_message ON refused_copy (message_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE refused_copy');
  }
}
