/**
 * `jobalert backtest --rule NAME | --query TEXT [--since 30d] [--json]`: runs one rule over the jobs
 * already stored and says which would have matched, with their reasons, and how many failed each
 * condition, so a rule can be tuned before it sends a week of alerts.
 *
 * Read-only: the database is opened without migrating or locking, and jobs are streamed one row
 * at a time; the rule is compiled once. Each job is judged as the daemon judged it when it was
 * new: max_age is measured from the time the job was first seen, not from now.
 */
import type { MatchCheck, MatchResult, StoredJob } from '../core/types.js';
import type { Config } from '../config/schema.js';
import { parseDuration } from '../config/schema.js';
import { compileRule, prepareMatchers, type CompiledRule } from '../match/compile-rule.js';
import { DEFAULT_EXCHANGE_RATES } from '../match/currency.js';
import { formatMoney } from '../match/format-salary.js';
import {
  checkCompany,
  checkExcludeFast,
  checkSeniority,
  locationPasses,
  matchingPhrase,
  matchPosting,
  PreparedPosting,
  reasonsOf,
  salaryPasses,
  type MatchContext,
} from '../match/match-posting.js';
import { describePhrase } from '../match/title-terms.js';
import { titleWordWarnings } from '../match/title-typos.js';
import { openReadOnlyStore } from '../store/read-only.js';
import { CommandError, EXIT_OK, EXIT_USAGE, loadAndCompile } from './common.js';
import { describeDatabase } from '../core/database-url.js';

/** Options of the backtest command, as the CLI passes them. */
export interface BacktestOptions {
  rule?: string;
  query?: string;
  /** A duration back from now ("30d", "2w") or a date ("2026-11-01"); default 30d. */
  since?: string;
  config?: string;
  json?: boolean;
}

const DEFAULT_SINCE = '30d';
/**
 * Near misses (jobs failing one condition only) shown by example, per condition: a title miss is
 * usually another job altogether, a salary or location miss the one worth a look. Counts are
 * always complete.
 */
export const NEAR_MISS_EXAMPLES = 3;

/** A condition of the rule, named by its config key, and how the stored jobs fared on it. */
export interface ConditionTally {
  /** The rule key: title, seniority, remote, salary_min, location, exclude, companies_exclude, max_age. */
  condition: string;
  /** What the rule asks, as shown ("≥ $130,000", "senior/staff"). */
  wanted: string;
  failed: number;
  /** Jobs that failed this condition and no other: what relaxing it alone would add. */
  only: number;
  /** Of the failures, those where the posting did not say (no salary, no level, ...): `what` names it. */
  unknown: { count: number; what: string } | null;
  /** exclude: how often each excluded word was what rejected a job. */
  found?: Record<string, number>;
}

/** A job in the report: what identifies it, and the reasons (matches) or the one failed check (near misses). */
export interface BacktestJob {
  id: number;
  title: string;
  company: string | null;
  url: string;
  first_seen: string;
  published: string | null;
  reasons?: string[];
  failed?: { condition: string; detail: string };
}

/** The whole report; `--json` prints it as is. */
export interface BacktestReport {
  rule: string;
  query: string | null;
  database: string;
  since: string;
  /** Jobs first seen since `since`, all of them judged. */
  jobs: number;
  /** Jobs stored before `since`, not judged. */
  older: number;
  matched: number;
  matches: BacktestJob[];
  conditions: ConditionTally[];
  /** Jobs that failed exactly one condition, and the first NEAR_MISS_EXAMPLES of them per condition. */
  near_misses: { count: number; examples: BacktestJob[] };
}

// matchPosting's check names, as the rule keys a user edits.
const CONDITION_KEYS: Readonly<Record<string, string>> = {
  title: 'title',
  seniority: 'seniority',
  remote: 'remote',
  salary: 'salary_min',
  location: 'location',
  exclude: 'exclude',
  company: 'companies_exclude',
  max_age: 'max_age',
};

/** Streams the rule over the stored jobs; tallies as it goes, keeping only matches and a few near misses. */
export class Backtest {
  private readonly tallies = new Map<string, ConditionTally>();
  readonly matches: BacktestJob[] = [];
  readonly nearMisses: BacktestJob[] = [];
  nearMissCount = 0;
  jobs = 0;

