/**
 * `npm run bench`: the store figures (store.bench.ts), the matching part (match.bench.ts, when
 * present) and the end-to-end part (e2e.bench.ts).
 *
 *   npm run bench                          everything at full size (the e2e part takes a while)
 *   npm run bench -- --only e2e --scale 0.1 --runs 1     a quick look
 *   npm run bench -- --only e2e --big      adds the scale runs (100k postings, 74 MB feed, 1,000 rules)
 *
 * Flags: --only store|match|e2e (repeatable or comma-separated), --scale F (e2e feed count x F),
 * --runs N (e2e repetitions, default 5), --big, --no-peer (skip rss2email), --no-build (use dist/ as is).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runE2eBench } from './e2e.bench.js';
import { ROOT } from './systems.js';

const PARTS = ['store', 'match', 'e2e'] as const;
type Part = (typeof PARTS)[number];

/** The parts asked for by --only (all when none). */
export function selectedParts(only: string[] | undefined): Part[] {
  if (!only || only.length === 0) return [...PARTS];
  const names = only.flatMap((o) => o.split(',')).map((o) => o.trim());
  for (const n of names) if (!(PARTS as readonly string[]).includes(n)) throw new Error(`--only: expected one of ${PARTS.join(', ')}, got ${JSON.stringify(n)}`);
  return PARTS.filter((p) => names.includes(p));
}

// store.bench.ts runs when loaded, so it gets a process of its own (its own heap, too).
function runStoreBench(): void {
  process.stdout.write('\n== store ==\n');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/store.bench.ts')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`store bench exited with ${r.status}`);
}

// Written separately (another part of issue 9): run when it exists, skipped with a note when not.
async function runMatchPart(): Promise<void> {
  process.stdout.write('\n== match ==\n');
  const file = path.join(ROOT, 'bench/match.bench.ts');
  if (!fs.existsSync(file)) {
    process.stdout.write('bench/match.bench.ts not present: skipped\n');
    return;
  }
  const mod = (await import(pathToFileURL(file).href)) as typeof import('./match.bench.js');
  // It printed nothing when run from here: only its own main() printed the figures.
  mod.printMatchBench(mod.runMatchBench({ runs: 5 }), 5);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string', multiple: true },
      scale: { type: 'string' },
      runs: { type: 'string' },
      big: { type: 'boolean', default: false },
      'no-peer': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
    },
  });
  const scale = values.scale === undefined ? 1 : Number(values.scale);
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!(scale > 0)) throw new Error(`--scale: expected a positive number, got ${values.scale}`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: expected a whole number >= 1, got ${values.runs}`);
  for (const part of selectedParts(values.only)) {
    if (part === 'store') runStoreBench();
    else if (part === 'match') await runMatchPart();
    else {
      process.stdout.write('\n== end to end ==\n');
      await runE2eBench({ runs, scale, big: values.big, peer: !values['no-peer'], build: !values['no-build'] });
    }
  }
}

// Run as a script only: the smoke test imports selectedParts.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
