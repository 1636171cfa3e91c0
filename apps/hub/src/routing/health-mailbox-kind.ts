import { localParts } from '@app/calendar';

/** Health visitors see children from birth until they turn five; school nurses from then on. */
export const HEALTH_VISITING_UNTIL_AGE = 5;

/** Whole years of age on a local calendar date, from a `YYYY-MM-DD` date of birth. */
export function ageOn(
  dateOfBirth: string,
  on: { year: number; month: number; day: number },
): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number);
  const hadBirthday = on.month > month || (on.month === month && on.day >= day);
  return on.year - year - (hadBirthday ? 0 : 1);
}

/**
 * Which health mailbox hears of a child (a missing episode, a domestic abuse incident): the
 * health visiting team for a child under five on the day it happened (in the area's time zone),
 * the school nursing service from the fifth birthday on — the line between the two services in
 * England (the Healthy Child Programme 0–5 and 5–19), whether or not a four-year-old has started
 * reception.
 */
export function healthMailboxKindFor(
  dateOfBirth: string,
  on: Date,
  timeZone: string,
): 'health-visiting' | 'school-nursing' {
  const age = ageOn(dateOfBirth, localParts(on, timeZone));
  return age < HEALTH_VISITING_UNTIL_AGE ? 'health-visiting' : 'school-nursing';
}
