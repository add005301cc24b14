/** Accuracy of point forecasts and intervals against actuals, pooled over SKUs and periods. Pure. */
import { PointErrors } from '../models/metrics.js';
import type { AccuracyRow } from './types.js';

export interface ScoredPoint {
  sku: string;
  actual: number;
  forecast: number;
  lo?: number;
  hi?: number;
}

/** Point errors (models/metrics.ts PointErrors), the SKUs seen and the coverage of the points with a band. */
export class AccuracyAcc {
  private readonly points = new PointErrors();
  private inBand = 0;
  private banded = 0;
  private readonly skus = new Set<string>();

  add(p: ScoredPoint): void {
    // No band for PointErrors' own p10..p90 count: NaN bounds never contain the actual.
    this.points.add(p.actual, p.forecast, Number.NaN, Number.NaN);
    this.skus.add(p.sku);
    if (p.lo !== undefined && p.hi !== undefined) {
      this.banded++;
      if (p.actual >= p.lo && p.actual <= p.hi) this.inBand++;
    }
  }

  /** sum |f - a| / sum |a|; null when there is no demand at all. */
  wape(): number | null {
    const { n, volume, absErr } = this.points;
    return n > 0 && volume > 0 ? absErr / volume : null;
  }

  row(model: string, coverageTarget: number | null): AccuracyRow {
    const { n, volume, absErr, sqErr, signed } = this.points;
    return {
      model,
      n,
      skus: this.skus.size,
      wape: this.wape(),
      mae: n > 0 ? absErr / n : null,
      rmse: n > 0 ? Math.sqrt(sqErr / n) : null,
      bias: n > 0 && volume > 0 ? signed / volume : null,
      coverage: this.banded > 0 ? this.inBand / this.banded : null,
      coverageTarget: this.banded > 0 ? coverageTarget : null,
    };
  }
}
