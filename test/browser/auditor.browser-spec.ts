/**
 * The auditor's journey in the browser (issue 13, journey 2, and issue 16 item 2's page), on the
 * real stack: the police system submits an incident about a child, the school's DSL acknowledges
 * it, and a second notification about the same child cites s.47 without a justification, which
 * the policy refuses. Chris Evans, the partnership's auditor, searches the trail for the child
 * (a search with mistakes first, each named), opens the notification's story — a timeline that
 * follows its correlation, so every recipient's delivery and the school's acknowledgement are
 * there, not only what the submission's own id holds — verifies the trail (intact in plain
 * words, then the first bad row and why after a row is changed in the database), downloads an
 * export that verifies offline with the project's own script, reads how to verify it, and asks
 * who has received data about the child. Every page passes axe and fits a phone; nobody without
 * the auditor role sees any of it.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the audit service, the console as its own
 * process, Chromium.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { loadSharingPolicy } from '@app/policy';
import { JSONWebKeySet } from 'jose';
import { Page } from 'playwright-core';
import { DataSource } from 'typeorm';

import { ExportFile, verifyAuditExport } from '../../scripts/verify-audit-export';
import { eventually } from '../support/service-harness';
import { validBodies } from '../support/valid-bodies';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { ApiCaller, demoCallers, messageIn } from './support/stack-api';

jest.setTimeout(300_000);

const SCHOOL = 'school-990101-dsl';
/** "3 December 2026 at 9:05am", UK time as the console writes it. */
const UK_TIME = /\d{1,2} \w+ \d{4} at (\d{1,2}:\d{2}[ap]m|midday|midnight)/;

