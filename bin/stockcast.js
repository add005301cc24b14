#!/usr/bin/env node
import { start } from './_start.js';

start([]);
