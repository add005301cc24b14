/**
 * What training says on stderr. On a terminal: one progress line, redrawn, that fits the width,
 * with the ETA of the whole run (every ensemble member); one line per epoch either way, which on a
 * terminal is shortened to fit. A `*` marks an epoch with a new best validation loss (those weights
 * are kept), explained once when training starts.
 */
import type { EpochInfo } from '../core/types.js';
import { type Logger, type Progress, formatDuration } from './log.js';

export interface TrainingPlan {
  /** Most epochs per member. */
  epochs: number;
  members: number;
  patience: number;
}

function num(x: number, d = 4): string {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

/** The per-epoch line; `columns` (a terminal's width) drops the throughput when it would not fit. */
export function epochLine(e: EpochInfo, member: number, members: number, left: number | undefined, columns?: number): string {
  const head = `epoch ${e.epoch}/${e.epochs}${members > 1 ? ` net ${member}/${members}` : ''}`;
  const tail = left === undefined ? '' : `  <= ${formatDuration(left)} left`;
  const full = `${head}  loss ${num(e.loss)}  val ${num(e.valLoss)}${e.best ? ' *' : '  '}  ${e.seconds.toFixed(1)}s  ${Math.round(e.samplesPerSecond)} samples/s${tail}`;
  if (columns === undefined || full.length < columns) return full;
  return `${head}  loss ${num(e.loss)}  val ${num(e.valLoss)}${e.best ? ' *' : '  '}  ${e.seconds.toFixed(1)}s${tail}`;
}

export class TrainingProgress {
  private member = 0;
  private members = 1;
  private epoch = 1;
  /** Most epochs of the current member (refit members run fewer). */
  private memberEpochs: number;
  private last = '';
  private bar: Progress | undefined;
  private started: number | undefined;
  private epochStarted = 0;
  private epochsDone = 0;
  private explained = false;

  constructor(
    private readonly log: Logger,
    private readonly plan: TrainingPlan,
    private readonly columns: () => number | undefined = () => undefined,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.memberEpochs = plan.epochs;
  }

  onMember(member: number, members: number): void {
    this.started ??= this.now();
    if (!this.explained) {
      this.explained = true;
      const what = members > 1 ? `${members} networks (ensemble), each at most ${this.plan.epochs} epochs` : `at most ${this.plan.epochs} epochs`;
      this.log.info(`training ${what}; * = best validation loss so far (those weights are kept; a network stops after ${this.plan.patience} epochs without one)`);
    }
    // A new member starts its own count: no epoch number or loss carried over from the previous one.
    this.finishBar();
    this.member = member;
    this.members = members;
    this.epoch = 1;
    this.memberEpochs = this.plan.epochs;
    this.last = '';
    this.epochStarted = this.now();
  }

  /** Seconds left at most: the epochs still allowed, at the mean time per epoch so far. */
  private left(fracOfEpoch: number): number | undefined {
    const elapsed = (this.now() - (this.started ?? this.now())) / 1000;
    const perEpoch = this.epochsDone > 0 ? elapsed / this.epochsDone : fracOfEpoch > 0 ? (this.now() - this.epochStarted) / 1000 / fracOfEpoch : undefined;
    if (perEpoch === undefined) return undefined;
    const thisMember = this.memberEpochs - this.epoch + 1 - fracOfEpoch;
    const later = Math.max(0, this.members - Math.max(1, this.member)) * this.plan.epochs;
    return perEpoch * Math.max(0, thisMember + later);
  }

  onProgress(done: number, total: number): void {
    this.started ??= this.now();
    if (this.bar === undefined) {
      this.epochStarted = this.now();
      const who = this.members > 1 ? `net ${Math.max(1, this.member)}/${this.members} ` : '';
      this.bar = this.log.progress(`${who}epoch ${this.epoch}/${this.memberEpochs}`, total);
    }
    this.bar.update(done, this.last, this.left(total > 0 ? done / total : 0));
  }

  onEpoch(e: EpochInfo): void {
    this.memberEpochs = e.epochs;
    this.epochsDone++;
    this.epoch = e.epoch;
    this.finishBar();
    const left = e.epoch < e.epochs || this.member < this.members ? this.left(1) : undefined;
    const columns = this.log.interactive ? this.columns() : undefined;
    this.log.progress('', 0).line(epochLine(e, Math.max(1, this.member), this.members, left, columns));
    this.last = `loss ${num(e.loss)} val ${num(e.valLoss)}`;
    this.epoch = e.epoch + 1;
  }

  finish(): void {
    this.finishBar();
  }

  private finishBar(): void {
    this.bar?.finish();
    this.bar = undefined;
  }
}
