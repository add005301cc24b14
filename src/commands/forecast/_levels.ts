/** `--levels 80,95`: interval levels in percent, shared by `forecast predict` and `forecast evaluate`. */
import { UsageError } from '../../errors.js';
import { intervalColumns, levelLabel } from '../../core/contracts/table.js';

export { intervalColumns, levelLabel };

const DECIMAL = /^(\d+\.?\d*|\.\d+)$/;

/**
 * Parse a comma-separated list of levels strictly: each a decimal in (0, 100) with at most 4 decimals
 * (the lo-L,hi-L column names carry 4: 80.00001 would be a second `lo-80`, 99.99999 a `lo-100`), no
 * duplicates; sorted.
 */
export function levelsOption(flag: string, raw: unknown, fallback: number[]): number[] {
  if (raw === undefined) return [...fallback];
  const parts = String(raw).split(',').map((s) => s.trim());
  const levels: number[] = [];
  for (const p of parts) {
    if (!DECIMAL.test(p)) throw new UsageError(`${flag}: expected interval levels in percent such as 80,95, got ${JSON.stringify(raw)}`);
    const v = Number(p);
    if (!(v > 0 && v < 100)) throw new UsageError(`${flag}: each level must be between 0 and 100 (exclusive), got ${p}`);
    if (Number(levelLabel(v)) !== v) {
      throw new UsageError(`${flag}: expected levels with at most 4 decimals (the column names lo-L,hi-L carry 4), got ${p}`);
    }
    if (levels.includes(v)) throw new UsageError(`${flag}: level ${p} given twice`);
    levels.push(v);
  }
  return levels.sort((a, b) => a - b);
}

