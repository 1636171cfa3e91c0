import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MARAC messages travel through the hub. A case keeps what its sharing rests on (the referral's
 * consent position, justification and whether the victim was told; codes and who/when, no free
 * text) because every message about it states that to the hub's policy; a case that came as a
 * signed referral keeps the referral's id (once per referral). Outgoing messages are sealed to
 * the hub in the transaction that records them and then follow what the hub sends back
 * (delivered, acknowledged, rejected, sharing refused). A referral the MARAC cannot list (a
 * claimed repeat without history) is kept with its code so the coordinator sees it.
 */
export class MaracThroughHub1764191100000 implements MigrationInterface {
  name = 'MaracThroughHub1764191100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE marac_case
        ADD COLUMN referral_id uuid,
        ADD COLUMN consent_position varchar(20),
        ADD COLUMN consent_by varchar(200),
        ADD COLUMN consent_at timestamptz,
        ADD COLUMN referral_lawful_basis varchar(40),
        ADD COLUMN safeguarding_justification varchar(60),
        ADD COLUMN family_informed boolean`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX marac_case_referral ON marac_case (referral_id) WHERE referral_id IS NOT NULL`,
    );

    await queryRunner.query(`
      ALTER TABLE outgoing_message
        ADD COLUMN sent_at timestamptz,
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN acknowledged_at timestamptz,
        ADD COLUMN refused_at timestamptz,
        ADD COLUMN refusal_code varchar(60),
        ADD COLUMN refusal_reason varchar(1000)`);
    await queryRunner.query(`DROP INDEX outgoing_message_pending`);

    await queryRunner.query(`
      CREATE TABLE refused_referral (
        referral_id uuid PRIMARY KEY,
        message_id uuid NOT NULL,
        referring_agency_id varchar(100) NOT NULL,
        victim_ref varchar(100) NOT NULL,
        code varchar(40) NOT NULL,
        field varchar(100),
        reason varchar(1000) NOT NULL,
        received_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE refused_referral`);
    await queryRunner.query(`
      CREATE INDEX outgoing_message_pending ON outgoing_message (created_at)
        WHERE state = 'pending-transport'`);
    await queryRunner.query(`
      ALTER TABLE outgoing_message DROP COLUMN sent_at, DROP COLUMN delivered_at,
        DROP COLUMN acknowledged_at, DROP COLUMN refused_at, DROP COLUMN refusal_code,
        DROP COLUMN refusal_reason`);
    await queryRunner.query(`DROP INDEX marac_case_referral`);
    await queryRunner.query(`
      ALTER TABLE marac_case DROP COLUMN referral_id, DROP COLUMN consent_position,
        DROP COLUMN consent_by, DROP COLUMN consent_at, DROP COLUMN referral_lawful_basis,
        DROP COLUMN safeguarding_justification, DROP COLUMN family_informed`);
  }
}
