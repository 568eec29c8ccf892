/**
 * Matching benchmark (issue 9): 10,000 rules x 10,000 postings through compile + index + match +
 * reasons, on the seeded corpus of bench/match-corpus.ts. "Before" is the plain path (every rule
 * through matchPosting, reasonsOf for the matches), timed on a smaller sample and extrapolated:
 * compile scales with the rules, matching with rules x postings. Prints medians.
 *
 *   node --import tsx bench/match.bench.ts [--rules 10000] [--postings 10000] [--runs 5] [--sample 1000]
 */
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { compileRules } from '../src/match/compile-rule.js';
import { DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { matchPosting, reasonsOf, type MatchContext } from '../src/match/match-posting.js';
import { createRuleIndex } from '../src/match/rule-index.js';
import { generatePostings, generateRules } from './match-corpus.js';

/** Options of runMatchBench(); every one has a default. */
export interface MatchBenchOptions {
  rules?: number;
  postings?: number;
  /** Runs of the indexed path; the figures are medians. */
  runs?: number;
  /** Rules and postings of the plain-path sample (sample x sample pairs); 0 skips it. */
  sample?: number;
  /** Runs of the plain-path sample. */
  sampleRuns?: number;
}

/** Medians, in milliseconds; "cpu" is the process's user + system time over the same span. */
export interface MatchBenchFigures {
  rules: number;
  compiledRules: number;
  postings: number;
  pairs: number;
  matches: number;
  /** Rules tried (evaluated) over all postings: what the index left of rules x postings. */
  candidates: number;
  index: { rulesByTitleWord: number; rulesByArrangement: number; rulesBySalary: number; rulesAlways: number; conditions: number };
  after: { compileMs: number; indexMs: number; matchMs: number; totalMs: number; totalCpuMs: number; nsPerPair: number };
  /** The plain path on sample x sample, and extrapolated to rules x postings; null when skipped. */
  before: {
    sampleRules: number;
    samplePostings: number;
    compileMs: number;
    matchMs: number;
    matches: number;
    extrapolatedTotalMs: number;
    nsPerPair: number;
  } | null;
}

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Runs the matching benchmark and returns its figures (medians). */
export function runMatchBench(opts: MatchBenchOptions = {}): MatchBenchFigures {
  const ruleCount = opts.rules ?? 10_000;
  const postingCount = opts.postings ?? 10_000;
  const runs = Math.max(1, opts.runs ?? 5);
  const sample = opts.sample ?? 1000;
  const sampleRuns = Math.max(1, opts.sampleRuns ?? 1);
  const ruleConfigs = generateRules(ruleCount);
  const postings = generatePostings(postingCount, NOW);
  const ctx: MatchContext = { now: NOW, maxAgeMs: 14 * DAY, exchangeRates: { ...DEFAULT_EXCHANGE_RATES } };

  const compileMs: number[] = [];
  const indexMs: number[] = [];
  const matchMs: number[] = [];
  const totalMs: number[] = [];
  const totalCpuMs: number[] = [];
  let compiledRules = 0;
  let matches = 0;
  let candidates = 0;
  let stats = { byTitleWord: 0, byArrangement: 0, bySalary: 0, always: 0, conditions: 0 };
  for (let run = 0; run < runs; run++) {
    const cpu0 = cpuMs();
    const t0 = performance.now();
    const { rules } = compileRules(ruleConfigs);
    const t1 = performance.now();
    const index = createRuleIndex(rules);
    const t2 = performance.now();
    let found = 0;
    let tried = 0;
    let reasons = 0;
    for (const posting of postings) {
      const matched = index.match(posting, ctx);
      found += matched.length;
      for (const m of matched) reasons += m.reasons.length;
      tried += index.lastCandidates();
    }
    const t3 = performance.now();
    totalCpuMs.push(cpuMs() - cpu0);
    if (reasons === 0 && found > 0) throw new Error('matches without reasons');
    matches = found;
    candidates = tried;
    stats = index.stats();
    compiledRules = rules.length;
    compileMs.push(t1 - t0);
    indexMs.push(t2 - t1);
    matchMs.push(t3 - t2);
    totalMs.push(t3 - t0);
  }
  const pairs = compiledRules * postingCount;

  let before: MatchBenchFigures['before'] = null;
  if (sample > 0) {
    const sampleRules = ruleConfigs.slice(0, Math.min(sample, ruleCount));
    const samplePostings = postings.slice(0, Math.min(sample, postingCount));
    const compiles: number[] = [];
    const matching: number[] = [];
    let sampleMatches = 0;
    let sampleCompiled = 0;
    for (let run = 0; run < sampleRuns; run++) {
      const t0 = performance.now();
      const { rules } = compileRules(sampleRules);
      const t1 = performance.now();
      let found = 0;
      for (const posting of samplePostings) {
        for (const rule of rules) {
          const result = matchPosting(posting, rule, ctx);
          if (result.matched && reasonsOf(result).length >= 0) found++;
        }
      }
      const t2 = performance.now();
      compiles.push(t1 - t0);
      matching.push(t2 - t1);
      sampleMatches = found;
      sampleCompiled = rules.length;
    }
    const compile = median(compiles);
    const match = median(matching);
    const samplePairs = sampleCompiled * samplePostings.length;
    const extrapolated = compile * (ruleCount / sampleRules.length) + match * (pairs / samplePairs);
    before = {
      sampleRules: sampleRules.length,
      samplePostings: samplePostings.length,
      compileMs: compile,
      matchMs: match,
      matches: sampleMatches,
      extrapolatedTotalMs: extrapolated,
      nsPerPair: (match / samplePairs) * 1e6,
    };
  }

  return {
    rules: ruleCount,
    compiledRules,
    postings: postingCount,
    pairs,
    matches,
    candidates,
    index: {
      rulesByTitleWord: stats.byTitleWord,
      rulesByArrangement: stats.byArrangement,
      rulesBySalary: stats.bySalary,
      rulesAlways: stats.always,
      conditions: stats.conditions,
    },
    after: {
      compileMs: median(compileMs),
      indexMs: median(indexMs),
      matchMs: median(matchMs),
      totalMs: median(totalMs),
      totalCpuMs: median(totalCpuMs),
      nsPerPair: (median(matchMs) / pairs) * 1e6,
    },
    before,
  };
}

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : undefined;
}

