import { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /incidents reads newest first by (created_at, id), a keyset page at a time. */
export class IndexIncidentNewestFirst1764201100000 implements MigrationInterface {
  name = 'IndexIncidentNewestFirst1764201100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS incident_newest_first ON incident (created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS incident_notification_incident ON incident_notification (incident_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS incident_notification_incident`);
    await queryRunner.query(`DROP INDEX IF EXISTS incident_newest_first`);
  }
}
