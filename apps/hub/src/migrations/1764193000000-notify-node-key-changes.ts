import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to a node's keys (registration, rotation, revocation, by the hub or by the keys
 * command in another process) NOTIFYs `sgx_node_keys_<schema>` with the kid at commit, so the
 * hub's cache of keys (NodeKeyCache) drops what it holds at once.
 */
export class NotifyNodeKeyChanges1764193000000 implements MigrationInterface {
  name = 'NotifyNodeKeyChanges1764193000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_node_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sgx_node_keys_' || TG_TABLE_SCHEMA, COALESCE(NEW.kid, OLD.kid));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER node_key_changed AFTER INSERT OR UPDATE OR DELETE ON node_key
      FOR EACH ROW EXECUTE FUNCTION notify_node_key_change()`);
    // TRUNCATE fires no row trigger: a statement trigger tells the cache all keys changed.
    await queryRunner.query(`
      CREATE TRIGGER node_key_truncated AFTER TRUNCATE ON node_key
      FOR EACH STATEMENT EXECUTE FUNCTION notify_node_key_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER node_key_truncated ON node_key`);
    await queryRunner.query(`DROP TRIGGER node_key_changed ON node_key`);
    await queryRunner.query(`DROP FUNCTION notify_node_key_change()`);
  }
}
