import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention (libs/retention, rule referral-outcome-received): the MASH's next steps, kept at the
 * referrer's node, are cleared past the period; the referral keeps its outcome code and times
 * and says when and under which rule its next steps went.
 */
export class AddReferralTombstones1764204000000 implements MigrationInterface {
  name = 'AddReferralTombstones1764204000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE referral
        ADD COLUMN purged_at timestamptz,
        ADD COLUMN purge_rule varchar(60)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE referral DROP COLUMN purge_rule, DROP COLUMN purged_at`);
  }
}
