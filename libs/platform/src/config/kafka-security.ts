import { readFileSync } from 'node:fs';

import { KAFKA_SASL_MECHANISMS, KafkaSecurity } from '@app/messaging';

import { kafkaPasswordFile } from './kafka-password-file';

/** The environment variables that say how a service authenticates to Kafka (see BaseServiceEnv). */
export interface KafkaSecurityEnv {
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_MECHANISM: (typeof KAFKA_SASL_MECHANISMS)[number];
  KAFKA_SASL_PASSWORD: string;
  KAFKA_SASL_PASSWORD_FILE: string;
  KAFKA_CREDENTIALS_DIR: string;
  KAFKA_SSL: 'true' | 'false';
  KAFKA_SSL_CA_FILE: string;
  KAFKA_SSL_CERT_FILE: string;
  KAFKA_SSL_KEY_FILE: string;
}

function readSecretFile(variable: string, file: string, problems: string[]): string | undefined {
  try {
    const content = readFileSync(file, 'utf8').trim();
    if (content) return content;
    problems.push(`${variable}: ${file} is empty`);
  } catch (error) {
    // The error code only (ENOENT, EACCES): never the file's content.
    problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`);
  }
  return undefined;
}

/**
 * The SASL (and TLS) settings from the environment, reading the password and certificate files.
 * Problems name the variable, never a secret; the service refuses to start on any of them.
 */
export function kafkaSecurityFromEnv(env: KafkaSecurityEnv): {
  security?: KafkaSecurity;
  problems: string[];
} {
  const problems: string[] = [];
  const passwordFile =
    env.KAFKA_SASL_PASSWORD_FILE ||
    kafkaPasswordFile(env.KAFKA_CREDENTIALS_DIR, env.KAFKA_SASL_USERNAME);
  const password =
    env.KAFKA_SASL_PASSWORD || readSecretFile('KAFKA_SASL_PASSWORD_FILE', passwordFile, problems);
  if (env.KAFKA_SASL_MECHANISM === 'plain' && env.KAFKA_SSL !== 'true') {
    problems.push(
      'KAFKA_SASL_MECHANISM: plain sends the password in clear; it needs KAFKA_SSL=true',
    );
  }
  let ssl: KafkaSecurity['ssl'];
  if (env.KAFKA_SSL === 'true') {
    if (!env.KAFKA_SSL_CA_FILE) problems.push('KAFKA_SSL_CA_FILE: required when KAFKA_SSL=true');
    if (Boolean(env.KAFKA_SSL_CERT_FILE) !== Boolean(env.KAFKA_SSL_KEY_FILE)) {
      problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE: give both or neither');
    }
    const ca = env.KAFKA_SSL_CA_FILE
      ? readSecretFile('KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE, problems)
      : undefined;
    const cert = env.KAFKA_SSL_CERT_FILE
      ? readSecretFile('KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE, problems)
      : undefined;
    const key = env.KAFKA_SSL_KEY_FILE
      ? readSecretFile('KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE, problems)
      : undefined;
    if (ca) ssl = { ca, cert, key };
  }
  if (problems.length > 0 || !password) return { problems };
  return {
    security: {
      sasl: { mechanism: env.KAFKA_SASL_MECHANISM, username: env.KAFKA_SASL_USERNAME, password },
      ssl,
    },
    problems,
  };
}
