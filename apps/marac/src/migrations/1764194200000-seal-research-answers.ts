import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency's research answers are stored sealed to the MARAC node's key (AtRestSealer), as
 * text: the JSON form inside a JWE. Rows already stored become their JSON text here and are
 * sealed by the MARAC at its next start (AtRestSealer.sealLegacyRows). Nothing queries inside
 * the form; the pack reads it whole.
 */
export class SealResearchAnswers1764194200000 implements MigrationInterface {
  name = 'SealResearchAnswers1764194200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE research_response ALTER COLUMN form TYPE text USING form::text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE research_response ALTER COLUMN form TYPE jsonb USING form::jsonb`,
    );
  }
}
