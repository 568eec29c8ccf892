/**
 * `npm run eval [-- --json] [-- --corpus DIR] [-- --realdata-only | --no-realdata]`: measures how
 * well jobalert understands the labelled corpus in test/fixtures/postings (fields, rules, dedupe),
 * then the real-data samples in ../shared/realdata/samples ($JOBALERT_REALDATA overrides) against
 * the labels in test/fixtures/realdata/labels, and prints a report. The real-data part is skipped,
 * with a message, when the samples are absent (a fresh clone).
 * It is a report, not a test: it exits 0 whatever the figures (test/eval.test.ts and
 * test/eval-realdata.test.ts assert them); only an unreadable corpus or label file exits 1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport } from '../src/eval/report.js';
import { runEvaluation, type EvalReport } from '../src/eval/run.js';
import { realDataDir, runRealDataEvaluation, type RealDataReport } from '../src/eval/realdata.js';
import { formatRealDataReport } from '../src/eval/realdata-report.js';

const USAGE = 'usage: npm run eval [-- --json] [-- --corpus DIR] [-- --realdata-only | --no-realdata]';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(argv: string[]): Promise<number> {
  let json = false;
  let corpus = true;
  let realdata = true;
  let dir = path.join(ROOT, 'test/fixtures/postings');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--corpus' && argv[i + 1] !== undefined) dir = path.resolve(argv[++i]!);
    else if (arg === '--realdata-only') corpus = false;
    else if (arg === '--no-realdata') realdata = false;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else {
      process.stderr.write(`unknown argument "${arg}"\n${USAGE}\n`);
      return 1;
    }
  }
  if (!corpus && !realdata) {
    process.stderr.write(`--realdata-only and --no-realdata leave nothing to run\n${USAGE}\n`);
    return 1;
  }
  const samples = realDataDir(ROOT);
  let report: EvalReport | null = null;
  let real: RealDataReport | null = null;
  let skipped: string | null = null;
  try {
    if (corpus) report = await runEvaluation(dir);
    if (realdata) {
      if (fs.existsSync(samples)) real = await runRealDataEvaluation(samples, path.join(ROOT, 'test/fixtures/realdata/labels'));
      else skipped = `real-data evaluation skipped: no samples at ${samples} (set JOBALERT_REALDATA to their directory)`;
    }
  } catch (err) {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (json) {
    // The repo corpus report keeps its shape; the real-data part is one more key.
    const body = report ? { ...report, realdata: real ?? { skipped } } : (real ?? { skipped });
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    const parts: string[] = [];
    if (report) parts.push(formatReport(report));
    if (real) parts.push(formatRealDataReport(real));
    if (skipped) parts.push(`${skipped}\n`);
    process.stdout.write(parts.join('\n'));
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
