/**
 * Matching one posting against one compiled rule, with a reason per condition.
 *
 * Every condition is evaluated, even after one fails, so `explain` can show them all; the checks
 * come in display order: title, seniority, remote, salary, location, exclude, company, max_age.
 * A posting matches when every check passes; a rule without conditions only has max_age.
 */
import type { MatchCheck, MatchResult, Posting, Seniority, Arrangement } from '../core/types.js';
import { companyKey, prepareMatchers, type CompiledRule } from './compile-rule.js';
import { convert, withDefaultRates } from './currency.js';
import { formatMoney } from './format-salary.js';
import { containsRun, describePhrase, missingTerms, normalizeTitle, placeTokens, tokenize, type TitleTerm } from './title-terms.js';

/** What matching needs besides the posting and the rule. */
export interface MatchContext {
  now: Date;
  /** Postings published longer ago fail max_age; 0 (or less) means no limit. */
  maxAgeMs: number;
  /** Units of USD per 1 unit of currency; currencies missing here fall back to the built-in table. */
  exchangeRates: Record<string, number>;
}

// Checks that guard against a posting rather than say why it fits; they stay out of alert reasons.
const GUARD_CHECKS: ReadonlySet<string> = new Set(['exclude', 'company', 'max_age']);

// A remote posting whose location says only this is open everywhere.
const UNRESTRICTED_WORDS: ReadonlySet<string> = new Set([
  'remote',
  'anywhere',
  'worldwide',
  'global',
  'globally',
  'everywhere',
  'international',
  'distributed',
  'fully',
  '100',
  'work',
  'from',
  'home',
  'wfh',
  'first',
  'friendly',
  'flexible',
  'location',
  'independent',
]);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Checks every condition of the rule against the posting; matched when all pass. */
export function matchPosting(posting: Posting, rule: CompiledRule, ctx: MatchContext): MatchResult {
  const prepared = rule.prepared ?? prepareMatchers(rule);
  const checks: MatchCheck[] = [];
  if (rule.titleAny) checks.push(checkTitle(posting.title, rule.titleAny));
  if (rule.seniority) checks.push(checkSeniority(posting.seniority, rule.seniority));
  if (rule.arrangements) checks.push(checkArrangement(posting, rule.arrangements));
  if (rule.salaryMin) checks.push(checkSalary(posting, rule.salaryMin, rule.includeUnknownSalary, ctx.exchangeRates));
  if (rule.locations) checks.push(checkLocation(posting, prepared.places));
  if (prepared.excludePattern) checks.push(checkExclude(posting, rule.exclude, prepared.excludePattern));
  if (prepared.companies.size > 0) checks.push(checkCompany(posting.company, prepared.companies));
  checks.push(checkAge(posting.published, ctx));
  return { matched: checks.every((c) => c.passed), checks };
}

/** The passed checks' details, in display order, as alert reasons; the title reason carries the level. */
export function reasonsOf(result: MatchResult): string[] {
  const passed = result.checks.filter((c) => c.passed && !GUARD_CHECKS.has(c.name));
  const title = passed.find((c) => c.name === 'title');
  const seniority = passed.find((c) => c.name === 'seniority');
  const reasons: string[] = [];
  for (const check of passed) {
    if (check === seniority && title) continue;
    const cut = check === title && seniority ? check.detail.lastIndexOf(' ~ ') : -1;
    // "title: Senior Machine Learning Engineer ~ senior, ML engineer", as DESIGN.md shows it.
    reasons.push(cut < 0 ? check.detail : `${check.detail.slice(0, cut + 3)}${seniority!.detail}, ${check.detail.slice(cut + 3)}`);
  }
  return reasons;
}

function pass(name: string, detail: string): MatchCheck {
  return { name, passed: true, detail };
}

function fail(name: string, detail: string): MatchCheck {
  return { name, passed: false, detail };
}

function checkTitle(rawTitle: string, phrases: TitleTerm[][]): MatchCheck {
  const title = rawTitle.replace(/\s+/g, ' ').trim();
  const tokens = normalizeTitle(title);
  let closest: { phrase: TitleTerm[]; missing: TitleTerm[] } | null = null;
  for (const phrase of phrases) {
    const missing = missingTerms(phrase, tokens);
    if (missing.length === 0) return pass('title', `title: ${title} ~ ${describePhrase(phrase)}`);
    if (!closest || missing.length < closest.missing.length) closest = { phrase, missing };
  }
  if (phrases.length === 1 && closest) {
    const lacking = closest.missing.map((t) => t.text).join(', ');
    return fail('title', `title: ${title}, not ${describePhrase(closest.phrase)} (no ${lacking})`);
  }
  return fail('title', `title: ${title}, not ${phrases.map(describePhrase).join(' / ')}`);
}

function checkSeniority(level: Seniority | null, wanted: readonly Seniority[]): MatchCheck {
  const want = wanted.join('/');
  if (level === null) return fail('seniority', `seniority not stated, wanted ${want}`);
  if (wanted.includes(level)) return pass('seniority', level);
  return fail('seniority', `seniority: ${level}, wanted ${want}`);
}