/** Prints the figures of runMatchBench, with the goal next to the total. */
export function printMatchBench(f: MatchBenchFigures, runs: number): void {
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  console.log(`matching: ${f.compiledRules} rules (of ${f.rules}) x ${f.postings} postings = ${f.pairs.toLocaleString('en-US')} pairs, ${f.matches.toLocaleString('en-US')} matches`);
  console.log(
    `  index: ${f.index.rulesByTitleWord} rules by title word, ${f.index.rulesByArrangement} by arrangement, ${f.index.rulesBySalary} by salary floor, ${f.index.rulesAlways} always tried; ${f.index.conditions} distinct conditions`,
  );
  console.log(`  rules tried: ${f.candidates.toLocaleString('en-US')} (${((f.candidates / f.pairs) * 100).toFixed(2)}% of pairs)`);
  const a = f.after;
  console.log(`  after  (medians of ${runs}): compile ${ms(a.compileMs)}, index ${ms(a.indexMs)}, match + reasons ${ms(a.matchMs)}; total ${ms(a.totalMs)} (cpu ${ms(a.totalCpuMs)}), ${a.nsPerPair.toFixed(1)} ns per pair (goal: total <= 1000 ms at 10,000 x 10,000)`);
  if (f.before) {
    const b = f.before;
    console.log(
      `  before (plain path, ${b.sampleRules} x ${b.samplePostings}): compile ${ms(b.compileMs)}, match + reasons ${ms(b.matchMs)} (${b.matches} matches), ${b.nsPerPair.toFixed(0)} ns per pair; extrapolated to ${f.rules} x ${f.postings}: ${(b.extrapolatedTotalMs / 1000).toFixed(1)} s`,
    );
    console.log(`  speed-up: ${(b.extrapolatedTotalMs / a.totalMs).toFixed(0)}x`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const runs = flag(args, 'runs') ?? 5;
  const f = runMatchBench({ rules: flag(args, 'rules'), postings: flag(args, 'postings'), runs, sample: flag(args, 'sample'), sampleRuns: flag(args, 'sample-runs') });
  printMatchBench(f, runs);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
