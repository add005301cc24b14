/** Header rules shared by every CSV reader: column names must be unique (empty names aside). Pure. */
import type { Problem } from '../errors.js';
import { showValue } from '../text-safe.js';

/** One problem per repeated column name, at the repeat's position, naming the first one's. */
export function duplicateColumns(header: readonly string[], file: string, line: number): Problem[] {
  const first = new Map<string, number>();
  const problems: Problem[] = [];
  header.forEach((name, i) => {
    if (name === '') return;
    const at = first.get(name);
    if (at === undefined) first.set(name, i);
    else {
      problems.push({
        file,
        line,
        column: i + 1,
        message: `column ${showValue(name)} appears twice (columns ${at + 1} and ${i + 1})`,
        expected: 'unique column names',
      });
    }
  });
  return problems;
}

/**
 * When a header split into one column where several were required, the file is most likely
 * written with another delimiter: say which one it seems to be and how to pass it.
 */
export function delimiterHint(header: readonly string[], delimiter: string | undefined): string | undefined {
  if (header.length !== 1) return undefined;
  const h = header[0]!;
  const d = delimiter ?? ',';
  const seen = [';', '\t', '|', ','].filter((c) => c !== d && h.includes(c));
  const name = (c: string) => (c === '\t' ? 'tab' : `'${c}'`);
  const shown = d === '\t' ? 'tab' : `'${d}'`;
  if (seen.length === 0) return `only one column found with the delimiter ${shown}; if the file uses ';' or tab, pass --delimiter ';' (or --delimiter tab)`;
  return `only one column found with the delimiter ${shown}; the header contains ${seen.map(name).join(' and ')}: pass --delimiter ${seen[0] === '\t' ? 'tab' : `'${seen[0]}'`}`;
}
