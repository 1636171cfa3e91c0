import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bounds what the relay does with a row the broker keeps refusing (its topic missing, not
 * authorised, the record too large): it counts the refusals and, after OUTBOX_MAX_ATTEMPTS, marks
 * the row failed and stops trying it. Nothing is deleted: failed rows keep their value for an
 * operator to retry (docs/operations.md, "Outbox").
 */
export class BoundOutboxAttempts1764194000000 implements MigrationInterface {
  name = 'BoundOutboxAttempts1764194000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error varchar(300),
        ADD COLUMN failed_at timestamptz`);
    // What /metrics and /health count on every scrape.
    await queryRunner.query(
      `CREATE INDEX outbox_failed ON outbox (topic) WHERE failed_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_failed`);
    await queryRunner.query(
      `ALTER TABLE outbox DROP COLUMN attempts, DROP COLUMN last_error, DROP COLUMN failed_at`,
    );
  }
}
