import { parseTrailSearch } from './trail-search-form';

const choices = {
  agencies: ['northshire-police'],
  mailboxes: ['mash'],
  types: ['uk.safeguarding.exchange.referral'],
};

describe('the trail search form', () => {
  it('takes every filter, with UK dates as instants: "to" a whole day takes in that day', () => {
    const parsed = parseTrailSearch(
      {
        subjectRef: 'subj-123',
        agency: 'northshire-police',
        mailbox: 'mash',
        type: 'uk.safeguarding.exchange.referral',
        action: 'routed',
        'from-day': '1',
        'from-month': '7',
        'from-year': '2026',
        'from-time': '9:30am',
        'to-day': '6',
        'to-month': '12',
        'to-year': '2026',
      },
      choices,
    );
    expect(parsed).toEqual({
      ok: true,
      empty: false,
      filter: {
        subjectRef: 'subj-123',
        agency: 'northshire-police',
        mailbox: 'mash',
        type: 'uk.safeguarding.exchange.referral',
        action: 'routed',
        // 9:30am British Summer Time; the end of 6 December in GMT.
        from: '2026-07-01T08:30:00.000Z',
        to: '2026-12-07T00:00:00.000Z',
      },
    });
  });

  it('takes the end of a month and a year for "to"', () => {
    const parsed = parseTrailSearch(
      { 'to-day': '31', 'to-month': '12', 'to-year': '2026' },
      choices,
    );
    expect(parsed).toMatchObject({ ok: true, filter: { to: '2027-01-01T00:00:00.000Z' } });
  });

  it('is an empty search when nothing is filled in', () => {
    expect(parseTrailSearch({ subjectRef: '', agency: '' }, choices)).toEqual({
      ok: true,
      empty: true,
      filter: {},
    });
  });

  it('names every problem, in the order of the form, each linking to its field', () => {
    const parsed = parseTrailSearch(
      {
        subjectRef: 'Riley Testchild',
        agency: 'somewhere-else',
        mailbox: 'nobody',
        type: 'made-up',
        action: 'exploded',
        'from-day': '31',
        'from-month': '2',
        'from-year': '2026',
        'to-day': '3',
        'to-year': '2026',
      },
      choices,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.summary).toEqual([
      {
        href: '#subjectRef',
        text: 'Enter the subject reference the exchange gave the child: 3 to 200 letters, digits and . _ : - with no spaces (never a name)',
      },
      { href: '#agency', text: 'Choose an agency from the list' },
      { href: '#mailbox', text: 'Choose a mailbox from the list' },
      { href: '#type', text: 'Choose a message type from the list' },
      { href: '#action', text: 'Choose what happened from the list' },
      { href: '#from-day', text: 'From must be a real date, for example 3 12 2026' },
      { href: '#to-day', text: 'To must include a day, month and year' },
    ]);
  });

  it('refuses a time that is not one, and "to" before "from"', () => {
    const badTime = parseTrailSearch(
      { 'from-day': '3', 'from-month': '12', 'from-year': '2026', 'from-time': '25:00' },
      choices,
    );
    expect(badTime).toMatchObject({
      ok: false,
      errors: {
        fields: {
          from: 'From must be a real date and a UK time, for example 3 12 2026 and 14:30',
        },
      },
    });
    const backwards = parseTrailSearch(
      {
        'from-day': '6',
        'from-month': '12',
        'from-year': '2026',
        'to-day': '5',
        'to-month': '12',
        'to-year': '2026',
      },
      choices,
    );
    expect(backwards).toMatchObject({
      ok: false,
      errors: { fields: { to: 'To must be after From' } },
    });
  });
});
