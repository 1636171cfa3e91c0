import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sender's own mailbox, when a mailbox sent the message (a referrer): an escalation of the
 * delivery then lands in that mailbox, not only on the sending node. Null when a node's system
 * sent it (police incidents, consent withdrawals).
 */
export class AddDeliverySenderMailbox1764190500000 implements MigrationInterface {
  name = 'AddDeliverySenderMailbox1764190500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery ADD COLUMN sender_mailbox varchar(100)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE delivery DROP COLUMN sender_mailbox`);
  }
}
