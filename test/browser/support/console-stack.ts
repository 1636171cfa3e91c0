import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { DataSource } from 'typeorm';

import { AppModule as AuditModule } from '../../../apps/audit/src/app.module';
import { AppModule as EducationModule } from '../../../apps/education-adapter/src/app.module';
import { AppModule as HealthModule } from '../../../apps/health-adapter/src/app.module';
import { AppModule as HubModule } from '../../../apps/hub/src/app.module';
import { AppModule as MaracModule } from '../../../apps/marac/src/app.module';
import { AppModule as PoliceModule } from '../../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../../apps/social-care-adapter/src/app.module';
import { registerNodeKeys } from '../../support/registry-fixtures';
import { ServiceProcess } from '../../support/service-process';
import { freePort, RunningService, startService } from '../../support/service-harness';

export interface ConsoleStackOptions {
  /** An external OIDC provider (Keycloak); by default the hub's development issuer. */
  issuer?: { issuer: string; jwksUrl: string };
  /** Extra variables for the console (a short idle timeout, say). */
  consoleEnv?: Record<string, string>;
  /** Also the audit service (the trail, the partnership metrics), for the console to read. */
  withAudit?: boolean;
  /** Also the MARAC node, its members in the hub's registry (the coordinator's journey). */
  marac?: boolean;
}

/** The MARAC's member agencies as the hub's registry records them (the e2e spec does the same). */
const MARAC_MEMBERS = [
  'northshire-police',
  'northshire-community-health',
  'northshire-childrens-social-care',
  'northshire-education',
];

/**
 * The real stack behind the console: the hub and the four agency nodes as Nest apps on the real
 * broker and database (keys in a temporary KEYS_DIR, registered in the hub's registry), and the
 * console as its own process started from main.ts, as production runs it. The demo area's
 * registry (npm test's prepare step seeds it) names the mailboxes.
 */
export class ConsoleStack {
  readonly keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-console-keys-'));
  hub!: RunningService;
  police!: RunningService;
  education!: RunningService;
  health!: RunningService;
  socialCare!: RunningService;
  audit?: RunningService;
  marac?: RunningService;
  console!: ServiceProcess;
  hubDb!: DataSource;
  issuer = '';

  constructor(private readonly options: ConsoleStackOptions = {}) {}

  get consoleUrl(): string {
    return this.console.url;
  }

  async start(): Promise<void> {
    const hubPort = await freePort();
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    this.issuer = this.options.issuer?.issuer ?? `${hubUrl}/dev-issuer`;
    Object.assign(process.env, {
      KEYS_DIR: this.keysDir,
      HUB_JWKS_URL: `${hubUrl}/.well-known/hub-jwks.json`,
      AUTH_ISSUER: this.issuer,
      AUTH_JWKS_URL: this.options.issuer?.jwksUrl ?? `${hubUrl}/dev-issuer/jwks.json`,
      AUTH_AUDIENCE: 'safeguarding-exchange',
      OUTBOX_POLL_INTERVAL_MS: '200',
      // The audit service checks each event's signature against the hub's registry.
      AUDIT_REGISTRY_URL: `${hubUrl}/.well-known/nodes/`,
    });
    this.hub = await startService(HubModule, hubPort);
    this.hubDb = this.hub.app.get(DataSource);
    const nodeIds = ['hub', 'police', 'education', 'health', 'social-care'];
    if (this.options.marac) {
      nodeIds.push('marac');
      await this.hubDb.query(`UPDATE node SET status = 'active' WHERE id = 'marac'`);
      await this.hubDb.query(
        `INSERT INTO marac_member (marac_agency_id, member_agency_id)
         SELECT 'northshire-marac', unnest($1::varchar[]) ON CONFLICT DO NOTHING`,
        [MARAC_MEMBERS],
      );
    }
    for (const nodeId of nodeIds) await registerNodeKeys(this.hubDb, this.keysDir, nodeId);
    [this.police, this.education, this.health, this.socialCare] = await Promise.all([
      startService(PoliceModule),
      startService(EducationModule),
      startService(HealthModule),
      startService(SocialCareModule),
    ]);
    if (this.options.withAudit) this.audit = await startService(AuditModule);
    if (this.options.marac) this.marac = await startService(MaracModule);
    const consolePort = await freePort();
    this.console = new ServiceProcess('console', consolePort, {
      CONSOLE_PUBLIC_URL: `http://127.0.0.1:${consolePort}`,
      CONSOLE_POLICE_URL: this.police.url,
      CONSOLE_EDUCATION_URL: this.education.url,
      CONSOLE_HEALTH_URL: this.health.url,
      CONSOLE_SOCIAL_CARE_URL: this.socialCare.url,
      CONSOLE_HUB_URL: this.hub.url,
      ...(this.audit ? { CONSOLE_AUDIT_URL: this.audit.url } : {}),
      ...(this.marac ? { CONSOLE_MARAC_URL: this.marac.url } : {}),
      ...this.options.consoleEnv,
    });
    await this.console.start();
  }

  async stop(): Promise<void> {
    await this.console?.stop();
    await Promise.all(
      [
        this.audit,
        this.marac,
        this.police,
        this.education,
        this.health,
        this.socialCare,
        this.hub,
      ].map((service) => service?.app.close()),
    );
    rmSync(this.keysDir, { recursive: true, force: true });
  }
}
