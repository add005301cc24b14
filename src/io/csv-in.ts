/**
 * CSV input: a streaming record reader (csv-parse, RFC 4180, BOM, CRLF) that keeps line numbers.
 * The validating reader of the small typed tables is `readTable` in typed-table.ts.
 */
import { parse } from 'csv-parse';
import { InputError, RuntimeError } from '../errors.js';
import { fsOps, isSystemError } from './fs-ops.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvSourceOptions {
  delimiter?: string;
  /** Used when path is '-'. */
  stdin?: NodeJS.ReadableStream;
}

/** Display name of a path in messages. */
export function displayName(path: string): string {
  return path === '-' ? '<stdin>' : path;
}

/**
 * Records end with CRLF or LF, whichever each line uses: csv-parse otherwise takes the first line's
 * ending for the whole file, and a CRLF header over LF rows would read as one long record.
 */
export const RECORD_DELIMITERS = ['\r\n', '\n'];

/**
 * An input path the user gave that is missing, a folder or unreadable is an input error (exit 2);
 * an I/O failure while reading (EIO, a vanished network share) is a runtime error (exit 1). Neither
 * is ever reported as a CSV problem.
 */
export function readFailure(file: string, err: NodeJS.ErrnoException): InputError | RuntimeError {
  const why: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a folder, not a file', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a part of the path is not a folder' };
  const reason = why[err.code ?? ''];
  if (reason !== undefined) return new InputError(`cannot read ${file}: ${reason}`, [], err.code === 'ENOENT' ? 'check the path, or pass - to read from stdin' : undefined);
  return new RuntimeError(`I/O error reading ${file}: ${err.message}`, 'the file could not be read to the end; check the disk or the network share and rerun');
}

export async function openSource(path: string, stdin?: NodeJS.ReadableStream, name = displayName(path)): Promise<NodeJS.ReadableStream> {
  if (path === '-') return stdin ?? process.stdin;
  try {
    const st = await fsOps.stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR', syscall: 'open' });
    // Open once here so that permission problems are reported before any work starts.
    const fh = await fsOps.open(path, 'r');
    await fh.close();
  } catch (err) {
    throw readFailure(name, err as NodeJS.ErrnoException);
  }
  return fsOps.createReadStream(path);
}

/**
 * A quoted field followed by something other than the delimiter is what a ';'- or tab-delimited
 * file with quotes looks like when read with ',': say so.
 */
export function wrongDelimiterHint(code: string | undefined, delimiter: string | undefined): string | undefined {
  if (code !== 'CSV_INVALID_CLOSING_QUOTE' || (delimiter ?? ',') !== ',') return undefined;
  return "if the file uses ';' or tab as the delimiter, pass --delimiter ';' (or --delimiter tab)";
}

/** Stream the records of a CSV file (header included) with their line numbers. */
export async function* csvRecords(path: string, opts: CsvSourceOptions = {}): AsyncGenerator<CsvRecord> {
  const input = await openSource(path, opts.stdin);
  // Line numbers are counted here rather than with csv-parse's `info` option, which halves its speed:
  // each record starts one line after the previous one ended (blank lines arrive as [''] records).
  const parser = parse({
    bom: true,
    delimiter: opts.delimiter ?? ',',
    record_delimiter: RECORD_DELIMITERS,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  let next = 1;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const line = next;
      next++;
      for (const f of fields) if (f.indexOf('\n') >= 0) next += f.split('\n').length - 1;
      if (fields.length === 1 && fields[0]!.trim() === '') continue;
      yield { line, fields };
    }
  } catch (err) {
    if (isSystemError(err)) throw readFailure(displayName(path), err);
    const e = err as Error & { code?: string; lines?: number };
    const line = e.lines;
    throw new InputError(`cannot parse ${displayName(path)} as CSV`, [
      { file: displayName(path), line, message: e.message.replace(/^Invalid Record Length: /, ''), expected: 'RFC 4180 CSV' },
    ], wrongDelimiterHint(e.code, opts.delimiter));
  }
}
