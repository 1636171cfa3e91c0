import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A node's MARAC referral follows the MARAC's decision: listed (the case id and the meeting) or
 * refused (the MARAC's code and the rule it names), from the signed decision the hub delivers to
 * the referrer mailbox (`mailbox_id`, now set for referrals). Ids, codes, dates and the rule's
 * wording only; no reference or free text of the case. Every column is named `decision…`: reads
 * join `marac_sent` to tables with their own `case_id`.
 */
export class AddNodeMaracReferralDecision1764192000000 implements MigrationInterface {
  name = 'AddNodeMaracReferralDecision1764192000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE marac_sent
        ADD COLUMN decision varchar(20) CHECK (decision IN ('listed', 'refused')),
        ADD COLUMN decision_message_id uuid,
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN decision_case_id uuid,
        ADD COLUMN decision_meeting_date date,
        ADD COLUMN decision_meeting_at timestamptz,
        ADD COLUMN decision_code varchar(60),
        ADD COLUMN decision_reason varchar(1000)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE marac_sent DROP COLUMN decision, DROP COLUMN decision_message_id,
        DROP COLUMN decided_at, DROP COLUMN decision_case_id, DROP COLUMN decision_meeting_date,
        DROP COLUMN decision_meeting_at, DROP COLUMN decision_code, DROP COLUMN decision_reason`);
  }
}
