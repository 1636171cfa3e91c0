import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The MARAC coordinator's tables: cases (with the referral), information requests and research
 * responses, actions and their updates, and the outgoing messages waiting for the transport.
 * Subjects appear only as pseudonymous references; free text (research, actions) is stored for
 * the meeting and never logged or audited.
 */
export class CreateMaracCases1764150000000 implements MigrationInterface {
  name = 'CreateMaracCases1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE marac_case (
        id uuid PRIMARY KEY,
        victim_ref varchar(100) NOT NULL,
        perpetrator_ref varchar(100) NOT NULL,
        children jsonb NOT NULL,
        referring_agency_id varchar(100) NOT NULL,
        referred_at timestamptz NOT NULL,
        criterion varchar(40) NOT NULL,
        dash_answers jsonb,
        dash_total int NOT NULL CHECK (dash_total BETWEEN 0 AND 24),
        dash_total_computed boolean NOT NULL,
        dash_answers_missing_reason text,
        professional_judgement_reason text,
        incidents_last_12_months int,
        repeat boolean NOT NULL,
        previous_case_id uuid REFERENCES marac_case (id),
        meeting_date date NOT NULL,
        meeting_at timestamptz NOT NULL,
        responses_due_at timestamptz NOT NULL
      )`);
    // Repeat detection: the victim's referrals in the last 12 months.
    await queryRunner.query(
      `CREATE INDEX marac_case_victim ON marac_case (victim_ref, referred_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX marac_case_meeting ON marac_case (meeting_date)`);

    await queryRunner.query(`
      CREATE TABLE information_request (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES marac_case (id),
        agency_id varchar(100) NOT NULL,
        agency_kind varchar(100) NOT NULL,
        mailbox_id varchar(100) NOT NULL,
        escalation_mailbox_id varchar(100) NOT NULL,
        outgoing_message_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        state varchar(20) NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting', 'answered')),
        escalation_state varchar(20) NOT NULL DEFAULT 'none'
          CHECK (escalation_state IN ('none', 'escalated')),
        escalated_at timestamptz,
        UNIQUE (case_id, mailbox_id)
      )`);
    // What the deadline job scans: only requests still waiting and not yet escalated.
    await queryRunner.query(`
      CREATE INDEX information_request_due ON information_request (due_at)
        WHERE state = 'awaiting' AND escalation_state = 'none'`);

    await queryRunner.query(`
      CREATE TABLE research_response (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL UNIQUE REFERENCES information_request (id),
        case_id uuid NOT NULL REFERENCES marac_case (id),
        agency_id varchar(100) NOT NULL,
        mailbox_id varchar(100) NOT NULL,
        received_at timestamptz NOT NULL,
        late boolean NOT NULL,
        form jsonb NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX research_response_case ON research_response (case_id)`);

    await queryRunner.query(`
      CREATE TABLE marac_action (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES marac_case (id),
        owner_agency_id varchar(100) NOT NULL,
        owner_mailbox_id varchar(100) NOT NULL,
        escalation_mailbox_id varchar(100) NOT NULL,
        description text NOT NULL,
        due_date date NOT NULL,
        due_at timestamptz NOT NULL,
        outgoing_message_id uuid NOT NULL,
        state varchar(20) NOT NULL DEFAULT 'open'
          CHECK (state IN ('open', 'acknowledged', 'in-progress', 'completed')),
        acknowledged_at timestamptz,
        escalation_state varchar(20) NOT NULL DEFAULT 'none'
          CHECK (escalation_state IN ('none', 'escalated')),
        escalated_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX marac_action_case ON marac_action (case_id)`);
    await queryRunner.query(`
      CREATE INDEX marac_action_due ON marac_action (due_at)
        WHERE state <> 'completed' AND escalation_state = 'none'`);

    await queryRunner.query(`
      CREATE TABLE action_update (
        id uuid PRIMARY KEY,
        action_id uuid NOT NULL REFERENCES marac_action (id),
        agency_id varchar(100) NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('in-progress', 'completed')),
        note text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX action_update_action ON action_update (action_id)`);

    // The seam to the transport: written in the same transaction as the domain row.
    await queryRunner.query(`
      CREATE TABLE outgoing_message (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES marac_case (id),
        kind varchar(40) NOT NULL
          CHECK (kind IN ('marac-information-request', 'marac-action', 'marac-escalation')),
        correlation_id uuid NOT NULL,
        recipient_agency_id varchar(100) NOT NULL,
        recipient_mailbox_id varchar(100) NOT NULL,
        subject_ref varchar(100) NOT NULL,
        body jsonb NOT NULL,
        state varchar(30) NOT NULL DEFAULT 'pending-transport',
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX outgoing_message_case ON outgoing_message (case_id, created_at)`,
    );
    await queryRunner.query(`
      CREATE INDEX outgoing_message_pending ON outgoing_message (created_at)
        WHERE state = 'pending-transport'`);
    // Backstop of "escalated exactly once": one escalation per request or action.
    await queryRunner.query(`
      CREATE UNIQUE INDEX outgoing_message_one_escalation ON outgoing_message (correlation_id)
        WHERE kind = 'marac-escalation'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'outgoing_message',
      'action_update',
      'marac_action',
      'research_response',
      'information_request',
      'marac_case',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
