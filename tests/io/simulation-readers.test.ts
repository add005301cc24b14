import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputError, formatProblem } from '../../src/errors.js';
import { isDefaultSource, readForecastFile } from '../../src/io/forecast-file.js';
import { Z90, momentsFromMedian } from '../../src/core/stats.js';
import { readLeadTimes } from '../../src/io/lead-times.js';
import { parseDay } from '../../src/core/calendar.js';

const FIX = 'tests/fixtures/simulate';

async function problems(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).problems.map(formatProblem);
  }
  throw new Error('expected an InputError');
}

describe('readForecastFile', () => {
  it('reads daily forecasts sorted by sku and date; with point mean, forecast and sd as they are', async () => {
    const f = await readForecastFile(`${FIX}/forecast-daily.csv`, { point: 'mean' });
    expect(f.freq).toBe('D');
    expect(f.step).toBe(1);
    expect(f.source.point).toBe('mean');
    expect([...f.bySku.keys()]).toEqual(['A', 'B']);
    const b = f.bySku.get('B')!;
    expect(Array.from(b.days)).toEqual([parseDay('2024-01-01'), parseDay('2024-01-02')]);
    expect(Array.from(b.mean)).toEqual([10, 12]);
    expect(Array.from(b.sd)).toEqual([2, 3]);
  });

  it('a file with p10/p90 (forecast predict) is read as a median: the mean and sd its interval implies; rows with empty p10/p90 keep forecast and sd', async () => {
    const f = await readForecastFile(`${FIX}/forecast-daily.csv`);
    expect(f.source).toMatchObject({ point: 'median', sd: { lo: 'p10', hi: 'p90', level: 80 } });
    expect(isDefaultSource(f.source)).toBe(true);
    const b = f.bySku.get('B')!;
    const implied = momentsFromMedian(10, 7.4, 12.6);
    expect(Array.from(b.mean)).toEqual([implied.mean, 12]);
    expect(Array.from(b.sd)).toEqual([implied.sd, 3]);
    // A symmetric interval around 10 in units: the mean stays within 0.1% of it, the sd near (12.6 - 7.4) / 2.563.
    expect(Math.abs(implied.mean - 10)).toBeLessThan(0.01);
    expect(implied.sd).toBeCloseTo(5.2 / (2 * Z90), 0);
    expect(Array.from(f.bySku.get('A')!.mean)).toEqual([100, 100, 100]);
  });

  it('a right-skewed median forecast gives a mean above the median; point median without an interval is an error', async () => {
    const text = 'sku,date,forecast,sd,p10,p90\nS,2024-01-01,4,3,1,12\nS,2024-01-02,0,1,0,3\n';
    const f = await readForecastFile('-', { stdin: Readable.from([text]) });
    const s = f.bySku.get('S')!;
    expect(s.mean[0]).toBeGreaterThan(5);
    expect(s.sd[0]).toBeGreaterThan(3);
    // A median of 0 with p90 = 3: demand is not always 0.
    expect(s.mean[1]).toBeGreaterThan(0.3);
    const g = await readForecastFile('-', { stdin: Readable.from([text]), point: 'mean' });
    expect(Array.from(g.bySku.get('S')!.mean)).toEqual([4, 0]);
    await expect(readForecastFile('-', { stdin: Readable.from(['sku,date,forecast,sd\nS,2024-01-01,4,3\n']), point: 'median', freq: 'D' })).rejects.toThrow(/--point median needs an interval/);
  });

  it('detects weekly forecasts and sorts rows given out of order', async () => {
    const f = await readForecastFile(`${FIX}/forecast-weekly.csv`);
    expect(f.freq).toBe('W');
    expect(f.step).toBe(7);
    expect(Array.from(f.bySku.get('A')!.days)).toEqual([parseDay('2024-01-01'), parseDay('2024-01-08'), parseDay('2024-01-15')]);
  });

  it('reads stdin and needs --freq when every SKU has one date', async () => {
    const csv = 'sku,date,forecast,sd\nA,2024-01-01,5,1\n';
    await expect(readForecastFile('-', { stdin: Readable.from([csv]) })).rejects.toThrow(/cannot tell daily from weekly/);
    const f = await readForecastFile('-', { stdin: Readable.from([csv]), freq: 'W' });
    expect(f.step).toBe(7);
  });

  it('reports negative forecasts and bad numbers with file:line:column', async () => {
    const msgs = await problems(readForecastFile(`${FIX}/forecast-bad.csv`));
    expect(msgs).toEqual([
      `${FIX}/forecast-bad.csv:3:3: forecast: out of range (expected a finite number >= 0 and <= 1e12, got "-5")`,
      `${FIX}/forecast-bad.csv:4:4: sd: not a number (expected a finite number >= 0 and <= 1e12, got "abc")`,
      // Duplicates are found in the same pass, bad cells or not.
      `${FIX}/forecast-bad.csv:5:2: date: duplicate forecast for SKU A (first on line 4) (expected one row per sku and date, got "2024-01-03")`,
    ]);
  });

  it('reports duplicates and gaps', async () => {
    const dup = await problems(readForecastFile(`${FIX}/forecast-dup.csv`));
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatch(/forecast-dup\.csv:4:2: date: duplicate forecast for SKU A \(first on line 3\)/);
    const gap = await problems(readForecastFile(`${FIX}/forecast-gap.csv`));
    expect(gap).toHaveLength(1);
    expect(gap[0]).toMatch(/forecast-gap\.csv:4:2: date: irregular spacing for SKU A: 2 days after 2024-01-02/);
  });

  it('reads the error_corr column forecast predict writes (one value per SKU: the largest of its rows); without it, none', async () => {
    const csv = 'sku,date,forecast,sd,p10,p90,model,lo-95,hi-95,error_corr\nA,2024-01-01,5,1,4,6,lstm,3,7,0.04\nA,2024-01-02,5,1,4,6,lstm,3,7,0.05\nB,2024-01-01,5,1,4,6,ets,3,7,0\n';
    const f = await readForecastFile('-', { stdin: Readable.from([csv]) });
    expect(f.bySku.get('A')!.errorCorr).toBe(0.05);
    expect(f.bySku.get('B')!.errorCorr).toBe(0);
    const plain = await readForecastFile(`${FIX}/forecast-daily.csv`);
    expect([...plain.bySku.values()].every((s) => s.errorCorr === undefined)).toBe(true);
    const bad = 'sku,date,forecast,sd,error_corr\nA,2024-01-01,5,1,0.1\nA,2024-01-02,5,1,1.5\nA,2024-01-03,5,1,\n';
    expect(await problems(readForecastFile('-', { stdin: Readable.from([bad]) }))).toEqual([
      '<stdin>:3:5: error_corr: out of range (expected a finite number >= 0 and <= 1, got "1.5")',
      '<stdin>:4:5: error_corr: empty value (expected a finite number >= 0 and <= 1, got "")',
    ]);
  });

  it('rejects dates that are neither daily nor weekly', async () => {
    const csv = 'sku,date,forecast,sd\nA,2024-01-01,5,1\nA,2024-01-04,5,1\n';
    await expect(readForecastFile('-', { stdin: Readable.from([csv]) })).rejects.toThrow(/3 days apart/);
  });
});

