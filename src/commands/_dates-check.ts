/**
 * The date checks every command that reads sales runs: "today" (from STOCKCAST_TODAY, for tests
 * and replays, else the clock), SKUs whose last date lies far past the others', and rows dated
 * after today. Returns the warnings; the commands print them.
 */
import { UsageError } from '../errors.js';
import { formatDay, parseDay } from '../core/calendar.js';
import { FAR_PAST_DAYS, type Origins, periodsAfter } from '../models/origins.js';
import type { SalesData } from '../core/types.js';
import { showValue } from '../text-safe.js';

/** Today as a day number: STOCKCAST_TODAY=YYYY-MM-DD when set, else the UTC date of the clock. */
export function today(env: NodeJS.ProcessEnv, now: () => number = Date.now): number {
  const given = env.STOCKCAST_TODAY;
  if (given !== undefined && given !== '') {
    const d = parseDay(given.trim(), 'YYYY-MM-DD');
    if (Number.isNaN(d)) throw new UsageError(`STOCKCAST_TODAY: expected a date as YYYY-MM-DD, got ${showValue(given)}`);
    return d;
  }
  return Math.floor(now() / 86_400_000);
}

function examples(skus: string[], total: number): string {
  const shown = skus.slice(0, 5).map((s) => showValue(s, 40)).join(', ');
  return total > skus.length || total > 5 ? `${shown}, ...` : shown;
}

export function dateWarnings(data: SalesData, origins: Origins, todayDay: number): string[] {
  const warnings: string[] = [];
  if (origins.late.length > 0) {
    const late = origins.late;
    warnings.push(
      `${late.length} SKU(s) end far past the others (more than ${FAR_PAST_DAYS} days after the median SKU's last date ${formatDay(origins.median)}; ` +
        `latest ${formatDay(late[0]!.last)}): ${late.slice(0, 5).map((l) => `${showValue(l.sku, 40)} ${formatDay(l.last)}`).join(', ')}${late.length > 5 ? ', ...' : ''}. ` +
        `A sentinel or mistyped date? Each is forecast from its own last date; the other SKUs from ${formatDay(origins.common)}`,
    );
  }
  const future = periodsAfter(data, todayDay);
  if (future.skus > 0) {
    warnings.push(
      `${future.skus} SKU(s) have rows dated after today (${formatDay(todayDay)}): ${future.periods} period(s) in all, the latest ${formatDay(future.latest)}: ` +
        `${examples(future.examples, future.skus)} (set STOCKCAST_TODAY=YYYY-MM-DD to replay another day)`,
    );
  }
  return warnings;
}
