/**
 * The CLI as plain JavaScript, for tests that start it many times: src/ transpiled file by file
 * (esbuild, which tsx runs on and installs with it; no type check: `npm run typecheck` does that)
 * into a temp dir, run with `node` as the Docker image runs dist/cli.js. Through tsx every start
 * goes through its loader again, in the main thread and in each feed-reader thread: about two
 * seconds of CPU per start instead of a fraction of one. TypeScript's own transpiler would do, at
 * some seconds per build rather than a tenth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A compiled CLI: `spawn` starts `jobalert ARGS` as spawnCli does (same env, piped output). */
export interface CompiledCli {
  /** Path of cli.js. */
  entry: string;
  spawn(args: string[], env?: Record<string, string>): ChildProcess;
}

/** Transpiles src/ into `dir` (which must exist; packages resolve through a node_modules link to the repository's). */
export function compileCli(dir: string): CompiledCli {
  const out = path.join(dir, 'build');
  const src = path.join(ROOT, 'src');
  const files = fs.readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  buildSync({ entryPoints: files.map((f) => path.join(src, f)), outbase: src, outdir: out, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'error' });
  // The repository's package.json (ESM; the version the CLI reads one level above its code) and packages.
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const entry = path.join(out, 'cli.js');
  return {
    entry,
    spawn: (args, env = {}) =>
      spawn(process.execPath, [entry, ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', JOBALERT_LOG_LEVEL: 'debug', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
  };
}
