import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Missing episodes in the hub. `missing_episode`: one row per episode id, owned by the node that
 * first reported it (no other node may report under that id), with the latest report's number,
 * status, found time and sharing statement codes (the return home interview outcome is asked of
 * the policy with them), the MASH that received it, and the return home interview: the delivery
 * whose deadline it is and the outcome once sent. `missing_episode_delivery`: which delivery
 * carried which report to which mailbox, so a later report supersedes the earlier ones' open
 * acknowledgement deadlines in that mailbox. Deadlines gain the state `superseded` (their kinds
 * are open since OpenDeadlineKinds; this journey adds `return-home-interview`). Ids, codes and
 * times only.
 */
export class CreateMissingEpisodeTracking1764190100000 implements MigrationInterface {
  name = 'CreateMissingEpisodeTracking1764190100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT deadline_state_check`);
    await queryRunner.query(`
      ALTER TABLE deadline ADD CONSTRAINT deadline_state_check
        CHECK (state IN ('open', 'met', 'escalated', 'superseded'))`);
    await queryRunner.query(`
      CREATE TABLE missing_episode (
        episode_id uuid PRIMARY KEY,
        reporter_node varchar(63) NOT NULL,
        reporter_mailbox varchar(100) NOT NULL,
        subject_ref varchar(200) NOT NULL,
        report_count int NOT NULL,
        status varchar(20) NOT NULL,
        found_at timestamptz,
        consent_position varchar(20) NOT NULL,
        lawful_basis varchar(40) NOT NULL,
        safeguarding_justification varchar(60),
        risk_grading varchar(20) NOT NULL,
        risk_level varchar(20) NOT NULL,
        family_informed boolean NOT NULL,
        mash_node varchar(63),
        mash_mailbox varchar(100),
        rhi_delivery_id uuid REFERENCES delivery (id),
        rhi_due_at timestamptz,
        rhi_outcome_message_id uuid,
        rhi_outcome varchar(20),
        rhi_outcome_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE missing_episode_delivery (
        delivery_id uuid PRIMARY KEY REFERENCES delivery (id),
        episode_id uuid NOT NULL REFERENCES missing_episode (episode_id),
        mailbox_id varchar(100) NOT NULL,
        report_number int NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX missing_episode_delivery_mailbox ON missing_episode_delivery (episode_id, mailbox_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE missing_episode_delivery`);
    await queryRunner.query(`DROP TABLE missing_episode`);
    await queryRunner.query(`UPDATE deadline SET state = 'met' WHERE state = 'superseded'`);
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT deadline_state_check`);
    await queryRunner.query(`
      ALTER TABLE deadline ADD CONSTRAINT deadline_state_check
        CHECK (state IN ('open', 'met', 'escalated'))`);
  }
}
