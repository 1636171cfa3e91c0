/**
 * The MASH duty social worker's journey in the browser, on the real stack: a school refers a
 * child and the police report a missing episode through their nodes' APIs; Tom Reid of the MASH
 * signs in, sees them in his inbox (overdue first, then the newest), acknowledges the referral,
 * is refused a decision with every missing answer named, records the decision and next steps —
 * which reach the school: its DSL's console shows the outcome — and, once the child is reported
 * found, records the return home interview, which the police node then shows. A decision already
 * sent is shown read-only, and a second one posted anyway is refused (409) saying so. Every page
 * passes axe; the decision is made with the keyboard only.
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

const MASH = 'mash';

/** The little of the browser's DOM these checks read (the tests compile without the DOM types). */
interface PageElement {
  querySelector(selector: string): PageElement;
  getAttribute(name: string): string;
  textContent: string;
}
const SCHOOL = 'school-990101-dsl';

describe('MASH duty social worker in the console', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  let mash: ApiCaller;
  const childName = `Bella ${randomUUID().slice(0, 6)} Testchild`;
  const missingChild = `Noah ${randomUUID().slice(0, 6)} Testchild`;
  const episode: Record<string, unknown> & { episodeId: string } = {
    ...validBodies.missingEpisode(),
    episodeId: randomUUID(),
    child: { name: missingChild, dateOfBirth: '2011-05-02', schoolUrn: '990102' },
  };
  let referralId: string;
  let referralMessage: string;
  let episodeMessage: string;

  beforeAll(async () => {
    await stack.start();
    ({ police, school, mash } = await demoCallers(stack));
    const referral = validBodies.referral();
    ({ referralId } = await school.post<{ referralId: string }>(`/mailboxes/${SCHOOL}/referrals`, {
      ...referral,
      child: { ...(referral.child as object), name: childName },
    }));
    await police.post('/missing-episodes', episode);
    [referralMessage, episodeMessage] = await Promise.all([
      messageIn(
        mash,
        MASH,
        (m) => m.notification?.referralId === referralId,
        'the referral at the MASH',
      ),
      messageIn(
        mash,
        MASH,
        (m) => m.notification?.episodeId === episode.episodeId,
        'the episode at the MASH',
      ),
    ]);
    // The referral's acknowledgement is past due: it must head the inbox.
    await stack.hubDb.query(
      `UPDATE social_care_adapter.inbox_message SET due_at = now() - interval '1 hour' WHERE message_id = $1`,
      [referralMessage],
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const signIn = (person: RegExp) => signInAs(page, stack.consoleUrl, person);

  /** Waits until the school's node shows its referral in this status. */
  const untilReferralStatus = (status: string) =>
    eventually(
      async () => {
        const referrals = await school.get<{ referralId: string; status: string }[]>(
          `/mailboxes/${SCHOOL}/referrals`,
        );
        const mine = referrals.find((r) => r.referralId === referralId);
        return mine?.status === status ? true : undefined;
      },
      { what: `the school's referral to be ${status}`, timeoutMs: 60_000 },
    );

  it('shows his inbox with the overdue referral first, then the newest', async () => {
    await signIn(/Tom Reid/);
    await page.getByRole('link', { name: /Multi-Agency Safeguarding Hub/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/mailboxes/${MASH}`);
    const rows = await page.locator('tbody tr').evaluateAll((trs) =>
      (trs as unknown as PageElement[]).map((tr) => ({
        href: tr.querySelector('a').getAttribute('href'),
        overdue: tr.querySelector('td[data-label="Status"]').textContent.includes('Overdue'),
        receivedAt: tr.querySelector('td[data-label="Received"]').getAttribute('data-sort-value'),
      })),
    );
    const links = rows.map((row) => row.href);
    // Every overdue item above every other, each group the newest first.
    const firstOnTime = rows.findIndex((row) => !row.overdue);
    expect(
      rows.slice(firstOnTime === -1 ? rows.length : firstOnTime).every((row) => !row.overdue),
    ).toBe(true);
    for (const group of [rows.filter((row) => row.overdue), rows.filter((row) => !row.overdue)]) {
      const times = group.map((row) => row.receivedAt);
      expect(times).toEqual([...times].sort().reverse());
    }
    const referralRow = rows.find((row) => row.href.endsWith(referralMessage));
    expect(referralRow?.overdue).toBe(true);
    expect(links.some((href) => href.endsWith(episodeMessage))).toBe(true);
    expect(await page.getByTestId('mailbox-counts').innerText()).toMatch(/[1-9]\d* overdue/);
    expect(await checkPage(page, 'mash-inbox')).toEqual([]);
  });

  it('shows the whole referral, and acknowledges it', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}/notifications/${referralMessage}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain(childName);
    expect(text).toContain('Repeated unexplained bruising');
    expect(page.url()).not.toContain(childName.split(' ')[0]);
    expect(await page.title()).toBe('Referral – Safeguarding Exchange');
    expect(await checkPage(page, 'mash-referral')).toEqual([]);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    expect(await page.getByTestId('notification-status').innerText()).toMatch(/^Acknowledged on /);
    await untilReferralStatus('acknowledged');
  });

  it('refuses a decision without its answers, naming each', async () => {
    await page.getByRole('button', { name: 'Send the decision to the referrer' }).click();
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.innerText()).toContain('Select what the MASH decided');
    expect(await summary.innerText()).toContain('Enter the next steps for the referrer');
    expect(await page.title()).toBe('Error: Referral – Safeguarding Exchange');
    expect(await checkPage(page, 'mash-decision-refused')).toEqual([]);
    // The summary's link takes her to the field.
    await summary.getByRole('link', { name: 'Enter the next steps for the referrer' }).click();
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document
            .activeElement.id,
      ),
    ).toBe('nextSteps');
  });

  it('records the decision and next steps with the keyboard alone, and they reach the school', async () => {
    await page.getByLabel('Section 47 enquiry').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Next steps for the referrer').focus();
    await page.keyboard.type(
      'Strategy discussion today; the allocated social worker will call the DSL.',
    );
    await page.getByRole('button', { name: 'Send the decision to the referrer' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/decided=1/);
    expect(await page.locator('main').innerText()).toContain('Decision sent.');
    expect(
      await page.getByRole('button', { name: 'Send the decision to the referrer' }).count(),
    ).toBe(0);
    expect(await checkPage(page, 'mash-decision-sent')).toEqual([]);

    await untilReferralStatus('outcome-received');
  });

  it('shows the decision already sent read-only, and refuses a second one with a clear message', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}/notifications/${referralMessage}`);
    // No second form: the decision that was sent, with its next steps, read back from the node.
    expect(
      await page.getByRole('button', { name: 'Send the decision to the referrer' }).count(),
    ).toBe(0);
    const sent = await page.getByTestId('sent-decision').innerText();
    expect(sent).toContain('Section 47 enquiry');
    expect(sent).toContain(
      'Strategy discussion today; the allocated social worker will call the DSL.',
    );
    expect(sent).toMatch(/\d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)|midday|midnight/);
    expect(await checkPage(page, 'mash-decision-read-only')).toEqual([]);

    // A second decision posted anyway (an old tab, a replayed form) is refused, the page saying why.
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const answer = await page.request.post(
      `${stack.consoleUrl}/mailboxes/${MASH}/notifications/${referralMessage}/referral-decision`,
      { form: { _csrf: csrf, decision: 'no-further-action', nextSteps: 'None' }, maxRedirects: 0 },
    );
    expect(answer.status()).toBe(409);
    const html = await answer.text();
    expect(html).toContain(
      'A decision on this referral was already sent to the referrer. It cannot be sent again.',
    );
    expect(html).toContain('href="#decision-sent"');
    expect(html).not.toContain('Send the decision to the referrer');
    // The school still has the first decision only.
    const referrals = await school.get<
      { referralId: string; outcome: { outcome: string } | null }[]
    >(`/mailboxes/${SCHOOL}/referrals`);
    expect(referrals.find((r) => r.referralId === referralId)?.outcome?.outcome).toBe(
      'section-47-enquiry',
    );
  });

  it('asks for the child to be found before the return home interview, then records it', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}/notifications/${episodeMessage}`);
    expect(await page.locator('main').innerText()).toContain(missingChild);
    expect(await page.getByTestId('interview-not-yet').innerText()).toContain(
      'has not been reported found',
    );

    // The police report the child found: the episode's thread gains its second report.
    await police.post('/missing-episodes', {
      ...episode,
      status: 'found',
      foundAt: new Date(Date.now() - 600_000).toISOString(),
    });
    const found = await messageIn(
      mash,
      MASH,
      (m) => m.notification?.episodeId === episode.episodeId && m.notification?.status === 'found',
      'the found report at the MASH',
    );
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}/notifications/${found}`);
    await page.getByRole('button', { name: 'Send the interview outcome' }).click();
    const summary = await page.locator('.govuk-error-summary').innerText();
    expect(summary).toContain('Select whether the interview was held');
    expect(summary).toContain('Select who was responsible for the interview');
    expect(summary).toContain('Enter the next steps');
    expect(await checkPage(page, 'mash-interview-refused')).toEqual([]);

    await page.getByLabel('The interview was held').check();
    const today = new Date();
    await page.getByLabel('Day').fill(String(today.getUTCDate()));
    await page.getByLabel('Month').fill(String(today.getUTCMonth() + 1));
    await page.getByLabel('Year').fill(String(today.getUTCFullYear()));
    await page.getByLabel('Time').fill('00:01');
    await page.getByRole('radio', { name: 'A commissioned provider' }).check();
    await page
      .getByRole('textbox', { name: /Provider’s name/ })
      .fill('Northshire Return Interviews Ltd');
    await page.getByLabel('County lines').check();
    await page
      .getByLabel('Concerns the interview raised (optional)')
      .fill('Older youths collect him after school');
    await page.getByLabel('What the child said (optional)').fill('He was at a friend’s flat');
    await page.getByLabel('Next steps', { exact: true }).fill('Referral to the exploitation panel');
    expect(await checkPage(page, 'mash-interview-form')).toEqual([]);
    await page.getByRole('button', { name: 'Send the interview outcome' }).click();
    await page.waitForURL(/interview=1/);
    expect(await page.locator('main').innerText()).toContain(
      'Return home interview outcome sent to the reporter.',
    );

    const status = await eventually(
      async () => {
        const answer = await police.get<{ recipients?: { mailboxId: string; status: string }[] }>(
          `/missing-episodes/${episode.episodeId}`,
        );
        const mashStatus = answer.recipients?.find((r) => r.mailboxId === MASH)?.status;
        return mashStatus === 'return-home-interview-received' ? answer : undefined;
      },
      { what: 'the police node to show the interview outcome', timeoutMs: 60_000 },
    );
    expect(JSON.stringify(status)).not.toContain('friend’s flat');
  });

  it('works at phone width: the referral and its decision form fit without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}/notifications/${episodeMessage}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.goto(`${stack.consoleUrl}/mailboxes/${MASH}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'mash-inbox-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the school the MASH’s decision among her referrals', async () => {
    await page.goto(`${stack.consoleUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await signIn(/Dana Shaw/);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}`);
    await page.getByRole('link', { name: 'Your referrals' }).click();
    const row = page.getByRole('row').filter({ hasText: referralId.slice(0, 8).toUpperCase() });
    const text = await row.innerText();
    expect(text).toContain('Decision received');
    expect(text).toContain('Section 47 enquiry');
    expect(text).toContain('Strategy discussion today');
    expect(await checkPage(page, 'school-referrals')).toEqual([]);
  });
});
