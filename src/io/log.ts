/**
 * Talk to the user on stderr: messages, warnings, progress. Data never goes through here.
 * Colour only when stderr is a TTY, NO_COLOR is unset and TERM is not `dumb`; progress bars (one
 * line redrawn with `\r`, cut to the terminal's width) only on such a TTY.
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
  /** The terminal's width in columns, when stderr is an interactive terminal. */
  width?(): number | undefined;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A progress reporter: a redrawn bar on a TTY, one plain line per `tick` otherwise. */
  progress(label: string, total: number): Progress;
}

export interface Progress {
  /**
   * `done` steps finished of `total`; `detail` is shown after the bar (loss, rate, ...). `eta` (in
   * seconds) replaces the bar's own estimate, for callers that know more (several runs in a row).
   */
  update(done: number, detail?: string, eta?: number): void;
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
  // A dumb terminal (TERM=dumb: editors' shells, some CI logs) gets neither colour nor redraws.
  const interactive = opts.stream.isTTY === true && env.TERM !== 'dumb';
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
    width: () => (interactive ? out.columns : undefined),
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
      const clear = () => {
        if (drawn) out.write('\r\x1b[2K');
        drawn = false;
      };
      return {
        update(done, detail, eta) {
          if (quiet || !interactive) return;
          const frac = total > 0 ? Math.min(1, done / total) : 0;
          const elapsed = (now() - started) / 1000;
          const own = done > 0 && done < total ? (elapsed * (total - done)) / done : 0;
          const left = eta ?? own;
          const etaText = eta !== undefined || done < total ? ` ETA ${formatDuration(left)}` : '';
          const text = progressLine(label, frac, `${done}/${total}${detail ? ` ${detail}` : ''}${etaText}`, out.columns ?? 80);
          out.write(`\r\x1b[2K${text.before}${chalk.cyan(text.bar)}${text.after}`);
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
  // Round once, to the unit shown, before splitting: 299.6 s is 5m00s, not 4m60s.
  if (seconds < 9.95) return `${seconds.toFixed(1)}s`;
  if (seconds < 59.5) return `${Math.round(seconds)}s`;
  if (seconds < 3599.5) {
    const total = Math.round(seconds);
    return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * One progress line that fits in `columns - 1` characters (a line as wide as the terminal wraps on
 * some terminals, and a wrapped line cannot be redrawn with `\r`): the bar shrinks first (30 to 10
 * cells, then none), then the text is cut with an ellipsis.
 */
export function progressLine(label: string, frac: number, rest: string, columns: number): { before: string; bar: string; after: string } {
  const room = Math.max(20, columns) - 1;
  const head = label === '' ? '' : `${label} `;
  const free = room - head.length - rest.length - 1;
  if (free >= 10) {
    const width = Math.min(30, free);
    const filled = Math.round(Math.min(1, Math.max(0, frac)) * width);
    return { before: head, bar: `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`, after: ` ${rest}` };
  }
  const plain = `${head}${rest}`;
  return { before: plain.length <= room ? plain : `${plain.slice(0, room - 1)}…`, bar: '', after: '' };
}
