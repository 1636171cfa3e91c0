/**
 * The school DSL's view of one child over time, on the real stack: the police tell Hillside
 * Primary of an incident about a child (under the mother's consent, with the force's own
 * subject reference), report her missing and then found, and withdraw the consent; the DSL
 * refers her to the MASH, which decides. In the console the DSL sees the missing episode as one
 * thread of its reports (each in UK time, the unacknowledged ones marked) and, per child, one
 * chronology of everything her mailbox holds about the child, newest first, reached from each
 * item by an opaque id; another child's notification is not in it. An item sealed to a key the
 * node has lost is the 500 page with a reference, disclosing nothing. Every page passes axe,
 * the chronology is walked with the keyboard alone, and both pages fit a phone.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the console as its own process, Chromium.
 */
import { randomUUID } from 'node:crypto';

import { CompactEncrypt, exportJWK, generateKeyPair } from 'jose';
import { Page } from 'playwright-core';

import { formatDateTime } from '../../apps/console/src/presentation/area-time';
import { eventually } from '../support/service-harness';
import { validBodies } from '../support/valid-bodies';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { ApiCaller, demoCallers, messageIn } from './support/stack-api';
import { tabToLinkEndingWith } from './support/keyboard';

jest.setTimeout(300_000);

const SCHOOL = 'school-990101-dsl';
const MASH = 'mash';

/** The little of the browser's DOM these checks read (the tests compile without the DOM types). */
interface PageElement {
  querySelector(selector: string): PageElement | null;
  getAttribute(name: string): string | null;
  textContent: string;
}

interface ThreadAnswer {
  updates: { messageId: string; receivedAt: string; sequence: number }[];
}

