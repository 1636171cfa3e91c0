import { ResearchPack } from '../cases/case-queries.service';
import { escapeHtml } from './escape-html';
import { renderPackHtml } from './pack-html';
import { examplePack, testAreaNames, withUndeliveredHealthRequest } from './pack.test-support';
import { readablePack } from './readable-pack';

const render = (pack: ResearchPack) =>
  renderPackHtml(readablePack(pack, testAreaNames, 'Europe/London'));

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
  const pack = examplePack(hostile);

  it('escapes every value and contains no script or external asset', () => {
    const html = render(pack);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\s(src|href|on[a-z]+)=/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('worried &quot;a lot&quot;');
    expect(html).toContain('@media print');
  });

  it('labels fact and opinion apart', () => {
    const html = render(pack);
    expect(html).toContain('<div class="fact"><span class="label">Fact:</span>');
    expect(html).toContain('<div class="opinion"><span class="label">Professional opinion:</span>');
  });

  it('is marked OFFICIAL-SENSITIVE and names agencies and mailboxes, with local times', () => {
    const html = render(pack);
    expect(html).toContain('<p class="marking">OFFICIAL-SENSITIVE</p>');
    expect(html).toContain('<h3>Northshire Police — Police safeguarding hub</h3>');
    expect(html).toContain('Referred by</th><td><pre>Northshire Police on 2 March 2026 at 9:00am');
    expect(html).toContain(
      'Meeting on 19 March 2026 at 10:00am. Produced on 18 March 2026 at 9:00am.',
    );
    expect(html).toContain('Received 10 March 2026 at 9:00am; due 17 March 2026 at midnight.');
    expect(html).not.toContain('2026-03-10T09:00:00.000Z');
  });

  it('shows purged answers as purged, with when and the rule, and none of their text', () => {
    const [answered] = pack.agencies;
    const html = render({
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
    // 1 April 2027 is summer time in London: midnight UTC is 1am.
    expect(html).toContain(
      'Answers purged on 1 April 2027 at 1:00am under the retention rule marac-research-case-closed.',
    );
    expect(html).toContain('Received 10 March 2026 at 9:00am');
    expect(html).not.toContain('Involvement with the victim');
  });

  it('says which requests the exchange did not deliver, with the code', () => {
    const html = render(withUndeliveredHealthRequest(pack));
    expect(html).toContain('<h3>Not delivered by the exchange</h3>');
    expect(html).toContain(
      '<li>Northshire Community Health NHS Trust — Health visiting team: NOT_A_MARAC_MEMBER</li>',
    );
    expect(html).toContain('Request not delivered by the exchange: NOT_A_MARAC_MEMBER');
  });
});
