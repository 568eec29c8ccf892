import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Clock, Posting } from '../src/core/types.js';
import { openDatabase } from '../src/store/db.js';
import { createStore } from '../src/store/store.js';
import { jobsFirstSeenSince, openDatabaseReadOnly } from '../src/store/read-only.js';
import { Backtest, backtestCommand, parseSince, type BacktestReport } from '../src/commands/backtest.js';
import { CommandError } from '../src/commands/exit.js';
import { compileRules } from '../src/match/compile-rule.js';
import { DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { matchPosting } from '../src/match/match-posting.js';
import { loadCorpus, loadRuleSet, toRawPosting } from '../src/eval/corpus.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { runCli } from './helpers/cli.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const CORPUS = fileURLToPath(new URL('./fixtures/postings/', import.meta.url));

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-backtest-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function clockAt(t: { ms: number }): Clock {
  return { now: () => new Date(t.ms) };
}

let seq = 0;
/** A posting of its own job (its own company), first seen `daysAgo` before NOW. */
function posting(overrides: Partial<Posting> = {}): Posting {
  const id = `job-${++seq}`;
  return {
    feed: 'remotewlb',
    sourceId: id,
    url: `https://jobs.example.com/${id}`,
    canonicalUrl: `https://jobs.example.com/${id}`,
    title: 'Senior Machine Learning Engineer',
    company: `Company ${id}`,
    location: 'Remote (US)',
    description: 'We build models. 💰 $135k–$180k',
    published: null,
    salary: { min: 135000, max: 180000, currency: 'USD', period: 'year' },
    annualMin: 135000,
    annualMax: 180000,
    arrangement: 'remote',
    remoteRegions: ['US'],
    seniority: 'senior',
    role: 'ml engineer',
    tags: [],
    ...overrides,
  };
}

const NO_SALARY = { salary: null, annualMin: null, annualMax: null, description: 'We build models.' };

/** Fills a database through the real store: each posting first seen at its own time. */
async function fillDatabase(dir: string, batches: Array<{ daysAgo: number; postings: Posting[] }>): Promise<string> {
  const file = path.join(dir, 'jobalert.db');
  const t = { ms: 0 };
  const store = createStore(openDatabase(file), clockAt(t));
  for (const { daysAgo, postings } of batches) {
    t.ms = NOW.getTime() - daysAgo * DAY;
    await store.ingest(postings, () => []);
  }
  await store.close();
  return file;
}

function writeConfig(dir: string, rules: string): string {
  const file = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(file, `database: ./jobalert.db\nmax_age: 14d\nrules:\n${rules}`);
  return file;
}

const RULE = `  - name: remote-senior-ml
    query: "remote senior ML engineer >= $130k"
    exclude: [crypto]
    companies_exclude: ["Acme Staffing"]
`;

async function run(opts: Parameters<typeof backtestCommand>[0]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await backtestCommand(opts, (s) => (out += s), () => NOW);
  return { code, out };
}

describe('jobalert backtest', () => {
  let dir: string;
  let config: string;
  let dbFile: string;
  const titles: Record<string, string> = {};

  before(async () => {
    dir = path.join(tmp, 'main');
    fs.mkdirSync(dir);
    const at = (daysAgo: number, hours = 0) => new Date(NOW.getTime() - daysAgo * DAY - hours * 3_600_000);
    const jobs = {
      match: posting({ published: at(5, 2) }),
      noSalary: posting({ ...NO_SALARY, title: 'Senior ML Engineer, Search' }),
      onsite: posting({ title: 'Senior ML Engineer (Berlin)', arrangement: 'onsite', remoteRegions: [], location: 'Berlin' }),
      juniorNoSalary: posting({ ...NO_SALARY, title: 'Junior ML Engineer', seniority: 'junior' }),
      unknownLevel: posting({ title: 'ML Engineer', seniority: null }),
      crypto: posting({ title: 'Senior ML Engineer, Trading', description: 'Crypto exchange. $150k-$190k' }),
      staffing: posting({ title: 'Senior ML Engineer II', company: 'Acme Staffing' }),
      designer: posting({ title: 'Senior Product Designer', role: null }),
      // Published 20 days before it was first seen: older than max_age when the daemon saw it.
      stale: posting({ title: 'Senior ML Engineer, Ads', published: at(22) }),
      // Published long ago but first seen within max_age of its publication: judged at first sight.
      oldButFresh: posting({ title: 'Senior ML Engineer, Maps', published: at(29) }),
    };
    for (const [name, p] of Object.entries(jobs)) titles[name] = p.title;
    const old = posting({ title: 'Senior ML Engineer, Legacy' });
    titles.old = old.title;
    dbFile = await fillDatabase(dir, [
      { daysAgo: 45, postings: [old] },
      { daysAgo: 28, postings: [jobs.oldButFresh] },
      { daysAgo: 2, postings: [jobs.stale] },
      { daysAgo: 5, postings: [jobs.match, jobs.noSalary, jobs.onsite, jobs.juniorNoSalary, jobs.unknownLevel, jobs.crypto, jobs.staffing, jobs.designer] },
    ]);
    config = writeConfig(dir, RULE);
  });

  it('lists what would have matched, with reasons, and counts every failed condition', async () => {
    const { code, out } = await run({ rule: 'remote-senior-ml', config, json: true });
    assert.equal(code, 0);
    const report = JSON.parse(out) as BacktestReport;
    assert.equal(report.jobs, 10);
    assert.equal(report.older, 1, 'the job first seen 45 days ago is outside the default 30d');
    assert.deepEqual(report.matches.map((m) => m.title).sort(), [titles.match, titles.oldButFresh].sort());
    const match = report.matches.find((m) => m.title === titles.match)!;
    assert.ok(match.reasons!.some((r) => r.includes('$180k')), match.reasons!.join(' · '));
    assert.deepEqual(match.reasons!.slice(0, 2), ['senior', 'ML engineer'], match.reasons!.join(' · '));
    assert.equal(report.matched, 2);

    const by = Object.fromEntries(report.conditions.map((c) => [c.condition, c]));
    assert.deepEqual(Object.keys(by), ['title', 'seniority', 'remote', 'salary_min', 'exclude', 'companies_exclude', 'max_age']);
    assert.equal(by.title!.failed, 1); // the designer
    assert.equal(by.title!.only, 1);
    assert.equal(by.seniority!.failed, 2); // junior, unknown level
    assert.deepEqual(by.seniority!.unknown, { count: 1, what: 'had no level' });
    assert.equal(by.remote!.failed, 1);
    assert.equal(by.salary_min!.failed, 2);
    assert.deepEqual(by.salary_min!.unknown, { count: 2, what: 'had no salary' });
    assert.equal(by.salary_min!.only, 1, 'the junior one failed seniority too');
    assert.equal(by.salary_min!.wanted, '≥ $130k');
    assert.equal(by.exclude!.failed, 1);
    assert.deepEqual(by.exclude!.found, { crypto: 1 });
    assert.equal(by.companies_exclude!.failed, 1);
    assert.equal(by.max_age!.failed, 1);
    // Failed exactly one condition: all but the junior one and the two matches.
    assert.equal(report.near_misses.count, 7);
    const miss = report.near_misses.examples.find((e) => e.title === titles.noSalary)!;
    assert.deepEqual(miss.failed, { condition: 'salary_min', detail: 'salary not stated, wanted ≥ $130k' });
  });

  it('prints the same as text: matches with reasons, then the counts', async () => {
    const { out } = await run({ rule: 'remote-senior-ml', config });
    assert.match(out, /^backtest of rule remote-senior-ml \(query "remote senior ML engineer >= \$130k"\)\n/);
    assert.match((await run({ query: 'remote senior ML engineer', config })).out, /^backtest of query "remote senior ML engineer"\n/);
    assert.match(out, /Senior Machine Learning Engineer · Company job-\d+\n +https:\/\/jobs\.example\.com\/job-\d+\n +senior · ML engineer · remote \(US\) · \$180k\/yr ≥ \$130k/);
    assert.match(out, /\n2 of 10 jobs would have matched \(1 stored before that were not looked at\)\.\n/);
    assert.match(out, /salary_min ≥ \$130k +2 failed \(1 only this; 2 had no salary\)/);
    assert.match(out, /exclude crypto +1 failed \(1 only this; "crypto" 1\)/);
    assert.ok(out.includes('\n7 near misses, failing one condition only (title 1, seniority 1, remote 1, salary_min 1, exclude 1, companies_exclude 1, max_age 1); the first 3 of each:\n'), out);
    assert.match(out, /✗ remote: onsite, wanted remote/);
  });

  it('takes a query instead of a rule, and a longer --since or a date', async () => {
    const byQuery = JSON.parse((await run({ query: 'remote senior ML engineer >= $130k', config, json: true })).out) as BacktestReport;
    assert.equal(byQuery.rule, 'query');
    // No exclusions in the query: the crypto and staffing jobs match too.
    assert.equal(byQuery.matched, 4);
    const wider = JSON.parse((await run({ rule: 'remote-senior-ml', config, json: true, since: '60d' })).out) as BacktestReport;
    assert.equal(wider.jobs, 11);
    assert.equal(wider.older, 0);
    assert.ok(wider.matches.some((m) => m.title === titles.old));
    const sinceDate = JSON.parse((await run({ rule: 'remote-senior-ml', config, json: true, since: '2026-11-20' })).out) as BacktestReport;
    assert.equal(sinceDate.jobs, 9, 'first seen on Nov 26 and 29, not Nov 3');
    assert.equal(sinceDate.since, '2026-11-20T00:00:00.000Z');
  });

  it('does not write to the database', async () => {
    const hash = () => crypto.createHash('sha256').update(fs.readFileSync(dbFile)).digest('hex');
    const before = hash();
    await run({ rule: 'remote-senior-ml', config, json: true });
    assert.equal(hash(), before);
  });

  it('refuses bad usage with a clear message', async () => {
    await assert.rejects(() => run({ config }), /needs --rule NAME .* or --query/);
    await assert.rejects(() => run({ rule: 'x', query: 'y', config }), /one of them/);
    await assert.rejects(() => run({ rule: 'nope', config }), /no rule named "nope"; rules: remote-senior-ml/);
    await assert.rejects(() => run({ rule: 'remote-senior-ml', since: 'last week', config }), (err: CommandError) => err.exitCode === 1 && /--since: expected a duration such as "30d"/.test(err.message));
    await assert.rejects(() => run({ query: 'senior ML engineer >= $1', config }), CommandError);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    await assert.rejects(() => run({ rule: 'remote-senior-ml', config: writeConfig(empty, RULE) }), /no database at .* yet/);
  });

  it('reads --since as a duration back from now or a UTC date', () => {
    assert.equal(parseSince('30d', NOW).toISOString(), '2026-11-01T12:00:00.000Z');
    assert.equal(parseSince('12h', NOW).toISOString(), '2026-12-01T00:00:00.000Z');
    assert.equal(parseSince('2026-11-01', NOW).toISOString(), '2026-11-01T00:00:00.000Z');
    assert.throws(() => parseSince('0d', NOW), CommandError);
  });

  it('runs from the command line', async () => {
    const ok = await runCli(['backtest', '--rule', 'remote-senior-ml', '--since', '365d', '--config', config]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /3 of 11 jobs would have matched\./);
    const usage = await runCli(['backtest', '--config', config]);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /needs --rule NAME/);
  });
});

