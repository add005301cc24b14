/** Accuracy of point forecasts and intervals against actuals, pooled over SKUs and periods. Pure. */
import type { AccuracyRow } from './types.js';

export interface ScoredPoint {
  sku: string;
  actual: number;
  forecast: number;
  lo?: number;
  hi?: number;
}

export class AccuracyAcc {
  private n = 0;
  private absErr = 0;
  private sqErr = 0;
  private err = 0;
  private actual = 0;
  private inBand = 0;
  private banded = 0;
  private readonly skus = new Set<string>();

  add(p: ScoredPoint): void {
    const e = p.forecast - p.actual;
    this.n++;
    this.absErr += Math.abs(e);
    this.sqErr += e * e;
    this.err += e;
    this.actual += Math.abs(p.actual);
    this.skus.add(p.sku);
    if (p.lo !== undefined && p.hi !== undefined) {
      this.banded++;
      if (p.actual >= p.lo && p.actual <= p.hi) this.inBand++;
    }
  }

  /** sum |f - a| / sum |a|; null when there is no demand at all. */
  wape(): number | null {
    return this.n > 0 && this.actual > 0 ? this.absErr / this.actual : null;
  }

  row(model: string, coverageTarget: number | null): AccuracyRow {
    const n = this.n;
    return {
      model,
      n,
      skus: this.skus.size,
      wape: this.wape(),
      mae: n > 0 ? this.absErr / n : null,
      rmse: n > 0 ? Math.sqrt(this.sqErr / n) : null,
      bias: n > 0 && this.actual > 0 ? this.err / this.actual : null,
      coverage: this.banded > 0 ? this.inBand / this.banded : null,
      coverageTarget: this.banded > 0 ? coverageTarget : null,
    };
  }
}
