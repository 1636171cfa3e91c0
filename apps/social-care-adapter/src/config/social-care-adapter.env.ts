import { nodeEnvWithDefaults } from '@app/node';

/** Environment of the social-care-adapter; see .env.example for each variable. */
export class SocialCareEnv extends nodeEnvWithDefaults({
  HTTP_PORT: 3004,
  DATABASE_SCHEMA: 'social_care_adapter',
  KAFKA_GROUP_ID: 'social-care-adapter',
  KAFKA_SASL_USERNAME: 'social-care',
}) {}
