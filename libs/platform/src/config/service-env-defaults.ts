import { BaseServiceEnv } from './base-service.env';

export interface ServiceEnvDefaults {
  HTTP_PORT: number;
  DATABASE_SCHEMA: string;
  KAFKA_GROUP_ID: string;
  KAFKA_SASL_USERNAME: string;
}

/**
 * The environment class of a service whose only differences from the base are its defaults.
 * Apps extend the result and add their own variables with class-validator decorators.
 */
export function serviceEnvWithDefaults(defaults: ServiceEnvDefaults): new () => BaseServiceEnv {
  return class extends BaseServiceEnv {
    override HTTP_PORT = defaults.HTTP_PORT;
    override DATABASE_SCHEMA = defaults.DATABASE_SCHEMA;
    override KAFKA_GROUP_ID = defaults.KAFKA_GROUP_ID;
    override KAFKA_SASL_USERNAME = defaults.KAFKA_SASL_USERNAME;
  };
}
