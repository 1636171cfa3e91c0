/**
 * The partnership board's journey in the browser (issue 13, journey 3), on the real stack: the
 * police submit an incident, the school acknowledges it, and the audit trail's metrics show it.
 * Chris Evans (auditor) opens the board from his home page: each figure is an SVG chart drawn on
 * the server, with its numbers in a table beside it and a CSV download holding the same numbers;
 * no chart breaks the strict Content-Security-Policy. Choosing an agency, a message type or a
 * period changes the figures; a date that is not one is refused beside its field. The page works
 * without JavaScript, passes axe, fits a phone; the administrator sees it too, a school's DSL
 * gets the 403 page.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the audit service, the console as its own
 * process, Chromium.
 */
import { Page } from 'playwright-core';

import { areaDate } from '../../apps/console/src/partnership-board/board-period';
import { eventually } from '../support/service-harness';
import { validBodies } from '../support/valid-bodies';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { ApiCaller, apiAs, demoCallers, messageIn } from './support/stack-api';

jest.setTimeout(300_000);

const SCHOOL = 'school-990101-dsl';
const ENCOMPASS = 'uk.safeguarding.exchange.domestic-abuse-notification';

interface Group {
  agency: string;
  messageType: string;
  deliveryToAcknowledgement?: { count: number };
  submissionToDelivery?: { count: number };
}

