import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral outcome's next steps are stored sealed to the node's key (AtRestSealer): a JWE is
 * longer than the 2,000 characters of text it holds. Rows already in clear are sealed by the
 * node at its next start (AtRestSealer.sealLegacyRows), which a migration cannot do: it has no
 * keys.
 */
export class SealNodeFreeText1764194100000 implements MigrationInterface {
  name = 'SealNodeFreeText1764194100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE referral ALTER COLUMN next_steps TYPE text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed values do not fit the old width; going back needs them opened first.
    await queryRunner.query(`ALTER TABLE referral ALTER COLUMN next_steps TYPE varchar(2000)`);
  }
}
