import { nodeEnvWithDefaults } from '@app/node';

/** Environment of the police-adapter; see .env.example for each variable. */
export class PoliceEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3001,
  DATABASE_SCHEMA: 'police_adapter',
  KAFKA_GROUP_ID: 'police-adapter',
  KAFKA_SASL_USERNAME: 'police',
}) {}
