/**
 * `stock merge`: the shard outputs of `stock simulate --shard K/N` back into exactly the bytes of
 * the unsharded run. Records are copied byte for byte (quoted SKUs with commas, quotes or line
 * breaks included), never re-rendered, and sorted by SKU in the order the commands use (JavaScript
 * string order, UTF-16 code units, which `sort` does not reproduce). Every file must have the same
 * header; a SKU in two files is an error.
 */
import { readFile } from 'node:fs/promises';
import { InputError, ProblemCollector } from '../errors.js';
import { showValue } from '../text-safe.js';
import { csvRecords, displayName } from './csv-in.js';

interface Entry {
  sku: string;
  text: string;
  file: string;
  line: number;
}

/** Read one shard: its header text and each record's exact text with its SKU. */
async function readShard(path: string, stdin?: NodeJS.ReadableStream, delimiter?: string): Promise<{ header: string; entries: Entry[] }> {
  const file = displayName(path);
  let text: string;
  try {
    text = path === '-' ? await streamText(stdin ?? process.stdin) : await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const { Readable } = await import('node:stream');
  const starts: { line: number; fields: string[] }[] = [];
  for await (const rec of csvRecords('-', { stdin: Readable.from([text]), delimiter })) starts.push(rec);
  if (starts.length === 0) throw new InputError(`${file}: empty file`, [], 'expected a stock simulate output with its header line');
  const header = lines.slice(0, (starts[1]?.line ?? lines.length + 1) - 1).join('\n');
  const skuAt = starts[0]!.fields.map((f) => f.trim()).indexOf('sku');
  if (skuAt < 0) throw new InputError(`${file}: no sku column`, [{ file, line: 1, message: 'header', expected: 'a column named sku', value: header }]);
  const entries: Entry[] = [];
  for (let i = 1; i < starts.length; i++) {
    const from = starts[i]!.line - 1;
    const to = (starts[i + 1]?.line ?? lines.length + 1) - 1;
    entries.push({ sku: starts[i]!.fields[skuAt] ?? '', text: lines.slice(from, to).join('\n'), file, line: starts[i]!.line });
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
  const shards = [];
  for (const p of paths) shards.push(await readShard(p, stdin, delimiter));
  const problems = new ProblemCollector();
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
  return `${[header, ...all.map((e) => e.text)].join('\n')}\n`;
}
