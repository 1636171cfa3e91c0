/**
 * The set-up's Kafka access step: every service principal gets a generated password file and a
 * SCRAM credential on the broker (registered with kafka.sh add-user, i.e. Kafka's ConfigCommand,
 * as the admin), then the ACLs of kafkaAccessRules. Idempotent: a principal that can already log
 * in with its file's password is left alone, so re-running after a rotation registers only it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import {
  ensureAcls,
  kafkaAccessRules,
  kafkaClientConfig,
  KafkaSecurity,
  kafkaServicePrincipals,
  KafkaSettings,
} from '@app/messaging';
import {
  BaseServiceEnv,
  ensureKafkaPasswordFile,
  kafkaPasswordFile,
  kafkaSecurityFromEnv,
} from '@app/platform';
import { Admin, Kafka, KafkaJSSASLAuthenticationError, logLevel } from 'kafkajs';

type KafkaAccess = Pick<KafkaSettings, 'brokers' | 'security'>;

/** Generates the missing password files of the service principals (never their contents in logs). */
export async function ensureServicePasswords(credentialsDir: string): Promise<void> {
  for (const { principal } of kafkaServicePrincipals()) {
    const file = kafkaPasswordFile(credentialsDir, principal);
    if (await ensureKafkaPasswordFile(file)) {
      console.log(`kafka: generated the password of ${principal} in ${file} (0600)`);
    }
  }
}

/** The security of the set-up's own principal (the admin): KAFKA_ADMIN_* or its password file. */
export function adminSecurity(env: BaseServiceEnv, raw: NodeJS.ProcessEnv): KafkaSecurity {
  const { security, problems } = kafkaSecurityFromEnv({
    ...env,
    KAFKA_SASL_USERNAME: raw.KAFKA_ADMIN_USERNAME || 'admin',
    KAFKA_SASL_PASSWORD: raw.KAFKA_ADMIN_PASSWORD ?? '',
    KAFKA_SASL_PASSWORD_FILE: raw.KAFKA_ADMIN_PASSWORD_FILE ?? '',
  });
  if (!security) throw new Error(`Kafka admin credentials: ${problems.join('; ')}`);
  return security;
}

async function canLogIn(access: KafkaAccess): Promise<boolean> {
  // Quiet and without retries: a refused login is the expected answer for a new principal.
  const admin = new Kafka({
    ...kafkaClientConfig(
      { ...access, groupId: 'sgx-setup', partitionsConsumedConcurrently: 1 },
      'login-check',
    ),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return true;
  } catch (error) {
    if (error instanceof KafkaJSSASLAuthenticationError) return false;
    throw error;
  } finally {
    await admin.disconnect();
  }
}

/** Registers each service principal whose password the broker does not (yet) accept. */
export async function registerServicePrincipals(
  brokers: string[],
  credentialsDir: string,
  template: KafkaSecurity,
  principals = kafkaServicePrincipals().map(({ principal }) => principal),
): Promise<void> {
  for (const principal of principals) {
    const file = kafkaPasswordFile(credentialsDir, principal);
    const { security } = kafkaSecurityFromEnv({
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_MECHANISM: template.sasl.mechanism,
      KAFKA_SASL_PASSWORD: '',
      KAFKA_SASL_PASSWORD_FILE: file,
      KAFKA_CREDENTIALS_DIR: credentialsDir,
      // TLS is the admin's (below); only the password file is read here.
      KAFKA_SSL: 'false',
      KAFKA_SSL_CA_FILE: '',
      KAFKA_SSL_CERT_FILE: '',
      KAFKA_SSL_KEY_FILE: '',
    });
    if (!security) throw new Error(`kafka: cannot read ${file}`);
    if (await canLogIn({ brokers, security: { ...security, ssl: template.ssl } })) continue;
    const result = spawnSync(
      'bash',
      [path.join(__dirname, '..', 'deploy', 'kafka', 'kafka.sh'), 'add-user', principal, file],
      { stdio: 'inherit', env: { ...process.env, KAFKA_BROKERS: brokers.join(',') } },
    );
    if (result.status !== 0) throw new Error(`registering Kafka principal ${principal} failed`);
  }
}

/** Creates the ACLs of the one table; reports ACLs of those principals that it does not hold. */
export async function applyAccessRules(admin: Admin): Promise<void> {
  const rules = kafkaAccessRules();
  const { unexpected } = await ensureAcls(admin, rules);
  console.log(`kafka: ${rules.length} ACLs in place`);
  for (const line of unexpected)
    console.warn(`kafka: ACL not in the access table (review it): ${line}`);
}
