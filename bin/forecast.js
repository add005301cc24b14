#!/usr/bin/env node
// `forecast train` is shorthand for `stockcast forecast train`.
import { main } from '../dist/src/cli.js';

main(['forecast', ...process.argv.slice(2)]).then((code) => {
  process.exitCode = code;
});
