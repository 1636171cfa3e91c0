import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case's DASH answers and the views the MARAC keeps of what it sent are stored sealed to the
 * MARAC node's key (AtRestSealer), as text: their JSON inside a JWE. Rows already stored become
 * their JSON text here and are sealed by the MARAC at its next start
 * (AtRestSealer.sealLegacyRows). Nothing queries inside either; both are read whole.
 */
export class SealMaracStructuredData1764194300000 implements MigrationInterface {
  name = 'SealMaracStructuredData1764194300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE marac_case ALTER COLUMN dash_answers TYPE text USING dash_answers::text`,
    );
    await queryRunner.query(
      `ALTER TABLE outgoing_message ALTER COLUMN body TYPE text USING body::text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed values are not JSON; going back needs them opened first.
    await queryRunner.query(
      `ALTER TABLE outgoing_message ALTER COLUMN body TYPE jsonb USING body::jsonb`,
    );
    await queryRunner.query(
      `ALTER TABLE marac_case ALTER COLUMN dash_answers TYPE jsonb USING dash_answers::jsonb`,
    );
  }
}
