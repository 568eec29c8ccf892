/**
 * `npm run bench`: the store figures (store.bench.ts), the matching part (match.bench.ts, when
 * present) and the end-to-end part (e2e.bench.ts); on request, several workers on one PostgreSQL
 * database (workers.bench.ts: opt-in, it takes several minutes).
 *
 *   npm run bench                          everything at full size (the e2e part takes a while)
 *   npm run bench -- --only e2e --scale 0.1 --runs 1     a quick look
 *   npm run bench -- --only e2e --big      adds the scale runs (100k postings, 74 MB feed, 1,000 rules)
 *   npm run bench -- --only workers        1, 2 and 3 workers on one PostgreSQL database
 *
 * Flags: --only store|match|e2e|workers (repeatable or comma-separated; workers only when named),
 * --scale F (e2e and workers feed count x F), --runs N (repetitions, default 5 for e2e, 3 for
 * workers), --big, --no-peer (skip rss2email), --no-build (use dist/ as is).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { runE2eBench } from './e2e.bench.js';
import { runWorkersBench } from './workers.bench.js';
import { ROOT } from './systems.js';

const PARTS = ['store', 'match', 'e2e', 'workers'] as const;
type Part = (typeof PARTS)[number];
/** Run only when named in --only: they take minutes. */
const OPT_IN: readonly Part[] = ['workers'];

/** The parts asked for by --only (all but the opt-in ones when none). */
export function selectedParts(only: string[] | undefined): Part[] {
  if (!only || only.length === 0) return PARTS.filter((p) => !OPT_IN.includes(p));
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
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  if (!(scale > 0)) throw new Error(`--scale: expected a positive number, got ${values.scale}`);
  if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) throw new Error(`--runs: expected a whole number >= 1, got ${values.runs}`);
  const parts = selectedParts(values.only);
  for (const part of parts) {
    if (part === 'store') runStoreBench();
    else if (part === 'match') await runMatchPart();
    else if (part === 'e2e') {
      process.stdout.write('\n== end to end ==\n');
      await runE2eBench({ runs: runs ?? 5, scale, big: values.big, peer: !values['no-peer'], build: !values['no-build'] });
    } else {
      process.stdout.write('\n== workers (PostgreSQL) ==\n');
      // Built once: the e2e part, when it ran, has just built dist/.
      await runWorkersBench({ runs: runs ?? 3, scale, build: !values['no-build'] && !parts.includes('e2e') });
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
