import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The referral loop on a node. `referral`: what this node's mailboxes referred, with its status
 * times and the outcome social care sent back (metadata, codes and the short next-steps note;
 * the referral's content stays in the signed envelope in the outbox, cleared once sent).
 * `received_referral`: referrals delivered to this node's mailboxes (a MASH), so the mailbox
 * can answer with an outcome once. Every query names the mailbox.
 */
export class CreateNodeReferrals1764180000000 implements MigrationInterface {
  name = 'CreateNodeReferrals1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE referral (
        referral_id uuid PRIMARY KEY,
        mailbox_id varchar(100) NOT NULL,
        subject_ref varchar(200) NOT NULL,
        completeness int NOT NULL CHECK (completeness BETWEEN 0 AND 100),
        missing_recommended text NOT NULL DEFAULT '',
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        overdue_at timestamptz,
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000),
        outcome varchar(40),
        next_steps varchar(2000),
        decided_at timestamptz,
        outcome_received_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX referral_mailbox ON referral (mailbox_id, submitted_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE received_referral (
        mailbox_id varchar(100) NOT NULL,
        referral_id uuid NOT NULL,
        message_id uuid NOT NULL,
        subject_ref varchar(200) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        outcome_message_id uuid,
        outcome varchar(40),
        outcome_sent_at timestamptz,
        outcome_by varchar(200),
        PRIMARY KEY (mailbox_id, referral_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE received_referral`);
    await queryRunner.query(`DROP TABLE referral`);
  }
}
