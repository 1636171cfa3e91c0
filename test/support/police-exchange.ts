import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  DOMESTIC_ABUSE_NOTIFICATION,
  envelopeKafkaRecord,
  RECEIPT,
  Receipt,
  Topics,
} from '@app/contracts';
import { encryptEnvelope, loadNodeKeyring, signEnvelope } from '@app/crypto';
import { OutgoingRecord } from '@app/messaging';
import { NodeSender } from '@app/node';
import { JWK } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as HubModule } from '../../apps/hub/src/app.module';
import { AppModule as PoliceModule } from '../../apps/police-adapter/src/app.module';
import { AppModule as SocialCareModule } from '../../apps/social-care-adapter/src/app.module';
import { publishAsTest } from './test-kafka';
import { registerNodeKeys } from './registry-fixtures';
import { eventually, freePort, RunningService, startService } from './service-harness';
import { TestIssuer } from './test-issuer';

/** A child's notification as the police system sees it (GET /incidents/:id/notifications). */
export interface NotificationStatusView {
  messageId: string;
  status: string;
  rejection?: { code: string; reason: string };
  recipients: { mailboxId: string; status: string; role: string | null }[];
}

/**
 * The smallest real exchange a police incident travels: the hub, the police node and the social
 * care node (the MASH, the one recipient every area has), as Nest apps on the real broker and
 * database, keys in a temporary KEYS_DIR, tokens from a test issuer. For tests of what the hub
 * does with records a node's own checks would have stopped: `seal` signs any body as the police
 * node and encrypts it to the hub, `publish` puts it on the submissions topic, `recordIncident`
 * gives the police node the rows its API would have written, so the police status shows what the
 * hub answered.
 */
export class PoliceExchange {
  readonly issuer = new TestIssuer();
  readonly keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-police-exchange-keys-'));
  hub!: RunningService;
  police!: RunningService;
  socialCare!: RunningService;
  hubDb!: DataSource;
  agencyToken!: string;

  async start(): Promise<void> {
    await this.issuer.start();
    const hubPort = await freePort();
    Object.assign(process.env, {
      KEYS_DIR: this.keysDir,
      HUB_JWKS_URL: `http://127.0.0.1:${hubPort}/.well-known/hub-jwks.json`,
      // An audit service a test starts beside it checks signatures with this hub's registry.
      AUDIT_REGISTRY_URL: `http://127.0.0.1:${hubPort}/.well-known/nodes/`,
      OUTBOX_POLL_INTERVAL_MS: '200',
    });
    this.hub = await startService(HubModule, hubPort);
    this.hubDb = this.hub.app.get(DataSource);
    await this.hubDb.query(`INSERT INTO agency (id, name, kind, area) VALUES
      ('northshire-exchange', 'Exchange', 'other', 'northshire'),
      ('northshire-police', 'Police', 'police', 'northshire'),
      ('northshire-childrens-social-care', 'Social care', 'social-care', 'northshire')
      ON CONFLICT DO NOTHING`);
    await this.hubDb.query(`INSERT INTO node (id, agency_id, kafka_principal) VALUES
      ('hub', 'northshire-exchange', 'hub'), ('police', 'northshire-police', 'police'),
      ('social-care', 'northshire-childrens-social-care', 'social-care')
      ON CONFLICT (id) DO UPDATE SET status = 'active'`);
    await this.hubDb
      .query(`INSERT INTO mailbox (id, node_id, kind, display_name, external_ref) VALUES
      ('mash', 'social-care', 'mash', 'MASH', NULL),
      ('social-care-escalation', 'social-care', 'escalation', 'MASH escalation', NULL)
      ON CONFLICT DO NOTHING`);
    for (const nodeId of ['hub', 'police', 'social-care']) {
      await registerNodeKeys(this.hubDb, this.keysDir, nodeId);
    }
    [this.police, this.socialCare] = await Promise.all([
      startService(PoliceModule),
      startService(SocialCareModule),
    ]);
    this.agencyToken = await this.issuer.token({
      roles: ['agency-system'],
      agency: 'northshire-police',
      subject: 'police-cad',
    });
  }

  async stop(): Promise<void> {
    await Promise.all(
      [this.hub, this.police, this.socialCare].map((service) => service?.app.close()),
    );
    await this.issuer.stop();
    rmSync(this.keysDir, { recursive: true, force: true });
  }

