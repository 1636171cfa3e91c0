import { ResearchPack } from '../cases/case-queries.service';
import { escapeHtml } from './escape-html';
import { renderPackHtml } from './pack-html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('writes null and undefined as nothing and numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(14)).toBe('14');
  });
});

describe('renderPackHtml', () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const pack: ResearchPack = {
    generatedAt: '2026-03-18T09:00:00.000Z',
    case: {
      caseId: 'c-1',
      victimRef: 'V-1',
      perpetratorRef: 'P-1',
      referringAgencyId: 'northshire-police',
      referredAt: '2026-03-02T09:00:00.000Z',
      criterion: 'professional-judgement',
      dashTotal: 9,
      repeat: false,
      meetingDate: '2026-03-19',
      meetingAt: '2026-03-19T10:00:00.000Z',
      responsesDueAt: '2026-03-17T00:00:00.000Z',
      children: [{ subjectRef: 'C-1', schoolUrn: '990101' }],
      dashAnswers: null,
      dashTotalComputed: true,
      dashAnswersMissingReason: null,
      professionalJudgementReason: hostile,
      incidentsLast12Months: null,
      previousCaseId: null,
    },
    agencies: [
      {
        requestId: 'r-1',
        agencyId: 'northshire-police',
        agencyKind: 'police',
        mailboxId: 'police-safeguarding-hub',
        dueAt: '2026-03-17T00:00:00.000Z',
        state: 'answered',
        overdue: false,
        escalatedAt: null,
        escalationMailboxId: 'police-escalation',
        notDelivered: null,
        response: {
          receivedAt: '2026-03-10T09:00:00.000Z',
          late: false,
          form: {
            victimInvolvement: { facts: hostile, opinion: 'worried "a lot"' },
            perpetratorInvolvement: { facts: 'none' },
            childrenInvolvement: [],
            knownRisks: { facts: 'x' },
            currentActions: 'y',
            contact: 'z',
          },
          purged: null,
        },
      },
    ],
    notAnswered: [],
    overdue: [],
    notDelivered: [],
    actions: [],
  };

  it('escapes every value and contains no script or external asset', () => {
    const html = renderPackHtml(pack);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href|on[a-z]+)=/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('worried &quot;a lot&quot;');
    expect(html).toContain('@media print');
  });

  it('labels fact and opinion apart', () => {
    const html = renderPackHtml(pack);
    expect(html).toContain('<div class="fact"><span class="label">Fact:</span>');
    expect(html).toContain('<div class="opinion"><span class="label">Professional opinion:</span>');
  });

  it('shows purged answers as purged, with when and the rule, and none of their text', () => {
    const [answered] = pack.agencies;
    const html = renderPackHtml({
      ...pack,
      agencies: [
        {
          ...answered,
          response: {
            ...answered.response!,
            form: null,
            purged: { at: '2027-04-01T00:00:00.000Z', rule: 'marac-research-case-closed' },
          },
        },
      ],
    });
    expect(html).toContain(
      'Answers purged on 2027-04-01T00:00:00.000Z under the retention rule marac-research-case-closed.',
    );
    expect(html).toContain('Received 2026-03-10T09:00:00.000Z');
    expect(html).not.toContain('Involvement with the victim');
  });

  it('says which requests the exchange did not deliver, with the code', () => {
    const html = renderPackHtml({
      ...pack,
      agencies: [
        ...pack.agencies,
        {
          requestId: 'r-2',
          agencyId: 'northshire-community-health',
          agencyKind: 'health',
          mailboxId: 'health-visiting',
          dueAt: '2026-03-17T00:00:00.000Z',
          state: 'awaiting',
          overdue: false,
          escalatedAt: null,
          escalationMailboxId: 'health-escalation',
          notDelivered: { code: 'NOT_A_MARAC_MEMBER', reason: 'not a member' },
          response: null,
        },
      ],
      notAnswered: [{ agencyId: 'northshire-community-health', mailboxId: 'health-visiting' }],
      notDelivered: [
        {
          agencyId: 'northshire-community-health',
          mailboxId: 'health-visiting',
          code: 'NOT_A_MARAC_MEMBER',
        },
      ],
    });
    expect(html).toContain('<h3>Not delivered by the exchange</h3>');
    expect(html).toContain('Request not delivered by the exchange: NOT_A_MARAC_MEMBER');
  });
});
