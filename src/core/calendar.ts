/**
 * Dates as day numbers (days since 1970-01-01, UTC): integers, cheap to store in typed arrays,
 * no time zones. Parsing is strict: a date that does not exist (2023-02-30) is rejected.
 */

export type DateFormat = 'YYYY-MM-DD' | 'DD.MM.YYYY' | 'MM/DD/YYYY' | 'YYYYMMDD';
export const DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD', 'DD.MM.YYYY', 'MM/DD/YYYY', 'YYYYMMDD'];

const DAY_MS = 86_400_000;

/** The year of the seasonal features: 52 whole weeks, so a lag of one year lands on the same weekday. */
export const YEAR_DAYS = 364;

/**
 * The seasonal lag of the local baselines (seasonal naive, ETS), in periods: the shortest cycle the
 * data shows, a week of days for daily data, a year of 52 weeks for weekly data.
 */
export function seasonPeriods(freq: 'D' | 'W'): number {
  return freq === 'D' ? 7 : 52;
}

/** Periods in one YEAR_DAYS year at this step in days: 364 for daily data, 52 for weekly data (the LSTM's seasonal lag and scale window). */
export function yearPeriods(step: number): number {
  return step === 7 ? 52 : YEAR_DAYS;
}

/** Easter Sunday of a Gregorian year as a day number (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/**
 * 1 for the period that holds the Easter shopping days, else 0: Easter moves over five weeks
 * (22 March to 25 April), so neither the yearly Fourier terms nor "the same week last year" see it.
 * Daily data: the Thursday, Friday and Saturday before Easter Sunday. Weekly data: the period of
 * `step` days starting on `day` that holds Holy Saturday (the day before Easter Sunday): for weeks
 * dated by their first day, the week of the pre-Easter shopping whether it starts on Sunday or on
 * Monday; for weeks dated by their last day (Walmart's Fridays), the week that ends on or after Good
 * Friday, which is again the week of that shopping.
 */
export function easterFlag(day: number, step: number): number {
  // Easter falls between 22 March and 25 April, so a period of a day or a week can only hold the
  // Holy Saturday of the year it starts in.
  const e = easterSunday(new Date(day * DAY_MS).getUTCFullYear());
  const hit = step === 1 ? day >= e - 3 && day <= e - 1 : e - 1 >= day && e - 1 < day + step;
  return hit ? 1 : 0;
}

export function dayFromYmd(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999) return Number.NaN;
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return Number.NaN;
  return t / DAY_MS;
}

function digits(s: string, from: number, len: number): number {
  let v = 0;
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

function parsePlainDay(s: string, format: DateFormat): number {
  switch (format) {
    case 'YYYY-MM-DD':
      if (s.length !== 10 || s[4] !== '-' || s[7] !== '-') return Number.NaN;
      return dayFromYmd(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2));
    case 'DD.MM.YYYY':
      if (s.length !== 10 || s[2] !== '.' || s[5] !== '.') return Number.NaN;
      return dayFromYmd(digits(s, 6, 4), digits(s, 3, 2), digits(s, 0, 2));
    case 'MM/DD/YYYY':
      if (s.length !== 10 || s[2] !== '/' || s[5] !== '/') return Number.NaN;
      return dayFromYmd(digits(s, 6, 4), digits(s, 0, 2), digits(s, 3, 2));
    case 'YYYYMMDD':
      if (s.length !== 8) return Number.NaN;
      return dayFromYmd(digits(s, 0, 4), digits(s, 4, 2), digits(s, 6, 2));
  }
}

/** `T` or space, `HH:MM`, optional `:SS` and `.fff`, optional `Z` (what pandas, SQL and JSON write). */
const TIME_OF_DAY = /^[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?$/;

/**
 * A date followed by a time of day (`2026-10-30 13:45:00`, `2026-10-30T00:00:00.000Z`): the day
 * and the time; undefined when `s` is not of that shape or either part is invalid.
 */
export function splitTimestamp(s: string, format: DateFormat = 'YYYY-MM-DD'): { day: number; midnight: boolean; time: string } | undefined {
  const n = format === 'YYYYMMDD' ? 8 : 10;
  if (s.length <= n) return undefined;
  const m = TIME_OF_DAY.exec(s.slice(n));
  if (m === null) return undefined;
  const day = parsePlainDay(s.slice(0, n), format);
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = m[3] === undefined ? 0 : Number(m[3]);
  const frac = m[4] === undefined ? 0 : Number(m[4]);
  if (Number.isNaN(day) || h > 23 || min > 59 || sec > 59) return undefined;
  const midnight = h === 0 && min === 0 && sec === 0 && frac === 0;
  const time = `${m[1]}:${m[2]}${sec !== 0 || frac !== 0 ? `:${m[3]}${frac !== 0 ? `.${m[4]}` : ''}` : ''}`;
  return { day, midnight, time };
}

/**
 * Parse a date string in the given format; NaN when it does not match or does not exist. A
 * timestamp at midnight (`2026-10-30 00:00:00`, `2026-10-30T00:00:00Z`, `...T00:00:00.000Z`) is
 * that day; any other time of day is NaN (readers then say so with `timeOfDay`). The plain date is
 * tried first, so the per-row cost of the sales reader is unchanged.
 */
export function parseDay(s: string, format: DateFormat = 'YYYY-MM-DD'): number {
  const d = parsePlainDay(s, format);
  if (d === d || s.length <= 10) return d;
  const t = splitTimestamp(s, format);
  return t !== undefined && t.midnight ? t.day : Number.NaN;
}

/** The time of day (`13:45`) when `s` is a valid date with a time of day other than midnight. */
export function timeOfDay(s: string, format: DateFormat = 'YYYY-MM-DD'): string | undefined {
  const t = splitTimestamp(s, format);
  return t !== undefined && !t.midnight ? t.time : undefined;
}

/** The message for a date cell that holds a time of day (see `timeOfDay`). */
export function timeOfDayMessage(time: string): string {
  return `expected a date; got a time of day ${time} — stockcast works on whole days`;
}

/** Day number -> `YYYY-MM-DD`. */
export function formatDay(day: number): string {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const dd = d.getUTCDate();
  return `${y}-${m < 10 ? '0' : ''}${m}-${dd < 10 ? '0' : ''}${dd}`;
}

/** 0 = Monday ... 6 = Sunday. 1970-01-01 was a Thursday. */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Day of the year, 0-based, and the length of that year. */
export function dayOfYear(day: number): { doy: number; yearLength: number } {
  const d = new Date(day * DAY_MS);
  const y = d.getUTCFullYear();
  const start = Date.UTC(y, 0, 1) / DAY_MS;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return { doy: day - start, yearLength: leap ? 366 : 365 };
}
