import { nodeEnvWithDefaults } from '@app/node';

/** Environment of the health-adapter; see .env.example for each variable. */
export class HealthEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3003,
  DATABASE_SCHEMA: 'health_adapter',
  KAFKA_GROUP_ID: 'health-adapter',
  KAFKA_SASL_USERNAME: 'health',
}) {}
