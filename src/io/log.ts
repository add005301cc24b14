/**
 * Talk to the user on stderr: messages, warnings, progress. Data never goes through here.
 * Colour only when stderr is a TTY and NO_COLOR is unset; progress bars only on a TTY.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { MAX_MESSAGE, safeText } from '../text-safe.js';

/**
 * Messages often quote input (SKU ids, cells): each line is sanitised (control characters and
 * escape sequences shown as escapes) and cut at MAX_MESSAGE characters before it reaches stderr.
 */
export function sanitizeMessage(message: string): string {
  return message
    .split('\n')
    .map((line) => safeText(line, MAX_MESSAGE))
    .join('\n');
}

export interface LogStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Logger {
  readonly quiet: boolean;
  readonly color: boolean;
  readonly interactive: boolean;
  readonly chalk: ChalkInstance;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A progress reporter: a redrawn bar on a TTY, one plain line per `tick` otherwise. */
  progress(label: string, total: number): Progress;
}

export interface Progress {
  /** `done` steps finished of `total`; `detail` is shown after the bar (loss, rate, ...). */
  update(done: number, detail?: string): void;
  /** A line that must survive in a non-interactive log (e.g. one per epoch). */
  line(message: string): void;
  finish(message?: string): void;
}

export interface LoggerOptions {
  stream: LogStream;
  quiet?: boolean;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
}

export function createLogger(opts: LoggerOptions): Logger {
  const env = opts.env ?? {};
  const interactive = opts.stream.isTTY === true;
  const noColorEnv = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const color = (opts.color ?? true) && interactive && !noColorEnv;
  const chalk = new Chalk({ level: color ? 1 : 0 });
  const quiet = opts.quiet ?? false;
  const now = opts.now ?? (() => Date.now());
  const out = opts.stream;

  const logger: Logger = {
    quiet,
    color,
    interactive,
    chalk,
    info(message) {
      if (!quiet) out.write(`${sanitizeMessage(message)}\n`);
    },
    warn(message) {
      out.write(`${chalk.yellow('warning:')} ${sanitizeMessage(message)}\n`);
    },
    error(message) {
      out.write(`${chalk.red('error:')} ${sanitizeMessage(message)}\n`);
    },
    progress(label, total) {
      const started = now();
      let drawn = false;
      const width = Math.max(10, Math.min(30, (out.columns ?? 80) - 60));
      const clear = () => {
        if (drawn) out.write('\r\x1b[2K');
        drawn = false;
      };
      return {
        update(done, detail) {
          if (quiet || !interactive) return;
          const frac = total > 0 ? Math.min(1, done / total) : 0;
          const filled = Math.round(frac * width);
          const elapsed = (now() - started) / 1000;
          const eta = done > 0 && done < total ? (elapsed * (total - done)) / done : 0;
          const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
          const etaText = done < total ? ` ETA ${formatDuration(eta)}` : '';
          out.write(`\r\x1b[2K${label} ${chalk.cyan(bar)} ${done}/${total}${detail ? ` ${detail}` : ''}${etaText}`);
          drawn = true;
        },
        line(message) {
          if (quiet) return;
          clear();
          out.write(`${message}\n`);
        },
        finish(message) {
          clear();
          if (message !== undefined && !quiet) out.write(`${message}\n`);
        },
      };
    },
  };
  return logger;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}
