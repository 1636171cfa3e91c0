/**
 * Real: a second Kafka broker started by kafka.sh with KAFKA_SSL=true (SASL_SSL on its client
 * listener, a broker certificate signed at start by a CA this test generates with openssl), the
 * set-up's own steps (principals registered with kafka.sh add-user, topics, ACLs of the table),
 * PostgreSQL and the audit service's Nest application. Faked: nothing. The journey: an audit
 * event published by the police principal over SASL_SSL reaches the trail through the audit
 * service, which consumes over SASL_SSL as well.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AuditEvent, exchangeTopicSpecs, Topics } from '@app/contracts';
import { ensureTopics, KafkaPublisher, withKafkaAdmin } from '@app/messaging';
import { kafkaPasswordFile, kafkaSecurityFromEnv, KafkaSecurityEnv } from '@app/platform';
import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import {
  applyAccessRules,
  ensureServicePasswords,
  registerServicePrincipals,
} from '../../scripts/kafka-principals';
import { serveRegistryKeys, signedAuditRecord } from '../support/audit-signing';
import { eventually, freePort, RunningService, startService } from '../support/service-harness';

const root = path.join(__dirname, '..', '..');
const kafkaSh = path.join(root, 'deploy', 'kafka', 'kafka.sh');

describe('a journey over SASL_SSL with a CA generated in the test', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sgx-kafka-tls-'));
  const cacheDir = path.join(dir, 'cache');
  const credentialsDir = path.join(dir, 'credentials');
  const caCert = path.join(dir, 'ca.pem');
  const saved = { ...process.env };
  let brokerEnv: NodeJS.ProcessEnv;
  let brokers: string[];
  let audit: RunningService | undefined;
  let registry: Awaited<ReturnType<typeof serveRegistryKeys>> | undefined;

  const securityOf = (principal: string, env: NodeJS.ProcessEnv) => {
    const { security, problems } = kafkaSecurityFromEnv({
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_PASSWORD: '',
      KAFKA_SASL_PASSWORD_FILE: kafkaPasswordFile(credentialsDir, principal),
      KAFKA_CREDENTIALS_DIR: credentialsDir,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: env.KAFKA_SSL_CA_FILE!,
      KAFKA_SSL_CERT_FILE: '',
      KAFKA_SSL_KEY_FILE: '',
    } satisfies KafkaSecurityEnv);
    if (!security) throw new Error(problems.join('; '));
    return security;
  };

  beforeAll(async () => {
    // The test's own CA: the broker's certificate is signed with it when kafka.sh starts.
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=sgx test CA',
        '-keyout',
        path.join(dir, 'ca.key'),
        '-out',
        caCert,
      ],
      { stdio: 'ignore' },
    );
    // The jars of the main broker, so this one needs no Maven run.
    const mainCache = process.env.KAFKA_CACHE_DIR || path.join(root, 'deploy', 'kafka', '.cache');
    mkdirSync(cacheDir);
    symlinkSync(path.join(mainCache, 'libs'), path.join(cacheDir, 'libs'));
    copyFileSync(path.join(mainCache, 'libs.pom.sha256'), path.join(cacheDir, 'libs.pom.sha256'));

    const port = await freePort();
    brokers = [`127.0.0.1:${port}`];
    brokerEnv = {
      ...process.env,
      KAFKA_CACHE_DIR: cacheDir,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_HEAP: '-Xms128m -Xmx320m',
      KAFKA_SSL: 'true',
      KAFKA_TLS_CA_CERT: caCert,
      KAFKA_TLS_CA_KEY: path.join(dir, 'ca.key'),
      KAFKA_SSL_CA_FILE: caCert,
      KAFKA_CREDENTIALS_DIR: credentialsDir,
      KAFKA_BROKERS: brokers.join(','),
    };
    const started = spawnSync('bash', [kafkaSh, 'start'], { env: brokerEnv, encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`kafka.sh start: ${started.stdout}${started.stderr}`);

    // The set-up's steps, for the two principals of the journey.
    Object.assign(process.env, brokerEnv);
    await ensureServicePasswords(credentialsDir);
    const admin = { brokers, security: securityOf('admin', brokerEnv) };
    await registerServicePrincipals(brokers, credentialsDir, admin.security, ['audit', 'police']);
    await withKafkaAdmin(admin, async (client) => {
      await ensureTopics(client, exchangeTopicSpecs());
      await applyAccessRules(client);
    });

    registry = await serveRegistryKeys();
    process.env.AUDIT_REGISTRY_URL = registry.url;
    audit = await startService(AuditModule);
  }, 420_000);

  afterAll(async () => {
    await audit?.app.close();
    await registry?.stop();
    spawnSync('bash', [kafkaSh, 'stop'], { env: brokerEnv, encoding: 'utf8' });
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries a police audit event to the trail, every client verifying the broker against the CA', async () => {
    const police = new KafkaPublisher({
      brokers,
      groupId: 'police-adapter',
      partitionsConsumedConcurrently: 1,
      security: securityOf('police', brokerEnv),
    });
    const event: AuditEvent = {
      eventId: randomUUID(),
      action: 'submitted',
      actor: 'police',
      occurredAt: new Date().toISOString(),
      messageId: randomUUID(),
      subjectRef: `subj-${randomUUID()}`,
    };
    try {
      await police.publish(Topics.auditEvents, [await signedAuditRecord(event)]);
    } finally {
      await police.onApplicationShutdown();
    }
    const db = audit!.app.get(DataSource);
    const rows = await eventually(
      async () => {
        const found = (await db.query('SELECT action FROM audit_record WHERE event_id = $1', [
          event.eventId,
        ])) as { action: string }[];
        return found.length ? found : undefined;
      },
      { what: 'the event in the trail', timeoutMs: 60_000 },
    );
    expect(rows).toEqual([{ action: 'submitted' }]);
  });
});
