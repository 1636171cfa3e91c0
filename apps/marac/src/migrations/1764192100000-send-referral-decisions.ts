import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The MARAC tells the referrer what became of a referral that reached it through the hub: a
 * signed `marac-referral-decision`, recorded in `outgoing_message` like every message it sends,
 * so it follows what the hub says back (delivered, rejected, sharing refused). A refused referral
 * has no case, so `case_id` may be null (for decisions only); `correlation_id` is the referral id,
 * and one decision per referral is the backstop of "told once".
 */
export class SendReferralDecisions1764192100000 implements MigrationInterface {
  name = 'SendReferralDecisions1764192100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outgoing_message ALTER COLUMN case_id DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE outgoing_message DROP CONSTRAINT outgoing_message_kind_check`,
    );
    await queryRunner.query(`
      ALTER TABLE outgoing_message ADD CONSTRAINT outgoing_message_kind_check
        CHECK (kind IN ('marac-information-request', 'marac-action', 'marac-escalation',
                        'marac-referral-decision'))`);
    await queryRunner.query(`
      ALTER TABLE outgoing_message ADD CONSTRAINT outgoing_message_case_unless_decision
        CHECK (case_id IS NOT NULL OR kind = 'marac-referral-decision')`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX outgoing_message_one_decision ON outgoing_message (correlation_id)
        WHERE kind = 'marac-referral-decision'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM outgoing_message WHERE kind = 'marac-referral-decision'`);
    await queryRunner.query(`DROP INDEX outgoing_message_one_decision`);
    await queryRunner.query(
      `ALTER TABLE outgoing_message DROP CONSTRAINT outgoing_message_case_unless_decision`,
    );
    await queryRunner.query(
      `ALTER TABLE outgoing_message DROP CONSTRAINT outgoing_message_kind_check`,
    );
    await queryRunner.query(`
      ALTER TABLE outgoing_message ADD CONSTRAINT outgoing_message_kind_check
        CHECK (kind IN ('marac-information-request', 'marac-action', 'marac-escalation'))`);
    await queryRunner.query(`ALTER TABLE outgoing_message ALTER COLUMN case_id SET NOT NULL`);
  }
}
