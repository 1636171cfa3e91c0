import { MigrationInterface, QueryRunner } from 'typeorm';

/** Nodes' public signing and encryption keys, with status and validity, for the JWKS and the verifier. */
export class CreateNodeKey1764150000000 implements MigrationInterface {
  name = 'CreateNodeKey1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE key_use AS ENUM ('sig','enc')`);
    await queryRunner.query(`CREATE TYPE key_status AS ENUM ('active','retiring','revoked')`);
    // The CHECKs are a second line behind NodeKeyService: no private member can ever be stored,
    // and the stored JWK names the same kid and use as its row.
    await queryRunner.query(`
      CREATE TABLE node_key (
        kid varchar(100) PRIMARY KEY,
        node_id varchar(63) NOT NULL REFERENCES node(id) ON DELETE RESTRICT,
        use key_use NOT NULL,
        public_jwk jsonb NOT NULL,
        status key_status NOT NULL DEFAULT 'active',
        created_at timestamptz NOT NULL DEFAULT now(),
        not_before timestamptz NOT NULL DEFAULT now(),
        retire_after timestamptz,
        revoked_at timestamptz,
        CONSTRAINT node_key_public_only
          CHECK (NOT (public_jwk ?| ARRAY['d','p','q','dp','dq','qi','oth','k'])),
        CONSTRAINT node_key_jwk_matches
          CHECK (public_jwk->>'kid' = kid AND public_jwk->>'use' = use::text),
        CONSTRAINT node_key_retiring_has_end
          CHECK (status <> 'retiring' OR retire_after IS NOT NULL),
        CONSTRAINT node_key_revoked_has_time
          CHECK (status <> 'revoked' OR revoked_at IS NOT NULL)
      )`);
    // At most one current key per node and use: rotation retires the old one in the same transaction.
    await queryRunner.query(
      `CREATE UNIQUE INDEX node_key_one_active ON node_key (node_id, use) WHERE status = 'active'`,
    );
    await queryRunner.query(`CREATE INDEX node_key_node_id ON node_key (node_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE node_key`);
    await queryRunner.query(`DROP TYPE key_status`);
    await queryRunner.query(`DROP TYPE key_use`);
  }
}
