import type { MailboxCorrection } from '@app/node';

import { changesBetween, correctionNotice } from './correction-notice';

const ENCOMPASS = 'uk.safeguarding.exchange.domestic-abuse-notification-view';

const entry = (correctionNumber: number, kind: string, reason: string) => ({
  messageId: `m-${correctionNumber}`,
  correctionNumber,
  kind,
  reason,
  correctedAt: '2026-12-06T21:40:00Z',
  receivedAt: '2026-12-06T21:41:00Z',
  acknowledgedAt: null,
});

describe('a corrected notification as the page shows it', () => {
  const first = {
    policeReference: 'NP-1',
    child: { name: 'Amy Example', dateOfBirth: '2016-06-01' },
  };
  const now = {
    policeReference: 'NP-1',
    child: { name: 'Amy Example', dateOfBirth: '2016-07-02' },
  };

  it('says who corrected it, when and why, and what changed, in words', () => {
    const correction: MailboxCorrection = {
      originalMessageId: 'o',
      state: 'amended',
      current: now,
      history: [entry(1, 'amended', 'wrong date of birth')],
    };
    const notice = correctionNotice(correction, ENCOMPASS, first);
    expect(notice.summary).toBe(
      'Corrected on 6 December 2026 at 9:40pm by the police: wrong date of birth',
    );
    expect(notice.changes).toEqual([
      { label: 'Child, date of birth', was: '1 June 2016', now: '2 July 2016' },
    ]);
    expect(notice.history).toEqual([
      {
        number: 1,
        kind: 'Corrected',
        reason: 'wrong date of birth',
        corrected: '6 December 2026 at 9:40pm',
        received: '6 December 2026 at 9:41pm',
        acknowledged: null,
      },
    ]);
  });

  it('shows nothing of the first version for a withdrawn or misdirected one', () => {
    for (const state of ['withdrawn', 'not-for-recipient'] as const) {
      const notice = correctionNotice(
        {
          originalMessageId: 'o',
          state,
          current: null,
          history: [entry(1, 'amended', 'dob'), entry(2, state, 'another school')],
        },
        ENCOMPASS,
        first,
      );
      expect(notice.changes).toEqual([]);
      expect(notice.summary).toMatch(
        /^(Withdrawn|Redirected) on .+ by the police: another school$/,
      );
      expect(notice.history.map((row) => row.kind)).toEqual([
        'Corrected',
        state === 'withdrawn' ? 'Withdrawn' : 'Not for you',
      ]);
    }
  });

  it('names an added and a removed field', () => {
    expect(changesBetween({ a: 'x' }, { b: true })).toEqual([
      { label: 'B', was: 'Not given', now: 'Yes' },
      { label: 'A', was: 'x', now: 'Removed' },
    ]);
  });
});
