#!/usr/bin/env node
// `forecast train` is shorthand for `stockcast forecast train`.
import { start } from './_start.js';

start(['forecast']);