function checkArrangement(posting: Posting, wanted: readonly Arrangement[]): MatchCheck {
  const want = wanted.join(' or ');
  const { arrangement, remoteRegions } = posting;
  if (wanted.includes(arrangement)) {
    const regions = arrangement === 'remote' && remoteRegions.length > 0 ? ` (${remoteRegions.join(', ')})` : '';
    return pass('remote', `${arrangement}${regions}`);
  }
  if (arrangement === 'unknown') return fail('remote', `work arrangement not stated, wanted ${want}`);
  return fail('remote', `${arrangement}, wanted ${want}`);
}

function checkSalary(
  posting: Posting,
  min: { amount: number; currency: string },
  includeUnknown: boolean,
  rates: Record<string, number>,
): MatchCheck {
  const threshold = formatMoney(min.amount, min.currency);
  const upper = posting.annualMax ?? posting.annualMin;
  if (upper === null || posting.salary === null) {
    return includeUnknown ? pass('salary', 'salary not stated (included)') : fail('salary', `salary not stated, wanted ≥ ${threshold}`);
  }
  const stated = posting.salary.currency?.toUpperCase() ?? null;
  const from = stated ?? min.currency;
  // Per-currency fallback: a config that overrides EUR alone still converts GBP.
  const value = convert(upper, from, min.currency, rates) ?? convert(upper, from, min.currency, withDefaultRates(rates));
  if (value === null) return fail('salary', `salary in ${from}, which has no exchange rate (add it under exchange_rates:)`);

  const notes: string[] = [];
  const { period } = posting.salary;
  const perPeriod = posting.salary.max ?? posting.salary.min;
  const original = period === 'year' || perPeriod === null ? formatMoney(upper, from) : `${formatMoney(perPeriod, from)}/${period}`;
  if (from !== min.currency) notes.push(`≈ converted from ${original}`);
  else if (period !== 'year') notes.push(`annualized from ${original}`);
  if (stated === null) notes.push(`currency not stated, assumed ${min.currency}`);
  const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  const shown = `${formatMoney(value, min.currency)}/yr`;
  if (value >= min.amount) return pass('salary', `${shown} ≥ ${threshold}${suffix}`);
  return fail('salary', `${shown} < ${threshold}${suffix}`);
}

function checkLocation(posting: Posting, places: readonly { text: string; tokens: string[] }[]): MatchCheck {
  const wanted = places.map((p) => p.text).join(' / ');
  const location = posting.location?.trim() || null;
  const regions = posting.remoteRegions;
  const locationTokens = location === null ? [] : placeTokens(location);
  // '|' keeps one region's last word and the next region's first word from forming a place.
  const regionTokens = regions.flatMap((r) => ['|', ...placeTokens(r)]);
  for (const place of places) {
    if (containsRun(locationTokens, place.tokens)) return pass('location', locationDetail(place.text, location));
    if (containsRun(regionTokens, place.tokens)) return pass('location', locationDetail(place.text, `remote: ${regions.join(', ')}`));
  }
  if (posting.arrangement === 'remote' && regions.length === 0 && isUnrestricted(location)) {
    return pass('location', `location: ${wanted} (remote, no region restriction)`);
  }
  if (location === null && regions.length === 0) return fail('location', `location not stated, wanted ${wanted}`);
  return fail('location', `location: ${[location, ...regions].filter(Boolean).join('; ')}, not ${wanted}`);
}

function locationDetail(place: string, where: string | null): string {
  if (where === null || where.toLowerCase() === place.toLowerCase()) return `location: ${place}`;
  return `location: ${place} (${where})`;
}

function isUnrestricted(location: string | null): boolean {
  if (location === null) return true;
  return tokenize(location).every((t) => UNRESTRICTED_WORDS.has(t));
}

function checkExclude(posting: Posting, words: readonly string[], pattern: RegExp): MatchCheck {
  const fields: Array<[string, string | null]> = [
    ['title', posting.title],
    ['company', posting.company],
    ['description', posting.description],
  ];
  for (const [field, text] of fields) {
    const found = text === null ? null : pattern.exec(text);
    if (found) return fail('exclude', `exclude: "${found[0]}" in ${field}`);
  }
  return pass('exclude', `exclude: none of ${words.join(', ')}`);
}

function checkCompany(company: string | null, excluded: ReadonlySet<string>): MatchCheck {
  if (company === null || company.trim() === '') return pass('company', 'company not stated');
  if (excluded.has(companyKey(company))) return fail('company', `company: ${company} is excluded`);
  return pass('company', `company: ${company} not excluded`);
}

function checkAge(published: Date | null, ctx: MatchContext): MatchCheck {
  if (published === null) return pass('max_age', 'publish date unknown');
  const age = ctx.now.getTime() - published.getTime();
  const ago = formatAgo(age);
  if (ctx.maxAgeMs > 0 && age > ctx.maxAgeMs) return fail('max_age', `published ${ago}, older than ${formatDuration(ctx.maxAgeMs)}`);
  return pass('max_age', `published ${ago}`);
}

function formatAgo(ms: number): string {
  if (ms < 0) return 'in the future';
  if (ms < HOUR) return `${Math.max(1, Math.floor(ms / MINUTE))} min ago`;
  if (ms < 2 * DAY) return `${Math.floor(ms / HOUR)} h ago`;
  return `${Math.floor(ms / DAY)} days ago`;
}

function formatDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / 1000)}s`;
}
