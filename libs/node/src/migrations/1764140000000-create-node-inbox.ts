import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every adapter's schema starts with its inbox; each adapter runs this in its own schema. */
export class CreateNodeInbox1764140000000 implements MigrationInterface {
  name = 'CreateNodeInbox1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_message (
        message_id uuid PRIMARY KEY,
        type varchar(200) NOT NULL,
        source varchar(200) NOT NULL,
        subject_ref varchar(200),
        body text NOT NULL,
        kafka_topic varchar(249) NOT NULL,
        kafka_partition int NOT NULL,
        kafka_offset bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX inbox_message_received_at ON inbox_message (received_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox_message`);
  }
}
