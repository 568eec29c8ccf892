import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadCorpus, loadRuleSet } from '../src/eval/corpus.js';
import { formatReport } from '../src/eval/report.js';
import { runEvaluation, type EvalReport } from '../src/eval/run.js';
import { pairScores, ratio } from '../src/eval/score.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.join(ROOT, 'test/fixtures/postings');
const run = promisify(execFile);

/**
 * Issue 3's floors that the code does not meet yet, with the figure when they were marked. A todo
 * test still runs and reports its failure, but does not fail the suite; remove an entry once the
 * code meets that floor.
 */
const BELOW_TARGET: { fields: Record<string, string>; rules: Record<string, string>; alertedTwice?: string } = {
  fields: {},
  rules: {},
};

const report: EvalReport = await runEvaluation(CORPUS);

function failing(ids: readonly { id: string }[]): string {
  return ids.map((f) => f.id).join(', ');
}

describe('evaluation corpus', () => {
  it('has at least 250 labelled postings from several kinds of sources, 20 duplicate groups and 12 rules', () => {
    assert.ok(report.corpus.postings >= 250, `${report.corpus.postings} postings`);
    assert.ok(Object.keys(report.corpus.bySourceKind).length >= 6, JSON.stringify(report.corpus.bySourceKind));
    assert.ok(report.corpus.duplicateGroups >= 20, `${report.corpus.duplicateGroups} duplicate groups`);
    assert.ok(report.corpus.rules >= 12, `${report.corpus.rules} rules`);
  });

  it('lists expected alerts for every rule, by the first posting of each job', () => {
    const corpus = loadCorpus(CORPUS);
    const { rules, expected } = loadRuleSet(CORPUS, corpus);
    assert.deepEqual(Object.keys(expected).sort(), rules.map((r) => r.name).sort());
    for (const rule of rules) assert.ok(expected[rule.name]!.length > 0, `${rule.name} expects no alert`);
  });

  it('rejects a mislabelled posting, naming the file and line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-corpus-'));
    try {
      const good = fs.readFileSync(path.join(CORPUS, 'greenhouse.jsonl'), 'utf8').split('\n')[0]!;
      const entry = JSON.parse(good) as { labels: { annual_max: number } };
      entry.labels.annual_max += 1;
      fs.writeFileSync(path.join(dir, 'a.jsonl'), `${good}\n${JSON.stringify(entry).replace(/"id":"[^"]+"/, '"id":"gh-999"')}\n`);
      assert.throws(() => loadCorpus(dir), /a\.jsonl:2 \(gh-999\): labels\.annual_min\/annual_max must be/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scores groupings pairwise', () => {
    const truth = new Map([
      ['a', 'a'],
      ['b', 'a'],
      ['c', 'a'],
      ['d', 'd'],
    ]);
    // a+b together, c alone, d wrongly with c.
    const predicted = new Map<string, number>([
      ['a', 1],
      ['b', 1],
      ['c', 2],
      ['d', 2],
    ]);
    assert.deepEqual(pairScores(predicted, truth), { predictedPairs: 2, truePairs: 3, agreeing: 1, precision: 0.5, recall: 1 / 3 });
    assert.equal(ratio(0, 0), 1);
  });

  it('prints a table with every section', () => {
    const text = formatReport(report);
    for (const section of ['== FIELDS', '== FIELD FAILURES', '== RULES', '== DEDUPE']) assert.ok(text.includes(section), section);
    for (const r of report.rules) assert.ok(text.includes(r.rule), r.rule);
  });

  it('npm run eval prints the table, --json the results, and exits 0 whatever the figures', async () => {
    const script = path.join(ROOT, 'scripts/eval.ts');
    // The real-data part has its own test (test/eval-realdata.test.ts).
    const table = await run(process.execPath, ['--import', 'tsx', script, '--no-realdata'], { cwd: ROOT });
    assert.match(table.stdout, /== RULES/);
    const json = await run(process.execPath, ['--import', 'tsx', script, '--json', '--no-realdata'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
    const parsed = JSON.parse(json.stdout) as EvalReport;
    assert.equal(parsed.corpus.postings, report.corpus.postings);
    assert.equal(parsed.rules.length, report.rules.length);
  });
});

describe('issue 3 targets on the repo corpus', () => {
  const { fields, dedupe } = report;

  test('salary annual bounds exact on >= 97% of postings that state one', { todo: BELOW_TARGET.fields.salary }, () => {
    assert.ok(fields.salary.accuracy >= 0.97, `${fields.salary.correct}/${fields.salary.total}; wrong: ${failing(fields.salary.failures)}`);
  });

  test('zero salaries invented from non-pay numbers', { todo: BELOW_TARGET.fields.falseSalaries }, () => {
    assert.equal(fields.falseSalaries.length, 0, `false salaries: ${failing(fields.falseSalaries)}`);
  });

  test('arrangement right on >= 97% of postings', { todo: BELOW_TARGET.fields.arrangement }, () => {
    assert.ok(fields.arrangement.accuracy >= 0.97, `${fields.arrangement.correct}/${fields.arrangement.total}; wrong: ${failing(fields.arrangement.failures)}`);
  });

  test('seniority right on >= 97% of postings', { todo: BELOW_TARGET.fields.seniority }, () => {
    assert.ok(fields.seniority.accuracy >= 0.97, `${fields.seniority.correct}/${fields.seniority.total}; wrong: ${failing(fields.seniority.failures)}`);
  });

  test('role right on >= 95% of postings', { todo: BELOW_TARGET.fields.role }, () => {
    assert.ok(fields.role.accuracy >= 0.95, `${fields.role.correct}/${fields.role.total}; wrong: ${failing(fields.role.failures)}`);
  });

  for (const score of report.rules) {
    test(`rule ${score.rule}: precision and recall >= 0.97`, { todo: BELOW_TARGET.rules[score.rule] }, () => {
      const detail = `precision ${score.precision.toFixed(2)}, recall ${score.recall.toFixed(2)}; false positives: ${failing(score.falsePositives) || 'none'}; false negatives: ${failing(score.falseNegatives) || 'none'}`;
      assert.ok(score.precision >= 0.97 && score.recall >= 0.97, detail);
    });
  }

  test('no job alerted twice', { todo: BELOW_TARGET.alertedTwice }, () => {
    assert.deepEqual(dedupe.alertedTwice, []);
  });
});
