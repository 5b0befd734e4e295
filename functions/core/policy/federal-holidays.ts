import type { HolidayCalendar } from './hold-deadline';

/**
 * Federal legal public holidays, 5 U.S.C. 6103(a), with the days they are observed on when they fall
 * on a weekend (6103(b) and Executive Order 11582: Saturday -> the Friday before, Sunday -> the
 * Monday after). A detainer hold under 8 CFR 287.7(d) excludes "Saturdays, Sundays, and holidays";
 * the jail's calendar is the federal one here (a state's own holidays are not modeled).
 *
 * Dates of adoption that matter to the bookings this project decides (2008 on): Juneteenth from 2021
 * (Pub. L. 117-17); the rest long before 2008 (Martin Luther King Jr. Day from 1986).
 */

type Rule = { name: string; from?: number } & (
  | { month: number; day: number }
  | { month: number; weekday: number; nth: number } // nth -1: the last one
);

const RULES: readonly Rule[] = [
  { name: "New Year's Day", month: 1, day: 1 },
  { name: 'Birthday of Martin Luther King, Jr.', month: 1, weekday: 1, nth: 3, from: 1986 },
  { name: "Washington's Birthday", month: 2, weekday: 1, nth: 3 },
  { name: 'Memorial Day', month: 5, weekday: 1, nth: -1 },
  { name: 'Juneteenth National Independence Day', month: 6, day: 19, from: 2021 },
  { name: 'Independence Day', month: 7, day: 4 },
  { name: 'Labor Day', month: 9, weekday: 1, nth: 1 },
  { name: 'Columbus Day', month: 10, weekday: 1, nth: 2 },
  { name: 'Veterans Day', month: 11, day: 11 },
  { name: 'Thanksgiving Day', month: 11, weekday: 4, nth: 4 },
  { name: 'Christmas Day', month: 12, day: 25 },
];

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

function nthWeekday(year: number, month: number, weekday: number, nth: number): Date {
  if (nth > 0) {
    const first = utc(year, month, 1);
    return utc(year, month, 1 + ((weekday - first.getUTCDay() + 7) % 7) + (nth - 1) * 7);
  }
  const last = utc(year, month + 1, 0);
  return utc(year, month, last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7));
}

/** A holiday's observed day: a Saturday holiday is observed on Friday, a Sunday one on Monday. */
function observed(date: Date): Date {
  const weekday = date.getUTCDay();
  if (weekday === 6) return new Date(date.getTime() - 86_400_000);
  if (weekday === 0) return new Date(date.getTime() + 86_400_000);
  return date;
}

/** The observed federal holidays of a year, as YYYY-MM-DD -> name (a Saturday New Year's Day of the next year is observed on December 31). */
export function federalHolidays(year: number): Map<string, string> {
  const days = new Map<string, string>();
  for (const y of [year, year + 1]) {
    for (const rule of RULES) {
      if (rule.from !== undefined && y < rule.from) continue;
      const actual = 'day' in rule ? utc(y, rule.month, rule.day) : nthWeekday(y, rule.month, rule.weekday, rule.nth);
      const day = observed(actual);
      if (day.getUTCFullYear() === year) days.set(iso(day), rule.name);
    }
  }
  return days;
}

const cache = new Map<number, Map<string, string>>();

/** The federal holiday calendar (observed days) for hold deadlines. */
export const FEDERAL_HOLIDAYS: HolidayCalendar = (isoDate) => {
  const year = Number(isoDate.slice(0, 4));
  let days = cache.get(year);
  if (!days) cache.set(year, (days = federalHolidays(year)));
  return days.has(isoDate);
};
