import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The MARAC's decision on a referral goes back to the referrer. `marac_referral` ties each MARAC
 * referral the hub delivered to the referrer's node and mailbox (where the decision goes, and
 * nowhere else), the MARAC node it reached (the only one whose decision is taken) and the codes
 * of the referral's sharing terms (what the decision is put to the policy with), and records the
 * decision once. Ids and codes only, no personal data.
 */
export class CreateMaracReferralTracking1764192200000 implements MigrationInterface {
  name = 'CreateMaracReferralTracking1764192200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE marac_referral (
        referral_id uuid PRIMARY KEY,
        submission_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES delivery (id),
        subject_ref varchar(200) NOT NULL,
        referrer_node varchar(63) NOT NULL,
        referrer_mailbox varchar(100) NOT NULL,
        marac_node varchar(63) NOT NULL,
        coordinator_mailbox varchar(100) NOT NULL,
        consent_position varchar(20) NOT NULL,
        lawful_basis varchar(40) NOT NULL,
        safeguarding_justification varchar(60),
        family_informed boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decision_message_id uuid,
        decision varchar(20) CHECK (decision IN ('listed', 'refused')),
        decided_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE marac_referral`);
  }
}