describe('the auditor in the console', () => {
  const stack = new ConsoleStack({ withAudit: true });
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  let auditDb: DataSource;
  const subjectRef = randomUUID();
  const childName = `Riley ${randomUUID().slice(0, 6)} Testchild`;
  const policeReference = `NP-${randomUUID().slice(0, 8)}`;
  /** The police node's message for the child: the submission the hub routed. */
  let submissionId: string;
  let refusedSubmissionId: string;
  /** The school's delivery: a message id of its own, correlated to the submission. */
  let schoolDeliveryId: string;

  const auditRows = (where: string, params: unknown[]) =>
    auditDb.query(
      `SELECT seq::int AS seq, action, actor, message_id::text AS "messageId"
         FROM audit_record WHERE ${where} ORDER BY seq`,
      params,
    ) as Promise<{ seq: number; action: string; actor: string; messageId: string }[]>;

  beforeAll(async () => {
    await stack.start();
    auditDb = stack.audit!.app.get(DataSource);
    ({ police, school } = await demoCallers(stack));
    const { incidentId } = await police.post<{ incidentId: string }>('/incidents', {
      ...validBodies.incident({ name: childName, subjectRef }),
      policeReference,
    });
    const status = await eventually(
      async () => {
        const answer = await police.get<{
          notifications: { messageId: string; recipients: { status: string }[] }[];
        }>(`/incidents/${incidentId}/notifications`);
        const recipients = answer.notifications[0]?.recipients ?? [];
        return recipients.length >= 3 && recipients.every((r) => r.status === 'delivered')
          ? answer
          : undefined;
      },
      { what: 'every recipient of the incident delivered', timeoutMs: 90_000 },
    );
    submissionId = status.notifications[0].messageId;
    schoolDeliveryId = await messageIn(
      school,
      SCHOOL,
      (m) => JSON.stringify(m.notification).includes(policeReference),
      'the incident in the school’s mailbox',
    );
    await school.post(
      `/mailboxes/${SCHOOL}/notifications/${schoolDeliveryId}/acknowledge`,
      {},
      200,
    );
    // The same child, citing social care's s.47 power without a justification: not shared.
    const refused = await police.post<{ notifications: { messageId: string }[] }>('/incidents', {
      ...validBodies.incident({ subjectRef }),
      lawfulBasis: 'children-act-1989-s47',
      consent: { position: 'given', by: 'the mother', at: new Date().toISOString() },
      safeguardingJustification: undefined,
    });
    refusedSubmissionId = refused.notifications[0].messageId;
    await eventually(
      async () => {
        const acknowledged = await auditRows(`message_id = $1 AND action = 'acknowledged'`, [
          schoolDeliveryId,
        ]);
        const notShared = await auditRows(`message_id = $1 AND action = 'sharing-refused'`, [
          refusedSubmissionId,
        ]);
        return acknowledged.length && notShared.length ? true : undefined;
      },
      { what: 'the acknowledgement and the refusal in the audit trail', timeoutMs: 90_000 },
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('names every mistake in a search, then finds the child’s events with agencies by name and UK times', async () => {
    await signInAs(page, stack.consoleUrl, /Chris Evans/);
    await page.getByRole('link', { name: 'Search the audit trail' }).click();
    await page.waitForURL(`${stack.consoleUrl}/audit`);
    expect(await checkPage(page, 'auditor-search')).toEqual([]);

    await page.getByLabel('Subject reference (optional)').fill(childName);
    await page.locator('#from-day').fill('31');
    await page.locator('#from-month').fill('2');
    await page.locator('#from-year').fill('2026');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/audit'),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    expect(await page.title()).toBe('Error: Search the audit trail – Safeguarding Exchange');
    const summary = await page.locator('.govuk-error-summary').innerText();
    expect(summary).toContain('Enter the subject reference the exchange gave the child');
    expect(summary).toContain('From must be a real date, for example 3 12 2026');
    expect(await checkPage(page, 'auditor-search-errors')).toEqual([]);

    await page.getByLabel('Subject reference (optional)').fill(subjectRef);
    for (const part of ['day', 'month', 'year']) await page.locator(`#from-${part}`).fill('');
    await page.getByLabel('Agency, sending or receiving (optional)').selectOption({
      label: 'Northshire Police',
    });
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.getByTestId('trail-results');
    await results.waitFor();
    const text = await results.innerText();
    // The hub's rows name the sending agency; the police node's own "submitted" row does not.
    expect(text).toContain('Checked by the exchange');
    expect(text).toContain('Sharing decision for Hillside Primary');
    expect(text).toMatch(UK_TIME);
    // Names, never the registry's ids; metadata only, never the child's name.
    expect(text).not.toContain(SCHOOL);
    expect(text).not.toContain('northshire-police');
    expect(await page.locator('main').innerText()).not.toContain(childName);
    expect(await checkPage(page, 'auditor-search-results')).toEqual([]);
  });

  it('tells the notification’s whole story, following its correlation to every delivery and the acknowledgement', async () => {
    // The submission's own trail holds only what happened to its id …
    const own = await auditRows(`message_id = $1 AND action <> 'trail-read'`, [submissionId]);
    expect(new Set(own.map((row) => row.action))).toEqual(
      new Set(['submitted', 'verified', 'policy-decision']),
    );
    // … the story, reached from the search, has every recipient's copy too.
    const verified = page
      .locator('[data-trail-row]')
      .filter({ hasText: 'Checked by the exchange' })
      .first();
    await verified.getByRole('link', { name: /The message’s story/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/audit/messages/${submissionId}`);
    expect(await page.title()).toBe('A message’s story – Safeguarding Exchange');
    const timeline = await page.getByTestId('story-timeline').innerText();
    for (const step of [
      'Sent to the exchange by Northshire Police',
      'Checked by the exchange: signature, sender, schema and replay',
      'Sharing decision for Hillside Primary',
      'Sent to Hillside Primary',
      'Delivered to Hillside Primary',
      'Acknowledged in Hillside Primary',
      'Delivered to Northshire School Nursing Service',
      'Delivered to Northshire Multi-Agency Safeguarding Hub (MASH)',
    ]) {
      expect({ step, found: timeline.includes(step) }).toEqual({ step, found: true });
    }
    expect(timeline).toContain(
      'Lawful basis: Data Protection Act 2018, Schedule 8 paragraph 4 (law enforcement). Consent was not sought. The family was not told.',
    );
    expect(timeline).toMatch(UK_TIME);
    const school = page.locator(`[data-story-recipient="${schoolDeliveryId}"]`);
    const schoolRow = await school.innerText();
    expect(schoolRow).toContain('Hillside Primary');
    expect(schoolRow).toContain(
      'Domestic abuse notification (Operation Encompass) (the recipient’s view)',
    );
    expect(schoolRow).not.toContain('Not acknowledged');
    expect(await school.locator('[data-story-acknowledged]').innerText()).toMatch(UK_TIME);
    expect(await school.locator('[data-story-delivered]').innerText()).toMatch(UK_TIME);
    expect(await page.locator('[data-story-recipient]').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('main').innerText()).not.toContain(childName);
    expect(await checkPage(page, 'auditor-story')).toEqual([]);

    // Asked with the school's delivery, the story is the same, from the submission.
    await page.goto(`${stack.consoleUrl}/audit/messages/${schoolDeliveryId}`);
    expect(await page.getByTestId('story-summary').innerText()).toContain(submissionId);
  });

  it('verifies the trail in plain words, and names the first bad row and why when one is changed', async () => {
    await page.goto(`${stack.consoleUrl}/audit`);
    await page.getByRole('link', { name: 'Verify and export' }).click();
    await page.getByRole('button', { name: 'Verify' }).click();
    const intact = await page.getByTestId('verify-result').innerText();
    expect(intact).toContain('The trail is intact');
    expect(intact).toMatch(/Every one of rows 1 to \d+ \(\d+ rows\) was recomputed/);
    expect(await checkPage(page, 'auditor-verify')).toEqual([]);

    await page.getByLabel('From row (optional)').fill('9');
    await page.getByLabel('To row (optional)').fill('3');
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'To row must be the same as From row or after it',
    );

    // Someone with database access changes the school's delivery row; the story's rows are
    // put back afterwards so the rest of the suite has an intact trail.
    const [routed] = await auditRows(`message_id = $1 AND action = 'routed'`, [schoolDeliveryId]);
    const [{ detail }] = (await auditDb.query(`SELECT detail FROM audit_record WHERE seq = $1`, [
      routed.seq,
    ])) as { detail: string | null }[];
    await auditDb.query(`UPDATE audit_record SET detail = 'nothing to see' WHERE seq = $1`, [
      routed.seq,
    ]);
    try {
      await page.getByLabel('From row (optional)').fill(String(routed.seq - 2));
      await page.getByLabel('To row (optional)').fill(String(routed.seq + 2));
      await page.getByRole('button', { name: 'Verify' }).click();
      const altered = await page.getByTestId('verify-result').innerText();
      expect(altered).toContain(`The trail has been altered at row ${routed.seq}`);
      expect(altered).toContain(
        `Row ${routed.seq} does not match its own hash: the row was changed after it was written.`,
      );
      expect(altered).toContain(`rows ${routed.seq - 2} to ${routed.seq - 1} are intact`);
      expect(await checkPage(page, 'auditor-verify-altered')).toEqual([]);
    } finally {
      await auditDb.query(`UPDATE audit_record SET detail = $2 WHERE seq = $1`, [
        routed.seq,
        detail,
      ]);
    }
  });

  it('downloads an export of the story’s rows that verifies offline, as the offline page says', async () => {
    const story = await auditRows(`message_id::text = $1 OR correlation_id = $1`, [submissionId]);
    const fromSeq = story[0].seq;
    const toSeq = story[story.length - 1].seq;
    await page.goto(`${stack.consoleUrl}/audit/chain`);
    await page.getByLabel('From row (optional)').fill(String(fromSeq));
    await page.getByLabel('To row (optional)').fill(String(toSeq));
    await page.getByRole('button', { name: 'Verify' }).click();
    expect(await page.getByTestId('verify-result').innerText()).toContain('The trail is intact');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-link').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`audit-export-rows-${fromSeq}-to-${toSeq}.json`);
    const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as ExportFile;
    expect([file.fromSeq, file.toSeq, file.rows.length]).toEqual([
      fromSeq,
      toSeq,
      toSeq - fromSeq + 1,
    ]);
    const [keys] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /audit service’s public keys/ }).click(),
    ]);
    const jwks = JSON.parse(readFileSync(await keys.path(), 'utf8')) as JSONWebKeySet;
    const checked = await verifyAuditExport(file, jwks);
    expect(checked.rows).toBe(toSeq - fromSeq + 1);
    expect(checked.signed).toBeGreaterThan(0);
    // Metadata only: nothing of the notification is in the file.
    expect(JSON.stringify(file)).not.toContain(childName);
    expect(JSON.stringify(file)).not.toContain('Hid upstairs');

    await page.getByRole('link', { name: 'How to verify an export offline' }).click();
    const offline = await page.locator('main').innerText();
    expect(await page.getByTestId('offline-command').innerText()).toBe(
      'npm run audit:verify-export -- audit-export-rows-1-to-500.json audit-jwks.json',
    );
    expect(offline).toContain(
      'ok: 500 rows, 480 signed by their emitters, 20 unsigned, checkpoint verified',
    );
    expect(offline).toContain('export does not verify: row 212: hash mismatch');
    expect(await checkPage(page, 'auditor-offline')).toEqual([]);
  });

  it('shows who has received data about the child, and what was not shared and why', async () => {
    await page.goto(`${stack.consoleUrl}/audit/messages/${submissionId}`);
    await page.getByRole('link', { name: 'Who has received data about this child' }).click();
    await page.waitForURL(`${stack.consoleUrl}/audit/disclosures/${subjectRef}`);
    const disclosures = page.locator('[data-disclosure]');
    const school = disclosures.filter({ hasText: 'Hillside Primary' });
    const schoolText = await school.innerText();
    expect(schoolText).toContain('Northshire County Council, Education');
    expect(schoolText).toMatch(
      new RegExp(`Disclosed\\s+${UK_TIME.source}, sent by Northshire Police`),
    );
    expect(schoolText).toContain(
      'Domestic abuse notification (Operation Encompass) (the recipient’s view)',
    );
    expect(schoolText).toContain(
      'Lawful basis: Data Protection Act 2018, Schedule 8 paragraph 4 (law enforcement). Consent was not sought.',
    );
    expect(await school.locator('[data-disclosure-acknowledged]').innerText()).toMatch(UK_TIME);
    expect(await school.locator('[data-disclosure-delivered]').innerText()).toMatch(UK_TIME);
    expect(schoolText).toContain('Still kept by the recipient');
    const mash = disclosures.filter({ hasText: 'Multi-Agency Safeguarding Hub' });
    expect(await mash.locator('[data-disclosure-acknowledged]').innerText()).toBe(
      'Not acknowledged',
    );

    const notShared = await page.getByTestId('not-shared').innerText();
    expect(notShared).toContain('Northshire Multi-Agency Safeguarding Hub (MASH)');
    // The rule's own words from the hub's policy file, then its id and version.
    const policy = loadSharingPolicy('deploy/policy/sharing-policy.json');
    const rule = policy.rules.find((each) => each.id === 's47-basis-is-for-social-care-enquiries')!;
    expect(notShared).toContain(
      `${rule.reason} Refused by the sharing policy's rule s47-basis-is-for-social-care-enquiries, policy version ${policy.version}.`,
    );
    expect(notShared).toContain(
      'Lawful basis: Children Act 1989, section 47 enquiry. Consent was given.',
    );
    expect(await page.locator('main').innerText()).not.toContain(childName);
    expect(await checkPage(page, 'auditor-disclosures')).toEqual([]);

    // The form refuses what could be a name, linking to the field.
    await page.goto(`${stack.consoleUrl}/audit/disclosures`);
    await page.getByLabel('Subject reference').fill(childName);
    await page.getByRole('button', { name: 'Show who has received data' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Enter the subject reference the exchange gave the child',
    );
    expect(await checkPage(page, 'auditor-disclosures-error')).toEqual([]);
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    for (const [path, name] of [
      [`/audit?subjectRef=${subjectRef}&search=1`, 'auditor-search-phone'],
      [`/audit/messages/${submissionId}`, 'auditor-story-phone'],
      ['/audit/chain?check=1', 'auditor-verify-phone'],
      ['/audit/chain/offline', 'auditor-offline-phone'],
      [`/audit/disclosures/${subjectRef}`, 'auditor-disclosures-phone'],
    ]) {
      await page.goto(`${stack.consoleUrl}${path}`);
      expect({ path, fits: (await sidewaysOverflow(page)) <= 0 }).toEqual({ path, fits: true });
      expect(await checkPage(page, name)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('gives a person without the auditor role the 403 page on every auditor page', async () => {
    await page.goto(`${stack.consoleUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?ended=out/);
    await signInAs(page, stack.consoleUrl, /Alex Morgan/);
    for (const path of [
      '/audit',
      `/audit/messages/${submissionId}`,
      '/audit/chain',
      '/audit/chain/export',
      '/audit/chain/offline',
      `/audit/disclosures/${subjectRef}`,
    ]) {
      const response = await page.goto(`${stack.consoleUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
      expect(await page.locator('main').innerText()).toContain('You cannot see this page');
    }
  });
});
