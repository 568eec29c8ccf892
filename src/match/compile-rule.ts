/**
 * Rule compilation, done once at startup: a rule's structured keys and its `query:` become one
 * CompiledRule that matchPosting can check in O(title tokens + conditions).
 *
 * A rule with both a query and structured keys must satisfy both, so they are intersected:
 * titles combine (every query role word AND one of the title: phrases), levels, arrangements and
 * places keep what both allow, the salary floor is the higher one, exclusions add up.
 * An intersection that leaves nothing (query "senior", seniority: [junior]) is a config issue.
 */
import type { RuleConfig } from '../config/schema.js';
import { SENIORITY_LEVELS, type Arrangement, type Seniority } from '../core/types.js';
import { geoWithin, resolvePlaceName, type GeoPlace } from '../places/places.js';
import { rateWithDefaults } from './currency.js';
import { parseQuery } from './query.js';
import { isRemotePlace } from './remote-place.js';
import { compileTitlePhrase, placeTokens, tokenize, type TitleTerm } from './title-terms.js';

export type { TitleTerm } from './title-terms.js';

/** A rule ready for matching. */
export interface CompiledRule {
  name: string;
  notify: string[];
  /** Any-of title phrases; each phrase is a list of terms that must all be in the title. */
  titleAny: TitleTerm[][] | null;
  /** Expanded levels ("senior+" -> senior, staff, principal, lead). */
  seniority: Seniority[] | null;
  /** remote: true -> ['remote']; false -> ['hybrid', 'onsite']; 'hybrid' -> ['hybrid']. */
  arrangements: Arrangement[] | null;
  salaryMin: { amount: number; currency: string } | null;
  includeUnknownSalary: boolean;
  locations: string[] | null;
  exclude: string[];
  companiesExclude: string[];
  /** For display. */
  source: { query: string | null };
  /** Precompiled matchers; compileRule sets them, matchPosting builds them when a hand-made rule lacks them. */
  prepared?: PreparedMatchers;
}

/** A rule's place, precompiled: its tokens (for names the gazetteer does not know) and what it may mean. */
export interface PreparedPlace {
  text: string;
  tokens: string[];
  /** The places the name may mean ("New York": the city and the state); null when the gazetteer does not know it. */
  readings: GeoPlace[] | null;
  /** The "or remote" option rather than a place (isRemotePlace). */
  remote: boolean;
  /** Names a city (a metro, or words the gazetteer does not know) rather than an area. */
  city: boolean;
}

/** What matching needs precompiled: places, one exclusion regex, normalized company names. */
export interface PreparedMatchers {
  places: PreparedPlace[];
  excludePattern: RegExp | null;
  /**
   * Per excluded word, a word the posting's text cannot match it without (see excludeKeys());
   * null when some exclusion has none, and the regex must always run.
   */
  excludeKeys: string[] | null;
  companies: ReadonlySet<string>;
}

/** A problem in one rule, by key ("query", "seniority", ...). */
export interface CompileIssue {
  rule: string;
  key: string;
  message: string;
}

/** Options for compiling rules. */
export interface CompileOptions {
  /** Config `exchange_rates:`, on top of the built-in table; used to check the rule's currency. */
  exchangeRates?: Record<string, number>;
}

type Parts = Pick<
  CompiledRule,
  'titleAny' | 'seniority' | 'arrangements' | 'salaryMin' | 'locations' | 'exclude' | 'companiesExclude'
>;

// "X+" climbs the individual-contributor ladder (lead sits between senior and staff) or the
// management one; neither includes the other, matching "senior+ = senior, staff, principal, lead".
const IC_LADDER: readonly Seniority[] = ['intern', 'junior', 'mid', 'senior', 'lead', 'staff', 'principal'];
const MANAGEMENT_LADDER: readonly Seniority[] = ['manager', 'director'];
const WORK_ARRANGEMENTS: readonly Arrangement[] = ['remote', 'hybrid', 'onsite'];
const COMPANY_SUFFIXES: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'bv',
  'nv',
  'pty',
  'srl',
  'ab',
  'oy',
]);

