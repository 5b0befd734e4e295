import { describe, expect, it } from 'vitest';
import { holdDeadline, NO_HOLIDAYS, utcOffsetMinutesOf } from '#core/policy/hold-deadline';

describe('holdDeadline (8 CFR 287.7(d): 48 hours excluding Saturdays, Sundays and holidays)', () => {
  describe.each<[string, string, number, boolean, string]>([
    // 6 h Friday, 24 h Monday, 18 h Tuesday.
    ['Friday evening, across the weekend', '2011-06-10T18:00:00Z', 48, true, '2011-06-14T18:00:00.000Z'],
    ['Friday midnight', '2011-06-10T00:00:00Z', 48, true, '2011-06-14T00:00:00.000Z'],
    // 14 h Thursday, 24 h Friday, 10 h Monday.
    ['Thursday morning', '2011-06-09T10:00:00Z', 48, true, '2011-06-13T10:00:00.000Z'],
    ['Monday morning, no weekend in the way', '2011-06-06T10:00:00Z', 48, true, '2011-06-08T10:00:00.000Z'],
    // Counting starts Monday 00:00.
    ['Saturday noon', '2011-06-11T12:00:00Z', 48, true, '2011-06-15T00:00:00.000Z'],
    ['Sunday late evening', '2011-06-12T23:00:00Z', 48, true, '2011-06-15T00:00:00.000Z'],
    ['Friday evening, weekends not excluded', '2011-06-10T18:00:00Z', 48, false, '2011-06-12T18:00:00.000Z'],
    ['no hold at all', '2011-06-11T12:00:00Z', 0, true, '2011-06-11T12:00:00.000Z'],
  ])('%s', (_name, from, hours, excludeWeekends, expected) => {
    it(`ends at ${expected}`, () => {
      // Prepare
      const start = new Date(from);
      // Act
      const deadline = holdDeadline(start, hours, excludeWeekends);
      // Assess
      expect(deadline.toISOString()).toBe(expected);
    });
  });

  it("counts the jail's weekend, not UTC's", () => {
    // Prepare: Friday 20:00 in UTC-05:00 is already Saturday 01:00 UTC.
    const start = new Date('2011-06-10T20:00:00-05:00');
    // Act
    const local = holdDeadline(start, 48, true, { utcOffsetMinutes: -300 });
    const utc = holdDeadline(start, 48, true);
    // Assess: local: 4 h Friday, 24 h Monday, 20 h Tuesday -> Tuesday 20:00 local.
    expect(local.toISOString()).toBe('2011-06-15T01:00:00.000Z');
    expect(utc.toISOString()).toBe('2011-06-15T00:00:00.000Z');
  });

  it('skips the days a holiday calendar names (extension point; none by default)', () => {
    // Prepare: Monday 2011-06-13 declared a holiday.
    const start = new Date('2011-06-10T18:00:00Z');
    // Act
    const withHoliday = holdDeadline(start, 48, true, { isHoliday: (day) => day === '2011-06-13' });
    const withoutHolidays = holdDeadline(start, 48, true, { isHoliday: NO_HOLIDAYS });
    // Assess
    expect(withHoliday.toISOString()).toBe('2011-06-15T18:00:00.000Z');
    expect(withoutHolidays.toISOString()).toBe('2011-06-14T18:00:00.000Z');
  });

  it('rejects a negative limit and an invalid start', () => {
    // Act / Assess
    expect(() => holdDeadline(new Date('2011-06-10T18:00:00Z'), -1, true)).toThrow(/limitHours/);
    expect(() => holdDeadline(new Date('not a date'), 48, true)).toThrow(/invalid start/);
  });

  it('fails plainly when a calendar leaves no day to count', () => {
    // Act / Assess
    expect(() => holdDeadline(new Date('2011-06-10T18:00:00Z'), 48, true, { isHoliday: () => true })).toThrow(
      /no countable days/,
    );
  });
});

describe('utcOffsetMinutesOf', () => {
  describe.each([
    ['2011-06-10T09:30:00Z', 0],
    ['2011-06-10T09:30:00.000Z', 0],
    ['2011-06-10T09:30:00-05:00', -300],
    ['2011-06-10T09:30:00+05:30', 330],
  ])('%s', (text, minutes) => {
    it(`is ${minutes} minutes`, () => {
      // Act / Assess
      expect(utcOffsetMinutesOf(text)).toBe(minutes);
    });
  });
});
