/**
 * The inventory file: `sku,on_hand[,on_order][,backorders][,moq][,pack_size][,max_qty]`, and an
 * optional location (or channel) column (io/locations.ts). Empty on_order/backorders = 0; empty
 * constraint = none. The constraints file is `sku` with the constraint columns. Read by
 * io/inventory.ts; written by the samples generator.
 */
import { type Contract, MAX_UNITS, defineContract } from './table.js';

/** One row of the file, without its location. undefined or NaN: an empty cell. */
export interface InventoryFileRow {
  sku: string;
  onHand: number;
  onOrder?: number;
  backorders?: number;
  moq?: number;
  packSize?: number;
  maxQty?: number;
}

const orEmpty = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : x);
const optional = { kind: 'number', required: false, allowEmpty: true, max: MAX_UNITS } as const;

export const INVENTORY_CONTRACT: Contract<InventoryFileRow> = defineContract<InventoryFileRow>([
  { name: 'sku', kind: 'string', cell: (r) => r.sku },
  { name: 'on_hand', kind: 'number', min: 0, max: MAX_UNITS, cell: (r) => r.onHand },
  { name: 'on_order', ...optional, min: 0, cell: (r) => orEmpty(r.onOrder) },
  { name: 'backorders', ...optional, min: 0, cell: (r) => orEmpty(r.backorders) },
  { name: 'moq', ...optional, min: 0, cell: (r) => orEmpty(r.moq) },
  { name: 'pack_size', ...optional, above: 0, cell: (r) => orEmpty(r.packSize) },
  { name: 'max_qty', ...optional, min: 0, cell: (r) => orEmpty(r.maxQty) },
]);

/** The ordering-constraint columns, shared by the inventory file and the constraints file. */
export const CONSTRAINT_COLUMN_NAMES = ['moq', 'pack_size', 'max_qty'] as const;
