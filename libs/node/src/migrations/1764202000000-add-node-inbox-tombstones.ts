import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (libs/retention): a purge clears a delivery's body (the JWE) and leaves the row as
 * its tombstone, with when and under which rule, so the mailbox still lists the item as purged.
 * The partial index finds the kept, acknowledged rows the purge looks at.
 */
export class AddNodeInboxTombstones1764202000000 implements MigrationInterface {
  name = 'AddNodeInboxTombstones1764202000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inbox_message
        ALTER COLUMN body DROP NOT NULL,
        ADD COLUMN purged_at timestamptz,
        ADD COLUMN purge_rule varchar(60),
        ADD CONSTRAINT inbox_message_purged_has_no_body
          CHECK (purged_at IS NULL OR body IS NULL),
        ADD CONSTRAINT inbox_message_kept_has_body
          CHECK (purged_at IS NOT NULL OR body IS NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX inbox_message_kept_acknowledged ON inbox_message (acknowledged_at)
        WHERE purged_at IS NULL AND status = 'acknowledged'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_message_kept_acknowledged`);
    // Purged rows have nothing to give back; they go so the column can be NOT NULL again.
    await queryRunner.query(`DELETE FROM inbox_message WHERE body IS NULL`);
    await queryRunner.query(`
      ALTER TABLE inbox_message
        DROP CONSTRAINT inbox_message_kept_has_body,
        DROP CONSTRAINT inbox_message_purged_has_no_body,
        DROP COLUMN purge_rule,
        DROP COLUMN purged_at,
        ALTER COLUMN body SET NOT NULL`);
  }
}
