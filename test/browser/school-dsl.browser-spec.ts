/**
 * The school DSL's journey in the browser, on the real stack: the police report an incident
 * through their node's API; the DSL of Hillside Primary signs in through the development
 * issuer's OIDC code flow, sees her inbox with its counts and the acknowledge-by countdown,
 * opens the notification (exactly the school's view: no risk level, no police actions) and
 * acknowledges it; the police node then shows her acknowledgement. Every page passes axe.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the console as its own process, Chromium.
 */
import { randomUUID } from 'node:crypto';

import { loadOrCreateDevIssuerKey, mintDevToken } from '@app/platform';
import { Page } from 'playwright-core';

import { eventually } from '../support/service-harness';
import { validBodies } from '../support/valid-bodies';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { tabToLinkEndingWith } from './support/keyboard';

jest.setTimeout(300_000);

const SCHOOL = 'school-990101-dsl';

describe('school DSL in the console', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  const childName = `Amelia ${randomUUID().slice(0, 6)} Testchild`;
  const policeReference = `NP-${randomUUID().slice(0, 8)}`;
  let incidentId: string;
  let policeToken: string;

  async function policeGet(path: string) {
    const response = await fetch(`${stack.police.url}${path}`, {
      headers: { authorization: `Bearer ${policeToken}` },
    });
    return (await response.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    await stack.start();
    policeToken = await mintDevToken(await loadOrCreateDevIssuerKey(stack.keysDir), {
      issuer: stack.issuer,
      audience: 'safeguarding-exchange',
      subject: 'police-cad',
      roles: ['agency-system'],
      agency: 'northshire-police',
    });
    const response = await fetch(`${stack.police.url}/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${policeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...validBodies.incident({
          name: childName,
          dateOfBirth: '2017-03-09',
          voiceOfChild: 'Hid upstairs with her brother',
        }),
        policeReference,
      }),
    });
    expect(response.status).toBe(202);
    incidentId = ((await response.json()) as { incidentId: string }).incidentId;
    await eventually(
      async () => {
        const status = await policeGet(`/incidents/${incidentId}/notifications`);
        const recipients = (
          status.notifications as { recipients: { mailboxId: string; status: string }[] }[]
        )[0]?.recipients;
        return recipients?.some((r) => r.mailboxId === SCHOOL && r.status === 'delivered')
          ? true
          : undefined;
      },
      { what: 'the notification delivered to the school', timeoutMs: 90_000 },
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const signIn = (person: RegExp) => signInAs(page, stack.consoleUrl, person);

  it('reports its health from its own database, not from the broker it does not use', async () => {
    const health = (await (await fetch(`${stack.consoleUrl}/health`)).json()) as {
      status: string;
      info: Record<string, unknown>;
    };
    expect(health.status).toBe('ok');
    expect(Object.keys(health.info)).toEqual(['database']);
  });

  it('asks her to sign in first, and the sign-in page passes axe', async () => {
    const response = await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(response?.headers()['cache-control']).toBe('no-store');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(await checkPage(page, 'sign-in')).toEqual([]);
  });

  it('signs her in with the OIDC code flow and shows her mailbox, with counts and the countdown', async () => {
    await signIn(/Dana Shaw/);
    expect(await page.locator('header').innerText()).toContain('Signed in as Dana Shaw');
    const cookies = await browser.context.cookies(stack.consoleUrl);
    const session = cookies.find((cookie) => cookie.name === 'sgx_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await checkPage(page, 'home')).toEqual([]);

    await page.getByRole('link', { name: /Hillside Primary School/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    const counts = await page.getByTestId('mailbox-counts').innerText();
    expect(counts).toMatch(/[1-9]\d* unread/);
    expect(counts).toMatch(/\d+ overdue/);
    const row = page.getByRole('row').filter({ hasText: 'Operation Encompass' }).first();
    expect(await row.innerText()).toMatch(/in \d+ (day|hour|minute)|overdue by/);
    // The title says what the page is, never whom it is about.
    expect(await page.title()).toBe('Inbox – Safeguarding Exchange');
    expect(await checkPage(page, 'mailbox')).toEqual([]);
  });

  it('shows exactly the school’s view of the notification and lets her acknowledge it', async () => {
    const deliveryId = await eventually(async () => {
      const status = await policeGet(`/incidents/${incidentId}/notifications`);
      const messageId = (status.notifications as { messageId: string }[])[0]?.messageId;
      const rows = (await stack.hubDb.query(
        'SELECT id FROM delivery WHERE submission_id = $1 AND mailbox_id = $2',
        [messageId, SCHOOL],
      )) as { id: string }[];
      return rows[0]?.id;
    });
    // Open it from the inbox with the keyboard only: Tab to this notification's link, Enter.
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    const found = await tabToLinkEndingWith(page, deliveryId);
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/notifications/${deliveryId}$`));
    const text = await page.locator('main').innerText();
    expect(text).toContain(childName);
    expect(text).toContain(policeReference);
    expect(text).toContain('Hid upstairs with her brother');
    // The school's view: no risk level, no police actions, nothing about the investigation.
    expect(text).not.toMatch(/risk/i);
    expect(text).not.toContain('Suspect arrested');
    // No personal data in the address or the title.
    expect(page.url()).not.toContain(childName.split(' ')[0]);
    expect(await page.title()).not.toContain(childName.split(' ')[0]);
    expect(await checkPage(page, 'notification')).toEqual([]);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    expect(await page.locator('main').innerText()).toContain(
      'Acknowledged. The sender has been told.',
    );
    expect(await page.getByTestId('notification-status').innerText()).toMatch(/^Acknowledged on /);
    expect(await checkPage(page, 'notification-acknowledged')).toEqual([]);

    const acknowledged = await eventually(
      async () => {
        const status = await policeGet(`/incidents/${incidentId}/notifications`);
        const school = (
          status.notifications as {
            recipients: { mailboxId: string; status: string; acknowledgedBy: string | null }[];
          }[]
        )[0].recipients.find((recipient) => recipient.mailboxId === SCHOOL);
        return school?.status === 'acknowledged' ? school : undefined;
      },
      { what: 'the police node to show the school’s acknowledgement', timeoutMs: 60_000 },
    );
    expect(acknowledged.acknowledgedBy).toBe('dsl-hillside');
  });

  it('shows another school’s mailbox as the same page as one that does not exist', async () => {
    const other = await page.goto(`${stack.consoleUrl}/mailboxes/school-990102-dsl`);
    const otherText = await page.locator('main').innerText();
    const missing = await page.goto(`${stack.consoleUrl}/mailboxes/no-such-mailbox`);
    expect(other?.status()).toBe(404);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('main').innerText()).toBe(otherText);
    expect(await checkPage(page, 'not-found')).toEqual([]);
  });

  it('hides the screen with one key and shows it again', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-screen-cover]').isVisible()).toBe(true);
    expect(await page.title()).toBe('Safeguarding Exchange');
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Show screen' }).click();
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
  });

  it('works at phone width without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'mailbox-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('signs her out: the session is gone and the inbox asks her to sign in again', async () => {
    await page.goto(`${stack.consoleUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?ended=out/);
    expect(await page.locator('main').innerText()).toContain('You have signed out.');
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });

  it('ends a session left idle, and says so when she comes back', async () => {
    await signIn(/Dana Shaw/);
    // Her last request, moved back beyond CONSOLE_SESSION_IDLE_MINUTES (30).
    await stack.hubDb.query(
      `UPDATE console.console_session SET last_seen_at = now() - interval '31 minutes'`,
    );
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.locator('main').innerText()).toContain(
      'Your session ended because it was not used for a while.',
    );
    expect(await checkPage(page, 'session-ended')).toEqual([]);
  });

  it('shows the 403 page, disclosing nothing, to a person without the role for a page', async () => {
    await signIn(/Chris Evans/);
    const response = await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(response?.status()).toBe(403);
    const text = await page.locator('main').innerText();
    expect(text).toContain('You cannot see this page');
    expect(text).not.toContain('Hillside');
    expect(await checkPage(page, 'forbidden')).toEqual([]);
  });
});
