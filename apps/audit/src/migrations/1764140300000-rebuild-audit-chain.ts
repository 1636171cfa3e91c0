import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Turns the audit trail into a hash chain (docs/audit.md):
 * - audit_record is rebuilt rather than altered: no production data exists yet, and every row
 *   must now carry prev_hash and hash computed at append time, which old rows never had.
 *   seq is assigned by the appender under the head lock, not by a sequence, so it has no gaps
 *   (a sequence loses numbers on rollback and on a redelivered duplicate).
 * - audit_chain_head is the single row every append locks (SELECT … FOR UPDATE): it serialises
 *   appends across instances and records the head, so deleting the newest rows is detected.
 * - audit_checkpoint keeps the signed checkpoints of the head hash.
 * Indexes serve the auditor queries: a message's trail, subject, agency, mailbox, type, time,
 * and the correlation lookups of the partnership metrics. Partial where the column is optional.
 */
export class RebuildAuditChain1764140300000 implements MigrationInterface {
  name = 'RebuildAuditChain1764140300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_record`);
    await queryRunner.query(`
      CREATE TABLE audit_record (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        action varchar(40) NOT NULL,
        actor varchar(100) NOT NULL,
        occurred_at timestamptz NOT NULL,
        appended_at timestamptz NOT NULL,
        message_id uuid,
        correlation_id varchar(100),
        subject_ref varchar(200),
        message_type varchar(100),
        sender_node varchar(100),
        sender_agency varchar(100),
        recipient_mailbox varchar(100),
        recipient_agency varchar(100),
        decision varchar(40),
        rule_id varchar(100),
        policy_version varchar(40),
        error_code varchar(60),
        deadline timestamptz,
        completeness smallint,
        payload_digest varchar(43),
        detail varchar(1000)
      )`);
    const indexes: [string, string][] = [
      ['audit_record_message', '(message_id, seq) WHERE message_id IS NOT NULL'],
      ['audit_record_subject', '(subject_ref, seq) WHERE subject_ref IS NOT NULL'],
      ['audit_record_correlation', '(correlation_id) WHERE correlation_id IS NOT NULL'],
      ['audit_record_sender_agency', '(sender_agency, seq) WHERE sender_agency IS NOT NULL'],
      [
        'audit_record_recipient_agency',
        '(recipient_agency, seq) WHERE recipient_agency IS NOT NULL',
      ],
      [
        'audit_record_recipient_mailbox',
        '(recipient_mailbox, seq) WHERE recipient_mailbox IS NOT NULL',
      ],
      ['audit_record_type', '(message_type, seq) WHERE message_type IS NOT NULL'],
      ['audit_record_action_time', '(action, occurred_at)'],
    ];
    for (const [name, definition] of indexes) {
      await queryRunner.query(`CREATE INDEX ${name} ON audit_record ${definition}`);
    }
    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash char(64) NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, $1)`, [
      '0'.repeat(64),
    ]);
    await queryRunner.query(`
      CREATE TABLE audit_checkpoint (
        seq bigint PRIMARY KEY,
        head_hash char(64) NOT NULL,
        signed_at timestamptz NOT NULL,
        kid varchar(100) NOT NULL,
        jws text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_checkpoint`);
    await queryRunner.query(`DROP TABLE audit_chain_head`);
    await queryRunner.query(`DROP TABLE audit_record`);
    // The table as CreateAuditRecord1764140200000 left it.
    await queryRunner.query(`
      CREATE TABLE audit_record (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        action varchar(40) NOT NULL,
        actor varchar(100) NOT NULL,
        occurred_at timestamptz NOT NULL,
        message_id uuid,
        subject_ref varchar(200),
        payload_digest varchar(43),
        detail varchar(200),
        appended_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_record_message_id ON audit_record (message_id, seq)`,
    );
    await queryRunner.query(
      `CREATE INDEX audit_record_subject_ref ON audit_record (subject_ref, seq)`,
    );
  }
}
