import { nodeEnvWithDefaults } from '@app/node';

/** Environment of the MARAC coordination service; see .env.example for each variable. */
export class MaracEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3005,
  DATABASE_SCHEMA: 'marac',
  KAFKA_GROUP_ID: 'marac',
}) {}