  constructor(
    readonly rule: CompiledRule,
    private readonly ctx: Omit<MatchContext, 'now'>,
    maxAgeText: string,
  ) {
    for (const [condition, wanted] of wantedConditions(rule, maxAgeText)) this.tallies.set(condition, { condition, wanted, failed: 0, only: 0, unknown: null });
  }

  /**
   * Judges one job as the daemon did when it first saw it. Each condition is decided by the
   * boolean forms the rule index uses (no detail text); matchPosting, which words every check,
   * runs only for a match (its reasons) and a near miss shown as an example.
   */
  add(job: StoredJob): void {
    this.jobs++;
    const { rule } = this;
    const prepared = rule.prepared ?? prepareMatchers(rule);
    const read = new PreparedPosting(job);
    const failed: string[] = [];
    let excluded: MatchCheck | null = null;
    if (rule.titleAny && matchingPhrase(rule.titleAny, read.titleTokens) === null) failed.push('title');
    if (rule.seniority && !checkSeniority(read, rule.seniority).passed) failed.push('seniority');
    if (rule.arrangements && !rule.arrangements.includes(job.arrangement)) failed.push('remote');
    if (rule.salaryMin && !salaryPasses(job, rule.salaryMin, rule.includeUnknownSalary, this.ctx.exchangeRates)) failed.push('salary');
    if (rule.locations && !locationPasses(read, prepared.places)) failed.push('location');
    if (prepared.excludePattern) {
      const check = checkExcludeFast(read, rule.exclude, prepared);
      if (!check.passed) (excluded = check), failed.push('exclude');
    }
    if (prepared.companies.size > 0 && !checkCompany(read, prepared.companies).passed) failed.push('company');
    if (job.published !== null && this.ctx.maxAgeMs > 0 && job.firstSeen.getTime() - job.published.getTime() > this.ctx.maxAgeMs) failed.push('max_age');

    if (failed.length === 0) {
      const result = this.explain(job);
      this.matches.push({ ...jobFields(job), reasons: reasonsOf(result) });
      return;
    }
    for (const name of failed) {
      const key = CONDITION_KEYS[name] ?? name;
      let tally = this.tallies.get(key);
      if (!tally) this.tallies.set(key, (tally = { condition: key, wanted: '', failed: 0, only: 0, unknown: null }));
      tally.failed++;
      if (failed.length === 1) tally.only++;
      const unknown = unknownReason(key, job);
      if (unknown) tally.unknown = { count: (tally.unknown?.count ?? 0) + 1, what: unknown };
      if (excluded && name === 'exclude') {
        // The check names the text that hit: `exclude: "crypto" in description`.
        const word = /^exclude: "(.*)" in \w+$/s.exec(excluded.detail)?.[1]?.toLowerCase();
        if (word !== undefined) (tally.found ??= {})[word] = (tally.found[word] ?? 0) + 1;
      }
    }
    if (failed.length === 1) {
      this.nearMissCount++;
      const key = CONDITION_KEYS[failed[0]!] ?? failed[0]!;
      if (this.nearMisses.filter((m) => m.failed!.condition === key).length >= NEAR_MISS_EXAMPLES) return;
      const check = this.explain(job).checks.find((c) => c.name === failed[0]);
      // Some details start with their check's name ("title: ..."); the condition says it already.
      const detail = check === undefined ? '' : check.detail.startsWith(`${check.name}:`) ? check.detail.slice(check.name.length + 1).trimStart() : check.detail;
      this.nearMisses.push({ ...jobFields(job), failed: { condition: key, detail } });
    }
  }

  /** matchPosting at the time the job was first seen: every check with its detail. */
  explain(job: StoredJob): MatchResult {
    return matchPosting(job, this.rule, { ...this.ctx, now: job.firstSeen });
  }

  /** The tallies, in the order matchPosting checks them. */
  conditions(): ConditionTally[] {
    return [...this.tallies.values()];
  }
}

