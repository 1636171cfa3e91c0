import { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /missing-episodes reads newest first by (created_at, episode_id), a keyset page at a time. */
export class IndexMissingEpisodeNewestFirst1764201000000 implements MigrationInterface {
  name = 'IndexMissingEpisodeNewestFirst1764201000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS missing_episode_newest_first
         ON missing_episode (created_at DESC, episode_id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS missing_episode_newest_first`);
  }
}