/** Compiles one rule; rule is null when it has any issue. */
export function compileRule(rule: RuleConfig, opts: CompileOptions = {}): { rule: CompiledRule | null; issues: CompileIssue[] } {
  const issues: CompileIssue[] = [];
  const rates = opts.exchangeRates;
  const report = (key: string, message: string): void => {
    issues.push({ rule: rule.name, key, message });
  };

  const structured = compileParts(rule, rule.currency ?? 'USD', rates, report);
  let parts = structured;
  if (rule.query !== undefined) {
    const parsed = parseQuery(rule.query);
    for (const message of parsed.issues) report('query', message);
    const fromQuery = compileParts(parsed.rule, parsed.rule.currency ?? rule.currency ?? 'USD', rates, (_key, message) =>
      report('query', message),
    );
    parts = intersect(structured, fromQuery, report);
  }
  if (issues.length > 0) return { rule: null, issues };

  const compiled: CompiledRule = {
    name: rule.name,
    notify: rule.notify ?? [],
    ...parts,
    includeUnknownSalary: rule.include_unknown_salary ?? false,
    source: { query: rule.query ?? null },
  };
  // Not enumerable: `check` and `query` print compiled rules as JSON, and a RegExp or Set prints as {}.
  Object.defineProperty(compiled, 'prepared', { value: prepareMatchers(compiled), enumerable: false });
  return { rule: compiled, issues };
}

/** Compiles every rule; returns the good ones and all issues (including duplicate names). */
export function compileRules(rules: RuleConfig[], opts: CompileOptions = {}): { rules: CompiledRule[]; issues: CompileIssue[] } {
  const compiled: CompiledRule[] = [];
  const issues: CompileIssue[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.name)) issues.push({ rule: rule.name, key: 'name', message: `duplicate rule name "${rule.name}"` });
    seen.add(rule.name);
    const result = compileRule(rule, opts);
    issues.push(...result.issues);
    if (result.rule) compiled.push(result.rule);
  }
  return { rules: compiled, issues };
}

/** Builds the matchers a compiled rule needs at match time. */
export function prepareMatchers(rule: Pick<CompiledRule, 'locations' | 'exclude' | 'companiesExclude'>): PreparedMatchers {
  return {
    places: (rule.locations ?? []).map(preparePlace),
    excludePattern: excludePattern(rule.exclude),
    excludeKeys: excludeKeys(rule.exclude),
    companies: new Set(rule.companiesExclude.map(companyKey)),
  };
}

function preparePlace(text: string): PreparedPlace {
  const { tokens, readings, remote, city } = placeInfo(text);
  // Fresh arrays per rule: only the read-only GeoPlace objects are shared (places.ts shares them too).
  return { text, tokens: [...tokens], readings: readings && [...readings], remote, city };
}

// Rules name the same few places and exclusion lists again and again; looking a place up in the
// gazetteer and building an exclusion regex's source are done once per distinct text. Entries stay
// inside this module: callers get copies.
const MEMO_LIMIT = 4096;
const placeInfos = new Map<string, Omit<PreparedPlace, 'text'>>();
const excludeSources = new Map<string, string>();

