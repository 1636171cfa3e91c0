import { serviceEnvWithDefaults } from '@app/platform';
import { IsInt, IsUrl, Max, Min } from 'class-validator';

/** Environment of the audit service; see .env.example for each variable. */
export class AuditEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3006,
  DATABASE_SCHEMA: 'audit',
  KAFKA_GROUP_ID: 'audit',
  KAFKA_SASL_USERNAME: 'audit',
}) {
  // KEYS_DIR (base): `<KEYS_DIR>/audit/current.json` names the audit node's key ids.

  /** How often the head of the chain is signed as a checkpoint. */
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUDIT_CHECKPOINT_INTERVAL_SECONDS: number = 300;

  /**
   * The hub's node directory: `<url><nodeId>/jwks.json` holds the keys a node signs with, and
   * `jwks.json` beside `nodes/` every node's. Every audit event on the topic must be signed by a
   * key of the node it names as its actor (issue 12 finding 4).
   */
  @IsUrl({ require_tld: false, require_protocol: true })
  AUDIT_REGISTRY_URL = 'http://127.0.0.1:3000/.well-known/nodes/';
}