describe('partnership board in the console', () => {
  const stack = new ConsoleStack({ withAudit: true });
  let browser: Browser;
  let page: Page;
  let audit: ApiCaller;
  const cspViolations: string[] = [];
  const today = areaDate(new Date());
  const todayRange = () => {
    const start = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const end = new Date(Date.now() + 2 * 86_400_000).toISOString();
    return `from=${start}&to=${end}`;
  };

  /** The audit service's count of the school's acknowledged incidents over these days. */
  const acknowledgedBySchools = async () => {
    const metrics = await audit.get<{ groups: Group[] }>(
      `/audit/metrics?${todayRange()}&agency=northshire-education&messageType=${ENCOMPASS}`,
    );
    return metrics.groups[0]?.deliveryToAcknowledgement?.count ?? 0;
  };

  /** A figure's table as its rows of cells, as the person sees them. */
  const tableOf = (figure: string) =>
    page
      .locator(`[data-figure="${figure}"] [data-table] tbody tr`)
      .evaluateAll((rows) =>
        rows.map((row) =>
          Array.from((row as unknown as { cells: { textContent: string | null }[] }).cells).map(
            (cell) => (cell.textContent ?? '').trim(),
          ),
        ),
      );

  /** Opens the board with these filters by its form, as a person would. */
  async function showFigures(filters: {
    from?: string;
    to?: string;
    agency?: string;
    messageType?: string;
  }): Promise<void> {
    if (filters.from !== undefined)
      await page.getByLabel('First day', { exact: true }).fill(filters.from);
    if (filters.to !== undefined)
      await page.getByLabel('Last day', { exact: true }).fill(filters.to);
    if (filters.agency !== undefined) {
      await page.getByLabel('Agency', { exact: true }).selectOption({ label: filters.agency });
    }
    if (filters.messageType !== undefined) {
      await page
        .getByLabel('Message type', { exact: true })
        .selectOption({ label: filters.messageType });
    }
    await Promise.all([
      page.waitForURL(/\/partnership\?/),
      page.getByRole('button', { name: 'Show figures' }).click(),
    ]);
  }

  const signOut = async () => {
    await page.goto(`${stack.consoleUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
  };

  beforeAll(async () => {
    await stack.start();
    const { police, school } = await demoCallers(stack);
    audit = await apiAs(stack, stack.audit!, { subject: 'board-test-admin', roles: ['admin'] });
    const before = await acknowledgedBySchools();
    const reference = `NP-${Date.now()}`;
    await police.post('/incidents', { ...validBodies.incident(), policeReference: reference });
    const messageId = await messageIn(
      school,
      SCHOOL,
      (m) => JSON.stringify(m.notification).includes(reference),
      'the incident in the school’s mailbox',
    );
    await school.post(`/mailboxes/${SCHOOL}/notifications/${messageId}/acknowledge`, {}, 200);
    await eventually(async () => ((await acknowledgedBySchools()) > before ? true : undefined), {
      what: 'the school’s acknowledgement in the audit metrics',
      timeoutMs: 90_000,
      intervalMs: 1_000,
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('shows each figure as an SVG chart with its numbers in a table beside it, within the strict CSP', async () => {
    await signInAs(page, stack.consoleUrl, /Chris Evans/);
    await page.getByRole('link', { name: /Partnership board/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/partnership`);
    expect(await page.title()).toBe('Partnership board – Safeguarding Exchange');
    // By default the last 30 days, today included.
    expect(await page.getByLabel('Last day', { exact: true }).inputValue()).toBe(today);
    expect(await page.getByTestId('board-period').innerText()).toMatch(
      /Figures for \d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}/,
    );

    for (const figure of ['delivery-time', 'acknowledgement-time', 'acknowledged-on-time']) {
      const section = page.locator(`[data-figure="${figure}"]`);
      const svg = section.locator('[data-chart] > svg');
      expect(await svg.count()).toBe(1);
      expect(await svg.getAttribute('role')).toBe('img');
      const markup = await svg.evaluate(
        (element) => (element as unknown as { outerHTML: string }).outerHTML,
      );
      expect(markup).not.toMatch(/<script|\son[a-z]+=|<style|\sstyle=/i);
      // Drawn: bars as paths, numbers as text.
      expect(await svg.locator('path').count()).toBeGreaterThan(1);
      expect((await tableOf(figure)).length).toBeGreaterThan(0);
    }

    // The distribution's bars are labelled with the table's counts.
    const bands = await tableOf('acknowledgement-time');
    expect(bands.map(([band]) => band)).toEqual([
      'Under 10 seconds',
      '10 seconds to 1 minute',
      '1 to 10 minutes',
      '10 minutes to 1 hour',
      '1 to 4 hours',
      '4 hours to 1 day',
      '1 to 3 days',
      '3 days or more',
    ]);
    const chartText = await page
      .locator('[data-figure="acknowledgement-time"] [data-chart] text')
      .allTextContents();
    for (const [, count] of bands) expect(chartText).toContain(count);
    // Agencies by name, never by id.
    const schools = await tableOf('acknowledgement-time-by-agency');
    expect(schools.map(([agency]) => agency)).toContain('Northshire County Council, Education');
    expect(await page.locator('main').innerText()).not.toContain('northshire-education');
    expect(cspViolations).toEqual([]);
    expect(await checkPage(page, 'partnership-board')).toEqual([]);
  });

  it('downloads each figure as CSV with the same numbers as its table', async () => {
    for (const figure of ['acknowledgement-time', 'acknowledgement-time-by-agency']) {
      const rows = await tableOf(figure);
      const headings = await page
        .locator(`[data-figure="${figure}"] [data-table] thead th`)
        .allTextContents();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page
          .locator(`[data-figure="${figure}"]`)
          .getByRole('link', { name: /Download CSV/ })
          .click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^${figure}-\\d{4}-\\d{2}-\\d{2}-to-${today}\\.csv$`),
      );
      const text = await (await download.createReadStream()).toArray();
      const lines = Buffer.concat(text as Buffer[])
        .toString('utf8')
        .trimEnd()
        .split('\r\n');
      expect(lines[1]).toMatch(/^Period: \d{1,2} \w+ \d{4} to \d{1,2} \w+ \d{4}$/);
      const parse = (line: string) => {
        const cells: string[] = [];
        let rest = line;
        for (;;) {
          const quoted = /^"((?:[^"]|"")*)"(,|$)/.exec(rest);
          const match = quoted ?? /^([^,]*)(,|$)/.exec(rest)!;
          cells.push(quoted ? match[1].replace(/""/g, '"') : match[1]);
          rest = rest.slice(match[0].length);
          if (!match[2]) return cells;
        }
      };
      expect(parse(lines[2])).toEqual(headings.map((heading) => heading.trim()));
      expect(lines.slice(3).map(parse)).toEqual(rows);
    }
  });

  it('changes the figures when an agency, a message type or a period is chosen', async () => {
    await showFigures({
      agency: 'Northshire Police',
      messageType: 'Domestic abuse notification (Operation Encompass)',
    });
    const url = new URL(page.url());
    expect(url.searchParams.get('agency')).toBe('northshire-police');
    expect(url.searchParams.get('messageType')).toBe(ENCOMPASS);
    // The police send incidents: only their sending figures, with the police's rows alone.
    const sent = await tableOf('delivery-time-by-agency');
    expect(sent).toHaveLength(1);
    expect(sent[0].slice(0, 2)).toEqual([
      'Northshire Police',
      'Domestic abuse notification (Operation Encompass)',
    ]);
    expect(Number(sent[0][2])).toBeGreaterThan(0);
    await expect(
      page.locator('[data-figure="acknowledgement-time-by-agency"] [data-empty]').isVisible(),
    ).resolves.toBe(true);
    // The CSV link carries the same filters.
    const csvHref = await page
      .locator('[data-figure="delivery-time-by-agency"]')
      .getByRole('link', { name: /Download CSV/ })
      .getAttribute('href');
    expect(csvHref).toContain('agency=northshire-police');

    await showFigures({ agency: 'Northshire County Council, Education' });
    const schools = await tableOf('acknowledgement-time-by-agency');
    expect(schools.map(([agency]) => agency)).toEqual(['Northshire County Council, Education']);
    expect(await page.locator('[data-figure="delivery-time-by-agency"] [data-empty]').count()).toBe(
      1,
    );

    // A period long before the exchange ran: nothing to measure, and no chart.
    await showFigures({
      from: '2020-01-01',
      to: '2020-01-31',
      agency: 'All agencies',
      messageType: 'All message types',
    });
    expect(await page.getByTestId('board-period').innerText()).toContain(
      '1 January 2020 to 31 January 2020',
    );
    expect(await page.locator('[data-chart] svg').count()).toBe(0);
    expect(await page.locator('[data-empty]').count()).toBe(10);
  });

  it('refuses a period that is not one, beside its field', async () => {
    const response = await page.goto(
      `${stack.consoleUrl}/partnership?from=2026-02-30&to=2026-01-01`,
    );
    expect(response?.status()).toBe(400);
    expect(await page.title()).toBe('Error: Partnership board – Safeguarding Exchange');
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'Enter the first day as a real date',
    );
    await page.goto(`${stack.consoleUrl}/partnership?from=2026-03-02&to=2026-03-01`);
    expect(await page.locator('#to-error').innerText()).toContain(
      'The last day must be the same as or after the first',
    );
    expect(await checkPage(page, 'partnership-board-error')).toEqual([]);
  });

  it('works without JavaScript and at phone width', async () => {
    // A page of the same signed-in browser with script execution turned off (DevTools protocol).
    const noScript = await browser.context.newPage();
    const devtools = await browser.context.newCDPSession(noScript);
    await devtools.send('Emulation.setScriptExecutionDisabled', { value: true });
    const response = await noScript.goto(
      `${stack.consoleUrl}/partnership?from=${today}&to=${today}`,
    );
    expect(response?.status()).toBe(200);
    expect(await noScript.locator('main').innerText()).toContain('Figures for');
    expect(
      await noScript.locator('[data-figure="acknowledgement-time"] [data-chart] svg').count(),
    ).toBe(1);
    await noScript.close();

    await page.setViewportSize(PHONE);
    await page.goto(`${stack.consoleUrl}/partnership`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    expect(await checkPage(page, 'partnership-board-phone')).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is for auditors and administrators: the admin sees it, a DSL gets the 403 page', async () => {
    await signOut();
    await signInAs(page, stack.consoleUrl, /Robin Hale/);
    expect((await page.goto(`${stack.consoleUrl}/partnership`))?.status()).toBe(200);
    await signOut();
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
    for (const path of ['/partnership', '/partnership/escalations.csv']) {
      const response = await page.goto(`${stack.consoleUrl}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 403 });
    }
    expect(await page.locator('main').innerText()).toContain('You cannot see this page');
  });
});
