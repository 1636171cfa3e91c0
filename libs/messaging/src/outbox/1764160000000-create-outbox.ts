import { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox; every publishing service runs this in its own schema. */
export class CreateOutbox1764160000000 implements MigrationInterface {
  name = 'CreateOutbox1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic varchar(249) NOT NULL,
        record_key varchar(200) NOT NULL,
        value text,
        headers jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        sent_at timestamptz
      )`);
    // The relay's only question: which unsent rows are there, oldest first.
    await queryRunner.query(`CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
  }
}
