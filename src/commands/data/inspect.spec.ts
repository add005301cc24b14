import { defineCommand } from '../_spec.js';

export interface InspectOptions {
  raw: Record<string, unknown>;
}

export const inspectSpec = defineCommand<InspectOptions>({
  name: 'inspect',
  summary: 'summarise a sales CSV: rows, SKUs, dates, frequency, gaps, promotions',
  configure(cmd) {
    cmd.allowUnknownOption(true);
  },
  parse(raw) {
    return { raw };
  },
  load: () => import('./inspect.js'),
});
