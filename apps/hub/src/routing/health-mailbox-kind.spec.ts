import { ageOn, healthMailboxKindFor } from './health-mailbox-kind';

describe('the health mailbox for a child, by age on the day', () => {
  const zone = 'Europe/London';

  it.each([
    ['a baby', '2026-01-10', '2026-11-27T20:00:00Z', 'health-visiting'],
    ['the day before the fifth birthday', '2021-11-28', '2026-11-27T12:00:00Z', 'health-visiting'],
    ['the fifth birthday', '2021-11-27', '2026-11-27T12:00:00Z', 'school-nursing'],
    ['a teenager', '2011-05-02', '2026-11-27T12:00:00Z', 'school-nursing'],
    // 23:30 UTC on 30 June is already 1 July in London (BST): the child is five there.
    ['the birthday in local time', '2021-07-01', '2026-06-30T23:30:00Z', 'school-nursing'],
  ])('%s', (_, dateOfBirth, on, kind) => {
    expect(healthMailboxKindFor(dateOfBirth, new Date(on), zone)).toBe(kind);
  });

  it('counts a leap-day birthday from 1 March in other years', () => {
    expect(ageOn('2020-02-29', { year: 2025, month: 2, day: 28 })).toBe(4);
    expect(ageOn('2020-02-29', { year: 2025, month: 3, day: 1 })).toBe(5);
  });
});
