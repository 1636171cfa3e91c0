import { serviceEnvWithDefaults } from '@app/platform';

/** Environment of the hub; see .env.example for each variable. */
export class HubEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3000,
  DATABASE_SCHEMA: 'hub',
  KAFKA_GROUP_ID: 'hub',
}) {}
