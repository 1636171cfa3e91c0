/**
 * The exchange as a bench runs it: every service its own compiled process (as `npm start` runs
 * them), in a database of the bench's own on the DATABASE_URL server (or BENCH_DATABASE_URL),
 * keys in a temporary KEYS_DIR, bearer tokens from a test issuer over HTTP, the Kafka principals,
 * topics and ACLs of the set-up on KAFKA_BROKERS. One area: a school (a fresh URN each run), its
 * school nursing and the MASH, so each incident about one of its pupils goes to three mailboxes.
 */
import { spawnSync } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { exchangeTopicSpecs } from '@app/contracts';
import {
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  writeCurrentKids,
  writePrivateKeyFile,
} from '@app/crypto';
import { ensureTopics, KafkaSettings, parseBrokers, withKafkaAdmin } from '@app/messaging';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@app/persistence';
import { NodeKeyEntity, NodeKeyService } from '@app/registry';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { HUB_TABLES } from '../../apps/hub/src/hub.tables';
import {
  adminSecurity,
  applyAccessRules,
  ensureServicePasswords,
  registerServicePrincipals,
} from '../../scripts/kafka-principals';
import { SERVICES, serviceEnv } from '../../scripts/services';
import { freePort } from '../../test/support/service-harness';
import { ServiceProcess } from '../../test/support/service-process';
import { TestIssuer } from '../../test/support/test-issuer';
import { validBodies } from '../../test/support/valid-bodies';

/** The services an incident's journey runs through: sender, hub, audit, the three recipients. */
export const INCIDENT_JOURNEY_APPS = [
  'hub',
  'audit',
  'police-adapter',
  'education-adapter',
  'health-adapter',
  'social-care-adapter',
];

export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The mailboxes an incident about a pupil of the bench's school goes to, and their nodes. */
export interface IntendedMailbox {
  mailboxId: string;
  service: string;
}

/** One instance of a service: `name` is unique (`hub-2`), `app` is what it runs (`hub`). */
export interface ServiceInstance {
  name: string;
  app: string;
  env?: Record<string, string>;
}

export class BenchStack {
  readonly processes = new Map<string, ServiceProcess>();
  readonly databaseUrl: string;
  readonly keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-bench-keys-'));
  readonly issuer = new TestIssuer();
  readonly urn = String(randomInt(1_000_000, 9_999_999));
  readonly schoolMailbox = `school-${this.urn}-dsl`;
  /** The bench's own Kafka clients log in as the admin (a super user). */
  kafkaSettings!: KafkaSettings;
  hubPort = 0;
  private hubDb: DataSource | null = null;
  private readonly pools = new Map<string, Pool>();

  constructor(
    databaseName: string,
    private readonly apps: string[],
  ) {
    this.databaseUrl = BenchStack.databaseUrl(databaseName);
  }

  static databaseUrl(databaseName: string): string {
    if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
    const url = new URL(
      process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/safeguarding',
    );
    url.pathname = `/${databaseName}`;
    return url.toString();
  }

  get databaseName(): string {
    return new URL(this.databaseUrl).pathname.slice(1);
  }

  /** The set-up's steps for these services: database, migrations, principals, topics, ACLs. */
  async prepare(replicationFactor: number): Promise<{ created: boolean }> {
    process.env.DATABASE_URL = this.databaseUrl;
    process.env.LOG_LEVEL ??= 'warn';
    process.env.NODE_ENV ??= 'test';
    process.env.KEYS_DIR = this.keysDir;
    const used = SERVICES.filter((s) => this.apps.includes(s.name));
    const created = await ensureDatabase(this.databaseUrl);
    for (const service of used) {
      const env = serviceEnv(service);
      await runMigrations(
        { ...service.tables, schema: env.DATABASE_SCHEMA },
        { url: env.DATABASE_URL },
      );
    }
    const first = serviceEnv(used[0]);
    this.kafkaSettings = {
      brokers: parseBrokers(first.KAFKA_BROKERS),
      groupId: 'sgx-bench',
      partitionsConsumedConcurrently: 1,
      security: adminSecurity(first, process.env),
    };
    // Cheap when `npm run setup` has run: a principal that can log in is left alone.
    const credentialsDir = process.env.KAFKA_CREDENTIALS_DIR || '.keys/kafka';
    await ensureServicePasswords(credentialsDir);
    await registerServicePrincipals(
      this.kafkaSettings.brokers,
      credentialsDir,
      this.kafkaSettings.security,
    );
    await withKafkaAdmin(this.kafkaSettings, async (admin) => {
      await ensureTopics(admin, exchangeTopicSpecs(), replicationFactor);
      await applyAccessRules(admin);
    });
    return { created };
  }

