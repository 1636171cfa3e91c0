import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (libs/retention, rule marac-research-case-closed): a purge clears an agency's
 * research answers and leaves the row (who answered, when, late or not) as the tombstone, with
 * when and under which rule. `message_id` is the delivery that carried the answers into the
 * MARAC's inbox, whose copy the same purge clears (null for answers recorded before it).
 */
export class AddResearchTombstones1764195000000 implements MigrationInterface {
  name = 'AddResearchTombstones1764195000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE research_response
        ALTER COLUMN form DROP NOT NULL,
        ADD COLUMN message_id uuid,
        ADD COLUMN purged_at timestamptz,
        ADD COLUMN purge_rule varchar(60),
        ADD CONSTRAINT research_response_kept_has_form
          CHECK (purged_at IS NOT NULL OR form IS NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Purged answers have nothing to give back; the rows go so the column can be NOT NULL again.
    await queryRunner.query(`DELETE FROM research_response WHERE form IS NULL`);
    await queryRunner.query(`
      ALTER TABLE research_response
        DROP CONSTRAINT research_response_kept_has_form,
        DROP COLUMN purge_rule,
        DROP COLUMN purged_at,
        DROP COLUMN message_id,
        ALTER COLUMN form SET NOT NULL`);
  }
}
