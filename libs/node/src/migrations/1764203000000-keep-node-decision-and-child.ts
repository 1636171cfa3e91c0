import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two things a mailbox's pages need to read back, both sealed to the node's key (AtRestSealer):
 * the next steps the MASH sent with its decision on a received referral (so the decision can be
 * shown read-only), and the child a mailbox referred (so the referral joins that child's
 * chronology; the referral itself leaves the node in its signed envelope). Rows written before
 * this have neither and are shown without them.
 */
export class KeepNodeDecisionAndChild1764203000000 implements MigrationInterface {
  name = 'KeepNodeDecisionAndChild1764203000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE received_referral ADD COLUMN IF NOT EXISTS outcome_next_steps text`,
    );
    await queryRunner.query(`ALTER TABLE referral ADD COLUMN IF NOT EXISTS child_sealed text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE referral DROP COLUMN IF EXISTS child_sealed`);
    await queryRunner.query(
      `ALTER TABLE received_referral DROP COLUMN IF EXISTS outcome_next_steps`,
    );
  }
}
