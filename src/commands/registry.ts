/** One registry of commands. Specs are light; each command's code is imported only when it runs. */
import type { CommandSpec } from './command.js';
import { inspectSpec } from './data/inspect.options.js';
import { reportSpec } from './report/report.options.js';
import { evaluateSpec } from './forecast/evaluate.options.js';
import { predictSpec } from './forecast/predict.options.js';
import { trainSpec } from './forecast/train.options.js';
import { backtestSpec } from './stock/backtest.options.js';
import { mergeSpec } from './stock/merge.options.js';
import { reorderSpec } from './stock/reorder.options.js';
import { simulateSpec } from './stock/simulate.options.js';

export interface Group {
  name: string;
  summary: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  commands: CommandSpec<any>[];
}

export const GROUPS: Group[] = [
  { name: 'forecast', summary: 'train, apply and evaluate the global LSTM sales model', commands: [trainSpec, predictSpec, evaluateSpec] },
  { name: 'stock', summary: 'safety stock, reorder points, orders and policy backtests', commands: [simulateSpec, reorderSpec, backtestSpec, mergeSpec] },
  { name: 'data', summary: 'look at sales data before using it', commands: [inspectSpec] },
];

/** Commands outside any group: `stockcast report`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TOP_LEVEL: CommandSpec<any>[] = [reportSpec];

/** The spec of `group command`, or of a top-level command when `group` is ''. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findSpec(group: string, command: string): CommandSpec<any> | undefined {
  const list = group === '' ? TOP_LEVEL : GROUPS.find((g) => g.name === group)?.commands;
  return list?.find((c) => c.name === command);
}
