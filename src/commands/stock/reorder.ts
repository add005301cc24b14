/** `stock reorder`: read policy + inventory, plan today's orders (pure), write them. */
import { InputError } from '../../errors.js';
import { stockLabel } from '../../core/types.js';
import { mergeConstraints, poolInventory, readConstraints, readInventoryFile } from '../../io/inventory.js';
import { stockMode } from '../../io/locations.js';
import { emit } from '../../io/output.js';
import { readPolicy } from '../../io/policy-file.js';
import { defaultFormat, render } from '../../io/table.js';
import { type StockPoint, planOrders } from '../../simulation/ordering.js';
import { absPath, checkPaths, stdinOnce, terminalWidth } from '../_paths.js';
import type { Context } from '../command.js';
import type { ReorderOptions } from './reorder.options.js';

export const ORDER_COLUMNS = ['sku', 'inventory_position', 'reorder_point', 'order_up_to', 'order_qty', 'reason'] as const;

const label = (p: StockPoint) => stockLabel(p.sku, p.location);

function list(skus: string[], max = 20): string {
  return skus.length <= max ? skus.join(', ') : `${skus.slice(0, max).join(', ')} ... (${skus.length - max} more)`;
}

export async function run(options: ReorderOptions, ctx: Context): Promise<void> {
  const inputs: [string, string | undefined][] = [['--policy', options.policy], ['--inventory', options.inventory], ['--constraints', options.constraints]];
  stdinOnce(inputs);
  await checkPaths(ctx, [['--out', options.out]], inputs);
  const path = (p: string) => absPath(ctx, p);
  const dialect = { delimiter: options.delimiter, decimal: options.decimal };
  const policy = await readPolicy(path(options.policy), { stdin: ctx.stdin, ...dialect, locations: true });
  const file = await readInventoryFile(path(options.inventory), { stdin: ctx.stdin, ...dialect });
  const extra = options.constraints === undefined ? undefined : await readConstraints(path(options.constraints), { stdin: ctx.stdin, ...dialect });
  // Per SKU, per SKU with the locations' stock pooled, or per SKU and location (io/locations.ts).
  const mode = stockMode(policy, file);
  const inventory = mode === 'pooled' ? poolInventory(file) : file.rows;
  const plan = planOrders(policy.policies, inventory, mergeConstraints(inventory, extra), options.all);

  const points = mode === 'location' ? `SKU-${policy.locationColumn} pair(s)` : 'SKU(s)';
  const problems: string[] = [];
  if (plan.missingInventory.length > 0) problems.push(`${plan.missingInventory.length} ${points} in ${options.policy} but not in ${options.inventory}: ${list(plan.missingInventory.map(label))}`);
  if (plan.missingPolicy.length > 0) problems.push(`${plan.missingPolicy.length} ${points} in ${options.inventory} but not in ${options.policy}: ${list(plan.missingPolicy.map(label))}`);
  if (extra !== undefined) {
    const skus = new Set([...inventory.values(), ...policy.policies].map((x) => x.sku));
    const unknown = [...extra.keys()].filter((sku) => !skus.has(sku)).sort();
    if (unknown.length > 0) problems.push(`${unknown.length} SKU(s) in ${options.constraints} but in neither the policy nor the inventory: ${list(unknown)}`);
  }
  if (options.strict && problems.length > 0) {
    throw new InputError('SKUs do not match between the input files (--strict)', problems.map((message) => ({ message })), 'drop --strict to order for the SKUs present in both files');
  }
  for (const p of problems) ctx.log.warn(`${p}; not ordered`);
  if (mode === 'pooled') ctx.log.info(`the policy is per SKU: the stock of ${file.rows.size} SKU-${file.locationColumn} row(s) pooled into ${inventory.size} SKU(s)`);
  for (const b of plan.blocked) ctx.log.warn(`${label(b)}: needs an order but no quantity satisfies its constraints (${b.reason.split(';').pop()}); order_qty 0`);

  const format = options.format ?? defaultFormat(ctx.stdout.isTTY === true, options.out);
  // Per location, the location goes last: the columns of per-SKU orders keep their places.
  const columns = mode === 'location' ? [...ORDER_COLUMNS, policy.locationColumn!] : ORDER_COLUMNS;
  const rows = plan.lines.map((l) => [l.sku, l.position, l.reorderPoint, l.orderUpTo, l.qty, l.reason, ...(mode === 'location' ? [l.location!] : [])]);
  await emit(absPath(ctx, options.out), render(format, columns, rows, { width: terminalWidth(ctx, options.out), priority: ['order_qty', 'inventory_position', 'reorder_point'], escapeFormulas: options.escapeFormulas, ...options.output }), ctx.stdout);
  const ordered = plan.lines.filter((l) => l.qty > 0);
  const units = ordered.reduce((s, l) => s + l.qty, 0);
  ctx.log.info(`${ordered.length} order(s) for ${Math.round(units * 1e4) / 1e4} units; ${policy.policies.length - plan.missingInventory.length} ${points} checked`);
}
