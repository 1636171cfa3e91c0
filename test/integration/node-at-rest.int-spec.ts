/**
 * Issue 12 finding 9: no personal free text in clear in a node's tables. Real: the Kafka broker,
 * PostgreSQL, the education adapter's Nest application with keys in a temporary KEYS_DIR.
 * Played: the hub (HubStandIn signs and seals the referral outcome as the hub would). The
 * MARAC's research answers are covered in test/integration/marac-case.int-spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { REFERRAL_OUTCOME_VIEW } from '@app/contracts';
import { isSealedAtRest, NodeKeyPair } from '@app/crypto';
import { AtRestSealer } from '@app/node';
import request from 'supertest';
import { DataSource } from 'typeorm';

import { AppModule as EducationModule } from '../../apps/education-adapter/src/app.module';
import { HubStandIn } from '../support/hub-stand-in';
import { writeNodeKeyFiles } from '../support/registry-fixtures';
import { eventually, RunningService, startService } from '../support/service-harness';
import { TestIssuer } from '../support/test-issuer';

jest.setTimeout(120_000);

describe('issue 12 finding 9: personal free text sealed at rest in a node', () => {
  const issuer = new TestIssuer();
  const hub = new HubStandIn();
  const keysDir = mkdtempSync(path.join(tmpdir(), 'sgx-at-rest-keys-'));
  const mailboxId = `school-${randomUUID().slice(0, 8)}-dsl`;
  let education: RunningService;
  let db: DataSource;
  let encryption: NodeKeyPair;
  let token: string;

  beforeAll(async () => {
    await issuer.start();
    await hub.start();
    encryption = (await writeNodeKeyFiles(keysDir, 'education')).encryption;
    Object.assign(process.env, { KEYS_DIR: keysDir, HUB_JWKS_URL: hub.jwksUrl });
    education = await startService(EducationModule);
    db = education.app.get(DataSource);
    token = await issuer.token({ roles: ['mailbox-user'], mailboxes: [mailboxId] });
  });

  afterAll(async () => {
    await db?.query('DELETE FROM referral WHERE mailbox_id = $1', [mailboxId]);
    await education?.app.close();
    await hub.stop();
    await issuer.stop();
    rmSync(keysDir, { recursive: true, force: true });
  });

  /** A referral row as the school's referral API writes it (the referral itself went earlier). */
  async function referral(): Promise<string> {
    const referralId = randomUUID();
    await db.query(
      `INSERT INTO referral (referral_id, mailbox_id, subject_ref, completeness, submitted_by, submitted_at)
       VALUES ($1, $2, $3, 100, 'dsl', now())`,
      [referralId, mailboxId, randomUUID()],
    );
    return referralId;
  }

  const outcomeSeen = (referralId: string) =>
    eventually(
      async () => {
        const response = await request(education.url)
          .get(`/mailboxes/${mailboxId}/referrals`)
          .set('Authorization', `Bearer ${token}`);
        const found = (
          response.body as { referralId: string; outcome: { nextSteps: string } | null }[]
        ).find((r) => r.referralId === referralId);
        return found?.outcome ?? undefined;
      },
      { what: 'the outcome on the referrer’s referral list' },
    );

  const stored = async (referralId: string): Promise<string> => {
    const [row] = await db.query(
      'SELECT referral::text AS row FROM referral WHERE referral_id = $1',
      [referralId],
    );
    return row.row as string;
  };

  it('finding 9: the referral outcome’s next steps are sealed in the referral table and read back in clear by the referrer', async () => {
    const referralId = await referral();
    const canary = `Canary next steps ${randomUUID()}: strategy meeting with the school on Monday`;
    await hub.deliver(
      'education',
      encryption.publicJwk,
      REFERRAL_OUTCOME_VIEW,
      {
        referralId,
        outcome: 'section-47-enquiry',
        nextSteps: canary,
        decidedAt: new Date().toISOString(),
        recipientMailboxId: mailboxId,
      },
      randomUUID(),
    );
    expect(await outcomeSeen(referralId)).toMatchObject({
      outcome: 'section-47-enquiry',
      nextSteps: canary,
    });
    const row = await stored(referralId);
    expect(row).not.toContain('Canary next steps');
    const [{ next_steps: nextSteps }] = await db.query(
      'SELECT next_steps FROM referral WHERE referral_id = $1',
      [referralId],
    );
    expect(isSealedAtRest(nextSteps)).toBe(true);
  });

  it('finding 9: next steps stored in clear before sealing are sealed at start-up and still read', async () => {
    const referralId = await referral();
    const canary = `Legacy canary ${randomUUID()}`;
    await db.query(
      `UPDATE referral SET outcome = 'no-further-action', next_steps = $2, decided_at = now(),
         outcome_received_at = now() WHERE referral_id = $1`,
      [referralId, canary],
    );
    expect(await outcomeSeen(referralId)).toMatchObject({ nextSteps: canary });
    await education.app.get(AtRestSealer).sealLegacyRows();
    expect(await stored(referralId)).not.toContain(canary);
    expect(await outcomeSeen(referralId)).toMatchObject({ nextSteps: canary });
  });
});
