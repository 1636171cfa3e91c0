import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { serviceEnvWithDefaults } from './service-env-defaults';
import { InvalidEnvironmentError, redactEnv, validateEnv } from './validate-env';

// Generated per run: no password, not even a test's, is committed.
const kafkaPassword = randomBytes(16).toString('hex');

class TestEnv extends serviceEnvWithDefaults({
  HTTP_PORT: 3999,
  DATABASE_SCHEMA: 'test_service',
  KAFKA_GROUP_ID: 'test-service',
  KAFKA_SASL_USERNAME: 'test-service',
}) {
  override KAFKA_SASL_PASSWORD = kafkaPassword;
}

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

  describe('Kafka credentials', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'sgx-kafka-env-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const withoutPassword = { KAFKA_CREDENTIALS_DIR: '', KAFKA_SASL_PASSWORD: '' };
    class FileEnv extends TestEnv {
      override KAFKA_SASL_PASSWORD = '';
    }

    it('reads the password from KAFKA_CREDENTIALS_DIR/<user>.password when none is given', () => {
      writeFileSync(path.join(dir, 'test-service.password'), `${kafkaPassword}\n`, { mode: 0o600 });
      expect(() =>
        validateEnv(FileEnv, { ...withoutPassword, KAFKA_CREDENTIALS_DIR: dir }),
      ).not.toThrow();
    });

    it('refuses to start without a readable password, naming the variable and not the secret', () => {
      const failure = (() => {
        try {
          validateEnv(FileEnv, { KAFKA_CREDENTIALS_DIR: dir });
        } catch (error) {
          return error as InvalidEnvironmentError;
        }
        throw new Error('validateEnv accepted a missing password file');
      })();
      expect(failure.problems).toEqual([
        `KAFKA_SASL_PASSWORD_FILE: cannot read ${path.join(dir, 'test-service.password')} (ENOENT)`,
      ]);
    });

    it('refuses SASL/PLAIN without TLS and TLS without a CA file', () => {
      expect(() => validateEnv(TestEnv, { KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
        'KAFKA_SASL_MECHANISM: plain sends the password in clear; it needs KAFKA_SSL=true',
      );
      expect(() => validateEnv(TestEnv, { KAFKA_SSL: 'true' })).toThrow(
        'KAFKA_SSL_CA_FILE: required when KAFKA_SSL=true',
      );
    });

    it('masks KAFKA_SASL_PASSWORD in the start-up line', () => {
      const env = validateEnv(TestEnv, {});
      expect(JSON.stringify(redactEnv(env))).not.toContain(kafkaPassword);
      expect(redactEnv(env).KAFKA_SASL_PASSWORD).toBe('[redacted]');
    });
  });
});
