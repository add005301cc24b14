/**
 * The import graph of src/: what the CLI loads at start-up, and which layer may import which.
 * Read from the sources (static `import`/`export ... from`), so it needs no build.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

interface Edge {
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function edges(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => ({ to: m[3]!, typeOnly: m[2] !== undefined }));
}

function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const p = resolve(dirname(from), spec).replace(/\.js$/, '.ts');
  return existsSync(p) ? p : undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Files reached from `entry` through imports that survive compilation (type-only ones are erased). */
function reachable(entry: string): Map<string, string[]> {
  const paths = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const e of edges(f)) {
      if (e.typeOnly) continue;
      const to = resolveLocal(f, e.to);
      if (to !== undefined && !paths.has(to)) {
        paths.set(to, [...paths.get(f)!, to]);
        queue.push(to);
      }
    }
  }
  return paths;
}

const rel = (p: string) => relative(ROOT, p);

/** The layer of a file: the first folder under src/, or 'shared' for files directly in src/. */
function layer(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? 'shared' : parts[0]!;
}

/**
 * Which layers each layer may import (commands sit on top; cli.ts is the program itself). `core`
 * (types, calendar, random, stats) imports nothing of the project; every layer may use it.
 */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  shared: ['core', 'shared'],
  io: ['core', 'shared', 'io'],
  models: ['core', 'shared', 'models'],
  simulation: ['core', 'shared', 'simulation'],
  report: ['core', 'shared', 'models', 'simulation', 'report'],
  commands: ['core', 'shared', 'io', 'models', 'simulation', 'report', 'commands'],
};

/**
 * Imports against the direction that exist today, to be removed by the layering step (issue 12);
 * none left since io/model-dir.ts takes its metadata parser from its caller. The test fails on any
 * new one, and on an entry here that no longer exists (so the list only shrinks).
 */
const KNOWN_VIOLATIONS = new Set<string>([]);

describe('architecture', () => {
  it('the command registry (and so every --help and `stock` command) does not load TensorFlow.js', () => {
    const reached = reachable(join(SRC, 'commands/registry.ts'));
    const offenders: string[] = [];
    for (const [file, path] of reached) {
      for (const e of edges(file)) {
        if (!e.typeOnly && e.to.startsWith('@tensorflow/')) offenders.push(`${path.map(rel).join(' -> ')} -> ${e.to}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('finds TensorFlow.js where it is (the check above can fail)', () => {
    const reached = reachable(join(SRC, 'models/backend.ts'));
    const tf = [...reached.keys()].filter((f) => edges(f).some((e) => !e.typeOnly && e.to.startsWith('@tensorflow/')));
    expect(tf.map(rel)).toContain('src/models/backend.ts');
  });

  it('src/core imports nothing outside itself, not even a package', () => {
    const outside: string[] = [];
    for (const file of sourceFiles(join(SRC, 'core'))) {
      for (const e of edges(file)) {
        const to = resolveLocal(file, e.to);
        if (to === undefined ? !e.to.startsWith('node:') : layer(to) !== 'core') outside.push(`${rel(file)} -> ${e.to}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('layers import only in the allowed direction', () => {
    const found = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const from = layer(file);
      if (file === join(SRC, 'cli.ts')) continue;
      for (const e of edges(file)) {
        const to = resolveLocal(file, e.to);
        if (to === undefined) continue;
        const allowed = ALLOWED[from];
        expect(allowed, `no layer rule for ${rel(file)}`).toBeDefined();
        if (!allowed!.includes(layer(to))) found.add(`${rel(file)} -> ${rel(to)}`);
      }
    }
    const fresh = [...found].filter((v) => !KNOWN_VIOLATIONS.has(v)).sort();
    const gone = [...KNOWN_VIOLATIONS].filter((v) => !found.has(v)).sort();
    expect({ fresh, gone }).toEqual({ fresh: [], gone: [] });
  });
});