  /** A valid notification body for one child, at a school the area does not have. */
  notification(overrides: Record<string, unknown> = {}, child: Record<string, unknown> = {}) {
    return {
      policeReference: `NP-${randomUUID().slice(0, 8)}`,
      occurredAt: new Date().toISOString(),
      location: '12 Example Road, Northtown',
      child: {
        name: `Child ${randomUUID().slice(0, 8)} Testperson`,
        dateOfBirth: `2016-0${randomInt(1, 9)}-1${randomInt(0, 9)}`,
        schoolUrn: String(randomInt(1_000_000, 9_999_999)),
        presence: 'witnessing',
        ...child,
      },
      riskLevel: 'high',
      circumstances: 'Child witnessed an argument between adults at home',
      actionsTaken: 'Suspect arrested',
      consent: { position: 'not-sought' },
      lawfulBasis: 'dpa2018-sch8-para4',
      safeguardingJustification: 'asking-would-put-someone-at-risk',
      familyInformed: false,
      ...overrides,
    };
  }

  /** The rows the police API writes for a one-child incident, for a message published by hand. */
  async recordIncident(messageId: string, subjectRef: string): Promise<string> {
    const incidentId = randomUUID();
    const db = this.police.app.get(DataSource);
    await db.query(
      'INSERT INTO incident (id, police_reference, submitted_by) VALUES ($1, $2, $3)',
      [incidentId, `NP-${incidentId.slice(0, 8)}`, 'police-cad'],
    );
    await db.query(
      `INSERT INTO incident_notification (message_id, incident_id, child_index, subject_ref)
       VALUES ($1, $2, 0, $3)`,
      [messageId, incidentId, subjectRef],
    );
    return incidentId;
  }

  /** Signs a notification body as the police node and encrypts it to the hub (NodeSender). */
  seal(body: object, jti: string = randomUUID(), subjectRef: string = randomUUID()) {
    return this.police.app.get(NodeSender).seal({
      definition: DOMESTIC_ABUSE_NOTIFICATION,
      jti,
      subjectRef,
      body: body as never,
    });
  }

  /** The MASH's acknowledgement of one of the police's messages, as the hub forwards it. */
  mashAcknowledgement(messageId: string): Receipt {
    return {
      messageId,
      mailboxId: 'mash',
      status: 'acknowledged',
      at: new Date().toISOString(),
      by: 'mash-worker',
    };
  }

  /**
   * A receipt the hub forwards to the police (the MASH's, for one of the police's messages),
   * signed with the hub's own key from KEYS_DIR and sealed to the encryption key given: a
   * record on the police delivery topic exactly as the hub would publish it.
   */
  async hubReceiptToPolice(
    body: Receipt,
    subjectRef: string,
    policeEncryptionKey: JWK,
  ): Promise<OutgoingRecord> {
    const hubRing = await loadNodeKeyring(this.keysDir, 'hub');
    const claims = {
      iss: 'hub',
      sub: subjectRef,
      jti: randomUUID(),
      iat: Math.floor(Date.now() / 1000),
      type: RECEIPT.type,
      version: RECEIPT.version,
    };
    const jws = await signEnvelope({ ...claims, body }, hubRing.signing);
    return envelopeKafkaRecord(await encryptEnvelope(jws, policeEncryptionKey), claims);
  }

  /** Publishes records to the submissions topic as a node (or anyone with the broker) would. */
  async publish(
    records: { key: string; value: string; headers?: Record<string, string> }[],
    topic: string = Topics.submissions,
  ): Promise<void> {
    // As the test's own principal: the hub's may not write the topics it reads.
    await publishAsTest(topic, records);
  }

  /** Submits an incident through the police API, as the force's system does. */
  async submit(body: ReturnType<PoliceExchange['notification']>) {
    const { child, ...rest } = body;
    const response = await request(this.police.url)
      .post('/incidents')
      .set('Authorization', `Bearer ${this.agencyToken}`)
      .send({ ...rest, children: [child] });
    if (response.status !== 202) {
      throw new Error(
        `POST /incidents answered ${response.status}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body as { incidentId: string; notifications: { messageId: string }[] };
  }

  async statusOf(incidentId: string): Promise<NotificationStatusView> {
    const response = await request(this.police.url)
      .get(`/incidents/${incidentId}/notifications`)
      .set('Authorization', `Bearer ${this.agencyToken}`);
    if (response.status !== 200) throw new Error(`status answered ${response.status}`);
    return response.body.notifications[0] as NotificationStatusView;
  }

  /** Waits until the police see the notification in a state the predicate accepts. */
  untilStatus(
    incidentId: string,
    accept: (status: NotificationStatusView) => boolean,
    what: string,
  ): Promise<NotificationStatusView> {
    return eventually(
      async () => {
        const current = await this.statusOf(incidentId);
        return accept(current) ? current : undefined;
      },
      { what },
    );
  }
}
