/**
 * Corrections in the school DSL's console, on the real stack: the police notify the school of an
 * incident; they correct the child's date of birth (POST /corrections through the police node, as
 * the police system) and the DSL sees the corrected version, what changed and its history, and
 * acknowledges it, which the police node then shows; they correct the school (the child is at
 * another one) and the DSL sees that the notification was not for her school, with nothing of
 * the child. Every page passes axe and fits a phone.
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
import { ApiCaller, demoCallers, messageIn } from './support/stack-api';

jest.setTimeout(300_000);

const SCHOOL = 'school-990101-dsl';
const OTHER_SCHOOL_URN = '990102';
const CORRECTION_VIEW = 'uk.safeguarding.exchange.correction-view';

interface CorrectionStatus {
  recipients: { mailboxId: string; status: string; acknowledgedBy: string | null }[];
}

describe('school DSL: a notification the police corrected', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  const childName = `Rory ${randomUUID().slice(0, 6)} Testchild`;
  const sent = validBodies.incident({ name: childName, dateOfBirth: '2016-06-01' });
  /** The notification as the police node signed it, for the one child. */
  const { children, ...rest } = sent as { children: Record<string, unknown>[] };
  const notification = { ...rest, child: children[0] };
  let policeMessageId: string;
  let original: string;

  /** The school's delivery of correction `number` of its copy of the notification. */
  const correctionAtSchool = (number: number) =>
    messageIn(
      school,
      SCHOOL,
      (m) =>
        m.type === CORRECTION_VIEW &&
        m.notification?.originalMessageId === original &&
        m.notification?.correctionNumber === number,
      `correction ${number} at the school`,
    );

  const rowOf = (messageId: string) =>
    page.locator('tbody tr').filter({ has: page.locator(`a[href$="${messageId}"]`) });

  beforeAll(async () => {
    await stack.start();
    ({ police, school } = await demoCallers(stack));
    const answer = await police.post<{ notifications: { messageId: string }[] }>(
      '/incidents',
      sent,
    );
    policeMessageId = answer.notifications[0].messageId;
    original = await messageIn(
      school,
      SCHOOL,
      (m) => JSON.stringify(m.notification).includes(childName),
      'the incident at the school',
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('shows the notification as first received', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${original}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain(childName);
    expect(text).toContain('1 June 2016');
    expect(await page.locator('[data-testid="correction-notice"]').count()).toBe(0);
  });

  it('shows the corrected date of birth with what changed and its history, and acknowledges it', async () => {
    const { messageId: correctionId } = await police.post<{ messageId: string }>('/corrections', {
      originalMessageId: policeMessageId,
      kind: 'amended',
      reason: 'Wrong date of birth',
      corrected: { ...notification, child: { ...notification.child, dateOfBirth: '2016-07-02' } },
    });
    const delivered = await correctionAtSchool(1);

    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    const row = rowOf(delivered);
    expect(await row.innerText()).toContain('Corrected');
    expect(await row.innerText()).toMatch(/Unread|Overdue/);
    // The first version is no longer listed on its own: the correction stands in its place.
    expect(await rowOf(original).count()).toBe(0);
    expect(await checkPage(page, 'inbox-with-correction')).toEqual([]);
    await row.getByRole('link').click();

    const notice = await page.locator('[data-testid="correction-notice"]').innerText();
    expect(notice).toMatch(/Corrected on .+ by the police: Wrong date of birth/);
    const main = await page.locator('main').innerText();
    expect(await page.locator('h1').innerText()).toContain('Domestic abuse notification');
    expect(main).toContain('What stands now');
    expect(main).toContain(childName);
    const changes = await page.locator('[data-testid="correction-changes"] tbody').innerText();
    expect(changes).toContain('Child, date of birth');
    expect(changes).toContain('1 June 2016');
    expect(changes).toContain('2 July 2016');
    const history = page.locator('[data-testid="correction-history"] tbody tr');
    expect(await history.count()).toBe(1);
    expect(await history.first().innerText()).toMatch(/1\s+Corrected\s+Wrong date of birth/);
    expect(await checkPage(page, 'corrected-notification')).toEqual([]);

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    expect(await page.locator('[data-testid="notification-status"]').innerText()).toContain(
      'Acknowledged on',
    );
    const mine = await eventually(
      async () => {
        const status = await police.get<CorrectionStatus>(`/corrections/${correctionId}`);
        const recipient = status.recipients.find((r) => r.mailboxId === SCHOOL);
        return recipient?.status === 'acknowledged' ? recipient : undefined;
      },
      { what: 'the police node to show the school’s acknowledgement', timeoutMs: 60_000 },
    );
    expect(mine.acknowledgedBy).toBe('dsl-hillside');
  });

  it('tells the old school the notification was not for it, with nothing of the child', async () => {
    await police.post('/corrections', {
      originalMessageId: policeMessageId,
      kind: 'amended',
      reason: 'The child attends another school',
      corrected: {
        ...notification,
        child: { ...notification.child, dateOfBirth: '2016-07-02', schoolUrn: OTHER_SCHOOL_URN },
      },
    });
    const notice = await correctionAtSchool(2);

    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    expect(await rowOf(notice).innerText()).toContain('Not for you');
    await rowOf(notice).getByRole('link').click();
    const main = await page.locator('main').innerText();
    expect(main).toMatch(/Redirected on .+ by the police: The child attends another school/);
    expect(main).toContain('This notification was not for this school. Disregard it');
    for (const detail of [childName, '2 July 2016', '1 June 2016', '12 Example Road']) {
      expect(main).not.toContain(detail);
    }
    const history = page.locator('[data-testid="correction-history"] tbody tr');
    expect(await history.count()).toBe(2);
    expect(await history.nth(1).innerText()).toContain('Not for you');
    expect(await checkPage(page, 'not-for-recipient-notice')).toEqual([]);
  });

  it('fits the correction pages at phone width', async () => {
    await page.setViewportSize(PHONE);
    const notice = await correctionAtSchool(2);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${notice}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'not-for-recipient-phone')).toEqual([]);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${original}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'corrected-original-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
