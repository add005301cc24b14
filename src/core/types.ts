/** Domain types shared by io, models and simulation. Pure data: no I/O here. */
import type { DateFormat } from './calendar.js';

/** D = daily, W = weekly. */
export type Freq = 'D' | 'W';

export const FREQ_STEP_DAYS: Record<Freq, number> = { D: 1, W: 7 };

/**
 * One SKU's history on a regular grid: period i is day `start + i * step` (day numbers, see
 * io/dates.ts). Missing periods are NaN in `units` (under `--fill missing`) or 0 (`--fill zero`).
 */
export interface Series {
  sku: string;
  /** Day number of the first period. */
  start: number;
  units: Float64Array;
  /** One array per covariate (same order as SalesData.covariates), aligned with `units`; NaN = unknown. */
  covariates: Float64Array[];
  /** 1 where the period was present in the input, 0 where it was filled in. */
  observed: Uint8Array;
}

/** A whole sales table in columnar form, series sorted by sku. */
export interface SalesData {
  freq: Freq;
  /** Days between periods: 1 or 7. */
  step: number;
  covariates: string[];
  series: Series[];
}

export type FillPolicy = 'zero' | 'missing';
export type NegativePolicy = 'error' | 'zero' | 'keep';

/** How to read a sales CSV (the ingest options shared by every command that reads sales). */
export interface IngestOptions {
  dateCol: string;
  skuCol: string;
  targetCol: string;
  /** Explicit covariate columns; undefined = every other numeric column. */
  covariates?: string[];
  delimiter: string;
  /** Decimal mark of numeric cells (`--decimal`); undefined = '.'. */
  decimal?: '.' | ',';
  dateFormat: DateFormat;
  /** undefined = detect from the data. */
  freq?: Freq;
  fill: FillPolicy;
  aggregate?: 'sum';
  negative: NegativePolicy;
}

/** One finished training epoch, as the LSTM engine reports it (training progress shows it). */
export interface EpochInfo {
  epoch: number;
  /** The most epochs this member may run (early stopping may end it sooner). */
  epochs: number;
  loss: number;
  valLoss: number;
  samplesPerSecond: number;
  seconds: number;
  /** A new best validation loss (those weights are kept). */
  best: boolean;
}

/** Ordering constraints of one SKU (or one SKU at one location). */
export interface OrderConstraints {
  /** Minimum order quantity; undefined or 0 = none. */
  moq?: number;
  /** Orders are whole multiples of this; undefined = 1 unit. */
  packSize?: number;
  /** Most that may be ordered at once; undefined = no cap. */
  maxQty?: number;
}

/**
 * A lead-time distribution in days: mean and sd, or observed lead times (resampled with equal
 * weights when present). sd 0 without observations: a fixed lead time. Read from the lead-time
 * file (io/lead-times.ts) or a policy file's lead-time columns; drawn by the Monte Carlo engine
 * (simulation/montecarlo/policy.ts) and by the replay (simulation/backtest/lead-time-draws.ts).
 */
export interface LeadTime {
  /** Mean lead time in days. */
  mean: number;
  /** Standard deviation in days (population sd of the observations when `samples` is set). */
  sd: number;
  /** Observed lead times (days). */
  samples?: Float64Array;
}

/** A SKU's entry of the lead-time file: its lead time and, from an `order_qty` column, its own order quantity Q. */
export interface SkuLeadTime extends LeadTime {
  orderQty?: number;
}

/** The name a file gives its location dimension: stock locations or sales channels. */
export type LocationColumn = 'location' | 'channel';

/** The part of a policy that ordering needs (one row of `stock simulate`'s output). */
export interface SkuPolicy {
  sku: string;
  /** Set when the policy is per SKU and location (a policy file with a location column). */
  location?: string;
  reorderPoint: number;
  orderUpTo: number;
  /** Optional columns of the policy file, NaN when absent. */
  leadTimeMean: number;
  leadTimeSd: number;
}

/**
 * The key of a stock point in maps: the SKU alone, or the SKU and its location (JSON of the pair,
 * so no two pairs share a key). One map holds keys of one kind only.
 */
export function stockKey(sku: string, location?: string): string {
  return location === undefined ? sku : JSON.stringify([sku, location]);
}

/** A stock point as messages show it: `A`, or `A@north`. */
export function stockLabel(sku: string, location?: string): string {
  return location === undefined ? sku : `${sku}@${location}`;
}

/**
 * Known future covariates per SKU: one Float64Array per covariate (in SalesData.covariates order),
 * each of length `horizon`; step h is the period `origin + (h + 1) * step`.
 */
export type FuturePlan = Map<string, Float64Array[]>;
