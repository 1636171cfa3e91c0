/**
 * The administrator's journey in the browser (issue 13, journey 4), on the real stack: Robin
 * Hale (admin) opens Administration from her home page and sees the registry (agencies, nodes,
 * mailboxes with what each receives, MARAC membership), the node keys with status, age and
 * expiry — a key being rotated out marked — and the sharing policy in force with its version and
 * rules in words. A record the police node cannot open (sealed to a key it does not hold) is
 * dead-lettered; she sees its reason, time and source, never its content, and re-drives it with
 * the same code as `npm run dead-letter`: it goes back to the police delivery topic, is refused
 * again, and is listed as a re-drive of the first. Axe, phone width; an auditor gets the 403
 * page, and the hub's admin API refuses anyone but an admin.
 * Real: Kafka (the operator principal and its ACLs), PostgreSQL, the hub, the four nodes, the
 * console as its own process, Chromium.
 */
import { randomUUID } from 'node:crypto';

import { deliveryTopic, envelopeKafkaRecord, RECEIPT, Topics } from '@app/contracts';
import {
  encryptEnvelope,
  generateEncryptionKeyPair,
  generateSigningKeyPair,
  loadNodeKeyring,
  signEnvelope,
} from '@app/crypto';
import { NodeKeyService } from '@app/registry';
import { Page } from 'playwright-core';

import { createTestNodes, removeTestNodes } from '../support/registry-fixtures';
import { publishAsTest } from '../support/test-kafka';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { apiAs } from './support/stack-api';

jest.setTimeout(300_000);