describe('school DSL: a missing episode’s thread and a child’s chronology', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  let mash: ApiCaller;
  const childName = `Ella ${randomUUID().slice(0, 6)} Testchild`;
  const dateOfBirth = '2015-03-09';
  const otherChild = `Oscar ${randomUUID().slice(0, 6)} Testchild`;
  const subjectRef = randomUUID();
  const episode: Record<string, unknown> & { episodeId: string } = {
    ...validBodies.missingEpisode(),
    episodeId: randomUUID(),
    child: { name: childName, dateOfBirth, schoolUrn: '990101' },
  };
  let incidentMessage: string;
  let otherMessage: string;
  let missingMessage: string;
  let foundMessage: string;
  let withdrawalMessage: string;
  let referralId: string;
  let mashReferralMessage: string;
  let lostKeyMessage: string;

  beforeAll(async () => {
    await stack.start();
    ({ police, school, mash } = await demoCallers(stack));
    const consent = {
      consent: {
        position: 'given',
        by: 'mother',
        at: new Date(Date.now() - 7200_000).toISOString(),
      },
      lawfulBasis: 'ukgdpr-6-1-e-9-2-g',
      safeguardingJustification: undefined,
    };
    await police.post('/incidents', {
      ...validBodies.incident({ name: childName, dateOfBirth, subjectRef }),
      ...consent,
    });
    await police.post('/incidents', validBodies.incident({ name: otherChild }));
    [incidentMessage, otherMessage] = await Promise.all([
      messageIn(
        school,
        SCHOOL,
        (m) => JSON.stringify(m.notification).includes(childName),
        'the incident at the school',
      ),
      messageIn(
        school,
        SCHOOL,
        (m) => JSON.stringify(m.notification).includes(otherChild),
        'the other child’s incident at the school',
      ),
    ]);

    // Reported missing, then found: two reports of one episode.
    await police.post('/missing-episodes', episode);
    missingMessage = await messageIn(
      school,
      SCHOOL,
      (m) => m.notification?.episodeId === episode.episodeId,
      'the missing report at the school',
    );
    await police.post('/missing-episodes', {
      ...episode,
      status: 'found',
      foundAt: new Date(Date.now() - 600_000).toISOString(),
    });
    foundMessage = await messageIn(
      school,
      SCHOOL,
      (m) => m.notification?.episodeId === episode.episodeId && m.notification?.status === 'found',
      'the found report at the school',
    );

    const withdrawnAt = new Date(Date.now() - 60_000).toISOString();
    await police.post('/consent-withdrawals', { subjectRef, withdrawnBy: 'mother', withdrawnAt });
    withdrawalMessage = await messageIn(
      school,
      SCHOOL,
      (m) =>
        m.type.endsWith('consent-withdrawn-view') && m.notification?.withdrawnAt === withdrawnAt,
      'the withdrawal at the school',
    );

    // She refers the child; the MASH decides, and the decision comes back to her.
    const referral = validBodies.referral();
    ({ referralId } = await school.post<{ referralId: string }>(`/mailboxes/${SCHOOL}/referrals`, {
      ...referral,
      child: { ...(referral.child as object), name: childName, dateOfBirth },
    }));
    mashReferralMessage = await messageIn(
      mash,
      MASH,
      (m) => m.notification?.referralId === referralId,
      'the referral at the MASH',
    );
    await mash.post(`/mailboxes/${MASH}/referrals/${referralId}/outcome`, {
      outcome: 'early-help',
      nextSteps: 'Early help worker to contact the family this week',
    });
    await eventually(
      async () => {
        const referrals = await school.get<{ referralId: string; status: string }[]>(
          `/mailboxes/${SCHOOL}/referrals`,
        );
        return referrals.find((r) => r.referralId === referralId)?.status === 'outcome-received'
          ? true
          : undefined;
      },
      { what: 'the decision back at the school', timeoutMs: 60_000 },
    );

    // An item sealed to an encryption key the node does not hold (one it has lost).
    const lost = await generateKeyPair('ECDH-ES', { extractable: true });
    const lostJwk = await exportJWK(lost.publicKey);
    const sealed = await new CompactEncrypt(new TextEncoder().encode('{"lost":true}'))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: `lost-${lostJwk.x}` })
      .encrypt(lost.publicKey);
    lostKeyMessage = randomUUID();
    await stack.hubDb.query(
      `INSERT INTO education_adapter.inbox_message (message_id, type, source, subject_ref, body,
         kafka_topic, kafka_partition, kafka_offset, mailbox_id, status)
       VALUES ($1, 'uk.safeguarding.exchange.encompass-view', 'hub', $2, $3, 'lost-key', 0, 0,
         $4, 'received')`,
      [lostKeyMessage, randomUUID(), sealed, SCHOOL],
    );

    browser = await launchBrowser();
    page = await browser.context.newPage();
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  const updates = () =>
    page.getByTestId('episode-update').evaluateAll((items) =>
      (items as unknown as PageElement[]).map((item) => ({
        title: item.querySelector('.moj-timeline__title')?.textContent.trim(),
        time: item.querySelector('time')?.textContent.trim(),
        datetime: item.querySelector('time')?.getAttribute('datetime'),
        unread: item.textContent.includes('Unread'),
      })),
    );

  it('shows the missing episode as one thread of its reports, in order, unread ones marked', async () => {
    const thread = await school.get<ThreadAnswer>(
      `/mailboxes/${SCHOOL}/notifications/${foundMessage}/thread`,
    );
    expect(thread.updates.map((update) => update.messageId)).toEqual([
      missingMessage,
      foundMessage,
    ]);

    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${foundMessage}`);
    expect(await page.title()).toBe('Missing episode – Safeguarding Exchange');
    const shown = await updates();
    expect(shown.map((update) => update.title)).toEqual([
      'Report 1: Reported missing',
      'Report 2: Reported found',
    ]);
    // Each report's time in UK time, the way people write it.
    expect(shown.map((update) => update.time)).toEqual(
      thread.updates.map((update) => `Received ${formatDateTime(update.receivedAt)}`),
    );
    expect(shown.map((update) => update.unread)).toEqual([true, true]);
    expect(await checkPage(page, 'school-episode-thread')).toEqual([]);

    // Acknowledging the latest report marks it, and only it, on the thread.
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.waitForURL(/acknowledged=1/);
    expect((await updates()).map((update) => update.unread)).toEqual([true, false]);

    // The first report's page shows the same thread.
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${missingMessage}`);
    expect((await updates()).map((update) => update.title)).toEqual([
      'Report 1: Reported missing',
      'Report 2: Reported found',
    ]);
  });

  const chronologyEntries = () =>
    page
      .getByTestId('chronology')
      .locator('.moj-timeline__item')
      .evaluateAll((items) =>
        (items as unknown as PageElement[]).map((item) => ({
          title: item.querySelector('.moj-timeline__title')?.textContent.trim() ?? '',
          datetime: item.querySelector('time')?.getAttribute('datetime') ?? '',
          href: item.querySelector('a')?.getAttribute('href') ?? '',
          text: item.textContent,
        })),
      );

  it('shows one chronology of everything her mailbox holds about the child, newest first', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${incidentMessage}`);
    await page.getByTestId('chronology-link').click();
    await page.waitForURL(new RegExp(`/mailboxes/${SCHOOL}/chronology/${incidentMessage}$`));
    // The child is named in the page, never in its address or title.
    expect(page.url()).not.toContain(childName.split(' ')[1]);
    expect(await page.title()).toBe('Chronology – Safeguarding Exchange');
    expect(await page.getByTestId('chronology-child').innerText()).toBe(
      `${childName}, born 9 March 2015`,
    );

    const entries = await chronologyEntries();
    const hrefs = entries.map((entry) => entry.href);
    for (const id of [incidentMessage, missingMessage, foundMessage, withdrawalMessage]) {
      expect(hrefs).toContain(`/mailboxes/${SCHOOL}/notifications/${id}`);
    }
    expect(hrefs).toContain(`/mailboxes/${SCHOOL}/referrals#referral-${referralId}`);
    expect(hrefs.some((href) => href.endsWith(otherMessage))).toBe(false);
    expect(hrefs.some((href) => href.endsWith(lostKeyMessage))).toBe(false);
    const titles = entries.map((entry) => entry.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Domestic abuse notification (Operation Encompass)',
        'Missing episode: report 1, reported missing',
        'Missing episode: report 2, reported found',
        'Consent withdrawn',
        'Referral you made to the MASH',
      ]),
    );
    const referral = entries.find((entry) => entry.title === 'Referral you made to the MASH');
    expect(referral?.text).toContain('Decision: Early help');
    const times = entries.map((entry) => entry.datetime);
    expect(times).toEqual([...times].sort().reverse());
    expect(await checkPage(page, 'school-chronology')).toEqual([]);
  });

  it('is the same chronology from each item about her, the referral included', async () => {
    const fromIncident = (await chronologyEntries()).map((entry) => entry.href).sort();
    for (const item of [foundMessage, withdrawalMessage, referralId]) {
      await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/chronology/${item}`);
      expect((await chronologyEntries()).map((entry) => entry.href).sort()).toEqual(fromIncident);
    }
    // From her referrals page, by the referral's own link.
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/referrals`);
    await page
      .locator(`#referral-${referralId}`)
      .getByRole('link', { name: /Chronology/ })
      .click();
    await page.waitForURL(new RegExp(`/chronology/${referralId}$`));
    expect(await page.getByTestId('chronology-child').innerText()).toContain(childName);
  });

  it('is walked with the keyboard alone: Tab to an entry, Enter opens it', async () => {
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/chronology/${incidentMessage}`);
    const found = await tabToLinkEndingWith(page, missingMessage);
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/notifications/${missingMessage}$`));
    expect(await page.locator('main').innerText()).toContain(childName);
  });

  it('fits a phone: the thread and the chronology without sideways scrolling', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${foundMessage}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'school-episode-thread-phone')).toEqual([]);
    await page.goto(`${stack.consoleUrl}/mailboxes/${SCHOOL}/chronology/${incidentMessage}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'school-chronology-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('finds no other mailbox’s item: the same 404 as one that does not exist', async () => {
    // The MASH's copy of her referral is another mailbox's item: asked for in her mailbox it is
    // the same 404 as an id that exists nowhere; asking in the MASH's mailbox is refused (403).
    const refused = async (path: string) =>
      school.get(path).then(
        () => 'answered',
        (error: Error) => error.message,
      );
    const nowhere = randomUUID();
    for (const id of [mashReferralMessage, nowhere]) {
      expect(await refused(`/mailboxes/${SCHOOL}/chronology/${id}`)).toMatch(/answered 404$/);
      expect(await refused(`/mailboxes/${SCHOOL}/notifications/${id}/thread`)).toMatch(
        /answered 404$/,
      );
    }
    expect(await refused(`/mailboxes/${SCHOOL}/referrals/${referralId}/outcome`)).toMatch(
      /answered 404$/,
    );
    expect(await refused(`/mailboxes/${MASH}/chronology/${incidentMessage}`)).toMatch(
      /answered 403$/,
    );
    const page404 = await page.goto(
      `${stack.consoleUrl}/mailboxes/${SCHOOL}/chronology/${nowhere}`,
    );
    expect(page404?.status()).toBe(404);
  });

  it('shows an item the node cannot open as the 500 page with a reference, disclosing nothing', async () => {
    const response = await page.goto(
      `${stack.consoleUrl}/mailboxes/${SCHOOL}/notifications/${lostKeyMessage}`,
    );
    expect(response?.status()).toBe(500);
    expect(response?.headers()['cache-control']).toContain('no-store');
    expect(await page.title()).toBe('Sorry, there is a problem – Safeguarding Exchange');
    const text = await page.locator('main').innerText();
    expect(await page.getByTestId('error-reference').innerText()).toMatch(
      /^Reference: [0-9A-F]{4}-[0-9A-F]{4}$/,
    );
    for (const disclosed of ['409', 'key', 'encrypt', 'Error', 'at Object', '127.0.0.1']) {
      expect(text).not.toContain(disclosed);
    }
    expect(await checkPage(page, 'error-500')).toEqual([]);
  });
});
