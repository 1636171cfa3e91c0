import { MigrationInterface, QueryRunner } from 'typeorm';

/** The console's sessions (see ConsoleSessionEntity): hashed ids, sealed tokens, no cookie values. */
export class CreateConsoleSession1764200000000 implements MigrationInterface {
  name = 'CreateConsoleSession1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE console_session (
        id_hash char(64) PRIMARY KEY,
        stage varchar(10) NOT NULL CHECK (stage IN ('sign-in', 'active')),
        pending_sign_in jsonb,
        person jsonb,
        sealed_tokens text,
        csrf_token varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    // The clean-up job deletes idle and expired sessions by these times.
    await queryRunner.query(
      `CREATE INDEX console_session_last_seen ON console_session (last_seen_at)`,
    );
    await queryRunner.query(`CREATE INDEX console_session_expires ON console_session (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE console_session`);
  }
}
