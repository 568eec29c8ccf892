/**
 * Scoring: what normalization and matching make of the corpus, compared with the hand labels.
 * Pure functions of their inputs; the store part (dedupe) lives in dedupe.ts.
 */
import type { Posting, Salary } from '../core/types.js';
import type { CompiledRule } from '../match/compile-rule.js';
import { matchPosting, type MatchContext } from '../match/match-posting.js';
import { accepted, jobIdOf, type CorpusEntry } from './corpus.js';

/** One posting whose field is wrong. */
export interface FieldFailure {
  id: string;
  title: string;
  expected: unknown;
  got: unknown;
}

/** Accuracy of one field over the postings it is measured on. */
export interface FieldScore {
  field: string;
  /** What the field is measured on, for the table ("postings that state a salary"). */
  over: string;
  correct: number;
  total: number;
  accuracy: number;
  failures: FieldFailure[];
}

/** A salary the code found in a posting that states none. */
export interface FalseSalary {
  id: string;
  title: string;
  /** What the code took for pay. */
  salary: Salary;
  annualMin: number | null;
  annualMax: number | null;
}

/** Precision and recall of one rule over the corpus's jobs. */
export interface RuleScore {
  rule: string;
  expected: number;
  matched: number;
  truePositives: number;
  precision: number;
  recall: number;
  falsePositives: { id: string; title: string; reasons: string[] }[];
  falseNegatives: { id: string; title: string; failed: string[] }[];
}

export interface FieldReport {
  /** Annual bounds exact, in the right currency, on postings that state a salary. */
  salary: FieldScore;
  currency: FieldScore;
  period: FieldScore;
  arrangement: FieldScore;
  regions: FieldScore;
  seniority: FieldScore;
  role: FieldScore;
  falseSalaries: FalseSalary[];
  missedSalaries: FieldFailure[];
}

/** A normalized posting next to its corpus entry. */
export interface Evaluated {
  entry: CorpusEntry;
  posting: Posting;
}

const EPSILON = 0.005;

/** Per-field accuracy, false salaries and missed salaries. */
export function scoreFields(items: readonly Evaluated[]): FieldReport {
  const salary = new Tally('salary', 'postings that state a salary: annual min and max exact, same currency');
  const currency = new Tally('currency', 'postings that state a salary');
  const period = new Tally('period', 'postings that state a salary');
  const arrangement = new Tally('arrangement', 'all postings');
  const regions = new Tally('regions', 'remote postings with labelled regions');
  const seniority = new Tally('seniority', 'all postings');
  const role = new Tally('role', 'all postings');
  const falseSalaries: FalseSalary[] = [];
  const missedSalaries: FieldFailure[] = [];

  for (const { entry, posting } of items) {
    const { labels } = entry;
    const id = entry.id;
    const title = posting.title;
    if (labels.salary !== null) {
      const want = { min: labels.annual_min, max: labels.annual_max, currency: labels.salary.currency };
      const got = posting.salary ? { min: posting.annualMin, max: posting.annualMax, currency: posting.salary.currency } : null;
      const exact = got !== null && sameNumber(got.min, want.min) && sameNumber(got.max, want.max) && got.currency === want.currency;
      salary.add(exact, { id, title, expected: describeAnnual(want), got: got ? describeAnnual(got) : null });
      currency.add(posting.salary?.currency === labels.salary.currency, { id, title, expected: labels.salary.currency, got: posting.salary?.currency ?? null });
      period.add(posting.salary?.period === labels.salary.period, { id, title, expected: labels.salary.period, got: posting.salary?.period ?? null });
      if (posting.salary === null) missedSalaries.push({ id, title, expected: describeAnnual(want), got: null });
    } else if (posting.salary !== null) {
      falseSalaries.push({ id, title, salary: posting.salary, annualMin: posting.annualMin, annualMax: posting.annualMax });
    }

    arrangement.add(posting.arrangement === labels.arrangement, { id, title, expected: labels.arrangement, got: posting.arrangement });
    if (labels.arrangement === 'remote' && labels.regions !== undefined) {
      const ok = posting.arrangement === 'remote' && sameSet(posting.remoteRegions, labels.regions);
      regions.add(ok, { id, title, expected: labels.regions, got: posting.arrangement === 'remote' ? posting.remoteRegions : `(${posting.arrangement})` });
    }
    const levels = accepted(labels.seniority);
    seniority.add(levels.length === 0 ? posting.seniority === null : posting.seniority !== null && levels.includes(posting.seniority), {
      id,
      title,
      expected: labels.seniority,
      got: posting.seniority,
    });
    const roles = accepted(labels.role);
    role.add(roles.length === 0 ? posting.role === null : posting.role !== null && roles.includes(posting.role), {
      id,
      title,
      expected: labels.role,
      got: posting.role,
    });
  }

  return {
    salary: salary.done(),
    currency: currency.done(),
    period: period.done(),
    arrangement: arrangement.done(),
    regions: regions.done(),
    seniority: seniority.done(),
    role: role.done(),
    falseSalaries,
    missedSalaries,
  };
}

