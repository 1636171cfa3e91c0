import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A notification the hub's sharing policy refused: when, which rule of which policy version,
 * and the rule's reason (policy text, never personal data).
 */
export class AddSharingRefusal1764170100000 implements MigrationInterface {
  name = 'AddSharingRefusal1764170100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE incident_notification
        ADD COLUMN sharing_refused_at timestamptz,
        ADD COLUMN sharing_rule_id varchar(100),
        ADD COLUMN sharing_policy_version varchar(40),
        ADD COLUMN sharing_refusal_reason varchar(1000)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE incident_notification DROP COLUMN sharing_refused_at,
        DROP COLUMN sharing_rule_id, DROP COLUMN sharing_policy_version,
        DROP COLUMN sharing_refusal_reason`);
  }
}
