import { serviceEnvWithDefaults } from '@app/platform';

/** Environment of the social-care-adapter; see .env.example for each variable. */
export class SocialCareEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3004,
  DATABASE_SCHEMA: 'social_care_adapter',
  KAFKA_GROUP_ID: 'social-care-adapter',
}) {}