  schemaOf(app: string): string {
    return serviceEnv(SERVICES.find((service) => service.name === app)!).DATABASE_SCHEMA;
  }

  /** A small pool on one service's schema, for the bench's own checks. */
  pool(app: string): Pool {
    let pool = this.pools.get(app);
    if (!pool) {
      pool = new Pool({
        connectionString: this.databaseUrl,
        max: 2,
        options: `-c search_path=${this.schemaOf(app)}`,
      });
      this.pools.set(app, pool);
    }
    return pool;
  }

  /** The registry rows and every service's keys, written before any service starts. */
  async seedArea(): Promise<void> {
    await this.issuer.start(); // sets AUTH_ISSUER, AUTH_JWKS_URL, AUTH_AUDIENCE for the services
    this.hubPort = await freePort();
    process.env.HUB_JWKS_URL = `http://127.0.0.1:${this.hubPort}/.well-known/hub-jwks.json`;
    // The audit service checks each event's signature against the hub's registry of node keys.
    process.env.AUDIT_REGISTRY_URL = `http://127.0.0.1:${this.hubPort}/.well-known/nodes/`;
    const hubDb = new DataSource(
      dataSourceOptions(
        { ...HUB_TABLES, schema: this.schemaOf('hub') },
        { url: this.databaseUrl, poolSize: 2 },
      ),
    );
    this.hubDb = await hubDb.initialize();
    await hubDb.query(`INSERT INTO agency (id, name, kind, area) VALUES
      ('northshire-exchange', 'Exchange', 'other', 'northshire'),
      ('northshire-police', 'Police', 'police', 'northshire'),
      ('northshire-education', 'Education', 'education', 'northshire'),
      ('northshire-community-health', 'Health', 'health', 'northshire'),
      ('northshire-childrens-social-care', 'Social care', 'social-care', 'northshire')
      ON CONFLICT DO NOTHING`);
    await hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
      ('hub', 'northshire-exchange', 'hub'), ('police', 'northshire-police', 'police'),
      ('education', 'northshire-education', 'education'),
      ('health', 'northshire-community-health', 'health'),
      ('social-care', 'northshire-childrens-social-care', 'social-care')
      ON CONFLICT (id) DO UPDATE SET status = 'active'`);
    await hubDb.query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('education-escalation', 'education', 'escalation', 'Escalation', NULL),
      ('mash', 'social-care', 'mash', 'MASH', NULL),
      ('school-nursing', 'health', 'school-nursing', 'School nursing', NULL),
      ('health-visiting', 'health', 'health-visiting', 'Health visiting', NULL),
      ('social-care-escalation', 'social-care', 'escalation', 'MASH escalation', NULL),
      ('police-safeguarding-hub', 'police', 'police-safeguarding', 'Police safeguarding', NULL)
      ON CONFLICT DO NOTHING`);
    await hubDb.query(
      `INSERT INTO mailbox (id, node_id, kind, display_name, external_ref)
       VALUES ($1, 'education', 'designated-safeguarding-lead', 'Bench school DSL', $2)`,
      [this.schoolMailbox, this.urn],
    );
    const keys = new NodeKeyService(hubDb.getRepository(NodeKeyEntity));
    for (const nodeId of ['hub', 'police', 'education', 'health', 'social-care', 'audit']) {
      const signing = await generateSigningKeyPair();
      const encryption = await generateEncryptionKeyPair();
      await writePrivateKeyFile(this.keysDir, nodeId, signing);
      await writePrivateKeyFile(this.keysDir, nodeId, encryption);
      await writeCurrentKids(this.keysDir, nodeId, {
        signing: signing.kid,
        encryption: encryption.kid,
      });
      if (nodeId === 'audit') continue; // the audit service signs its checkpoints, it is no node
      await keys.rotate({ nodeId, publicJwk: signing.publicJwk }, 0);
      await keys.rotate({ nodeId, publicJwk: encryption.publicJwk }, 0);
    }
  }

  /** Where an incident about a pupil of the bench's school must arrive, once each. */
  get incidentMailboxes(): IntendedMailbox[] {
    return [
      { mailboxId: this.schoolMailbox, service: 'education-adapter' },
      { mailboxId: 'school-nursing', service: 'health-adapter' },
      { mailboxId: 'mash', service: 'social-care-adapter' },
    ];
  }

  /** An incident about one new pupil of the bench's school. */
  incident(): object {
    return validBodies.incident({
      name: `Child ${randomUUID().slice(0, 8)} Benchperson`,
      dateOfBirth: `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
      schoolUrn: this.urn,
    });
  }

  /**
   * POST /incidents to the police node: the notifications' message ids on 202, or what refused
   * it (status and body, or the network error).
   */
  async submitIncident(
    policeUrl: string,
    token: string,
  ): Promise<{ messageIds: string[]; refusal?: string }> {
    try {
      const response = await fetch(`${policeUrl}/incidents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(this.incident()),
      });
      const body = (await response.json()) as { notifications?: { messageId: string }[] };
      if (response.status !== 202 || !body.notifications) {
        return {
          messageIds: [],
          refusal: `${response.status} ${JSON.stringify(body).slice(0, 200)}`,
        };
      }
      return { messageIds: body.notifications.map(({ messageId }) => messageId) };
    } catch (error) {
      return { messageIds: [], refusal: String(error) };
    }
  }

  policeToken(): Promise<string> {
    return this.issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
  }

  /** `npm run build`: the services start from dist/. */
  build(): void {
    const build = spawnSync(
      path.join('node_modules', '.bin', 'tsc'),
      ['-p', 'tsconfig.build.json'],
      { stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('npm run build failed');
  }

  /**
   * Starts the instances, the first hub first (its port is the one the nodes fetch the hub's
   * keys from), then the others together.
   */
  async start(instances: ServiceInstance[]): Promise<void> {
    let hubPortTaken = false;
    for (const { name, app, env } of instances) {
      const port = app === 'hub' && !hubPortTaken ? this.hubPort : await freePort();
      if (app === 'hub') hubPortTaken = true;
      this.processes.set(
        name,
        new ServiceProcess(app, port, { KEYS_DIR: this.keysDir, ...env }, 'dist'),
      );
    }
    const [first, ...rest] = instances;
    await this.processes.get(first.name)!.start();
    await Promise.all(rest.map(({ name }) => this.processes.get(name)!.start()));
  }

  service(name: string): ServiceProcess {
    const service = this.processes.get(name);
    if (!service) throw new Error(`no service ${name}`);
    return service;
  }

  /** SIGKILL to every service: for a failure or a watchdog. */
  killAll(): void {
    for (const service of this.processes.values()) void service.kill();
  }

  async stop(): Promise<void> {
    await this.hubDb
      ?.query('DELETE FROM mailbox WHERE id = $1', [this.schoolMailbox])
      .catch(() => undefined);
    await Promise.all([...this.processes.values()].map((service) => service.stop()));
    for (const pool of this.pools.values()) await pool.end();
    await this.hubDb?.destroy();
    await this.issuer.stop();
    rmSync(this.keysDir, { recursive: true, force: true });
  }
}
