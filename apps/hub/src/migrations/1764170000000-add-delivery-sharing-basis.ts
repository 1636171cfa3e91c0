import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each delivery was shared under: consent, or a stated safeguarding justification. A later
 * withdrawal of consent reaches exactly the mailboxes that received the subject's data under
 * consent, so the basis is kept per delivery with the policy rule and version that allowed it.
 */
export class AddDeliverySharingBasis1764170000000 implements MigrationInterface {
  name = 'AddDeliverySharingBasis1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE delivery
        ADD COLUMN shared_under varchar(20) CHECK (shared_under IN ('consent', 'justification')),
        ADD COLUMN rule_id varchar(100),
        ADD COLUMN policy_version varchar(40)`);
    await queryRunner.query(
      `CREATE INDEX delivery_subject_consent ON delivery (subject_ref) WHERE shared_under = 'consent'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX delivery_subject_consent`);
    await queryRunner.query(
      `ALTER TABLE delivery DROP COLUMN shared_under, DROP COLUMN rule_id, DROP COLUMN policy_version`,
    );
  }
}