/**
 * Each rule against each JOB: a rule alerts a labelled group when it matches the group's first
 * posting (dedupe is measured apart, in dedupe.ts).
 */
export function scoreRules(
  items: readonly Evaluated[],
  rules: readonly CompiledRule[],
  expected: Readonly<Record<string, readonly string[]>>,
  ctx: MatchContext,
): RuleScore[] {
  const jobs = items.filter((i) => i.entry.labels.duplicate_of === null);
  return rules.map((rule) => {
    const want = new Set(expected[rule.name] ?? []);
    const matched = new Set<string>();
    const falsePositives: RuleScore['falsePositives'] = [];
    const falseNegatives: RuleScore['falseNegatives'] = [];
    for (const { entry, posting } of jobs) {
      const result = matchPosting(posting, rule, ctx);
      if (result.matched) matched.add(entry.id);
      if (result.matched && !want.has(entry.id)) {
        falsePositives.push({ id: entry.id, title: posting.title, reasons: result.checks.filter((c) => c.name !== 'max_age').map((c) => c.detail) });
      }
      if (!result.matched && want.has(entry.id)) {
        falseNegatives.push({ id: entry.id, title: posting.title, failed: result.checks.filter((c) => !c.passed).map((c) => c.detail) });
      }
    }
    const truePositives = [...matched].filter((id) => want.has(id)).length;
    return {
      rule: rule.name,
      expected: want.size,
      matched: matched.size,
      truePositives,
      precision: ratio(truePositives, matched.size),
      recall: ratio(truePositives, want.size),
      falsePositives,
      falseNegatives,
    };
  });
}

/** Which labelled job each posting belongs to, by posting id. */
export function labelledGroups(entries: readonly CorpusEntry[]): Map<string, string> {
  return new Map(entries.map((e) => [e.id, jobIdOf(e)]));
}

/**
 * Pairwise precision and recall of a grouping against the labelled one: a pair of postings is
 * "together" when both groupings put them in the same job.
 */
export function pairScores(
  predicted: ReadonlyMap<string, string | number>,
  truth: ReadonlyMap<string, string>,
): { predictedPairs: number; truePairs: number; agreeing: number; precision: number; recall: number } {
  const ids = [...truth.keys()];
  let predictedPairs = 0;
  let truePairs = 0;
  let agreeing = 0;
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const p = predicted.get(a) !== undefined && predicted.get(a) === predicted.get(b);
      const t = truth.get(a) === truth.get(b);
      if (p) predictedPairs++;
      if (t) truePairs++;
      if (p && t) agreeing++;
    }
  }
  return { predictedPairs, truePairs, agreeing, precision: ratio(agreeing, predictedPairs), recall: ratio(agreeing, truePairs) };
}

/** a / b, and 1 when there is nothing to measure (no predictions: nothing wrong was predicted). */
export function ratio(a: number, b: number): number {
  return b === 0 ? 1 : a / b;
}

class Tally {
  private correct = 0;
  private total = 0;
  private readonly failures: FieldFailure[] = [];

  constructor(
    private readonly field: string,
    private readonly over: string,
  ) {}

  add(ok: boolean, failure: FieldFailure): void {
    this.total++;
    if (ok) this.correct++;
    else this.failures.push(failure);
  }

  done(): FieldScore {
    return {
      field: this.field,
      over: this.over,
      correct: this.correct,
      total: this.total,
      accuracy: ratio(this.correct, this.total),
      failures: this.failures,
    };
  }
}

function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < EPSILON;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((s) => s.toLowerCase()));
  const y = new Set(b.map((s) => s.toLowerCase()));
  return x.size === y.size && [...x].every((v) => y.has(v));
}

function describeAnnual(s: { min: number | null; max: number | null; currency: string | null }): string {
  const n = (v: number | null): string => (v === null ? '?' : String(v));
  return `${n(s.min)}-${n(s.max)} ${s.currency ?? '(no currency)'}/yr`;
}
