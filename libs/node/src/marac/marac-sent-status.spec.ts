import { referralSummary } from './marac-sent-status';

const sentAt = new Date('2026-03-02T09:00:00Z');
const later = new Date('2026-03-02T09:00:05Z');

const row = (change: Record<string, unknown> = {}) => ({
  message_id: 'r-1',
  kind: 'marac-referral',
  ref_id: 'r-1',
  mailbox_id: 'police-safeguarding-hub',
  sent_at: sentAt,
  delivered_at: null,
  refused_at: null,
  refusal_code: null,
  refusal_reason: null,
  decision: null,
  decision_message_id: null,
  decided_at: null,
  decision_case_id: null,
  decision_meeting_date: null,
  decision_meeting_at: null,
  decision_code: null,
  decision_reason: null,
  ...change,
});

const listed = {
  decision: 'listed',
  decision_message_id: 'd-1',
  decided_at: later,
  decision_case_id: 'case-1',
  decision_meeting_date: '2026-03-19',
  decision_meeting_at: new Date('2026-03-19T10:00:00Z'),
};

const refusedByMarac = {
  decision: 'refused',
  decision_message_id: 'd-1',
  decided_at: later,
  decision_code: 'CRITERION_NOT_MET',
  decision_reason: 'criterion: repeat needs a previous MARAC referral',
};

describe("a MARAC referral's status at the referrer's node", () => {
  it.each([
    ['sent', row(), 'sent'],
    ['delivered to the MARAC', row({ delivered_at: later }), 'delivered'],
    ['listed, with the receipt', row({ delivered_at: later, ...listed }), 'listed'],
    // The decision and the forwarded receipt travel apart: either may come first.
    ['listed before the receipt arrived', row(listed), 'listed'],
    ['refused by the MARAC', row({ delivered_at: later, ...refusedByMarac }), 'refused'],
    [
      'refused by the exchange (it never reached the MARAC)',
      row({ refused_at: later, refusal_code: 'RECIPIENT_UNKNOWN', refusal_reason: 'no' }),
      'refused',
    ],
  ])('%s', (_, given, status) => {
    expect(referralSummary(given).status).toBe(status);
  });

  it('shows the listing with its meeting, and no refusal', () => {
    expect(referralSummary(row({ delivered_at: later, ...listed }))).toMatchObject({
      referrerMailboxId: 'police-safeguarding-hub',
      decisionMessageId: 'd-1',
      listing: {
        caseId: 'case-1',
        meetingDate: '2026-03-19',
        meetingAt: '2026-03-19T10:00:00.000Z',
        decidedAt: '2026-03-02T09:00:05.000Z',
      },
      refusal: null,
    });
  });

  it("says who refused: the MARAC's code and rule, or the exchange's", () => {
    expect(referralSummary(row(refusedByMarac)).refusal).toEqual({
      by: 'marac',
      code: 'CRITERION_NOT_MET',
      reason: 'criterion: repeat needs a previous MARAC referral',
      at: '2026-03-02T09:00:05.000Z',
    });
    expect(
      referralSummary(
        row({ refused_at: later, refusal_code: 'SHARING_REFUSED', refusal_reason: 'rule' }),
      ).refusal,
    ).toEqual({ by: 'exchange', code: 'SHARING_REFUSED', reason: 'rule', at: later.toISOString() });
  });
});
