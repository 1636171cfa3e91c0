/** Every time people read is in the area's time zone, however the server is set. */
export const AREA_TIME_ZONE = 'Europe/London';

/** One pair of formatters per time zone, made once. */
const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string) {
  let found = formatters.get(timeZone);
  if (!found) {
    found = {
      date: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }),
      time: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hour: 'numeric',
        minute: '2-digit',
        hourCycle: 'h12',
      }),
    };
    formatters.set(timeZone, found);
  }
  return found;
}

/** "3 December 2026", the way people write a date (GOV.UK style). */
export function formatDate(value: string | Date, timeZone = AREA_TIME_ZONE): string {
  return formattersFor(timeZone).date.format(new Date(value));
}

/** "9:05am" or "midday", London time (or the zone given). */
export function formatTime(value: string | Date, timeZone = AREA_TIME_ZONE): string {
  const parts = formattersFor(timeZone).time.formatToParts(new Date(value));
  const hour = parts.find((part) => part.type === 'hour')?.value ?? '';
  const minute = parts.find((part) => part.type === 'minute')?.value ?? '00';
  const period = (parts.find((part) => part.type === 'dayPeriod')?.value ?? '').toLowerCase();
  if (hour === '12' && minute === '00') return period.startsWith('p') ? 'midday' : 'midnight';
  return `${hour}:${minute}${period.replace(/\./g, '').replace(/\s/g, '')}`;
}

/** "3 December 2026 at 9:05am", London time (or the zone given). */
export function formatDateTime(value: string | Date, timeZone = AREA_TIME_ZONE): string {
  return `${formatDate(value, timeZone)} at ${formatTime(value, timeZone)}`;
}

/** "in 2 hours 5 minutes" or "overdue by 1 day 3 hours", to the minute. */
export function countdown(due: string | Date, now: Date): string {
  const ms = new Date(due).getTime() - now.getTime();
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const spans = [
    days ? plural(days, 'day') : '',
    hours ? plural(hours, 'hour') : '',
    !days && mins ? plural(mins, 'minute') : '',
  ].filter(Boolean);
  const span = spans.join(' ') || 'less than a minute';
  return ms >= 0 ? `in ${span}` : `overdue by ${span}`;
}

/**
 * A date and a time as people type them in the area ("3", "12", "2026", "14:30" or "2.30pm"),
 * as an instant, or null when they are not a real date and time. London's offset on that day
 * (GMT or BST) is applied.
 */
export function areaDateTime(day: string, month: string, year: string, time: string): Date | null {
  const [d, m, y] = [day, month, year].map((part) => Number(part.trim()));
  const clock = /^(\d{1,2})[:.](\d{2})\s*(am|pm)?$/i.exec(time.trim());
  if (!clock || ![d, m, y].every(Number.isInteger) || y < 1900 || y > 9999) return null;
  let hours = Number(clock[1]);
  const minutes = Number(clock[2]);
  const period = clock[3]?.toLowerCase();
  if (period) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (period === 'pm' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59) return null;
  const asUtc = Date.UTC(y, m - 1, d, hours, minutes);
  const check = new Date(asUtc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== m - 1) return null;
  // The London wall clock at that instant differs from UTC by the offset to take away.
  return new Date(asUtc - londonOffsetMs(new Date(asUtc - londonOffsetMs(check))));
}

const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: AREA_TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

function londonOffsetMs(at: Date): number {
  const parts = Object.fromEntries(
    wallClock.formatToParts(at).map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return wall - Math.floor(at.getTime() / 60_000) * 60_000;
}
