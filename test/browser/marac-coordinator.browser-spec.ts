/**
 * The MARAC coordinator's journey in the browser (issue 13, journey 1), on the real stack: the
 * police refer a victim twice through their node (the second a repeat, on professional
 * judgement); the hub lists both for the next meeting and sends the research requests to the
 * member mailboxes, who answer from their own nodes — the police and health on time, the school
 * after its deadline, the MASH not at all and past its deadline. Jo Patel, the coordinator,
 * signs in and finds the meeting on the calendar; its agenda with the repeat marked and each
 * case's risk basis; the research tracker with agencies by name, the late ones standing out in
 * words, and when each request went; the case's pack with facts apart from opinion, who has not
 * answered and the earlier referral; the real PDF downloaded through the console and read back
 * with pdftotext; and actions recorded with the form (each problem named first), acknowledged
 * and updated by their owner from its node, the overdue one first. Every page passes axe, fits a
 * phone, and a person without the role gets the 403 page.
 * Real: Kafka, PostgreSQL, the hub, the four nodes, the MARAC, the console as its own process,
 * Chromium, poppler's pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { formatDate } from '@app/calendar';
import { Locator, Page } from 'playwright-core';
import { DataSource } from 'typeorm';

import { eventually } from '../support/service-harness';
import { checkPage } from './support/accessibility';
import { Browser, launchBrowser } from './support/chromium';
import { ConsoleStack } from './support/console-stack';
import { PHONE, sidewaysOverflow } from './support/phone-width';
import { signInAs } from './support/sign-in';
import { apiAs, ApiCaller } from './support/stack-api';

jest.setTimeout(300_000);

const dash = (yes: number) =>
  Array.from({ length: 24 }, (_, index) => (index < yes ? 'yes' : 'no'));

interface MaracWork {
  requests: { requestId: string; caseId: string }[];
  actions: { actionId: string; caseId: string; state: string }[];
}

describe('MARAC coordinator in the console', () => {
  const stack = new ConsoleStack({ marac: true });
  let browser: Browser;
  let page: Page;
  let maracDb: DataSource;
  let police: ApiCaller;
  const members: Record<string, ApiCaller> = {};
  const victimRef = `V-${randomUUID().slice(0, 8)}`;
  const childRef = `C-${randomUUID().slice(0, 8)}`;
  const reason = `Disclosure at an antenatal appointment ${randomUUID().slice(0, 4)}`;
  let firstCaseId: string;
  let caseId: string;
  let meetingDate: string;

  const referral = (overrides: object) => ({
    referringAgencyId: 'northshire-police',
    referrerMailboxId: 'police-safeguarding-hub',
    victimRef,
    perpetratorRef: `P-${randomUUID().slice(0, 8)}`,
    children: [{ subjectRef: childRef, schoolUrn: '990101' }],
    criterion: 'visible-high-risk',
    dashAnswers: dash(15),
    consent: { position: 'not-sought' },
    lawfulBasis: 'dpa2018-sch8-para4',
    safeguardingJustification: 'asking-would-put-someone-at-risk',
    familyInformed: false,
    ...overrides,
  });

  const research = (facts: string) => ({
    victimInvolvement: { facts, opinion: 'Victim appears isolated.' },
    perpetratorInvolvement: { facts: 'Two call-outs recorded.' },
    childrenInvolvement: [{ subjectRef: childRef, facts: 'Attendance fell in February.' }],
    knownRisks: { facts: 'Threats to kill recorded on 1 March.', opinion: 'Escalating.' },
    currentActions: 'Safety planning with the victim.',
    contact: 'Safeguarding team, secure email via the exchange',
  });

  /** The newest case of the victim at the MARAC, once there are `count`. */
  const casesOfVictim = (count: number) =>
    eventually(
      async () => {
        const rows = (await maracDb.query(
          `SELECT id, meeting_date::text AS meeting_date FROM marac_case
            WHERE victim_ref = $1 ORDER BY referred_at`,
          [victimRef],
        )) as { id: string; meeting_date: string }[];
        return rows.length >= count ? rows : undefined;
      },
      { what: `${count} case(s) of the victim listed at the MARAC`, timeoutMs: 90_000 },
    );

  /** What a member mailbox's node holds of the case, once `ready` holds. */
  const workOf = (mailbox: string, ready: (work: MaracWork) => boolean, what: string) =>
    eventually(
      async () => {
        const work = await members[mailbox].get<MaracWork>(`/mailboxes/${mailbox}/marac`);
        return ready(work) ? work : undefined;
      },
      { what, timeoutMs: 90_000 },
    );

  const requestOf = async (mailbox: string) =>
    (
      await workOf(
        mailbox,
        (work) => work.requests.some((r) => r.caseId === caseId),
        `the request in ${mailbox}`,
      )
    ).requests.find((r) => r.caseId === caseId)!.requestId;

  /** The request's deadline moved into the past, as if its day had gone by. */
  const pastDeadline = (mailbox: string) =>
    maracDb.query(
      `UPDATE information_request SET due_at = now() - interval '1 hour'
        WHERE case_id = $1 AND mailbox_id = $2`,
      [caseId, mailbox],
    );

  const answered = (count: number) =>
    eventually(
      async () => {
        const [{ n }] = (await maracDb.query(
          'SELECT count(*)::int AS n FROM research_response WHERE case_id = $1',
          [caseId],
        )) as { n: number }[];
        return n >= count ? n : undefined;
      },
      { what: `${count} answers at the MARAC`, timeoutMs: 90_000 },
    );

  /** Chooses the action's owner by the words of its option (agency — mailbox). */
  const chooseOwner = async (owner: RegExp) => {
    const options = await page.locator('#owner option').allInnerTexts();
    const label = options.find((option) => owner.test(option));
    if (!label) throw new Error(`no owner option matching ${owner}: ${options.join(' | ')}`);
    await page.getByLabel('Owner agency').selectOption({ label });
  };

  beforeAll(async () => {
    await stack.start();
    maracDb = stack.marac!.app.get(DataSource);
    // One after the other: the first call creates the development issuer's key file.
    police = await apiAs(stack, stack.police, {
      subject: 'police-cad',
      roles: ['agency-system'],
      agency: 'northshire-police',
    });
    const nodeOf: Record<string, typeof stack.police> = {
      'police-safeguarding-hub': stack.police,
      'health-visiting': stack.health,
      'school-990101-dsl': stack.education,
      mash: stack.socialCare,
    };
    for (const [mailbox, node] of Object.entries(nodeOf)) {
      members[mailbox] = await apiAs(stack, node, {
        subject: `${mailbox}-user`,
        roles: ['mailbox-user'],
        mailboxes: [mailbox],
      });
    }
    await police.post('/marac/referrals', referral({}));
    [{ id: firstCaseId }] = await casesOfVictim(1);
    await police.post(
      '/marac/referrals',
      referral({
        criterion: 'professional-judgement',
        dashAnswers: dash(8),
        professionalJudgementReason: reason,
      }),
    );
    const cases = await casesOfVictim(2);
    ({ id: caseId, meeting_date: meetingDate } = cases[1]);

    await members['police-safeguarding-hub'].post(
      `/mailboxes/police-safeguarding-hub/marac/requests/${await requestOf('police-safeguarding-hub')}/response`,
      research('Known to the police since 2024.'),
    );
    await members['health-visiting'].post(
      `/mailboxes/health-visiting/marac/requests/${await requestOf('health-visiting')}/response`,
      research('Seen at home in February.'),
    );
    // The school answers after its deadline; the MASH does not answer, and its deadline passes.
    const schoolRequest = await requestOf('school-990101-dsl');
    await requestOf('mash');
    await pastDeadline('school-990101-dsl');
    await pastDeadline('mash');
    await members['school-990101-dsl'].post(
      `/mailboxes/school-990101-dsl/marac/requests/${schoolRequest}/response`,
      research('Attendance fell in February.'),
    );
    await answered(3);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await stack.stop();
  });

  it('finds the meeting on the calendar with its cases, the repeat and the late research counted', async () => {
    await signInAs(page, stack.consoleUrl, /Jo Patel/);
    await page.getByRole('link', { name: /Meetings, research tracker/ }).click();
    await page.waitForURL(`${stack.consoleUrl}/marac`);
    expect(await page.title()).toBe('MARAC meetings – Safeguarding Exchange');
    const row = page.locator(`[data-meeting="${meetingDate}"]`);
    const text = await row.innerText();
    expect(text).toMatch(/\d+ cases?, \d+ repeat/);
    expect(text).toMatch(/\d+ late/i);
    expect(text).toMatch(/\d{1,2} \w+ \d{4} at 10:00am/);
    expect(await checkPage(page, 'marac-meetings')).toEqual([]);
  });

  it('shows the agenda with the repeat marked and each case’s risk basis', async () => {
    await page.locator(`[data-meeting="${meetingDate}"] a`).click();
    await page.waitForURL(`${stack.consoleUrl}/marac/meetings/${meetingDate}`);
    const first = await page.locator(`[data-agenda-case="${firstCaseId}"]`).innerText();
    expect(first).toContain(`Victim ${victimRef}`);
    expect(first).toContain('Risk basis: Visible high risk: DASH score 14 or more');
    expect(first).toContain('DASH score 15');
    expect(first).toContain('Referred by Northshire Police on');
    expect(first).not.toContain('Repeat case');
    const repeat = await page.locator(`[data-agenda-case="${caseId}"]`).innerText();
    expect(repeat).toContain('Repeat case');
    expect(repeat).toContain('Risk basis: Professional judgement');
    expect(repeat).toContain('DASH score 8');
    expect(await checkPage(page, 'marac-meeting')).toEqual([]);
  });

  it('tracks research by case and agency name: answered, answered late, late and not answered, with when each went', async () => {
    const tracker = page.getByTestId('research-tracker');
    const headers = await tracker.locator('thead th').allInnerTexts();
    expect(headers).toEqual([
      'Case',
      'Northshire Police',
      'Northshire Community Health NHS Trust',
      "Northshire County Council, Children's Social Care",
      'Northshire County Council, Education',
    ]);
    // The badge's words as written (the design system shows them in capitals).
    const badge = async (at: Locator) => (await at.locator('.moj-badge').textContent())?.trim();
    const cell = (agency: string) =>
      page.locator(`[data-tracker-case="${caseId}"] td[data-agency="${agency}"]`);
    const police = cell('Northshire Police');
    expect(await badge(police)).toBe('Answered');
    expect(await police.innerText()).toMatch(
      /Sent \d{1,2} \w+ \d{4} at (\d{1,2}:\d{2}[ap]m|midday|midnight)/,
    );
    expect(await police.innerText()).toMatch(/Answered \d{1,2} \w+ \d{4} at/);
    expect(await police.getAttribute('class')).not.toContain('console-attention-cell');
    const mash = cell("Northshire County Council, Children's Social Care");
    // Late stands out in words, not by colour alone.
    expect(await badge(mash)).toBe('Late: not answered');
    expect(await mash.getAttribute('class')).toContain('console-attention-cell');
    expect(await mash.innerText()).toMatch(/Due by \d{1,2} \w+ \d{4} at/);
    const school = cell('Northshire County Council, Education');
    expect(await badge(school)).toBe('Answered late');
    expect(await school.getAttribute('class')).toContain('console-attention-cell');
    expect(await badge(page.locator(`[data-tracker-case="${caseId}"] th`))).toBe('2 late');
    // Names, never ids.
    const body = await page.locator('main').innerText();
    for (const id of ['northshire-police', 'mash', 'school-990101-dsl', 'health-visiting']) {
      expect(body).not.toMatch(new RegExp(`\\b${id}\\b`));
    }
  });

  it('shows the case’s pack: research with facts apart from opinion, who has not answered, the earlier referral', async () => {
    await page.locator(`[data-agenda-case="${caseId}"] a`).click();
    await page.waitForURL(`${stack.consoleUrl}/marac/cases/${caseId}`);
    const police = page.locator('[data-research="police-safeguarding-hub"]');
    expect(await police.locator('h3').innerText()).toBe(
      'Northshire Police — Northshire Police Safeguarding Hub',
    );
    expect(await police.innerText()).toMatch(/Received \d{1,2} \w+ \d{4} at/);
    const facts = await police.locator('[data-facts]').allInnerTexts();
    const opinions = await police.locator('[data-opinion]').allInnerTexts();
    expect(facts).toContain('Facts: Known to the police since 2024.');
    expect(facts).toContain('Facts: Threats to kill recorded on 1 March.');
    expect(opinions).toContain('Professional opinion: Escalating.');
    expect(facts.join(' ')).not.toContain('Escalating');
    const mash = await page.locator('[data-research="mash"]').innerText();
    expect(mash).toContain('Needs attention');
    expect(mash).toMatch(/No response — overdue/);
    const completeness = await page.getByTestId('completeness').innerText();
    expect(completeness).toContain('3 of 4 agencies have answered.');
    expect(completeness).toContain(
      "Northshire County Council, Children's Social Care — Northshire Multi-Agency Safeguarding Hub (MASH)",
    );
    expect(await page.locator('main').innerText()).toContain(`Professional judgement: ${reason}`);
    const history = await page.getByTestId('history').innerText();
    expect(history).toContain('Repeat case');
    expect(history).toMatch(
      new RegExp(
        `Referred on \\d{1,2} \\w+ \\d{4} at .+ by Northshire Police: Visible high risk \\(DASH score 14 or more\\), DASH total 15; listed for the meeting of .+ \\(case ${firstCaseId}\\)`,
      ),
    );
    expect(await checkPage(page, 'marac-case')).toEqual([]);
  });

  it('downloads the real PDF of the pack through the console: marked, named, dated', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('pack-pdf').click(),
    ]);
    expect(download.suggestedFilename()).toBe('marac-research-pack.pdf');
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Words as a reader sees them: lines the PDF wrapped are joined again.
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf })
      .toString('utf8')
      .replace(/\s+/g, ' ');
    expect(text).toContain('OFFICIAL-SENSITIVE');
    expect(text).toContain('MARAC research pack');
    expect(text).toContain(`Produced on ${formatDate(new Date())}`);
    expect(text).toContain('Northshire Police');
    expect(text).toContain('Northshire Community Health NHS Trust');
    expect(text).toContain('Northshire Police Safeguarding Hub');
    expect(text).toContain('Hillside Primary School');
    expect(text).toContain('Fact: Known to the police since 2024.');
    expect(text).toContain('Professional opinion: Escalating.');
    expect(text).toContain('Earlier referrals');
    expect(text).not.toMatch(/\bschool-990101-dsl\b/);

    const response = await page.request.get(`${stack.consoleUrl}/marac/cases/${caseId}/pack.pdf`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toBe(
      'attachment; filename="marac-research-pack.pdf"',
    );
    expect(response.headers()['cache-control']).toBe('no-store');
  });

  it('names every problem of an action form sent incomplete, keeping what was typed', async () => {
    await page.getByLabel('What the agency is to do').fill('Safety plan at school.');
    await page.getByRole('button', { name: 'Record the action' }).click();
    expect(await page.title()).toBe('Error: MARAC case – Safeguarding Exchange');
    const summary = await page.locator('.govuk-error-summary').innerText();
    expect(summary).toContain('Select the agency that owns the action');
    expect(summary).toContain('Enter the date the action is due');
    expect(summary).not.toContain('Enter what the agency is to do');
    expect(await page.getByLabel('What the agency is to do').inputValue()).toBe(
      'Safety plan at school.',
    );
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('2030');
    await chooseOwner(/Hillside Primary/);
    await page.getByRole('button', { name: 'Record the action' }).click();
    expect(await page.locator('.govuk-error-summary').innerText()).toContain(
      'The due date must be a real date, like 19 3 2027',
    );
    expect(await checkPage(page, 'marac-case-action-errors')).toEqual([]);
  });

  it('records actions, shows the owner’s acknowledgement and update, and the overdue one first', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
      new Date(),
    );
    const [year, month, day] = today.split('-');
    const record = async (owner: RegExp, description: string) => {
      await page.goto(`${stack.consoleUrl}/marac/cases/${caseId}`);
      await chooseOwner(owner);
      await page.getByLabel('What the agency is to do').fill(description);
      await page.getByLabel('Day').fill(String(Number(day)));
      await page.getByLabel('Month').fill(String(Number(month)));
      await page.getByLabel('Year').fill(year);
      await page.getByRole('button', { name: 'Record the action' }).click();
      await page.waitForURL(/recorded=1/);
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
        'Action recorded',
      );
    };
    await record(/^Northshire Police/, 'Flag the address for an urgent response.');
    await record(/^Northshire Community Health/, 'Arrange a health visitor home visit.');

    // The police action reaches its owner's node; the owner acknowledges and reports progress.
    const work = await workOf(
      'police-safeguarding-hub',
      (w) => w.actions.some((a) => a.caseId === caseId),
      'the action at the police node',
    );
    const actionId = work.actions.find((a) => a.caseId === caseId)!.actionId;
    const owner = members['police-safeguarding-hub'];
    await owner.post(
      `/mailboxes/police-safeguarding-hub/marac/actions/${actionId}/acknowledge`,
      {},
    );
    await owner.post(`/mailboxes/police-safeguarding-hub/marac/actions/${actionId}/updates`, {
      status: 'in-progress',
      note: 'Address flagged on the command and control system.',
    });
    // The health visit's due time passes.
    await maracDb.query(
      `UPDATE marac_action SET due_at = now() - interval '1 minute'
        WHERE case_id = $1 AND owner_agency_id = 'northshire-community-health'`,
      [caseId],
    );
    await eventually(
      async () => {
        const [row] = (await maracDb.query(
          `SELECT a.acknowledged_at, count(u.id)::int AS updates
             FROM marac_action a LEFT JOIN action_update u ON u.action_id = a.id
            WHERE a.id = $1 GROUP BY a.id`,
          [actionId],
        )) as { acknowledged_at: Date | null; updates: number }[];
        return row?.acknowledged_at && row.updates >= 1 ? row : undefined;
      },
      { what: 'the acknowledgement and update at the MARAC', timeoutMs: 90_000 },
    );
    await page.goto(`${stack.consoleUrl}/marac/cases/${caseId}`);
    const rows = page.locator('[data-testid="actions"] [data-action]');
    expect(await rows.count()).toBe(2);
    const first = await rows.nth(0).innerText();
    expect(first).toContain('Arrange a health visitor home visit.');
    expect((await rows.nth(0).locator('.moj-badge').textContent())?.trim()).toBe('Overdue');
    expect(first).toContain('(overdue)');
    expect(await rows.nth(0).getAttribute('class')).toContain('console-attention-row');
    const second = await rows.nth(1).innerText();
    expect(second).toContain('Northshire Police — Northshire Police Safeguarding Hub');
    expect(second).toMatch(/In progress; acknowledged \d{1,2} \w+ \d{4} at/);
    expect(second).toContain('Address flagged on the command and control system.');
    expect(await checkPage(page, 'marac-case-actions')).toEqual([]);
  });

  it('works at phone width', async () => {
    await page.setViewportSize(PHONE);
    for (const [path, name] of [
      [`/marac/meetings/${meetingDate}`, 'marac-meeting-phone'],
      [`/marac/cases/${caseId}`, 'marac-case-phone'],
    ]) {
      await page.goto(`${stack.consoleUrl}${path}`);
      expect({ path, overflow: Math.max(0, await sidewaysOverflow(page)) }).toEqual({
        path,
        overflow: 0,
      });
      expect(await checkPage(page, name)).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('gives a person without the role the 403 page, the PDF too', async () => {
    await browser.context.clearCookies();
    await signInAs(page, stack.consoleUrl, /Dana Shaw/);
    for (const path of [
      '/marac',
      `/marac/meetings/${meetingDate}`,
      `/marac/cases/${caseId}/pack.pdf`,
    ]) {
      const response = await page.request.get(`${stack.consoleUrl}${path}`);
      expect({ path, status: response.status() }).toEqual({ path, status: 403 });
      expect(await response.text()).not.toContain(victimRef);
    }
    await page.goto(`${stack.consoleUrl}/marac`);
    expect(await page.locator('main').innerText()).toContain('You cannot see this page');
  });
});
