/** Strict date parsing in every supported format; day numbers round-trip. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { YEAR_DAYS, dayFromYmd, dayOfYear, easterFlag, easterSunday, formatDay, parseDay, seasonPeriods, timeOfDay, weekday, yearPeriods } from '../../src/core/calendar.js';

describe('dates', () => {
  it.each([
    ['2024-02-29', 'YYYY-MM-DD'],
    ['29.02.2024', 'DD.MM.YYYY'],
    ['02/29/2024', 'MM/DD/YYYY'],
    ['20240229', 'YYYYMMDD'],
  ] as const)('%s as %s', (text, format) => {
    expect(parseDay(text, format)).toBe(dayFromYmd(2024, 2, 29));
    expect(formatDay(parseDay(text, format))).toBe('2024-02-29');
  });

  it.each([
    ['2023-02-29', 'YYYY-MM-DD'],
    ['2024-13-01', 'YYYY-MM-DD'],
    ['2024-1-01', 'YYYY-MM-DD'],
    ['2024/01/01', 'YYYY-MM-DD'],
    ['2024-01-01T00:00+01:00', 'YYYY-MM-DD'],
    ['2024-01-01T13:45', 'YYYY-MM-DD'],
    ['31.04.2024', 'DD.MM.YYYY'],
    ['13/01/2024', 'MM/DD/YYYY'],
    ['2024011', 'YYYYMMDD'],
    ['2024-01-01', 'YYYYMMDD'],
    ['', 'YYYY-MM-DD'],
    ['0999-01-01', 'YYYY-MM-DD'],
    ['2024-0a-01', 'YYYY-MM-DD'],
  ] as const)('rejects %j as %s', (text, format) => {
    expect(parseDay(text, format)).toBeNaN();
  });

  it('day numbers: epoch, weekday, day of year', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(weekday(parseDay('2026-10-31'))).toBe(5); // a Saturday
    expect(weekday(parseDay('1969-12-29'))).toBe(0); // a Monday, before the epoch
    expect(dayOfYear(parseDay('2024-12-31'))).toEqual({ doy: 365, yearLength: 366 });
    expect(dayOfYear(parseDay('2023-03-01'))).toEqual({ doy: 59, yearLength: 365 });
  });

  it('formatDay and parseDay are inverse over four centuries', () => {
    fc.assert(fc.property(fc.integer({ min: dayFromYmd(1900, 1, 1), max: dayFromYmd(2300, 12, 31) }), (day) => parseDay(formatDay(day)) === day));
  });
});

describe('timestamps at midnight are dates; other times of day are not', () => {
  const day = dayFromYmd(2026, 10, 30);
  it.each([
    ['2026-10-30 00:00:00', 'YYYY-MM-DD'],
    ['2026-10-30T00:00:00', 'YYYY-MM-DD'],
    ['2026-10-30T00:00:00Z', 'YYYY-MM-DD'],
    ['2026-10-30T00:00:00.000Z', 'YYYY-MM-DD'],
    ['2026-10-30T00:00:00.000000000', 'YYYY-MM-DD'],
    ['2026-10-30 00:00', 'YYYY-MM-DD'],
    ['30.10.2026 00:00:00', 'DD.MM.YYYY'],
    ['10/30/2026T00:00:00Z', 'MM/DD/YYYY'],
    ['20261030 00:00:00', 'YYYYMMDD'],
  ] as const)('%s as %s is 2026-10-30', (text, format) => {
    expect(parseDay(text, format)).toBe(day);
    expect(timeOfDay(text, format)).toBeUndefined();
  });

  it.each([
    ['2026-10-30 13:45:00', '13:45'],
    ['2026-10-30T13:45', '13:45'],
    ['2026-10-30T00:00:01Z', '00:00:01'],
    ['2026-10-30T00:00:00.5Z', '00:00:00.5'],
    ['2026-10-30T23:59:59.999Z', '23:59:59.999'],
  ])('%s is a time of day (%s), not a date', (text, time) => {
    expect(parseDay(text)).toBeNaN();
    expect(timeOfDay(text)).toBe(time);
  });

  it.each(['2026-02-30 00:00:00', '2026-10-30 24:00:00', '2026-10-30 12:60', '2026-10-30T00:00:00+02:00', '2026-10-30 00:00:00 extra', '2026-10-30T', '2026-10-30 0:00'])(
    'rejects %j, and it is no time of day either',
    (text) => {
      expect(parseDay(text)).toBeNaN();
      expect(timeOfDay(text)).toBeUndefined();
    },
  );

  it('a plain date is not a time of day', () => {
    expect(timeOfDay('2026-10-30')).toBeUndefined();
    expect(timeOfDay('not a date')).toBeUndefined();
  });
});

describe('season lengths', () => {
  it('seasonPeriods: the baselines\' seasonal lag, a week of days or a year of weeks', () => {
    expect([seasonPeriods('D'), seasonPeriods('W')]).toEqual([7, 52]);
  });
  it('yearPeriods: periods in a YEAR_DAYS year at the step', () => {
    expect(YEAR_DAYS).toBe(364);
    expect([yearPeriods(1), yearPeriods(7)]).toEqual([364, 52]);
  });
});

describe('Easter', () => {
  // Published dates of Easter Sunday (Western churches), the extremes included: 22 March 2285, 25 April 2038.
  it.each([
    [2010, '2010-04-04'],
    [2011, '2011-04-24'],
    [2012, '2012-04-08'],
    [2013, '2013-03-31'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(formatDay(easterSunday(year))).toBe(date);
    expect(weekday(easterSunday(year))).toBe(6);
  });

  it('always a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (y) => {
        const e = easterSunday(y);
        expect(weekday(e)).toBe(6);
        expect(e).toBeGreaterThanOrEqual(dayFromYmd(y, 3, 22));
        expect(e).toBeLessThanOrEqual(dayFromYmd(y, 4, 25));
      }),
    );
  });

  it('daily data: the Thursday, Friday and Saturday before Easter Sunday', () => {
    const flagged = Array.from({ length: 20 }, (_, i) => parseDay('2012-03-30') + i).filter((d) => easterFlag(d, 1) === 1);
    expect(flagged.map(formatDay)).toEqual(['2012-04-05', '2012-04-06', '2012-04-07']);
  });

  it('weekly data: the one week that holds Holy Saturday, whatever weekday the weeks are dated by', () => {
    // 2012: Easter 8 April, Holy Saturday 7 April. Weeks dated Sunday, Monday (by their first day)
    // and Friday (Walmart's weeks, dated by their last day: 31 March to 6 April is the shopping week).
    for (const first of ['2012-01-01', '2012-01-02', '2012-01-06']) {
      const weeks = Array.from({ length: 52 }, (_, i) => parseDay(first) + 7 * i);
      expect(weeks.filter((d) => easterFlag(d, 7) === 1).map(formatDay)).toEqual([{ '2012-01-01': '2012-04-01', '2012-01-02': '2012-04-02', '2012-01-06': '2012-04-06' }[first]]);
    }
    // Easter early in a year and late in the one before: one week each.
    const weeks = Array.from({ length: 104 }, (_, i) => parseDay('2023-01-06') + 7 * i);
    expect(weeks.filter((d) => easterFlag(d, 7) === 1).map(formatDay)).toEqual(['2023-04-07', '2024-03-29']);
  });
});
