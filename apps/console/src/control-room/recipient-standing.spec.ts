import { recipientStanding, RecipientFactsJson } from './recipient-standing';

const facts = (overrides: Partial<RecipientFactsJson>): RecipientFactsJson => ({
  mailboxId: 'school-990101-dsl',
  role: 'school',
  status: 'delivered',
  acknowledgeBy: '2026-12-07T08:30:00Z',
  deliveredAt: '2026-12-04T18:05:00Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  overdueAt: null,
  sharingRefusal: null,
  rejection: null,
  ...overrides,
});
const names = (id: string) => ({ 'school-990101-dsl': 'Hillside Primary School (DSL)' })[id];

describe('a recipient in the control room, in plain words', () => {
  it('names the recipient by the area file, never by its mailbox id', () => {
    expect(recipientStanding(facts({}), names).recipient).toBe('Hillside Primary School (DSL)');
    expect(
      recipientStanding(facts({ mailboxId: '1000000', role: 'school' }), names).recipient,
    ).toBe('The child’s school (not in the area’s registry)');
  });

  it('says when it was delivered and when it is due, in London time', () => {
    expect(recipientStanding(facts({}), names)).toMatchObject({
      badge: 'Delivered',
      colour: 'blue',
      detail:
        'Delivered at 4 December 2026 at 6:05pm; to be acknowledged by 7 December 2026 at 8:30am',
    });
  });

  it('says who acknowledged it and when (summer time applied)', () => {
    const standing = recipientStanding(
      facts({
        status: 'acknowledged',
        acknowledgedBy: 'dsl-hillside',
        acknowledgedAt: '2026-06-01T08:05:00Z',
      }),
      names,
    );
    expect(standing).toMatchObject({ badge: 'Acknowledged', colour: 'green' });
    expect(standing.detail).toBe('Acknowledged by dsl-hillside at 1 June 2026 at 9:05am');
  });

  it('makes overdue and refused rows stand out, with the reason in words', () => {
    expect(
      recipientStanding(facts({ status: 'overdue', overdueAt: '2026-12-07T08:30:00Z' }), names),
    ).toMatchObject({
      overdue: true,
      colour: 'red',
      detail: 'Not acknowledged: overdue since 7 December 2026 at 8:30am',
    });
    expect(
      recipientStanding(
        facts({
          status: 'rejected',
          rejection: { code: 'RECIPIENT_UNKNOWN', reason: 'the area has none of …: 1000000' },
        }),
        names,
      ),
    ).toMatchObject({
      refused: true,
      badge: 'Refused',
      detail:
        'Refused by the exchange: the exchange has no mailbox for this recipient (for a school, check the school’s URN in the force’s record)',
    });
    expect(
      recipientStanding(
        facts({
          status: 'sharing-refused',
          sharingRefusal: { reason: 'The MASH is told of high-risk incidents only' },
        }),
        names,
      ),
    ).toMatchObject({
      refused: true,
      badge: 'Not shared',
      detail:
        'Not shared under the area’s sharing policy: The MASH is told of high-risk incidents only',
    });
  });
});
