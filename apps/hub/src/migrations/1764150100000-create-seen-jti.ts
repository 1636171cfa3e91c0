import { MigrationInterface, QueryRunner } from 'typeorm';

/** Message ids the hub has accepted, kept until the envelope expires, to refuse replays. */
export class CreateSeenJti1764150100000 implements MigrationInterface {
  name = 'CreateSeenJti1764150100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE seen_jti (
        jti uuid PRIMARY KEY,
        iss varchar(63) NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX seen_jti_expires_at ON seen_jti (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE seen_jti`);
  }
}
