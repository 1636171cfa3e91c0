import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A node's part in MARAC cases. `marac_sent`: what this node sent about MARAC cases (referrals,
 * research answers, action updates) and what the hub said back (delivered, refused): ids, codes
 * and times only; the content stays in the signed envelope, cleared from the outbox once sent.
 * `received_marac_request` and `received_marac_action`: requests and actions delivered to this
 * node's mailboxes, so that mailbox, and only it, can answer once or report on its action.
 */
export class CreateNodeMarac1764191200000 implements MigrationInterface {
  name = 'CreateNodeMarac1764191200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE marac_sent (
        message_id uuid PRIMARY KEY,
        kind varchar(30) NOT NULL
          CHECK (kind IN ('marac-referral', 'marac-information-response', 'marac-action-update')),
        ref_id uuid NOT NULL,
        agency_id varchar(100),
        mailbox_id varchar(100),
        sent_by varchar(200) NOT NULL,
        sent_at timestamptz NOT NULL,
        delivered_at timestamptz,
        refused_at timestamptz,
        refusal_code varchar(60),
        refusal_reason varchar(1000)
      )`);
    await queryRunner.query(
      `CREATE INDEX marac_sent_agency ON marac_sent (agency_id, sent_at DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE received_marac_request (
        mailbox_id varchar(100) NOT NULL,
        request_id uuid NOT NULL,
        case_id uuid NOT NULL,
        message_id uuid NOT NULL,
        subject_ref varchar(200) NOT NULL,
        due_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        response_message_id uuid,
        responded_at timestamptz,
        responded_by varchar(200),
        PRIMARY KEY (mailbox_id, request_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE received_marac_action (
        mailbox_id varchar(100) NOT NULL,
        action_id uuid NOT NULL,
        case_id uuid NOT NULL,
        message_id uuid NOT NULL,
        subject_ref varchar(200) NOT NULL,
        due_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        state varchar(20) NOT NULL DEFAULT 'open'
          CHECK (state IN ('open', 'acknowledged', 'in-progress', 'completed')),
        acknowledged_at timestamptz,
        updated_at timestamptz,
        PRIMARY KEY (mailbox_id, action_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE received_marac_action`);
    await queryRunner.query(`DROP TABLE received_marac_request`);
    await queryRunner.query(`DROP TABLE marac_sent`);
  }
}
