import { serviceEnvWithDefaults } from '@app/platform';

/** Environment of the audit service; see .env.example for each variable. */
export class AuditEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3006,
  DATABASE_SCHEMA: 'audit',
  KAFKA_GROUP_ID: 'audit',
}) {}
