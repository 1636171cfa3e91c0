import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadlines are no longer only acknowledgements and referral outcomes (a return home interview,
 * a consent withdrawal's acknowledgement, a MARAC response): any lower-case kind name is allowed,
 * and the use case that opens a deadline names its kind.
 */
export class OpenDeadlineKinds1764190000000 implements MigrationInterface {
  name = 'OpenDeadlineKinds1764190000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT IF EXISTS deadline_kind_check`);
    await queryRunner.query(`ALTER TABLE deadline ALTER COLUMN kind TYPE varchar(40)`);
    await queryRunner.query(
      `ALTER TABLE deadline ADD CONSTRAINT deadline_kind_name CHECK (kind ~ '^[a-z][a-z-]{2,39}$')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deadline DROP CONSTRAINT deadline_kind_name`);
    await queryRunner.query(
      `DELETE FROM deadline WHERE kind NOT IN ('acknowledgement', 'outcome')`,
    );
    await queryRunner.query(`ALTER TABLE deadline ALTER COLUMN kind TYPE varchar(20)`);
    await queryRunner.query(
      `ALTER TABLE deadline ADD CONSTRAINT deadline_kind_check CHECK (kind IN ('acknowledgement', 'outcome'))`,
    );
  }
}
