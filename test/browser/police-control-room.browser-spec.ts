/**
 * The police control room's journey in the browser (issue 17, journey 4), on the real stack:
 * Alex Morgan of the control room signs in and finds the force's incidents and missing episodes;
 * an incident the force's system submits is listed with each recipient "delivered"; when the
 * school's DSL acknowledges it through her node's API, the school's row turns "acknowledged by …
 * at …" without the page being reloaded; a school not in the registry is shown refused in plain
 * words, and a recipient past its deadline (the hub's escalation job run at once) stands out as
 * overdue. The keyboard alone reaches and refreshes the board, the Refresh link works without
 * JavaScript, Esc hides the screen, it fits a phone, and a person without the role gets the 403
 * page. Every page passes axe and is saved as a screenshot.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the console as its own process, Chromium.
 */
import { randomUUID } from 'node:crypto';

import { Page } from 'playwright-core';

import { DeadlineEscalationJob } from '../../apps/hub/src/deadlines/deadline-escalation.job';
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
const NURSING = 'school-nursing';

interface RecipientJson {
  mailboxId: string;
  role: string | null;
  status: string;
}

describe('police control room in the console', () => {
  const stack = new ConsoleStack();
  let browser: Browser;
  let page: Page;
  let police: ApiCaller;
  let school: ApiCaller;
  const childName = `Riley ${randomUUID().slice(0, 6)} Testchild`;
  const policeReference = `NP-${randomUUID().slice(0, 8)}`;
  const unknownSchoolReference = `NP-${randomUUID().slice(0, 8)}`;
  let incidentId: string;
  let unknownSchoolIncidentId: string;
  let episodeId: string;

  /** The police node's recipients of an incident's first child, once `ready` holds for them. */
  const recipientsWhen = (
    id: string,
    ready: (recipients: RecipientJson[]) => boolean,
    what: string,
  ) =>
    eventually(
      async () => {
        const status = await police.get<{ notifications: { recipients: RecipientJson[] }[] }>(
          `/incidents/${id}/notifications`,
        );
        const recipients = status.notifications[0]?.recipients ?? [];
        return ready(recipients) ? recipients : undefined;
      },
      { what, timeoutMs: 90_000 },
    );

  /** The board's section for an incident, as the person sees it. */
  const incidentText = (id: string) => page.locator(`[data-incident="${id}"]`).innerText();

  /** Waits until the board (swapped in by control-room.js) shows the text in that section. */
  const boardShows = (selector: string, pattern: RegExp) =>
    page.waitForFunction(
      ({ selector, source }) => {
        const doc = (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string | null } | null };
          }
        ).document;
        return new RegExp(source).test(doc.querySelector(selector)?.textContent ?? '');
      },
      { selector, source: pattern.source },
      { timeout: 60_000, polling: 500 },
    );

  /** Tabs until the focused element's text matches, then presses Enter: the keyboard alone. */
  async function tabToAndPress(name: RegExp): Promise<void> {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { textContent: string | null } | null };
            }
          ).document.activeElement?.textContent ?? '',
      );
      if (name.test(focused)) {
        await page.keyboard.press('Enter');
        return;
      }
    }
    throw new Error(`no focusable element matching ${name}`);
  }

  beforeAll(async () => {
    await stack.start();
    ({ police, school } = await demoCallers(stack));
    ({ incidentId } = await police.post<{ incidentId: string }>('/incidents', {
      ...validBodies.incident({ name: childName }),
      policeReference,
    }));
    // A school URN the area's registry does not have: the school's copy is refused, health and
    // the MASH are still told.
    ({ incidentId: unknownSchoolIncidentId } = await police.post<{ incidentId: string }>(
      '/incidents',
      {
        ...validBodies.incident({ schoolUrn: '1000000' }),
        policeReference: unknownSchoolReference,
      },
    ));
    const episode = validBodies.missingEpisode();
    episodeId = episode.episodeId as string;
    await police.post('/missing-episodes', episode);
    await recipientsWhen(
      incidentId,
      (recipients) => recipients.length >= 3 && recipients.every((r) => r.status === 'delivered'),
      'every recipient of the incident delivered',
    );
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('reaches the board with the keyboard alone: the incident with every recipient delivered', async () => {
    await signInAs(page, stack.consoleUrl, /Alex Morgan/);
    await tabToAndPress(/Incidents and missing episodes/);
    await page.waitForURL(`${stack.consoleUrl}/control-room`);
    const text = await incidentText(incidentId);
    expect(text).toContain(`Incident ${policeReference}`);
    // Recipients by name, never by mailbox id.
    expect(text).toContain('Hillside Primary');
    expect(text).not.toContain(SCHOOL);
    const rows = page.locator(`[data-incident="${incidentId}"] [data-recipient]`);
    expect(await rows.count()).toBeGreaterThanOrEqual(3);
    for (const row of await rows.all()) {
      expect((await row.locator('.moj-badge').textContent())?.trim()).toBe('Delivered');
    }
    expect(text).toMatch(/Delivered at \d{1,2} \w+ \d{4} at (\d{1,2}:\d{2}[ap]m|midday|midnight)/);
    // No personal data in the address, the title or anywhere on the board (the node keeps none).
    expect(new URL(page.url()).pathname).toBe('/control-room');
    expect(await page.title()).toBe('Control room – Safeguarding Exchange');
    expect(await page.locator('body').innerText()).not.toContain(childName.split(' ')[1]);
    expect(await checkPage(page, 'control-room')).toEqual([]);
  });

  it('is sent with Cache-Control: no-store, the board fragment too', async () => {
    for (const path of ['/control-room', '/control-room/latest']) {
      const response = await page.request.get(`${stack.consoleUrl}${path}`);
      expect({ path, status: response.status() }).toEqual({ path, status: 200 });
      expect(response.headers()['cache-control']).toBe('no-store');
    }
  });

  it('turns the school’s row "acknowledged by … at …" when she acknowledges, without a reload', async () => {
    await page.evaluate(() => {
      (globalThis as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const messageId = await messageIn(
      school,
      SCHOOL,
      (m) => JSON.stringify(m.notification).includes(policeReference),
      'the incident in the school’s mailbox',
    );
    await school.post(`/mailboxes/${SCHOOL}/notifications/${messageId}/acknowledge`, {}, 200);
    await boardShows(`[data-incident="${incidentId}"]`, /Acknowledged by dsl-hillside at/);
    expect(
      await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    const schoolRow = page
      .locator(`[data-incident="${incidentId}"] [data-recipient]`)
      .filter({ hasText: 'Hillside Primary' });
    expect((await schoolRow.locator('.moj-badge').textContent())?.trim()).toBe('Acknowledged');
    expect(await schoolRow.innerText()).toMatch(
      /Acknowledged by dsl-hillside at \d{1,2} \w+ \d{4} at (\d{1,2}:\d{2}[ap]m|midday|midnight)/,
    );
  });

  it('shows a school not in the registry refused in plain words, and an overdue recipient standing out', async () => {
    await recipientsWhen(
      unknownSchoolIncidentId,
      (recipients) => recipients.some((r) => r.role === 'school' && r.status === 'rejected'),
      'the unknown school refused',
    );
    // The school nurse's deadline passes; the hub's escalation job runs at once.
    await stack.hubDb.query(
      `UPDATE deadline SET due_at = now() - interval '1 minute'
        WHERE delivery_id IN (SELECT v.id FROM delivery v
                               WHERE v.mailbox_id = $1 AND v.submission_id IN ($2))`,
      [
        NURSING,
        (
          await police.get<{ notifications: { messageId: string }[] }>(
            `/incidents/${incidentId}/notifications`,
          )
        ).notifications[0].messageId,
      ],
    );
    await stack.hub.app.get(DeadlineEscalationJob).run();
    await recipientsWhen(
      incidentId,
      (recipients) => recipients.some((r) => r.mailboxId === NURSING && r.status === 'overdue'),
      'the school nurse overdue at the police node',
    );
    await boardShows(`[data-incident="${unknownSchoolIncidentId}"]`, /Refused/);
    await boardShows(`[data-incident="${incidentId}"]`, /Overdue/);

    const refused = await incidentText(unknownSchoolIncidentId);
    expect(refused).toContain('The child’s school (not in the area’s registry)');
    expect(refused).toContain(
      'Refused by the exchange: the exchange has no mailbox for this recipient (for a school, check the school’s URN in the force’s record)',
    );
    expect(refused).toContain('Needs attention');
    // Only the school's copy was refused: health and the MASH still have theirs.
    expect(refused).not.toContain('Every recipient');
    expect(refused).toContain('Delivered');
    const overdueRow = page
      .locator(`[data-incident="${incidentId}"] [data-recipient]`)
      .filter({ hasText: 'School Nursing' });
    expect((await overdueRow.locator('.moj-badge').textContent())?.trim()).toBe('Overdue');
    expect(await overdueRow.getAttribute('class')).toContain('console-attention-row');
    expect(await overdueRow.innerText()).toMatch(/Not acknowledged: overdue since/);
    expect(await page.getByTestId('control-room-counts').innerText()).toMatch(/[1-9]\d* overdue/);
    expect(await checkPage(page, 'control-room-attention')).toEqual([]);
  });

  it('lists the force’s missing episode with its standing', async () => {
    await boardShows(`[data-episode="${episodeId}"]`, /Missing from care/);
    const text = await page.locator(`[data-episode="${episodeId}"]`).innerText();
    expect(text).toMatch(/Missing from care, reported \d{1,2} \w+ \d{4} at/);
    expect(text).toContain('Still missing');
  });

  it('refreshes with the keyboard, and with the Refresh link when JavaScript does not run', async () => {
    await tabToAndPress(/^Refresh/);
    await boardShows('[data-board-updated]', /Updated at/);
    expect(new URL(page.url()).pathname).toBe('/control-room');

    const plain = await browser.context.newPage();
    await plain.route('**/assets/console/control-room.js', (route) => route.abort());
    await plain.goto(`${stack.consoleUrl}/control-room`);
    const [response] = await Promise.all([
      plain.waitForResponse((r) => new URL(r.url()).pathname === '/control-room'),
      plain.getByRole('link', { name: /^Refresh/ }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(await plain.locator(`[data-incident="${incidentId}"]`).innerText()).toContain(
      'Acknowledged by dsl-hillside',
    );
    await plain.close();
  });

  it('hides the screen with one key', async () => {
    await page.keyboard.press('Escape');
    expect(await page.locator('[data-screen-cover]').isVisible()).toBe(true);
    expect(await page.title()).toBe('Safeguarding Exchange');
    await page.getByRole('button', { name: 'Show screen' }).click();
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/control-room`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'control-room-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('never keeps an idle session alive by refreshing itself, and then asks her to sign in', async () => {
    await page.goto(`${stack.consoleUrl}/control-room`);
    // Her last request, moved back to just short of CONSOLE_SESSION_IDLE_MINUTES (30): the
    // board's own refreshes in the next seconds must not count as her activity.
    await stack.hubDb.query(
      `UPDATE console.console_session SET last_seen_at = now() - interval '29 minutes 45 seconds'
        WHERE stage = 'active'`,
    );
    await page.waitForURL(/\/sign-in\?/, { timeout: 60_000 });
    const signIn = new URL(page.url());
    expect(signIn.searchParams.get('ended')).toBe('idle');
    expect(signIn.searchParams.get('return')).toBe('/control-room');
  });

  it('gives a person without the role the 403 page, the board fragment too', async () => {
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
    for (const path of ['/control-room', '/control-room/latest']) {
      const response = await page.goto(`${stack.consoleUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
      const text = await page.locator('main').innerText();
      expect(text).toContain('You cannot see this page');
      expect(text).not.toContain(policeReference);
    }
    expect(await checkPage(page, 'control-room-forbidden')).toEqual([]);
  });
});
