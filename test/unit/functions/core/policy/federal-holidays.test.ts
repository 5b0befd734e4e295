import { describe, expect, it } from 'vitest';
import { FEDERAL_HOLIDAYS, federalHolidays } from '#core/policy/federal-holidays';
import { holdDeadline } from '#core/policy/hold-deadline';

describe('federalHolidays', () => {
  it('lists the ten observed holidays of 2011, as OPM published them', () => {
    // OPM, "Federal Holidays 2011": Dec 31, 2010 observed New Year's Day 2011, so 2011 has Dec 26 and no Jan 1.
    expect([...federalHolidays(2011).keys()]).toEqual([
      '2011-01-17',
      '2011-02-21',
      '2011-05-30',
      '2011-07-04',
      '2011-09-05',
      '2011-10-10',
      '2011-11-11',
      '2011-11-24',
      '2011-12-26',
    ]);
    expect(federalHolidays(2010).get('2010-12-31')).toBe("New Year's Day");
  });

  it('adds Juneteenth from 2021, observed on the Friday when it falls on a Saturday', () => {
    expect(federalHolidays(2020).has('2020-06-19')).toBe(false);
    expect(federalHolidays(2021).get('2021-06-18')).toBe('Juneteenth National Independence Day');
    expect(federalHolidays(2017).get('2017-01-02')).toBe("New Year's Day");
    expect(federalHolidays(2017).get('2017-11-23')).toBe('Thanksgiving Day');
    expect(federalHolidays(2017).get('2017-05-29')).toBe('Memorial Day');
  });

  it('makes a hold that starts before Thanksgiving run past the long weekend', () => {
    // Prepare: Wednesday 2011-11-23 10:00 UTC; Thursday is Thanksgiving, then the weekend.
    const from = new Date('2011-11-23T10:00:00Z');

    // Act
    const withHolidays = holdDeadline(from, 48, true, { isHoliday: FEDERAL_HOLIDAYS });
    const withoutHolidays = holdDeadline(from, 48, true);

    // Assess: Wed 14 h + Fri 24 h + Mon 10 h -> Monday 10:00; without the holiday, Friday 10:00 + weekend.
    expect(withHolidays.toISOString()).toBe('2011-11-28T10:00:00.000Z');
    expect(withoutHolidays.toISOString()).toBe('2011-11-25T10:00:00.000Z');
  });
});