describe('Backtest decides each condition as matchPosting does', () => {
  it('on the labelled corpus, for every evaluation rule', async () => {
    const dir = path.join(tmp, 'corpus');
    fs.mkdirSync(dir);
    const corpus = loadCorpus(CORPUS);
    const postings = corpus.map((entry) => normalizePosting(toRawPosting(entry), entry.feed, NOW));
    const file = await fillDatabase(dir, [{ daysAgo: 3, postings }]);
    const { rules, issues } = compileRules(loadRuleSet(CORPUS, corpus).rules);
    assert.deepEqual(issues, []);
    const db = openDatabaseReadOnly(file)!;
    try {
      for (const rule of rules) {
        const ctx = { maxAgeMs: 14 * DAY, exchangeRates: DEFAULT_EXCHANGE_RATES };
        const test = new Backtest(rule, ctx, '14d');
        const matched: number[] = [];
        const failed = new Map<string, number>();
        let jobs = 0;
        for (const job of jobsFirstSeenSince(db, 0)) {
          jobs++;
          test.add(job);
          const result = matchPosting(job, rule, { ...ctx, now: job.firstSeen });
          if (result.matched) matched.push(job.id);
          for (const c of result.checks) if (!c.passed) failed.set(c.name, (failed.get(c.name) ?? 0) + 1);
        }
        assert.ok(jobs > 250, `${jobs} jobs`);
        assert.deepEqual(test.matches.map((m) => m.id), matched, rule.name);
        const names: Record<string, string> = { salary_min: 'salary', companies_exclude: 'company' };
        const tallied = new Map(test.conditions().filter((c) => c.failed > 0).map((c) => [names[c.condition] ?? c.condition, c.failed]));
        assert.deepEqual(tallied, failed, rule.name);
      }
    } finally {
      db.close();
    }
  });
});
