import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * MARAC messages through the hub. `marac_member` (registry): which agencies are members of which
 * MARAC; the hub delivers a MARAC's requests, actions and escalations only to mailboxes of its
 * members (seeded per area by `npm run registry:seed`). `marac_delivery`: each information
 * request and action the hub delivered, with the node and mailbox it went to, where answers go
 * back (the MARAC coordinator's mailbox) and the codes of the case's sharing terms, so the hub
 * takes an answer or an update only from that node and mailbox and asks the policy with those
 * terms. Ids and codes only, no personal data.
 */
export class CreateMaracRouting1764191000000 implements MigrationInterface {
  name = 'CreateMaracRouting1764191000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE marac_member (
        marac_agency_id varchar(63) NOT NULL REFERENCES agency(id) ON DELETE RESTRICT,
        member_agency_id varchar(63) NOT NULL REFERENCES agency(id) ON DELETE RESTRICT,
        PRIMARY KEY (marac_agency_id, member_agency_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE marac_delivery (
        ref_kind varchar(30) NOT NULL CHECK (ref_kind IN ('information-request', 'action')),
        ref_id uuid NOT NULL,
        case_id uuid NOT NULL,
        submission_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES delivery (id),
        marac_node varchar(63) NOT NULL,
        marac_agency varchar(63) NOT NULL,
        reply_mailbox varchar(100) NOT NULL,
        recipient_node varchar(63) NOT NULL,
        recipient_mailbox varchar(100) NOT NULL,
        recipient_agency varchar(63) NOT NULL,
        consent_position varchar(20) NOT NULL,
        lawful_basis varchar(40) NOT NULL,
        safeguarding_justification varchar(60),
        family_informed boolean NOT NULL,
        answered_message_id uuid,
        completed_message_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ref_kind, ref_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE marac_delivery`);
    await queryRunner.query(`DROP TABLE marac_member`);
  }
}
