import { nodeEnvWithDefaults } from '@app/node';

/** Environment of the education-adapter; see .env.example for each variable. */
export class EducationEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3002,
  DATABASE_SCHEMA: 'education_adapter',
  KAFKA_GROUP_ID: 'education-adapter',
  KAFKA_SASL_USERNAME: 'education',
}) {}