/** Runs the command; returns the exit code. */
export async function backtestCommand(
  opts: BacktestOptions,
  out: (s: string) => void = (s) => process.stdout.write(s),
  now: () => Date = () => new Date(),
): Promise<number> {
  if ((opts.rule === undefined) === (opts.query === undefined)) throw new CommandError('backtest needs --rule NAME (a rule of the config) or --query "TEXT", one of them', EXIT_USAGE);
  const since = parseSince(opts.since ?? DEFAULT_SINCE, now());
  const { config, rules } = loadAndCompile(opts.config);
  const rule = opts.query !== undefined ? compileQuery(opts.query) : rules.find((r) => r.name === opts.rule);
  if (!rule) throw new CommandError(`no rule named "${opts.rule}"; rules: ${rules.map((r) => r.name).join(', ') || '(none)'}`, EXIT_USAGE);

  const store = await openReadOnlyStore(config.database);
  if (!store) throw new CommandError(`no database at ${describeDatabase(config.database)} yet: postings are stored once jobalert has polled its feeds`, EXIT_USAGE);
  const test = new Backtest(rule, { maxAgeMs: config.max_age, exchangeRates: { ...DEFAULT_EXCHANGE_RATES, ...config.exchange_rates } }, formatAge(config.max_age));
  let counts: { since: number; all: number };
  try {
    counts = await store.countJobs(since.getTime());
    const print = opts.json ? null : new TextReport(out, rule, opts.query !== undefined, since, config);
    for await (const page of store.jobsFirstSeenSince(since.getTime())) {
      for (const job of page) {
        const before = test.matches.length;
        test.add(job);
        // Matches are printed as they come: the report does not wait for 100k jobs to be read.
        if (print && test.matches.length > before) print.match(test.matches[before]!);
      }
    }
  } finally {
    await store.close();
  }
  const report: BacktestReport = {
    rule: rule.name,
    query: rule.source.query,
    database: describeDatabase(config.database),
    since: since.toISOString(),
    jobs: test.jobs,
    older: counts.all - counts.since,
    matched: test.matches.length,
    matches: test.matches,
    conditions: test.conditions(),
    near_misses: { count: test.nearMissCount, examples: test.nearMisses },
  };
  if (opts.json) out(`${JSON.stringify(report, null, 2)}\n`);
  else summary(out, report);
  return EXIT_OK;
}

function compileQuery(text: string): CompiledRule {
  const { rule, issues } = compileRule({ name: 'query', query: text, include_unknown_salary: false });
  if (issues.length || !rule) throw new CommandError(issues.map((i) => `--query: ${i.message}`).join('\n'), EXIT_USAGE);
  for (const w of titleWordWarnings(rule)) process.stderr.write(`warning: ${w}\n`);
  return rule;
}

