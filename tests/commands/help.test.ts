/**
 * Every command's --help (issue 11, "Help"): required options marked, examples that parse and name
 * real sample files, --aggregate's values, one delimiter list, `help GROUP COMMAND`, "did you mean"
 * for a mistyped (required) option or command, numeric defaults unquoted, docs shipped and pointed
 * to. Iterates over the registry, so a new command is covered without touching this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { DELIMITER_HELP, parseDelimiter } from '../../src/commands/_ingest-options.js';
import { REQUIRED_GROUP } from '../../src/commands/_help.js';
import type { CommandSpec } from '../../src/commands/command.js';
import { GROUPS, TOP_LEVEL } from '../../src/commands/registry.js';
import { REPO_ROOT, parseArgv, runCli } from '../helpers/cli.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const COMMANDS: { path: string[]; spec: CommandSpec<any> }[] = [
  ...GROUPS.flatMap((g) => g.commands.map((spec) => ({ path: [g.name, spec.name], spec }))),
  ...TOP_LEVEL.map((spec) => ({ path: [spec.name], spec })),
];
const NAMES = COMMANDS.map((c) => [c.path.join(' '), c] as const);

const sink = { text: '', write(s: string) { this.text += s; return true; } };
const program = buildProgram({ stdout: sink, stderr: sink, stdin: Readable.from([]), env: {}, cwd: REPO_ROOT }, async () => {});
function commandOf(path: string[]): Command {
  let c: Command = program;
  for (const name of path) c = c.commands.find((x) => x.name() === name)!;
  return c;
}

/** The lines of one help section ("Required:", "Options:"), up to the next heading or blank line. */
function section(help: string, heading: string): string {
  const lines = help.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && (l === '' || /^\S/.test(l)));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** A typo of a long flag: a middle letter dropped (--forecast -> --forcast), or one doubled for short ones. */
function typo(flag: string): string {
  const name = flag.slice(2);
  if (name.length <= 3) return `--${name}${name.at(-1)}`;
  const i = Math.floor(name.length / 2);
  return `--${name.slice(0, i)}${name.slice(i + 1)}`;
}

const help = async (path: string[]) => {
  const r = await runCli([...path, '--help']);
  expect(r.code).toBe(0);
  return r.stdout;
};

