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
