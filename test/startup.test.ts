import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/cli.js';

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module `entry` loads before any code runs: its static imports, followed through our own files. */
function staticImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    // `import type` and dynamic import() load nothing at start-up.
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { files, packages };
}

test('the CLI entry loads no package before it tunes V8 (core/v8-footprint.ts), then the command line', () => {
  const { files, packages } = staticImports(path.join(SRC, 'cli.ts'));
  // A CommonJS package imported here would run Node's wasm lexer before the settings are in place.
  assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')), []);
  assert.deepEqual([...files].map((f) => path.relative(SRC, f)).sort(), ['cli.ts', 'core/v8-footprint.ts']);
  assert.match(fs.readFileSync(path.join(SRC, 'cli.ts'), 'utf8'), /tuneV8Footprint\(\);\s*await import\('\.\/cli-program\.js'\)/);
});

test('the command line loads only commander and its own small modules before a command is chosen', () => {
  const { files, packages } = staticImports(path.join(SRC, 'cli-program.ts'));
  assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')).sort(), ['commander']);
  // The commands (and with them SQLite, pino, Slack, nodemailer, html-to-text, prom-client) load on use.
  const commands = [...files].map((f) => path.relative(SRC, f)).filter((f) => f.startsWith('commands/'));
  assert.deepEqual(commands, ['commands/exit.ts']);
});

test('--version and a command still work with commands loaded on use', async () => {
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  const query = await runCli(['query', 'remote senior ML engineer >= $130k']);
  assert.equal(query.code, 0);
  assert.match(query.stdout, /seniority/);
});