function memo<V>(cache: Map<string, V>, key: string, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= MEMO_LIMIT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** What a rule's place name means, looked up once per distinct text; not to be mutated. */
function placeInfo(text: string): Omit<PreparedPlace, 'text'> {
  return memo(placeInfos, text, () => {
    const readings = resolvePlaceName(text);
    return { tokens: placeTokens(text), readings, remote: isRemotePlace(text), city: readings === null || readings.some((r) => r.kind === 'city') };
  });
}

/** A company name for comparison: lower-case, no punctuation, no "Inc." / "LLC" / "Ltd" suffixes. */
export function companyKey(name: string): string {
  const tokens = tokenize(name.replace(/&/g, ' and '));
  while (tokens.length > 1 && COMPANY_SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join(' ');
}

/** Expands level words ("senior+", "staff") into levels, in SENIORITY_LEVELS order; unknown words are returned apart. */
export function expandSeniority(words: readonly string[]): { levels: Seniority[]; unknown: string[] } {
  const wanted = new Set<Seniority>();
  const unknown: string[] = [];
  for (const word of words) {
    const lower = word.trim().toLowerCase();
    const plus = lower.endsWith('+');
    const base = (plus ? lower.slice(0, -1) : lower) as Seniority;
    if (!SENIORITY_LEVELS.includes(base)) {
      unknown.push(word);
      continue;
    }
    if (!plus) {
      wanted.add(base);
      continue;
    }
    const ladder = IC_LADDER.includes(base) ? IC_LADDER : MANAGEMENT_LADDER;
    for (const level of ladder.slice(ladder.indexOf(base))) wanted.add(level);
  }
  return { levels: SENIORITY_LEVELS.filter((l) => wanted.has(l)), unknown };
}

function compileParts(
  src: Partial<RuleConfig>,
  currency: string,
  rates: Record<string, number> | undefined,
  report: (key: string, message: string) => void,
): Parts {
  const parts: Parts = {
    titleAny: null,
    seniority: null,
    arrangements: null,
    salaryMin: null,
    locations: null,
    exclude: [],
    companiesExclude: [],
  };

  if (src.title !== undefined) {
    parts.titleAny = [];
    for (const phrase of src.title) {
      const { terms, issue } = compileTitlePhrase(phrase);
      if (issue) report('title', issue);
      else parts.titleAny.push(terms);
    }
  }

  if (src.seniority !== undefined) {
    const { levels, unknown } = expandSeniority(src.seniority);
    for (const word of unknown) {
      report('seniority', `unknown level "${word}" (expected ${SENIORITY_LEVELS.join(', ')}, optionally with "+")`);
    }
    parts.seniority = levels;
  }

  if (src.remote !== undefined) {
    const arrangements = arrangementsOf(src.remote);
    if (arrangements === null) report('remote', 'expected true, false, remote, hybrid or onsite');
    else parts.arrangements = arrangements;
  }

  if (src.salary_min !== undefined) {
    const code = currency.toUpperCase();
    if (!rateWithDefaults(code, rates)) report('currency', `no exchange rate for ${code} (add it under exchange_rates:)`);
    parts.salaryMin = { amount: src.salary_min, currency: code };
  }

  if (src.location !== undefined) {
    for (const place of src.location) {
      if (placeInfo(place).tokens.length === 0) report('location', `"${place}" names no place`);
    }
    parts.locations = [...src.location];
  }

  for (const word of src.exclude ?? []) {
    if (tokenize(word).length === 0) report('exclude', `"${word}" has no letters or digits to look for`);
    else parts.exclude.push(word.trim());
  }

  for (const company of src.companies_exclude ?? []) {
    if (companyKey(company) === '') report('companies_exclude', `"${company}" is not a company name`);
    else parts.companiesExclude.push(company.trim());
  }
  return parts;
}

function arrangementsOf(value: NonNullable<RuleConfig['remote']>): Arrangement[] | null {
  if (value === true) return ['remote'];
  if (value === false) return ['hybrid', 'onsite'];
  const list: readonly string[] = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((a) => (WORK_ARRANGEMENTS as readonly string[]).includes(a))) return null;
  return WORK_ARRANGEMENTS.filter((a) => list.includes(a));
}

function intersect(a: Parts, b: Parts, report: (key: string, message: string) => void): Parts {
  const out: Parts = {
    ...a,
    exclude: uniqueFolded([...a.exclude, ...b.exclude]),
    companiesExclude: uniqueFolded([...a.companiesExclude, ...b.companiesExclude]),
  };

  if (a.titleAny && b.titleAny) out.titleAny = a.titleAny.flatMap((pa) => b.titleAny!.map((pb) => [...pb, ...pa]));
  else out.titleAny = a.titleAny ?? b.titleAny;

  if (a.seniority && b.seniority) {
    out.seniority = a.seniority.filter((l) => b.seniority!.includes(l));
    if (out.seniority.length === 0) report('seniority', `no level in common with the query (${a.seniority.join(', ')} vs ${b.seniority.join(', ')})`);
  } else out.seniority = a.seniority ?? b.seniority;

  if (a.arrangements && b.arrangements) {
    out.arrangements = a.arrangements.filter((x) => b.arrangements!.includes(x));
    if (out.arrangements.length === 0) report('remote', `no work arrangement in common with the query (${a.arrangements.join(', ')} vs ${b.arrangements.join(', ')})`);
  } else out.arrangements = a.arrangements ?? b.arrangements;

  if (a.salaryMin && b.salaryMin) {
    if (a.salaryMin.currency !== b.salaryMin.currency) {
      report('salary_min', `the query's salary is in ${b.salaryMin.currency} but salary_min is in ${a.salaryMin.currency}; give one`);
    }
    out.salaryMin = a.salaryMin.amount >= b.salaryMin.amount ? a.salaryMin : b.salaryMin;
  } else out.salaryMin = a.salaryMin ?? b.salaryMin;

  if (a.locations && b.locations) {
    out.locations = intersectPlaces(a.locations, b.locations);
    if (out.locations.length === 0) report('location', `no place in common with the query (${a.locations.join(', ')} vs ${b.locations.join(', ')})`);
  } else out.locations = a.locations ?? b.locations;

  return out;
}

// Places both allow: the same name, or the narrower of two nested ones (location: [Germany] with
// "in Europe" keeps Germany; location: [Europe] with "in Berlin" keeps Berlin).
function intersectPlaces(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      if (placeInfo(x).tokens.join(' ') === placeInfo(y).tokens.join(' ')) out.push(x);
      else if (placeInside(x, y)) out.push(x);
      else if (placeInside(y, x)) out.push(y);
    }
  }
  return uniqueFolded(out);
}

