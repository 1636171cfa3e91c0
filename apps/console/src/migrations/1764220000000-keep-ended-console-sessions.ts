import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session that ended by idleness or expiry is kept for a while as `ended` (tokens and person
 * cleared), so every request still carrying its cookie is told "signed out after inactivity",
 * not only the first — the board's refresh, a second tab or the clean-up job may reach it first.
 */
export class KeepEndedConsoleSessions1764220000000 implements MigrationInterface {
  name = 'KeepEndedConsoleSessions1764220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE console_session DROP CONSTRAINT console_session_stage_check,
         ADD CONSTRAINT console_session_stage_check
           CHECK (stage IN ('sign-in', 'active', 'ended'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM console_session WHERE stage = 'ended'`);
    await queryRunner.query(
      `ALTER TABLE console_session DROP CONSTRAINT console_session_stage_check,
         ADD CONSTRAINT console_session_stage_check CHECK (stage IN ('sign-in', 'active'))`,
    );
  }
}
