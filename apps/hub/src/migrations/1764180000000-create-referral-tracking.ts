import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral loop in the hub. A delivery may now have two deadlines: `acknowledgement` (every
 * delivery so far) and `outcome` (a referral's decision). `referral` ties a referral id to its
 * delivery, the referrer's node and mailbox (where the outcome goes, and nowhere else) and the
 * MASH that received it (the only node that may answer it), with the sharing statement's codes
 * and the completeness score. Codes and ids only, no personal data.
 */
export class CreateReferralTracking1764180000000 implements MigrationInterface {
  name = 'CreateReferralTracking1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE deadline ADD COLUMN kind varchar(20) NOT NULL DEFAULT 'acknowledgement'
        CHECK (kind IN ('acknowledgement', 'outcome'))`);
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT deadline_pkey`);
    await queryRunner.query(`ALTER TABLE deadline ADD PRIMARY KEY (delivery_id, kind)`);
    await queryRunner.query(`
      CREATE TABLE referral (
        referral_id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES delivery (id),
        subject_ref varchar(200) NOT NULL,
        referrer_node varchar(63) NOT NULL,
        referrer_mailbox varchar(100) NOT NULL,
        mash_node varchar(63) NOT NULL,
        mash_mailbox varchar(100) NOT NULL,
        consent_position varchar(20) NOT NULL,
        lawful_basis varchar(40) NOT NULL,
        safeguarding_justification varchar(60),
        risk_level varchar(20) NOT NULL,
        family_informed boolean NOT NULL,
        completeness int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        outcome_message_id uuid,
        outcome varchar(40),
        outcome_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referral`);
    await queryRunner.query(`DELETE FROM deadline WHERE kind <> 'acknowledgement'`);
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT deadline_pkey`);
    await queryRunner.query(`ALTER TABLE deadline ADD PRIMARY KEY (delivery_id)`);
    await queryRunner.query(`ALTER TABLE deadline DROP COLUMN kind`);
  }
}
