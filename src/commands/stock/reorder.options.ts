import { flagOption, optionalString, stringOption } from '../_options.js';
import { defineCommand } from '../command.js';
import { type Format, parseFormat } from '../../io/table.js';
import type { DecimalMark } from '../../io/numbers.js';
import { DELIMITER_HELP, type OutputDialect, addDecimalOption, addOutputDialectOptions, parseDecimal, parseDelimiter, parseOutputDialect } from '../_csv-dialect.js';

export interface ReorderOptions {
  /** Policy CSV (`stock simulate` output); '-' = stdin. */
  policy: string;
  inventory: string;
  constraints?: string;
  all: boolean;
  strict: boolean;
  out?: string;
  /** undefined = table on a TTY, CSV otherwise. */
  format?: Format;
  /** --escape-formulas: OWASP-escape text cells starting with = + - @ tab CR in CSV output. */
  escapeFormulas: boolean;
  /** --delimiter / --decimal of the input files (policy, inventory, constraints). */
  delimiter: string;
  decimal: DecimalMark;
  /** --output-delimiter / --output-decimal of the CSV written. */
  output: OutputDialect;
}

export const reorderSpec = defineCommand<ReorderOptions>({
  name: 'reorder',
  summary: 'orders to place today from a policy and current inventory',
  configure(cmd) {
    cmd
      .requiredOption('--policy <file>', 'policy CSV from stock simulate (sku[,location],reorder_point,order_up_to,...); - for stdin')
      .requiredOption('--inventory <file>', 'inventory CSV: sku[,location],on_hand[,on_order][,backorders][,moq][,pack_size][,max_qty]')
      .option('--constraints <file>', 'ordering constraints CSV, one row per SKU: sku[,moq][,pack_size][,max_qty] (overrides the inventory file)')
      .option('--all', 'also list SKUs that need no order (order_qty 0)')
      .option('--strict', 'fail (exit 2, nothing written) when a SKU is in only one of the policy and inventory files')
      .option('--out <file>', 'write the orders here (atomically) instead of stdout')
      .option('--delimiter <char>', DELIMITER_HELP, ',');
    addDecimalOption(cmd);
    addOutputDialectOptions(cmd);
    cmd
      .option('--format <fmt>', 'csv | json | table (default: table on a terminal, csv otherwise)')
      .option('--escape-formulas', 'escape SKU ids and other text cells that a spreadsheet would run as a formula (= + - @ tab CR): leading apostrophe, quoted (docs/input-format.md)')
      .addHelpText(
        'after',
        '\nOutput columns: sku,inventory_position,reorder_point,order_up_to,order_qty,reason\n' +
          'position = on_hand + on_order - backorders; order when position <= reorder_point;\n' +
          'qty = order_up_to - position, rounded up to whole packs, at least the MOQ, capped by max_qty.\n' +
          'Locations (a location or channel column): with a per-SKU policy the stock of a SKU\'s locations is\n' +
          'pooled into one order; with a location column in the policy too, orders go per SKU and location\n' +
          '(the location is the last output column): docs/reorder-backtest.md, "Several locations or sales channels".',
      );
  },
  parse(raw) {
    return {
      policy: stringOption('--policy', raw.policy),
      inventory: stringOption('--inventory', raw.inventory),
      constraints: optionalString(raw.constraints),
      all: flagOption(raw.all),
      strict: flagOption(raw.strict),
      out: optionalString(raw.out),
      format: raw.format === undefined ? undefined : parseFormat(raw.format, 'csv'),
      escapeFormulas: flagOption(raw.escapeFormulas),
      delimiter: parseDelimiter(raw.delimiter),
      decimal: parseDecimal(raw.decimal, parseDelimiter(raw.delimiter)),
      output: parseOutputDialect(raw),
    };
  },
  load: () => import('./reorder.js'),
  examples: [
    '# with the policy of the stock simulate example:',
    'stockcast stock reorder --policy policy.csv --inventory data/samples/inventory.csv --format table',
    'stockcast stock reorder --policy policy.csv --inventory data/samples/inventory.csv --all --out orders.csv',
  ],
  docs: ['reorder-backtest.md'],
});
