/**
 * Keycloak as the OIDC provider, for real: every node accepts a Keycloak-issued access token,
 * and the DSL signs in to the console through Keycloak's own login page (code flow + PKCE) and
 * out again. Real: Keycloak 26 (started by npm test from deploy/keycloak), Kafka, PostgreSQL,
 * the hub, the four nodes, the console as its own process, Chromium.
 */
import { Page } from 'playwright-core';

import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { testKeycloak } from './support/keycloak';

jest.setTimeout(300_000);

describe('signing in through Keycloak', () => {
  if (!testKeycloak.running()) {
    throw new Error('Keycloak is not running: npm test starts it (or: npm run keycloak:start)');
  }
  const stack = new ConsoleStack({
    issuer: { issuer: testKeycloak.issuer(), jwksUrl: testKeycloak.jwksUrl() },
  });
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await stack.start();
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('every node accepts a Keycloak-issued token and refuses a forged one', async () => {
    const token = await testKeycloak.token('admin');
    const nodes = {
      police: stack.police.url,
      education: stack.education.url,
      health: stack.health.url,
      'social-care': stack.socialCare.url,
    };
    for (const [nodeId, url] of Object.entries(nodes)) {
      const response = await fetch(`${url}/node`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect({ nodeId, status: response.status }).toEqual({ nodeId, status: 200 });
      expect(((await response.json()) as { nodeId: string }).nodeId).toBe(nodeId);
      const [header, payload] = token.split('.');
      const forged = await fetch(`${url}/node`, {
        headers: { authorization: `Bearer ${header}.${payload}.AAAA` },
      });
      expect({ nodeId, status: forged.status }).toEqual({ nodeId, status: 401 });
    }
    // The DSL's own token reads her school's inbox, and not another school's.
    const dsl = await testKeycloak.token('dsl-hillside');
    const inbox = await fetch(`${stack.education.url}/mailboxes/school-990101-dsl/notifications`, {
      headers: { authorization: `Bearer ${dsl}` },
    });
    expect(inbox.status).toBe(200);
    const other = await fetch(`${stack.education.url}/mailboxes/school-990102-dsl/notifications`, {
      headers: { authorization: `Bearer ${dsl}` },
    });
    expect(other.status).toBe(403);
  });

  it('signs the DSL in on Keycloak’s own login page and out again', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/school-990101-dsl`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`^${testKeycloak.issuer()}/`));
    await page.locator('#username').fill('dsl-hillside');
    await page.locator('#password').fill(testKeycloak.password('dsl-hillside'));
    await page.locator('#kc-login').click();
    await page.waitForURL(`${stack.consoleUrl}/mailboxes/school-990101-dsl`);
    expect(await page.locator('header').innerText()).toContain('Signed in as Dana Shaw');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      'Hillside Primary School, Designated Safeguarding Lead',
    );
    expect(await checkPage(page, 'mailbox-keycloak')).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    // Keycloak ends its own session too, then sends her back to the console.
    await page.waitForURL(/\/sign-in\?ended=out/);
    await page.goto(`${stack.consoleUrl}/mailboxes/school-990101-dsl`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`^${testKeycloak.issuer()}/`));
    expect(await page.locator('#username').isVisible()).toBe(true);
  });
});