/** "30d" (back from now) or a date ("2026-11-01", read as UTC midnight) to the start of the range. */
export function parseSince(text: string, now: Date): Date {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(trimmed)) {
    const date = new Date(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  const ms = parseDuration(trimmed);
  if (ms === null || ms <= 0) throw new CommandError(`--since: expected a duration such as "30d", "2w", "12h" or a date such as 2026-11-01, got "${text}"`, EXIT_USAGE);
  return new Date(now.getTime() - ms);
}

/** The conditions the rule has, in matchPosting's order, with what each asks. */
function wantedConditions(rule: CompiledRule, maxAge: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (rule.titleAny) out.push(['title', rule.titleAny.map(describePhrase).join(' / ')]);
  if (rule.seniority) out.push(['seniority', rule.seniority.join('/')]);
  if (rule.arrangements) out.push(['remote', rule.arrangements.join(' or ')]);
  if (rule.salaryMin) out.push(['salary_min', `≥ ${formatMoney(rule.salaryMin.amount, rule.salaryMin.currency)}${rule.includeUnknownSalary ? ' (unknown included)' : ''}`]);
  if (rule.locations) out.push(['location', rule.locations.join(' / ')]);
  if (rule.exclude.length > 0) out.push(['exclude', rule.exclude.join(', ')]);
  if (rule.companiesExclude.length > 0) out.push(['companies_exclude', rule.companiesExclude.join(', ')]);
  out.push(['max_age', maxAge]);
  return out;
}

/** Why a job failed a condition when the posting did not say what the condition reads; null when it did. */
function unknownReason(condition: string, job: StoredJob): string | null {
  switch (condition) {
    case 'seniority':
      return job.seniority === null ? 'had no level' : null;
    case 'remote':
      return job.arrangement === 'unknown' ? 'did not say remote, hybrid or onsite' : null;
    case 'salary_min':
      if (job.salary === null || (job.annualMax ?? job.annualMin) === null) return 'had no salary';
      return job.salary.currency === null ? 'had no salary currency' : null;
    case 'location':
      return (job.location ?? '').trim() === '' && job.remoteRegions.length === 0 ? 'had no location' : null;
    default:
      return null;
  }
}

function jobFields(job: StoredJob): BacktestJob {
  return { id: job.id, title: job.title, company: job.company, url: job.url, first_seen: job.firstSeen.toISOString(), published: job.published?.toISOString() ?? null };
}

function formatAge(ms: number): string {
  if (ms <= 0) return 'no limit';
  const day = 86_400_000;
  return ms % day === 0 ? `published within ${ms / day}d` : `published within ${Math.round(ms / 3_600_000)}h`;
}

const number = new Intl.NumberFormat('en-US');

/** The text report's head and its matches, printed as they are found. */
class TextReport {
  constructor(
    private readonly out: (s: string) => void,
    rule: CompiledRule,
    adHoc: boolean,
    since: Date,
    config: Config,
  ) {
    const query = rule.source.query === null ? '' : `query "${rule.source.query}"`;
    out(`backtest of ${adHoc ? query : `rule ${rule.name}${query ? ` (${query})` : ''}`}\nover the jobs first seen since ${since.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${describeDatabase(config.database)}\n\n`);
  }

  match(job: BacktestJob): void {
    const head = `${job.first_seen.slice(0, 10)}  ${oneLine(job.title)}${job.company ? ` · ${oneLine(job.company)}` : ''}`;
    this.out(`${head}\n            ${oneLine(job.url)}\n            ${oneLine((job.reasons ?? []).join(' · '))}\n`);
  }
}

/** The counts after the matches: how many matched, and per condition how many failed. */
function summary(out: (s: string) => void, r: BacktestReport): void {
  const olderNote = r.older > 0 ? ` (${number.format(r.older)} stored before that were not looked at)` : '';
  out(`${r.matched > 0 ? '\n' : ''}${number.format(r.matched)} of ${number.format(r.jobs)} jobs would have matched${olderNote}.\n`);
  if (r.jobs === 0) {
    out('No job was first seen in that range: try a longer --since.\n');
    return;
  }
  out('\nfailed, per condition (a job counts under every condition it fails; "only": it failed no other):\n');
  const width = Math.max(...r.conditions.map((c) => c.condition.length + 1 + c.wanted.length), 10);
  for (const c of r.conditions) {
    const notes: string[] = [];
    if (c.only > 0) notes.push(`${number.format(c.only)} only this`);
    if (c.unknown) notes.push(`${number.format(c.unknown.count)} ${c.unknown.what}`);
    if (c.found) notes.push(Object.entries(c.found).sort((a, b) => b[1] - a[1]).map(([w, n]) => `"${w}" ${number.format(n)}`).join(', '));
    const label = `${c.condition} ${c.wanted}`.padEnd(width);
    out(`  ${label}  ${number.format(c.failed).padStart(7)} failed${notes.length ? ` (${notes.join('; ')})` : ''}\n`);
  }
  if (r.near_misses.count > 0) {
    const by = r.conditions.filter((c) => c.only > 0).map((c) => `${c.condition} ${number.format(c.only)}`).join(', ');
    out(`\n${number.format(r.near_misses.count)} near misses, failing one condition only (${by}); the first ${NEAR_MISS_EXAMPLES} of each:\n`);
    // Grouped by condition, in the order of the table above.
    const order = r.conditions.map((c) => c.condition);
    const examples = [...r.near_misses.examples].sort((a, b) => order.indexOf(a.failed!.condition) - order.indexOf(b.failed!.condition));
    for (const job of examples) {
      out(`  ${job.first_seen.slice(0, 10)}  ${oneLine(job.title)}${job.company ? ` · ${oneLine(job.company)}` : ''}\n            ✗ ${job.failed!.condition}: ${oneLine(job.failed!.detail)}\n`);
    }
  }
}

// One line per value, spaces folded as alerts show them; a stray control character in a
// posting cannot move the terminal's cursor.
function oneLine(text: string): string {
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}
