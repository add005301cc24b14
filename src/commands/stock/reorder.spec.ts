import { defineCommand } from '../_spec.js';

export interface ReorderOptions {
  raw: Record<string, unknown>;
}

export const reorderSpec = defineCommand<ReorderOptions>({
  name: 'reorder',
  summary: 'orders to place today from a policy and current inventory',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./reorder.js'),
});
