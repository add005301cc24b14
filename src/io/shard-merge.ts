/**
 * `stock merge`: the shard outputs of `stock simulate --shard K/N` back into exactly the bytes of
 * the unsharded run. Records are copied byte for byte (quoted SKUs with commas, quotes or line
 * breaks included), never re-rendered, and sorted by SKU in the order the commands use (JavaScript
 * string order, UTF-16 code units, which `sort` does not reproduce). Every file must have the same
 * header, with the columns a policy file needs (sku, reorder_point, order_up_to), and every record
 * that header's number of fields; a SKU in two files is an error. N files must be the N shards
 * K/N of one run: each file's SKUs all in one shard (fnv1a(sku) mod N, as `--shard` assigns them),
 * no two files on the same shard. So a missing shard is caught (N - 1 files of an N-shard run mix
 * shards mod N - 1) unless the files given happen to be a whole run of their own count.
 */
import { readFile } from 'node:fs/promises';
import { fnv1a } from '../core/random.js';
import { InputError, ProblemCollector } from '../errors.js';
import { showValue } from '../text-safe.js';
import { csvRecords, displayName, readFailure } from './csv-in.js';
import { FORMULA_START } from './csv-out.js';

/** The columns `stock merge` needs in a shard: what a policy file must have (io/policy-file.ts). */
const MERGE_COLUMNS = ['sku', 'reorder_point', 'order_up_to'];

interface Entry {
  sku: string;
  text: string;
  file: string;
  line: number;
}

/** Read one shard: its header text and each record's exact text with its SKU. */
async function readShard(path: string, problems: ProblemCollector, stdin?: NodeJS.ReadableStream, delimiter?: string): Promise<{ header: string; entries: Entry[] }> {
  const file = displayName(path);
  let text: string;
  try {
    text = path === '-' ? await streamText(stdin ?? process.stdin) : await readFile(path, 'utf8');
  } catch (err) {
    throw readFailure(file, err as NodeJS.ErrnoException);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { Readable } = await import('node:stream');
  const starts: { line: number; fields: string[] }[] = [];
  for await (const rec of csvRecords('-', { stdin: Readable.from([text]), delimiter })) starts.push(rec);
  if (starts.length === 0) throw new InputError(`${file}: empty file`, [], 'expected a stock simulate output with its header line');
  const header = lines.slice(0, (starts[1]?.line ?? lines.length + 1) - 1).join('\n');
  const names = starts[0]!.fields.map((f) => f.trim());
  const missing = MERGE_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new InputError(`${file}: not a stock simulate output (no ${missing.join(', ')} column)`, [
      { file, line: 1, message: 'header', expected: `a policy header with ${MERGE_COLUMNS.join(', ')}`, value: header },
    ]);
  }
  const skuAt = names.indexOf('sku');
  const entries: Entry[] = [];
  for (let i = 1; i < starts.length; i++) {
    const from = starts[i]!.line - 1;
    const to = (starts[i + 1]?.line ?? lines.length + 1) - 1;
    const fields = starts[i]!.fields;
    if (fields.length !== names.length) {
      problems.add({ file, line: starts[i]!.line, message: 'wrong number of fields', expected: `${names.length} fields, as in the header`, value: `${fields.length}` });
    }
    entries.push({ sku: fields[skuAt] ?? '', text: lines.slice(from, to).join('\n'), file, line: starts[i]!.line });
  }
  return { header, entries };
}

async function streamText(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `delimiter`: the shards' field delimiter (`stock merge --delimiter`, as written with --output-delimiter). */
export async function mergeShards(paths: string[], stdin?: NodeJS.ReadableStream, delimiter?: string): Promise<string> {
  if (paths.filter((p) => p === '-').length > 1) throw new InputError('stdin (-) can be read only once');
  const problems = new ProblemCollector();
  const shards = [];
  for (const p of paths) shards.push(await readShard(p, problems, stdin, delimiter));
  problems.throwIfAny('a shard has records that do not match its header', 'merge the outputs of stock simulate --shard K/N as they were written');
  const header = shards[0]!.header;
  shards.forEach((s, i) => {
    if (s.header !== header) {
      problems.add({ file: displayName(paths[i]!), line: 1, message: `header differs from ${displayName(paths[0]!)}'s`, expected: header, value: s.header });
    }
  });
  problems.throwIfAny('shards do not match', 'merge the outputs of one stock simulate run (same options, --shard K/N)');
  const all = shards.flatMap((s) => s.entries).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.sku === all[i - 1]!.sku) {
      problems.add({ file: all[i]!.file, line: all[i]!.line, message: `SKU ${showValue(all[i]!.sku, 40)} is also in ${all[i - 1]!.file}:${all[i - 1]!.line}`, expected: 'each SKU in one shard' });
    }
  }
  problems.throwIfAny('shards overlap', 'merge each shard once (K = 0..N-1 of one N)');
  checkShardSet(paths, shards, problems);
  problems.throwIfAny(`the ${paths.length} files are not the ${paths.length} shards K/${paths.length} of one run`, 'give every shard of the run once (--shard 0/N to N-1/N: N files)');
  return `${[header, ...all.map((e) => e.text)].join('\n')}\n`;
}

/** The SKU as `--shard` saw it: the OWASP escape of `--escape-formulas` undone. */
function rawSku(sku: string): string {
  return sku.startsWith("'") && FORMULA_START.test(sku.slice(1)) ? sku.slice(1) : sku;
}

/** With N > 1 files: each file's SKUs in one shard K/N, each K in one file at most (see the header). */
function checkShardSet(paths: string[], shards: { entries: Entry[] }[], problems: ProblemCollector): void {
  const n = paths.length;
  if (n < 2) return;
  const owner = new Map<number, number>();
  shards.forEach((s, i) => {
    const first = s.entries[0];
    if (first === undefined) return;
    const k = fnv1a(rawSku(first.sku)) % n;
    const other = s.entries.find((e) => fnv1a(rawSku(e.sku)) % n !== k);
    if (other !== undefined) {
      problems.add({
        file: first.file,
        line: other.line,
        message: `SKU ${showValue(other.sku, 40)} is in shard ${fnv1a(rawSku(other.sku)) % n}/${n}, SKU ${showValue(first.sku, 40)} (line ${first.line}) in shard ${k}/${n}`,
        expected: `the SKUs of one shard K/${n} (a file from a run with another N, or a shard missing?)`,
      });
      return;
    }
    const before = owner.get(k);
    if (before !== undefined) {
      problems.add({ file: first.file, line: first.line, message: `holds shard ${k}/${n}, as ${displayName(paths[before]!)} does`, expected: `one file per shard K/${n}` });
    } else owner.set(k, i);
  });
}
