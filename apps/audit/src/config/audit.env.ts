import { serviceEnvWithDefaults } from '@app/platform';
import { IsInt, Max, Min } from 'class-validator';

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
}
