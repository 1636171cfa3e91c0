import { randomBytes } from 'node:crypto';

import { serviceEnvWithDefaults } from '../config/service-env-defaults';
import { InvalidEnvironmentError, validateEnv } from '../config/validate-env';
import { DevIssuerController } from './dev-issuer.controller';
import { DevIssuerSignInController } from './dev-issuer-sign-in.controller';
import { DevIssuerModule } from './dev-issuer.module';

class Env extends serviceEnvWithDefaults({
  HTTP_PORT: 3000,
  DATABASE_SCHEMA: 'hub',
  KAFKA_GROUP_ID: 'hub',
  KAFKA_SASL_USERNAME: 'hub',
}) {
  // Never used to connect: the module is only compiled. Generated, so nothing secret is committed.
  override KAFKA_SASL_PASSWORD = randomBytes(16).toString('hex');
}

describe('the development issuer in production', () => {
  const original = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = original;
  });

  it('is not mounted', () => {
    process.env.NODE_ENV = 'production';
    expect(DevIssuerModule.register().controllers).toEqual([]);
    process.env.NODE_ENV = 'development';
    expect(DevIssuerModule.register().controllers).toEqual([
      DevIssuerController,
      DevIssuerSignInController,
    ]);
  });

  it('is refused as AUTH_ISSUER, naming the variable', () => {
    expect(() => validateEnv(Env, { NODE_ENV: 'production' })).toThrow(InvalidEnvironmentError);
    expect(() => validateEnv(Env, { NODE_ENV: 'production' })).toThrow(/AUTH_ISSUER/);
    expect(
      validateEnv(Env, {
        NODE_ENV: 'production',
        AUTH_ISSUER: 'https://login.example.gov.uk/realms/sgx',
        AUTH_JWKS_URL: 'https://login.example.gov.uk/realms/sgx/protocol/openid-connect/certs',
      }).AUTH_ISSUER,
    ).toBe('https://login.example.gov.uk/realms/sgx');
  });
});
