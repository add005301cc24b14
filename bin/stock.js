#!/usr/bin/env node
// `stock simulate` is shorthand for `stockcast stock simulate`.
import { start } from './_start.js';

start(['stock']);
