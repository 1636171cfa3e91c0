import { serviceEnvWithDefaults } from '@app/platform';

/** Environment of the MARAC coordination service; see .env.example for each variable. */
export class MaracEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3005,
  DATABASE_SCHEMA: 'marac',
  KAFKA_GROUP_ID: 'marac',
}) {}
