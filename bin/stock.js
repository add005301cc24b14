#!/usr/bin/env node
// `stock simulate` is shorthand for `stockcast stock simulate`.
import { main } from '../dist/src/cli.js';

main(['stock', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
