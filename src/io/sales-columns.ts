/**
 * Growable typed arrays: the columnar buffers the sales reader fills while streaming, so a million
 * rows cost a few tens of megabytes instead of a million row objects.
 */

export class Float64Column {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** The filled part (a view, not a copy). */
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

export class Int32Column {
  private buf: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Int32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  view(): Int32Array {
    return this.buf.subarray(0, this.length);
  }
}

/** Everything read from the file, one entry per accepted data row, in file order. */
export interface RawSales {
  /** SKU names; `sku[i]` indexes into it. */
  skuNames: string[];
  sku: Int32Array;
  day: Int32Array;
  /** NaN = empty/NA target cell. */
  units: Float64Array;
  /** 1-based line of each row (for messages about duplicates and off-grid dates). */
  line: Int32Array;
  covariateNames: string[];
  /** One column per covariate; NaN = empty/NA cell. */
  covariates: Float64Array[];
}
