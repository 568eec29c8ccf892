/**
 * `npm run eval [-- --json] [-- --corpus DIR]`: measures how well jobalert understands the
 * labelled corpus in test/fixtures/postings (fields, rules, dedupe) and prints a report.
 * It is a report, not a test: it exits 0 whatever the figures (test/eval.test.ts asserts them);
 * only an unreadable corpus exits 1.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatReport } from '../src/eval/report.js';
import { runEvaluation } from '../src/eval/run.js';

const USAGE = 'usage: npm run eval [-- --json] [-- --corpus DIR]';

function main(argv: string[]): number {
  let json = false;
  let dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/postings');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--corpus' && argv[i + 1] !== undefined) dir = path.resolve(argv[++i]!);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else {
      process.stderr.write(`unknown argument "${arg}"\n${USAGE}\n`);
      return 1;
    }
  }
  let report;
  try {
    report = runEvaluation(dir);
  } catch (err) {
    process.stderr.write(`eval: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