describe.each(NAMES)('stockcast %s --help', (_name, { path, spec }) => {
  const cmd = commandOf(path);
  const options = cmd.options as Option[];
  const mandatory = options.filter((o) => o.mandatory);

  it('lists every required option (always or in some case) under "Required:", and no other', async () => {
    const text = await help(path);
    const required = section(text, REQUIRED_GROUP);
    const optional = section(text, 'Options:');
    const conditional = Object.keys(spec.requiredWhen ?? {});
    expect(mandatory.length + conditional.length).toBeGreaterThan(0);
    for (const o of mandatory) {
      expect(required).toMatch(new RegExp(`^  ${o.flags.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
      expect(optional).not.toContain(`  ${o.long} `);
    }
    for (const flag of conditional) {
      expect(options.some((o) => o.long === flag)).toBe(true);
      expect(required).toMatch(new RegExp(`^  ${flag} `, 'm'));
      expect(required.replace(/\s+/g, ' ')).toContain(`(required ${spec.requiredWhen![flag]})`);
    }
    for (const o of options.filter((x) => !x.mandatory && !conditional.includes(x.long!))) expect(required).not.toMatch(new RegExp(`^  ${o.long}[ ,]`, 'm'));
  });

  it('shows examples of this command that parse and name sample files that exist', async () => {
    const text = await help(path);
    expect(text).toMatch(/\nExamples? \(in the stockcast folder, .*\):\n/);
    const lines = (spec.examples ?? []).filter((e) => !e.startsWith('#'));
    expect(lines.some((e) => e.startsWith(`stockcast ${path.join(' ')} `))).toBe(true);
    for (const line of lines) {
      expect(text).toContain(`  $ ${line}\n`);
      const argv = line.split(/\s+/);
      expect(argv[0]).toBe('stockcast');
      const inv = await parseArgv(argv.slice(1));
      expect(inv.options).toBeDefined();
      for (const file of argv.filter((a) => a.startsWith('data/'))) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
    }
  });

  it('points to docs that exist and that the npm package ships', async () => {
    const text = await help(path);
    const docs = spec.docs ?? [];
    expect(docs.length).toBeGreaterThan(0);
    const files = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { files: string[] }).files;
    expect(files).toContain('docs');
    expect(files).toContain('data/samples');
    for (const d of docs) {
      expect(existsSync(join(REPO_ROOT, 'docs', d)), d).toBe(true);
      expect(text.replace(/\s+/g, ' ')).toContain(join(REPO_ROOT, 'docs', d));
    }
  });

  it('shows numeric defaults unquoted', async () => {
    const text = (await help(path)).replace(/\s+/g, ' ');
    expect(text).not.toMatch(/default: "[-+.,]*\d[-+\d.,]*"/);
    for (const o of options.filter((x) => typeof x.defaultValue === 'string' && /^[\d.,]*\d[\d.,]*$/.test(x.defaultValue))) {
      expect(text).toContain(`(default: ${o.defaultValue as string})`);
    }
  });

  it('lists --aggregate values and the one delimiter list, where it has them', async () => {
    const text = (await help(path)).replace(/\s+/g, ' ');
    if (options.some((o) => o.long === '--aggregate')) expect(text).toMatch(/--aggregate <how> duplicate \(sku, date\) rows: sum /);
    const delimiter = options.find((o) => o.long === '--delimiter');
    if (delimiter) expect(delimiter.description).toContain(DELIMITER_HELP);
  });

  it('`stockcast help ...` shows this command, not its group', async () => {
    const direct = await help(path);
    const r = await runCli(['help', ...path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(direct);
    expect(r.stdout).toMatch(new RegExp(`^Usage: stockcast ${path.join(' ')} \\[options\\]`));
  });

  it('a mistyped option gets "did you mean", before any missing required option', async () => {
    for (const o of options.filter((x) => x.long !== undefined && !options.some((y) => y.long === typo(x.long!)))) {
      const r = await runCli([...path, typo(o.long!), 'x']);
      expect(r.code, o.long).toBe(2);
      expect(r.stderr, o.long).toContain(`unknown option '${typo(o.long!)}'`);
      if (o.mandatory) expect(r.stderr, o.long).toContain(`(Did you mean ${o.long}?)`);
      expect(r.stderr).not.toMatch(/required option/);
    }
  });

  it('lists the global options (-V, -q, --no-color) under "Global Options:", and they work after the command too', async () => {
    const global = section(await help(path), 'Global Options:');
    for (const o of program.options as Option[]) {
      expect(global, o.flags).toMatch(new RegExp(`^  ${o.flags.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `, 'm'));
    }
    expect(global.split('\n').filter((l) => /^ {2}-/.test(l)).length).toBe(program.options.length);
    const version = await runCli([...path, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a mistyped command name gets "did you mean"', async () => {
    const wrong = [...path.slice(0, -1), path.at(-1)!.slice(0, -1)];
    for (const argv of [wrong, ['help', ...wrong]]) {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`(Did you mean ${path.at(-1)}?)`);
    }
  });
});

describe('global options', () => {
  it('are -V, -q and --no-color, shown in every group\'s help too', async () => {
    expect((program.options as Option[]).map((o) => o.flags)).toEqual(['-V, --version', '-q, --quiet', '--no-color']);
    for (const g of GROUPS) expect(section(await help([g.name]), 'Global Options:')).toContain('-q, --quiet');
  });

  it('-q and --no-color after a command are honoured: no info line, no colour', async () => {
    const args = ['stock', 'reorder', '--policy', 'tests/fixtures/stock/policy.csv', '--inventory', 'tests/fixtures/stock/inventory.csv'];
    const loud = await runCli(args);
    expect(loud.stderr).toMatch(/order\(s\) for/);
    const quiet = await runCli([...args, '-q']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe(loud.stdout);
    expect(quiet.stderr).not.toMatch(/order\(s\) for/);
    expect(quiet.stderr).toMatch(/warning: .*not ordered/);
    // what the CLI hands the logger, before and after the command's name
    const seen: { quiet: boolean; color: boolean }[] = [];
    const p = buildProgram({ stdout: sink, stderr: sink, stdin: Readable.from([]), env: {}, cwd: REPO_ROOT }, async (_inv, g) => void seen.push(g));
    await p.parseAsync(args, { from: 'user' });
    await p.parseAsync([...args, '-q', '--no-color'], { from: 'user' });
    expect(seen).toEqual([{ quiet: false, color: true }, { quiet: true, color: false }]);
  });
});

describe('the delimiter list', () => {
  it('names exactly what --delimiter accepts', () => {
    const listed = [...DELIMITER_HELP.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect(listed).toEqual([',', ';', '|', 'tab']);
    for (const d of listed) expect(() => parseDelimiter(d)).not.toThrow();
    expect(() => parseDelimiter(':')).toThrow();
  });
});
