/**
 * The school nurse's journey in the browser, on the real stack: the police report an incident
 * a nine-year-old witnessed; Priya Nair of the school nursing service signs in, sees it in her
 * inbox with the counts and the countdown, opens it and sees the health view — the school's
 * Operation Encompass set and the risk level, nothing of the investigation — and acknowledges
 * it, which the police node then shows. Every page passes axe; phone width.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the console as its own process, Chromium.
 */
import { randomUUID } from 'node:crypto';

import { Page } from 'playwright-core';

import { eventually } from '../support/service-harness';
import { validBodies } from '../support/valid-bodies';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { apiAs, ApiCaller, demoCallers, messageIn } from './support/stack-api';

jest.setTimeout(300_000);

const NURSING = 'school-nursing';

describe('school nurse in the console', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  const childName = `Dylan ${randomUUID().slice(0, 6)} Testchild`;
  let incidentId: string;
  let messageId: string;

  beforeAll(async () => {
    await stack.start();
    ({ police } = await demoCallers(stack));
    const nurse = await apiAs(stack, stack.health, {
      subject: 'school-nurse',
      roles: ['mailbox-user'],
      mailboxes: [NURSING],
    });
    const nineYearsAgo = `${new Date().getUTCFullYear() - 9}-01-15`;
    ({ incidentId } = await police.post<{ incidentId: string }>(
      '/incidents',
      validBodies.incident({ name: childName, dateOfBirth: nineYearsAgo }),
    ));
    messageId = await messageIn(
      nurse,
      NURSING,
      (m) => JSON.stringify(m.notification).includes(childName),
      'the incident at the school nursing service',
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('shows her inbox with the notification, its counts and countdown', async () => {
    await signInAs(page, stack.consoleUrl, /Priya Nair/);
    await page.getByRole('link', { name: /School Nursing Service/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/mailboxes/${NURSING}`);
    expect(await page.getByTestId('mailbox-counts').innerText()).toMatch(/[1-9]\d* unread/);
    const row = page.locator('tbody tr').filter({ has: page.locator(`a[href$="${messageId}"]`) });
    expect(await row.innerText()).toMatch(/in \d+ (day|hour|minute)|overdue by/);
    expect(await checkPage(page, 'nurse-inbox')).toEqual([]);
  });

  it('shows the health view: the Encompass set and the risk level, not the investigation', async () => {
    await page.locator(`a[href$="${messageId}"]`).click();
    await page.waitForURL(new RegExp(`/notifications/${messageId}$`));
    const text = await page.locator('main').innerText();
    expect(text).toContain(childName);
    expect(text).toContain('Hid upstairs');
    expect(text).toMatch(/Risk level\s+high/);
    expect(text).not.toContain('Suspect arrested');
    expect(page.url()).not.toContain(childName.split(' ')[0]);
    expect(await checkPage(page, 'nurse-notification')).toEqual([]);
  });

  it('acknowledges it, and the police node shows her acknowledgement', async () => {
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    expect(await page.getByTestId('notification-status').innerText()).toMatch(/^Acknowledged on /);
    const nurse = await eventually(
      async () => {
        const status = await police.get<{
          notifications: {
            recipients: { mailboxId: string; status: string; acknowledgedBy: string | null }[];
          }[];
        }>(`/incidents/${incidentId}/notifications`);
        const mine = status.notifications[0]?.recipients.find((r) => r.mailboxId === NURSING);
        return mine?.status === 'acknowledged' ? mine : undefined;
      },
      { what: 'the police node to show the nurse’s acknowledgement', timeoutMs: 60_000 },
    );
    expect(nurse.acknowledgedBy).toBe('school-nurse');
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/mailboxes/${NURSING}/notifications/${messageId}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'nurse-notification-phone')).toEqual([]);
  });
});
