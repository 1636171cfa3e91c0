import { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry of agencies, nodes and mailboxes, owned by the hub. */
export class CreateRegistry1764140100000 implements MigrationInterface {
  name = 'CreateRegistry1764140100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE agency_kind AS ENUM ('police','health','education','social-care','marac','housing','other')`,
    );
    await queryRunner.query(`CREATE TYPE node_status AS ENUM ('active','suspended')`);
    await queryRunner.query(`
      CREATE TYPE mailbox_kind AS ENUM ('designated-safeguarding-lead','local-authority-education','mash',
        'health-visiting','school-nursing','gp-practice','hospital-safeguarding','marac-coordinator',
        'police-safeguarding','escalation','other')`);
    await queryRunner.query(`
      CREATE TABLE agency (
        id varchar(63) PRIMARY KEY,
        name varchar(200) NOT NULL,
        kind agency_kind NOT NULL,
        area varchar(63) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE node (
        id varchar(63) PRIMARY KEY,
        agency_id varchar(63) NOT NULL REFERENCES agency(id) ON DELETE RESTRICT,
        status node_status NOT NULL DEFAULT 'active',
        kafka_principal varchar(100) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE mailbox (
        id varchar(100) PRIMARY KEY,
        node_id varchar(63) NOT NULL REFERENCES node(id) ON DELETE RESTRICT,
        kind mailbox_kind NOT NULL,
        display_name varchar(200) NOT NULL,
        external_ref varchar(50)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX mailbox_external_ref_unique ON mailbox (kind, external_ref) WHERE external_ref IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX mailbox_node_id ON mailbox (node_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mailbox`);
    await queryRunner.query(`DROP TABLE node`);
    await queryRunner.query(`DROP TABLE agency`);
    await queryRunner.query(`DROP TYPE mailbox_kind`);
    await queryRunner.query(`DROP TYPE node_status`);
    await queryRunner.query(`DROP TYPE agency_kind`);
  }
}
