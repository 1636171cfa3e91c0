import { serviceEnvWithDefaults } from './service-env-defaults';
import { InvalidEnvironmentError, redactEnv, validateEnv } from './validate-env';

const TestEnv = serviceEnvWithDefaults({
  HTTP_PORT: 3999,
  DATABASE_SCHEMA: 'test_service',
  KAFKA_GROUP_ID: 'test-service',
});

describe('validateEnv', () => {
  it('applies the service defaults when nothing is set', () => {
    const env = validateEnv(TestEnv, {});
    expect(env).toMatchObject({
      HTTP_PORT: 3999,
      DATABASE_SCHEMA: 'test_service',
      KAFKA_GROUP_ID: 'test-service',
      KAFKA_BROKERS: '127.0.0.1:9092',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/safeguarding',
    });
  });

  it('converts numbers and treats empty strings as unset', () => {
    expect(validateEnv(TestEnv, { HTTP_PORT: '4100', LOG_LEVEL: '' })).toMatchObject({
      HTTP_PORT: 4100,
      LOG_LEVEL: 'info',
    });
  });

  it('names every invalid variable at once and never echoes a secret', () => {
    const secretUrl = 'mysql://admin:hunter2@db/prod';
    let error: unknown;
    try {
      validateEnv(TestEnv, {
        HTTP_PORT: 'eighty',
        KAFKA_BROKERS: 'nohostport',
        DATABASE_URL: secretUrl,
        NODE_ENV: 'staging',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const problems = (error as InvalidEnvironmentError).problems.map((p) => p.split(':')[0]).sort();
    expect(problems).toEqual(['DATABASE_URL', 'HTTP_PORT', 'KAFKA_BROKERS', 'NODE_ENV']);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('masks secrets when the configuration is printed', () => {
    const env = validateEnv(TestEnv, { DATABASE_URL: 'postgres://app:hunter2@db:5432/sgx' });
    expect(JSON.stringify(redactEnv(env))).not.toContain('hunter2');
    expect(redactEnv(env)).toMatchObject({ DATABASE_URL: '[redacted]', HTTP_PORT: 3999 });
  });
});
