/**
 * The latest time a jail may hold someone on a detainer. 8 CFR 287.7(d) (pre-2012 I-247): "not to
 * exceed 48 hours, excluding Saturdays, Sundays, and holidays", so a hold that starts on a Friday
 * evening runs into the middle of the next week (docs/domain.md §3).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Tells whether a calendar day (YYYY-MM-DD, the jail's local date) is a holiday excluded from the
 * hold. decide.ts passes the federal calendar (federal-holidays.ts).
 */
export type HolidayCalendar = (isoDate: string) => boolean;

/** A calendar without holidays: weekends only. */
export const NO_HOLIDAYS: HolidayCalendar = () => false;

export interface HoldDeadlineOptions {
  /**
   * Offset of the jail's local time from UTC, in minutes (e.g. -300 for UTC-05:00): weekends and
   * holidays are the jail's. Default 0 (UTC).
   */
  utcOffsetMinutes?: number;
  /** Consulted only when weekends are excluded. */
  isHoliday?: HolidayCalendar;
}

/**
 * `from` plus `limitHours` hours; when `excludeWeekends` is set, only hours on weekdays that are not
 * holidays count, so a hold starting on a Saturday starts counting at Monday 00:00 local time.
 */
export function holdDeadline(
  from: Date,
  limitHours: number,
  excludeWeekends: boolean,
  options: HoldDeadlineOptions = {},
): Date {
  if (!Number.isFinite(from.getTime())) throw new RangeError('holdDeadline: invalid start time');
  if (!Number.isFinite(limitHours) || limitHours < 0) {
    throw new RangeError(`holdDeadline: limitHours must be a non-negative number, got ${limitHours}`);
  }
  if (!excludeWeekends || limitHours === 0) return new Date(from.getTime() + limitHours * HOUR_MS);

  const offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
  const isHoliday = options.isHoliday ?? NO_HOLIDAYS;
  // Work on "local time as if it were UTC", so that getUTCDay and day boundaries are the jail's.
  let cursor = from.getTime() + offsetMs;
  let remaining = limitHours * HOUR_MS;
  // Enough days for any real limit: every week has at least one countable day unless the calendar
  // excludes whole weeks, which would be a bug in the calendar.
  const maxDays = Math.ceil(limitHours / 24) * 7 + 14;
  for (let day = 0; day <= maxDays; day++) {
    const dayStart = Math.floor(cursor / DAY_MS) * DAY_MS;
    const nextDay = dayStart + DAY_MS;
    if (isCountable(new Date(dayStart), isHoliday)) {
      const counted = Math.min(remaining, nextDay - cursor);
      remaining -= counted;
      cursor += counted;
      if (remaining <= 0) return new Date(cursor - offsetMs);
    }
    cursor = nextDay;
  }
  throw new Error('holdDeadline: the holiday calendar leaves no countable days');
}

function isCountable(localDay: Date, isHoliday: HolidayCalendar): boolean {
  const weekday = localDay.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !isHoliday(localDay.toISOString().slice(0, 10));
}

/**
 * The UTC offset, in minutes, written in an ISO 8601 date-time ("Z", "+hh:mm" or "-hh:mm"), as the
 * booking's bookedAt carries it. 0 when there is none.
 */
export function utcOffsetMinutesOf(isoDateTime: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(isoDateTime);
  if (!match) return 0;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}
