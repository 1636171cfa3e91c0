import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent withdrawals this node sent, and what became of them per mailbox. `consent_withdrawal`:
 * the withdrawal's id, subject and times (who withdrew and the note stay in the signed envelope,
 * encrypted to the hub in the outbox). `consent_withdrawal_recipient`: each mailbox the hub told
 * (from its signed `consent-withdrawal-routed`), with the receipts, escalation and any refusal
 * the hub sent back. Ids, codes and times only.
 */
export class CreateNodeConsentWithdrawals1764190500000 implements MigrationInterface {
  name = 'CreateNodeConsentWithdrawals1764190500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consent_withdrawal (
        message_id uuid PRIMARY KEY,
        subject_ref varchar(200) NOT NULL,
        withdrawn_at timestamptz NOT NULL,
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL,
        routed_at timestamptz,
        outcome varchar(20) CHECK (outcome IN ('told', 'nobody-to-tell')),
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000)
      )`);
    await queryRunner.query(`
      CREATE TABLE consent_withdrawal_recipient (
        message_id uuid NOT NULL REFERENCES consent_withdrawal (message_id),
        mailbox_id varchar(100) NOT NULL,
        acknowledge_by timestamptz,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200),
        overdue_at timestamptz,
        not_reached_code varchar(60),
        not_reached_reason varchar(1000),
        PRIMARY KEY (message_id, mailbox_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE consent_withdrawal_recipient`);
    await queryRunner.query(`DROP TABLE consent_withdrawal`);
  }
}
