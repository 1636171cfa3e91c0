import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 finding 4: every audit event is signed by the service that emits it.
 * - audit_record.signature keeps the compact JWS the event arrived as (its payload is the event
 *   as the emitter signed it), so an offline verifier can check each row's origin. It is one of
 *   the hashed members (absent, like every optional member, on rows appended before this).
 * - audit_signing_key keeps every public key an appended event was verified with, and whose it
 *   is, so an export carries the keys even after they are rotated out of the registry.
 */
export class AddAuditEventSignatures1764200000000 implements MigrationInterface {
  name = 'AddAuditEventSignatures1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_record ADD COLUMN signature text`);
    await queryRunner.query(`
      CREATE TABLE audit_signing_key (
        kid varchar(100) PRIMARY KEY,
        node_id varchar(100) NOT NULL,
        public_jwk jsonb NOT NULL,
        first_used_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_signing_key`);
    await queryRunner.query(`ALTER TABLE audit_record DROP COLUMN signature`);
  }
}