describe('readLeadTimes', () => {
  it('reads fixed, random and observed lead times and order quantities', async () => {
    const lt = await readLeadTimes(`${FIX}/lead-times.csv`);
    expect(lt.get('A')).toEqual({ mean: 9, sd: 2, orderQty: 500 });
    expect(lt.get('B')).toEqual({ mean: 5, sd: 0, orderQty: undefined });
    const c = lt.get('C')!;
    expect(Array.from(c.samples!)).toEqual([4, 6, 8]);
    expect(c.mean).toBe(6);
    expect(c.sd).toBeCloseTo(Math.sqrt(8 / 3), 12);
  });

  it('works without the optional columns', async () => {
    const lt = await readLeadTimes('-', { stdin: Readable.from(['sku;lead_time_days\nX;3\n']), delimiter: ';' });
    expect(lt.get('X')).toEqual({ mean: 3, sd: 0, orderQty: undefined });
  });

  it('reports every problem in one pass', async () => {
    const msgs = await problems(readLeadTimes(`${FIX}/lead-times-bad.csv`));
    expect(msgs).toEqual([
      `${FIX}/lead-times-bad.csv:2:2: lead_time_days: out of range (expected a finite number >= 0 and <= 3650, got "-1")`,
      `${FIX}/lead-times-bad.csv:3:2: lead_time_days: not a number (expected a finite number >= 0 and <= 3650, got "x")`,
      // The per-SKU checks run in the same pass as the cell checks.
      `${FIX}/lead-times-bad.csv:4:3: lead_time_sd_days: SKU C has 2 rows (observed lead times), so its spread comes from them (expected an empty lead_time_sd_days on observation rows, got "1")`,
    ]);
    const more = await problems(readLeadTimes('-', { stdin: Readable.from(['sku,lead_time_days,lead_time_sd_days,order_qty\nC,4,1,10\nC,6,,12\n']) }));
    expect(more).toHaveLength(2);
    expect(more[0]).toMatch(/<stdin>:2:3: lead_time_sd_days: SKU C has 2 rows/);
    expect(more[1]).toMatch(/<stdin>:3:4: order_qty: conflicts with order_qty 10 on line 2/);
  });
});
