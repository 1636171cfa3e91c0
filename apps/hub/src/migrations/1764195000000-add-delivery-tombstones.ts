import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (libs/retention, rule hub-delivery-closed): once every deadline of a delivery has
 * closed and the period has run, its deadline rows are deleted and the delivery keeps ids, type,
 * mailbox and times as its tombstone, without the subject reference or who acknowledged it.
 */
export class AddDeliveryTombstones1764195000000 implements MigrationInterface {
  name = 'AddDeliveryTombstones1764195000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE delivery
        ALTER COLUMN subject_ref DROP NOT NULL,
        ADD COLUMN purged_at timestamptz,
        ADD COLUMN purge_rule varchar(60),
        ADD CONSTRAINT delivery_kept_has_subject
          CHECK (purged_at IS NOT NULL OR subject_ref IS NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX delivery_kept_created ON delivery (created_at) WHERE purged_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery_kept_created`);
    // A tombstone has no subject to give back; it is marked so the column can be NOT NULL again.
    await queryRunner.query(`UPDATE delivery SET subject_ref = 'purged' WHERE subject_ref IS NULL`);
    await queryRunner.query(`
      ALTER TABLE delivery
        DROP CONSTRAINT delivery_kept_has_subject,
        DROP COLUMN purge_rule,
        DROP COLUMN purged_at,
        ALTER COLUMN subject_ref SET NOT NULL`);
  }
}
