/**
 * What every command's --help shows beyond its options, applied by the CLI after `spec.configure`:
 * required options in their own "Required:" group, numeric defaults unquoted, the examples of the
 * spec, and where its docs lie in the installed package. An unknown option is reported (with
 * commander's "did you mean") before a missing required one, so `--forcast` is not answered with
 * "required option '--forecast' not specified".
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import type { CommandSpec } from './command.js';

export const REQUIRED_GROUP = 'Required:';

/** The folder of the stockcast package (dist/src/commands/ when built, src/commands/ under vitest). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    dir = dirname(dir);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return dir;
}

/** A default that is a number or a list of numbers ('0.95', '80,95'): shown without quotes. */
const NUMERIC = /^[+-]?\d+(\.\d+)?(,[+-]?\d+(\.\d+)?)*$/;

export function decorateHelp(cmd: Command, spec: CommandSpec<unknown>): void {
  for (const opt of cmd.options as Option[]) {
    const when = opt.long === undefined ? undefined : spec.requiredWhen?.[opt.long];
    if (opt.mandatory || when !== undefined) opt.helpGroup(REQUIRED_GROUP);
    if (when !== undefined && !opt.description.includes(`(required ${when})`)) opt.description += ` (required ${when})`;
    if (typeof opt.defaultValue === 'string' && opt.defaultValueDescription === undefined && NUMERIC.test(opt.defaultValue)) {
      opt.defaultValueDescription = opt.defaultValue;
    }
  }
  const lines: string[] = [];
  const examples = spec.examples ?? [];
  if (examples.length > 0) {
    lines.push('', `${examples.length === 1 ? 'Example' : 'Examples'} (in the stockcast folder, ${packageRoot()}):`);
    for (const e of examples) lines.push(e.startsWith('#') ? `  ${e}` : `  $ ${e}`);
  }
  const docs = spec.docs ?? [];
  if (docs.length > 0) {
    lines.push('', `Docs: ${docs.map((d) => join(packageRoot(), 'docs', d)).join(', ')}`);
  }
  if (lines.length > 0) cmd.addHelpText('after', lines.join('\n'));

  // Commander checks required options before unknown ones; a typo in a required option would then
  // read "required option ... not specified". Report the unknown option (and its suggestion) first.
  const c = cmd as Command & { missingMandatoryOptionValue(o: Option): void; unknownOption(flag: string): void };
  const missing = c.missingMandatoryOptionValue.bind(c);
  c.missingMandatoryOptionValue = (o: Option) => {
    const typo = c.args.find((a) => a.startsWith('--') && a.length > 2);
    if (typo !== undefined) c.unknownOption(typo.split('=')[0]!);
    missing(o);
  };
}

/**
 * `stockcast help GROUP COMMAND` -> `GROUP COMMAND --help` (commander's help command takes one
 * name and would show the group). An unknown name is passed on without --help, so commander
 * answers "unknown command ... (Did you mean ...?)" (exit 2) instead of showing a help page.
 */
export function helpArgv(argv: string[], known: (group: string, command: string) => boolean, isGroup: (name: string) => boolean): string[] {
  if (argv[0] !== 'help' || argv.length < 2) return argv;
  const name = argv[1]!;
  if (!isGroup(name)) return known('', name) ? argv : [name];
  if (argv.length < 3) return argv;
  const command = argv[2]!;
  return known(name, command) ? [name, command, '--help'] : [name, command];
}
