/**
 * Real: the Kafka broker with SASL/SCRAM and ACLs, PostgreSQL, the audit service's Nest
 * application and its /health endpoint, kafka.sh add-user (Kafka's ConfigCommand). Faked:
 * nothing. The service runs as a principal of its own that this test makes step by step, so the
 * shared principals are never touched: first unknown to the broker, then without ACLs, then with
 * the audit service's topic lines of the access table, then with its group line as well.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Topics } from '@app/contracts';
import { kafkaAccessRules } from '@app/messaging';
import { DatabaseConnector, createServiceApp } from '@app/platform';
import { INestApplication } from '@nestjs/common';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  ResourcePatternTypes,
} from 'kafkajs';

import { AppModule as AuditModule } from '../../apps/audit/src/app.module';
import { eventually } from '../support/service-harness';
import { testKafka } from '../support/test-kafka';

interface Health {
  status: number;
  kafka?: { status: string; message?: string };
}

describe('a service whose Kafka credentials or ACLs are wrong', () => {
  const principal = `audit-probe-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(tmpdir(), 'sgx-kafka-health-'));
  const passwordFile = path.join(dir, `${principal}.password`);
  const saved = { ...process.env };
  let app: INestApplication;
  let url: string;
  let admin: Admin;

  // The audit service's ACLs, for this test's principal instead of `audit`.
  const acls = kafkaAccessRules()
    .filter((rule) => rule.principal === 'audit')
    .map((rule) => ({
      resourceType: rule.resource === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
      resourceName: rule.name,
      resourcePatternType:
        rule.pattern === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
      principal: `User:${principal}`,
      host: '*',
      operation: rule.operation === 'read' ? AclOperationTypes.READ : AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    }));

  const health = async (): Promise<Health> => {
    const response = await fetch(`${url}/health`);
    const body = (await response.json()) as {
      info?: Record<string, Health['kafka']>;
      error?: Record<string, Health['kafka']>;
    };
    return { status: response.status, kafka: body.error?.kafka ?? body.info?.kafka };
  };
  const healthBecomes = (status: number, message?: string) =>
    eventually(
      async () => {
        const now = await health();
        return now.status === status && now.kafka?.message === message ? now : undefined;
      },
      { what: `/health ${status} ${message ?? 'up'}`, timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    writeFileSync(passwordFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    Object.assign(process.env, {
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    admin = testKafka('health-test-admin').admin();
    await admin.connect();
    // /health needs HTTP and the database only; the consumer is not started.
    app = await createServiceApp(AuditModule);
    await app.listen(0, '127.0.0.1');
    await app.get(DatabaseConnector).connect();
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await admin.deleteAcls({
      filters: acls.map(({ resourceType, resourceName, resourcePatternType, principal: who }) => ({
        resourceType,
        resourceName,
        resourcePatternType,
        principal: who,
        host: '*',
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      })),
    });
    await admin.disconnect();
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('says authentication failed, then names the missing topic ACL, then the missing group ACL, then recovers', async () => {
    const unknown = await healthBecomes(503, 'kafka: authentication failed');
    expect(unknown.kafka?.status).toBe('down');

    // The operator registers the principal (as npm run setup does) but forgets its ACLs.
    const registered = spawnSync(
      'bash',
      [
        path.join(__dirname, '..', '..', 'deploy', 'kafka', 'kafka.sh'),
        'add-user',
        principal,
        passwordFile,
      ],
      { encoding: 'utf8' },
    );
    expect(registered.status).toBe(0);
    await healthBecomes(503, `kafka: not authorized to read topic ${Topics.auditEvents}`);

    // Its topic ACLs alone: the consumer group it would join is named next.
    const isGroup = (acl: (typeof acls)[number]) => acl.resourceType === AclResourceTypes.GROUP;
    await admin.createAcls({ acl: acls.filter((acl) => !isGroup(acl)) });
    await healthBecomes(503, 'kafka: not authorized to use group audit');

    // With all of the audit service's ACLs it is healthy again, without a restart.
    await admin.createAcls({ acl: acls.filter(isGroup) });
    const healthy = await healthBecomes(200);
    expect(healthy.kafka?.status).toBe('up');
  });
});
