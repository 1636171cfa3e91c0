/**
 * The rest of the school DSL's journey, on the real stack: she makes a referral to the MASH with
 * a form that shows the required questions and the completeness score as she fills it in (kept
 * current by the page's script, the same score the node records), is refused with every missing
 * required answer named, and sends it; she acknowledges a withdrawal of consent the police sent
 * for a child they had told her about, which the police node then shows.
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

const REQUIRED = [
  'Enter the child’s full name',
  'Enter the child’s date of birth',
  'Enter what worries you about the child',
  'Select the level of risk',
  'Select where consent stands',
  'Select the lawful basis for sharing',
  'Select whether the family was told about the referral',
];

describe('school DSL: referrals, consent withdrawals', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  const childName = `Cara ${randomUUID().slice(0, 6)} Testchild`;
  const subjectRef = randomUUID();
  let withdrawalId: string;
  let withdrawalMessage: string;

  beforeAll(async () => {
    await stack.start();
    ({ police, school } = await demoCallers(stack));
    // The police told the school under the mother's consent, then she withdrew it.
    await police.post('/incidents', {
      ...validBodies.incident({ name: childName, dateOfBirth: '2016-06-01', subjectRef }),
      consent: {
        position: 'given',
        by: 'mother',
        at: new Date(Date.now() - 7200_000).toISOString(),
      },
      lawfulBasis: 'ukgdpr-6-1-e-9-2-g',
      safeguardingJustification: undefined,
    });
    await messageIn(
      school,
      SCHOOL,
      (m) => JSON.stringify(m.notification).includes(childName),
      'the incident at the school',
    );
    const withdrawnAt = new Date(Date.now() - 60_000).toISOString();
    ({ messageId: withdrawalId } = await police.post<{ messageId: string }>(
      '/consent-withdrawals',
      { subjectRef, withdrawnBy: 'mother', withdrawnAt },
    ));
    withdrawalMessage = await messageIn(
      school,
      SCHOOL,
      (m) =>
        m.type.endsWith('consent-withdrawn-view') && m.notification?.withdrawnAt === withdrawnAt,
      'the withdrawal at the school',
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('shows the referral form with its required questions and a completeness score', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    await page.getByRole('link', { name: 'Your referrals' }).click();
    await page.getByRole('button', { name: 'Make a referral' }).click();
    await page.waitForURL(/\/referrals\/new$/);
    const panel = page.locator('[data-referral-quality]');
    expect(await panel.locator('[data-completeness]').innerText()).toBe('0%');
    expect(await panel.innerText()).toContain('Child’s full name');
    expect(await page.title()).toBe('Make a referral – Safeguarding Exchange');
    expect(await checkPage(page, 'referral-form')).toEqual([]);
  });

  it('refuses a referral without its required answers, naming every one', async () => {
    await page.getByRole('button', { name: 'Send the referral' }).click();
    const summary = await page.locator('.govuk-error-summary').innerText();
    for (const message of REQUIRED) expect(summary).toContain(message);
    expect(await page.title()).toBe('Error: Make a referral – Safeguarding Exchange');
    expect(await checkPage(page, 'referral-form-refused')).toEqual([]);
  });

  it('keeps the score current as she fills the form in, and sends it', async () => {
    const score = page.locator('[data-completeness]');
    await page.getByLabel('Gender (optional)').fill('female');
    await page.getByLabel('School or setting (optional)').fill('Hillside Primary School');
    // Two of the seven recommended answers, before anything is sent: 29%.
    await eventually(async () => ((await score.innerText()) === '29%' ? true : undefined), {
      what: 'the live completeness score',
    });
    await page.getByLabel('Child’s full name').fill(childName);
    await page.getByLabel('Day').first().fill('1');
    await page.getByLabel('Month').first().fill('6');
    await page.getByLabel('Year').first().fill('2016');
    await page
      .getByLabel('What worries you about the child')
      .fill('Arrives hungry; bruise on her arm');
    await page.getByRole('radio', { name: 'High' }).check();
    await page.getByRole('radio', { name: 'Consent was not sought' }).check();
    await page.getByRole('radio', { name: /Schedule 1 paragraph 18/ }).check();
    await page.getByRole('radio', { name: 'Asking would put someone at risk' }).check();
    await page
      .getByRole('group', { name: /family told/ })
      .getByRole('radio', { name: 'No' })
      .check();
    await eventually(
      async () =>
        (await page.locator('[data-missing-required]').innerText()) === 'None' ? true : undefined,
      { what: 'no required answer left' },
    );
    await page.getByRole('button', { name: 'Send the referral' }).click();
    await page.waitForURL(/\/referrals\?sent=29$/);
    expect(await page.locator('main').innerText()).toContain(
      'Referral sent to the MASH, 29% complete.',
    );
    expect(await checkPage(page, 'referral-sent')).toEqual([]);
    const sent = (
      await school.get<{ completeness: number; submittedAt: string }[]>(
        `/mailboxes/${SCHOOL}/referrals`,
      )
    )[0];
    expect(sent.completeness).toBe(29);
  });

  it('fits the referral form at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/referrals/new`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'referral-form-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows a withdrawal of consent that needs acknowledging, and acknowledges it', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    const row = page
      .locator('tbody tr')
      .filter({ has: page.locator(`a[href$="${withdrawalMessage}"]`) });
    expect(await row.innerText()).toContain('Consent withdrawn');
    expect(await row.innerText()).toMatch(/Unread|Overdue/);
    await row.getByRole('link').click();
    const text = await page.locator('main').innerText();
    expect(text).toContain('Consent withdrawn');
    expect(text).toContain('Stop using');
    expect(await checkPage(page, 'consent-withdrawn')).toEqual([]);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    const acknowledged = await eventually(
      async () => {
        const status = await police.get<{
          recipients: { mailboxId: string; status: string; acknowledgedBy: string | null }[];
        }>(`/consent-withdrawals/${withdrawalId}`);
        const mine = status.recipients.find((r) => r.mailboxId === SCHOOL);
        return mine?.status === 'acknowledged' ? mine : undefined;
      },
      { what: 'the police node to show the school’s acknowledgement', timeoutMs: 60_000 },
    );
    expect(acknowledged.acknowledgedBy).toBe('dsl-hillside');
  });
});
