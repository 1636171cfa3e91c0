/**
 * Finding 8 of issue 12: error logs carried SQL, its parameters and personal data. Every log
 * path now goes through one error serializer (class, code, constraint; no query, parameters,
 * values or stack of a query error). Canary values are driven through the failure paths a test
 * can reach in-process — the database gone under a request, a constraint violation and a value
 * PostgreSQL refuses (real QueryFailedErrors) logged as services log them, a Kafka handler that
 * fails — and the log file must hold none of them. Real: the police node app as main.ts builds
 * it, its pino logger writing to a file (LOG_DESTINATION), PostgreSQL; tokens from a test
 * issuer; the hub's keys and registry entries from a stand-in.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { INestApplication, Logger } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { describeError, RecordProcessor } from '@app/messaging';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { HubStandIn } from '../support/hub-stand-in';
import { inProcessApp } from '../support/in-process-app';
import { TestIssuer } from '../support/test-issuer';
import { validBodies } from '../support/valid-bodies';

describe('finding 8: no query, parameter or personal value reaches a log line', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  const dir = mkdtempSync(path.join(tmpdir(), 'sgx-error-logs-'));
  const logFile = path.join(dir, 'police.log');
  // Canaries: what a request or a record carried; none may appear in any log line.
  const canaryId = randomUUID();
  const canaryText = `CANARY-${randomUUID()}`;
  const canarySub = `canary-sub-${randomUUID()}`;
  let police: INestApplication;
  let db: DataSource;

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    Object.assign(process.env, {
      HUB_JWKS_URL: hub.jwksUrl,
      OUTBOX_RELAY_ENABLED: 'false',
      LOG_DESTINATION: logFile,
    });
    police = await inProcessApp(PoliceModule);
    db = police.get(DataSource);
  });

  afterAll(async () => {
    delete process.env.LOG_DESTINATION;
    await police?.close();
    await hub.stop();
    await issuer.stop();
    if (!process.env.KEEP_LOGS) rmSync(dir, { recursive: true, force: true });
  });

  const queryError = async (sql: string, parameters: unknown[]): Promise<unknown> => {
    try {
      await db.query(sql, parameters);
    } catch (error) {
      return error;
    }
    throw new Error('the query was expected to fail');
  };

  it('logs real query failures by class, code and constraint only, on every log path', async () => {
    await db.query('CREATE TEMP TABLE canary_probe (id uuid PRIMARY KEY, note text NOT NULL)');
    await db.query('INSERT INTO canary_probe VALUES ($1, $2)', [canaryId, canaryText]);
    const duplicate = await queryError('INSERT INTO canary_probe VALUES ($1, $2)', [
      canaryId,
      canaryText,
    ]);
    const refusedValue = await queryError('SELECT $1::uuid', [canaryText]);
    // The database's own text quotes the values: the serializer must drop it.
    expect(JSON.stringify(duplicate, Object.getOwnPropertyNames(duplicate))).toContain(canaryId);
    expect(String((refusedValue as Error).message)).toContain(canaryText);

    const logger = new Logger('CanaryProbe');
    for (const error of [duplicate, refusedValue]) {
      logger.error(error);
      logger.error(`write failed: ${describeError(error)}`);
      logger.warn(error as Error);
    }

    // A Kafka handler failing on the database, as RecordProcessor runs it.
    const context = new KafkaContext([
      { key: Buffer.from(canaryId), value: Buffer.from(canaryText), offset: '7', headers: {} },
      0,
      'sgx.canary.v1',
      {},
      async () => undefined,
      {},
    ] as unknown as ConstructorParameters<typeof KafkaContext>[0]);
    await police.get(RecordProcessor).run(
      context,
      async () => {
        throw duplicate;
      },
      async () => undefined,
    );
  });

  it('answers a request while the database is gone with a 5xx and logs no value of it', async () => {
    const token = await issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: canarySub,
    });
    await db.destroy();
    const response = await request(police.getHttpServer())
      .post('/incidents')
      .set('Authorization', `Bearer ${token}`)
      .send({ ...validBodies.incident(), policeReference: canaryText });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(response.body)).not.toContain(canaryText);
    await db.initialize();
  });

  it('finds no canary in the log file, and the errors still named by class and code', () => {
    const log = readFileSync(logFile, 'utf8');
    for (const canary of [canaryId, canaryText, canarySub]) expect(log).not.toContain(canary);
    expect(log).not.toMatch(/INSERT INTO|SELECT \$1/);
    expect(log).toContain('QueryFailedError');
    expect(log).toContain('23505');
    expect(log).toContain('canary_probe_pkey');
    expect(log).toContain('22P02');
  });
});
