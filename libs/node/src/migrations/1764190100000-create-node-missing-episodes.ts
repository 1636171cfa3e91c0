import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Missing episodes on a node. As reporter: `missing_episode` (the episode's id, pseudonymous
 * subject reference, kind and status codes, times, the return home interview's outcome code and
 * the inbox message that carries it), `missing_episode_report` (each report sent) and
 * `missing_episode_recipient` (what the hub said per report and recipient mailbox). As
 * recipient: `received_missing_episode` (per mailbox, the latest report received and the return
 * home interview sent for it). Ids, codes and times only: names, dates of birth and narratives
 * stay in the signed envelopes (the outbox row, cleared once sent, and the encrypted inbox).
 */
export class CreateNodeMissingEpisodes1764190100000 implements MigrationInterface {
  name = 'CreateNodeMissingEpisodes1764190100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE missing_episode (
        episode_id uuid PRIMARY KEY,
        subject_ref varchar(200) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('from-home', 'from-care')),
        status varchar(20) NOT NULL CHECK (status IN ('missing', 'found')),
        found_at timestamptz,
        report_count int NOT NULL DEFAULT 0,
        created_by varchar(200) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rhi_mailbox_id varchar(100),
        rhi_message_id uuid,
        rhi_outcome varchar(20),
        rhi_received_at timestamptz,
        rhi_overdue_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE missing_episode_report (
        message_id uuid PRIMARY KEY,
        episode_id uuid NOT NULL REFERENCES missing_episode (episode_id),
        report_number int NOT NULL,
        status varchar(20) NOT NULL,
        submitted_by varchar(200) NOT NULL,
        submitted_at timestamptz NOT NULL,
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000),
        UNIQUE (episode_id, report_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE missing_episode_recipient (
        message_id uuid NOT NULL REFERENCES missing_episode_report (message_id),
        recipient varchar(100) NOT NULL,
        episode_id uuid NOT NULL,
        delivered_at timestamptz,
        acknowledged_at timestamptz,
        acknowledged_by varchar(200),
        overdue_at timestamptz,
        sharing_refused_at timestamptz,
        sharing_rule_id varchar(100),
        sharing_policy_version varchar(40),
        sharing_refusal_reason varchar(1000),
        rejected_at timestamptz,
        rejection_code varchar(60),
        rejection_reason varchar(1000),
        PRIMARY KEY (message_id, recipient)
      )`);
    await queryRunner.query(
      `CREATE INDEX missing_episode_recipient_episode ON missing_episode_recipient (episode_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE received_missing_episode (
        mailbox_id varchar(100) NOT NULL,
        episode_id uuid NOT NULL,
        message_id uuid NOT NULL,
        report_number int NOT NULL,
        subject_ref varchar(200) NOT NULL,
        status varchar(20),
        first_received_at timestamptz NOT NULL DEFAULT now(),
        rhi_message_id uuid,
        rhi_outcome varchar(20),
        rhi_sent_at timestamptz,
        rhi_by varchar(200),
        rhi_rejected_at timestamptz,
        rhi_rejection_code varchar(60),
        rhi_rejection_reason varchar(1000),
        PRIMARY KEY (mailbox_id, episode_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX received_missing_episode_episode ON received_missing_episode (episode_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE received_missing_episode`);
    await queryRunner.query(`DROP TABLE missing_episode_recipient`);
    await queryRunner.query(`DROP TABLE missing_episode_report`);
    await queryRunner.query(`DROP TABLE missing_episode`);
  }
}
