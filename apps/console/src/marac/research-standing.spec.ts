import { researchStanding, TrackerCellJson } from './research-standing';

const cell = (overrides: Partial<TrackerCellJson>): TrackerCellJson => ({
  requestId: 'r-1',
  agencyId: 'northshire-police',
  agencyName: 'Northshire Police',
  mailboxId: 'police-safeguarding-hub',
  mailboxName: 'Northshire Police Safeguarding Hub',
  standing: 'due',
  sentAt: '2026-03-02T09:00:05.000Z',
  dueAt: '2026-03-17T00:00:00.000Z',
  answeredAt: null,
  escalatedAt: null,
  notDeliveredCode: null,
  ...overrides,
});

describe('researchStanding', () => {
  it('says when the request went and when it is due, in the area’s time', () => {
    expect(researchStanding(cell({}))).toEqual({
      mailbox: 'Northshire Police Safeguarding Hub',
      badge: 'Due',
      colour: 'blue',
      late: false,
      lines: ['Sent 2 March 2026 at 9:00am', 'Due by 17 March 2026 at midnight'],
    });
  });

  it('marks an unanswered request past its deadline late in words, with its escalation', () => {
    const standing = researchStanding(
      cell({ standing: 'overdue', escalatedAt: '2026-07-17T09:00:00.000Z' }),
    );
    expect(standing).toMatchObject({ badge: 'Late: not answered', late: true, colour: 'red' });
    // British Summer Time in July: 10:00am in the area.
    expect(standing.lines).toContain('Escalated 17 July 2026 at 10:00am');
  });

  it('keeps a late answer late, and names a request the exchange did not deliver', () => {
    expect(
      researchStanding(cell({ standing: 'answered-late', answeredAt: '2026-03-17T14:00:00.000Z' })),
    ).toMatchObject({
      badge: 'Answered late',
      late: true,
      lines: expect.arrayContaining(['Answered 17 March 2026 at 2:00pm']),
    });
    expect(
      researchStanding(cell({ standing: 'not-delivered', notDeliveredCode: 'NOT_A_MARAC_MEMBER' })),
    ).toMatchObject({
      badge: 'Not delivered',
      late: true,
      lines: expect.arrayContaining([
        'The exchange did not deliver it (NOT_A_MARAC_MEMBER): never asked',
      ]),
    });
  });
});