describe('administrator in the console', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let testNodes: string[] = [];
  let rotatedKid = '';
  let currentKid = '';
  const receiptId = randomUUID();

  /** The dead-letter rows of our receipt, as the page lists them. */
  const ourDeadLetters = () => page.locator(`[data-dead-letter][data-message-id="${receiptId}"]`);

  beforeAll(async () => {
    await stack.start();
    // A test node whose signing key is rotated: the old key still verifies for the grace period.
    testNodes = await createTestNodes(stack.hubDb, ['rotating']);
    const keys = stack.hub.app.get(NodeKeyService);
    const first = await generateSigningKeyPair();
    rotatedKid = first.publicJwk.kid!;
    await keys.register({ nodeId: testNodes[0], publicJwk: first.publicJwk });
    const second = await generateSigningKeyPair();
    currentKid = second.publicJwk.kid!;
    await keys.rotate({ nodeId: testNodes[0], publicJwk: second.publicJwk }, 7 * 86_400);

    // A receipt as the hub would forward it to the police, sealed to a key the police node does
    // not hold: the node cannot open it and dead-letters it (as dead-letter-replay.int-spec does).
    const hub = await loadNodeKeyring(stack.keysDir, 'hub');
    const claims = {
      iss: 'hub',
      sub: `subject-${randomUUID()}`,
      jti: receiptId,
      iat: Math.floor(Date.now() / 1000),
      type: RECEIPT.type,
      version: RECEIPT.version,
    };
    const body = {
      messageId: randomUUID(),
      mailboxId: 'mash',
      status: 'acknowledged',
      at: new Date().toISOString(),
      by: 'mash-worker',
    };
    const sealedTo = (await generateEncryptionKeyPair()).publicJwk;
    const jws = await signEnvelope({ ...claims, body }, hub.signing);
    await publishAsTest(deliveryTopic('police'), [
      envelopeKafkaRecord(await encryptEnvelope(jws, sealedTo), claims),
    ]);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await removeTestNodes(stack.hubDb, testNodes);
    await stack.stop();
  });

  it('shows the registry: agencies, nodes, mailboxes with what they receive, MARAC membership', async () => {
    await signInAs(page, stack.consoleUrl, /Robin Hale/);
    await page.getByRole('link', { name: /Registry, node keys, dead letters/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/admin`);
    expect(await page.title()).toBe('Administration – Safeguarding Exchange');
    expect(await page.getByTestId('agencies').innerText()).toContain('Northshire Police');
    const nodes = await page.getByTestId('nodes').innerText();
    expect(nodes).toMatch(/police\s+Northshire Police\s+active/);
    const school = await page.locator('[data-mailbox="school-990101-dsl"]').innerText();
    expect(school).toContain('Hillside Primary');
    expect(school).toContain('Domestic abuse notifications (Operation Encompass)');
    expect(await page.locator('[data-mailbox="mash"]').innerText()).toContain('Referrals');
    const members = await page.getByTestId('marac-members').innerText();
    expect(members).toContain('Northshire Police');
    expect(members).toContain('Northshire Community Health NHS Trust');
    expect(await checkPage(page, 'administrator')).toEqual([]);
  });

  it('shows node keys with status, age and expiry, the one rotating out marked', async () => {
    const rotating = page.locator(`[data-key="${rotatedKid}"]`);
    expect(await rotating.locator('.govuk-tag').innerText()).toBe('Rotating out');
    expect(await rotating.getAttribute('class')).toContain('console-attention-row');
    expect(await rotating.innerText()).toMatch(/0 days\s+since \d{1,2} \w+ \d{4} at/);
    expect(await rotating.innerText()).toMatch(/Stops verifying \d{1,2} \w+ \d{4} at/);
    const current = page.locator(`[data-key="${currentKid}"]`);
    expect(await current.locator('.govuk-tag').innerText()).toBe('Current');
    expect(await current.innerText()).toContain('No expiry: until rotated');
    expect(await page.getByTestId('key-summary').innerText()).toMatch(/[1-9]\d* rotating out/);
    // Public keys only: no key material on the page.
    expect(await page.locator('main').innerHTML()).not.toMatch(/"(x|d)":/);
  });

  it('shows the sharing policy in force: its version and its rules in words', async () => {
    expect(await page.getByTestId('policy-version').innerText()).toMatch(
      /^Version \d{4}-\d{2}-\d{2}\.\d+: \d+ rules/,
    );
    const school = await page.locator('[data-rule="encompass-school-set"]').innerText();
    expect(school).toContain('Shares');
    expect(school).toContain('A domestic abuse notification from the police to education');
    expect(school).toMatch(/Seen: Only: police reference, .* child: date of birth/);
    const refusal = await page.locator('[data-rule="no-consent-no-justification"]').innerText();
    expect(refusal).toContain('Refuses');
    expect(refusal).toContain(
      'Any message, when consent is refused, not sought or withdrawn and no safeguarding justification is stated',
    );
  });

  it('lists a dead-lettered record with its reason, time and source, and re-drives it', async () => {
    // The police node dead-letters it after its retries; the page reads the topic each time.
    let rows = 0;
    for (let attempt = 0; attempt < 60 && rows === 0; attempt++) {
      await page.goto(`${stack.consoleUrl}/admin`);
      rows = await ourDeadLetters().count();
      if (rows === 0) await page.waitForTimeout(1_000);
    }
    expect(rows).toBe(1);
    const row = ourDeadLetters().first();
    const text = await row.innerText();
    expect(text).toContain('NOT_ADDRESSED_TO_NODE');
    expect(text).toContain(deliveryTopic('police'));
    expect(text).toMatch(/\d{1,2} \w+ \d{4} at/);
    const record = (await row.getAttribute('data-dead-letter'))!;

    await row.getByRole('button', { name: /Re-drive/ }).click();
    await page.waitForURL(/\/admin\?replayed=/);
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
      `Dead letter ${record} was sent back to its source topic`,
    );
    // Re-driven to the police node, which still cannot open it: dead-lettered again, as a re-drive.
    let again = '';
    for (let attempt = 0; attempt < 60 && !again; attempt++) {
      await page.goto(`${stack.consoleUrl}/admin`);
      again =
        (await ourDeadLetters().count()) > 1 ? await ourDeadLetters().first().innerText() : '';
      if (!again) await page.waitForTimeout(1_000);
    }
    expect(again).toContain(`a re-drive of ${Topics.deadLetter}/${record.replace(':', '@')}`);
    expect(await checkPage(page, 'administrator-dead-letters')).toEqual([]);
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/admin`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'administrator-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is for administrators only: an auditor gets the 403 page, the hub’s API refuses others', async () => {
    await page.goto(`${stack.consoleUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await signInAs(page, stack.consoleUrl, /Chris Evans/);
    const response = await page.goto(`${stack.consoleUrl}/admin`);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').innerText()).not.toContain('Hillside');

    const auditor = await apiAs(stack, stack.hub, { subject: 'an-auditor', roles: ['auditor'] });
    for (const path of ['/admin/registry', '/admin/policy', '/admin/dead-letters']) {
      await expect(auditor.get(path)).rejects.toThrow(`GET ${path} answered 403`);
    }
    await expect(auditor.post('/admin/dead-letters/0:0/replay', {}, 200)).rejects.toThrow(
      'answered 403',
    );
  });
});