function placeInside(inner: string, outer: string): boolean {
  const a = placeInfo(inner).readings;
  const b = placeInfo(outer).readings;
  return a !== null && b !== null && a.every((x) => b.some((y) => geoWithin(x, y)));
}

function uniqueFolded(words: string[]): string[] {
  const seen = new Set<string>();
  return words.filter((w) => !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
}

// One regex per rule, so the description is scanned once however many words are excluded.
// Longer words first: at a given position the longest exclusion is the one reported.
function excludePattern(words: readonly string[]): RegExp | null {
  if (words.length === 0) return null;
  // A fresh RegExp per rule (V8 shares the compiled code of equal sources anyway).
  return new RegExp(memo(excludeSources, words.join('\u0000'), () => excludeSource(words)), 'iu');
}

function excludeSource(words: readonly string[]): string {
  const alternatives = [...words]
    .sort((x, y) => y.length - x.length)
    .map((word) => {
      const wildcard = word.endsWith('*');
      const stem = (wildcard ? word.slice(0, -1) : word).trim();
      const body = stem.split(/\s+/).map(escapeRegExp).join('\\s+');
      return wildcard ? `${body}[\\p{L}\\p{N}]*` : body;
    });
  return `(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`;
}

/**
 * For each exclusion, its first run of ASCII letters and digits, lower-cased: the regex matches it
 * literally, so wherever the exclusion matches, the text has that run in some case (see
 * PreparedPosting.mayContain). A word without such a run keys nothing (null: the regex always runs).
 */
function excludeKeys(words: readonly string[]): string[] | null {
  const keys: string[] = [];
  for (const word of words) {
    const first = /[a-z0-9]+/i.exec(word);
    if (!first) return null;
    keys.push(first[0].toLowerCase());
  }
  return [...new Set(keys)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
