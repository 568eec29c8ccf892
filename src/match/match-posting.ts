/**
 * Matching one posting against one compiled rule, with a reason per condition.
 *
 * Every condition is evaluated, even after one fails, so `explain` can show them all; the checks
 * come in display order: title, seniority, remote, salary, location, exclude, company, max_age.
 * A posting matches when every check passes; a rule without conditions only has max_age.
 */
import type { MatchCheck, MatchResult, Posting, Seniority, Arrangement } from '../core/types.js';
import { geoWithin, locatePlaces, type GeoPlace, type LocatedAlternative } from '../places/places.js';
import { companyKey, prepareMatchers, type CompiledRule, type PreparedMatchers, type PreparedPlace } from './compile-rule.js';
import { convertWithDefaults } from './currency.js';
import { formatMoney } from './format-salary.js';
import { distinctReasons } from './reasons.js';
import { postingPlaces, type PlaceAlternative, type PostingPlaces } from './posting-places.js';
import { containsRun, describePhrase, missingTerms, normalizeTitle, placeTokens, termPresent, tokenize, type TitleTerm, type TitleTokens } from './title-terms.js';

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
  const read = new PreparedPosting(posting);
  const checks: MatchCheck[] = [];
  if (rule.titleAny) checks.push(checkTitle(read, rule.titleAny));
  if (rule.seniority) checks.push(checkSeniority(read, rule.seniority));
  if (rule.arrangements) checks.push(checkArrangement(posting, rule.arrangements));
  if (rule.salaryMin) checks.push(checkSalary(read, rule.salaryMin, rule.includeUnknownSalary, ctx.exchangeRates));
  if (rule.locations) checks.push(checkLocation(read, prepared.places));
  if (prepared.excludePattern) checks.push(checkExclude(posting, rule.exclude, prepared.excludePattern));
  if (prepared.companies.size > 0) checks.push(checkCompany(read, prepared.companies));
  checks.push(checkAge(posting.published, ctx));
  return { matched: checks.every((c) => c.passed), checks };
}

/**
 * A posting read once for matching against many rules: its title cleaned and tokenized, and (on
 * first use) the levels its title lists, its company key and the words of its text for exclusions.
 * It reads the posting's fields when built; a posting changed afterwards needs a new one.
 */
export class PreparedPosting {
  private cleanTitle: string | undefined;
  private tokens: TitleTokens | undefined;
  private listed: Seniority[] | undefined;
  private amount: string | undefined;
  private cityHits: Map<PreparedPlace, PlaceHit | null> | undefined;
  private areaHits: Map<PreparedPlace, PlaceHit | null> | undefined;
  private where: PostingPlaces | undefined;
  private officeList: readonly PlaceAlternative[] | undefined;
  private inPerson: string | null | undefined;
  private inPersonWords: readonly string[] | undefined;
  private openEverywhere: boolean | undefined;
  private company: string | null | undefined;
  private contains: Map<string, boolean> | undefined;

  constructor(readonly posting: Posting) {}

  /** The title with whitespace runs folded, as reasons show it. */
  get title(): string {
    return (this.cleanTitle ??= this.posting.title.replace(/\s+/g, ' ').trim());
  }

  /** normalizeTitle() of the cleaned title, computed once. */
  get titleTokens(): TitleTokens {
    return (this.tokens ??= normalizeTitle(this.title));
  }

  /** postingPlaces() of the posting, looked up once. */
  places(): PostingPlaces {
    return (this.where ??= postingPlaces(this.posting));
  }

  /** Where the job can be done in person: a remote job's office options, else every place named; computed once. */
  offices(): readonly PlaceAlternative[] {
    const where = this.places();
    return (this.officeList ??= this.posting.arrangement === 'remote' ? officeOptions(where, this.posting.location) : where.alternatives);
  }

  /** Where the job can be done in person, as written: a remote job's office options, else its location (or the title's places); computed once. */
  inPersonLocation(): string | null {
    if (this.inPerson === undefined) {
      const { posting } = this;
      const where = this.places();
      this.inPerson = posting.arrangement === 'remote' ? this.offices().map((a) => a.text).join('; ') || null : posting.location?.trim() || where.titleTexts.join('; ') || null;
    }
    return this.inPerson;
  }

  /** placeTokens() of inPersonLocation(), computed once. */
  inPersonTokens(): readonly string[] {
    if (this.inPersonWords === undefined) {
      const location = this.inPersonLocation();
      this.inPersonWords = location === null ? [] : placeTokens(location);
    }
    return this.inPersonWords;
  }

  /** A remote posting's places say it is open everywhere (isUnrestrictedPlaces); computed once. */
  unrestricted(): boolean {
    return (this.openEverywhere ??= isUnrestrictedPlaces(this.places(), this.posting.location));
  }

  /**
   * Where a rule place is found in the posting (see findPlace; `city` when remote work does not
   * count); kept per place object, so rules sharing their prepared places share the answer.
   */
  placeHit(place: PreparedPlace, city: boolean): PlaceHit | null {
    const hits = city ? (this.cityHits ??= new Map()) : (this.areaHits ??= new Map());
    let hit = hits.get(place);
    if (hit === undefined) {
      hit = place.readings ? findPlace(this, place, place.readings, this.posting.arrangement === 'remote', city) : findWords(this, place);
      hits.set(place, hit);
    }
    return hit;
  }

  /** statedAmount() of the posting's salary, which it must have; computed once. */
  statedAmount(): string {
    return (this.amount ??= statedAmount(this.posting.salary!));
  }

  /** titleLevels() of the raw title, computed once. */
  titleLevels(): Seniority[] {
    return (this.listed ??= titleLevels(this.posting.title));
  }

  /** companyKey() of the company, null when none is stated; computed once. */
  companyKey(): string | null {
    if (this.company === undefined) {
      const { company } = this.posting;
      this.company = company === null || company.trim() === '' ? null : companyKey(company);
    }
    return this.company;
  }

  /**
   * False when the title, company and description cannot contain `word` (lower-case ASCII letters
   * and digits) in any case: under the case-insensitive Unicode flags of the exclusion regex, which
   * match it to other letters too (the Kelvin sign to k, the long s to s), so it is searched with
   * those flags. Answers are kept.
   */
  mayContain(word: string): boolean {
    const contains = (this.contains ??= new Map());
    let found = contains.get(word);
    if (found === undefined) {
      // One regex per word, not a lower-cased copy of a few KB of text per posting.
      const re = wordPattern(word);
      const { title, company, description } = this.posting;
      found = re.test(title) || (company !== null && re.test(company)) || re.test(description);
      contains.set(word, found);
    }
    return found;
  }
}

// mayContain's regexes, by word; exclusion key words are few.
const wordPatterns = new Map<string, RegExp>();

function wordPattern(word: string): RegExp {
  let re = wordPatterns.get(word);
  if (re === undefined) {
    // Neither global nor sticky: test() starts at 0 and leaves lastIndex alone, so one serves every posting.
    re = new RegExp(word.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'), 'iu');
    if (wordPatterns.size >= 4096) wordPatterns.clear();
    wordPatterns.set(word, re);
  }
  return re;
}

/**
 * The exclude check, with the posting's text searched first for each exclusion's key word (see
 * PreparedMatchers.excludeKeys): when none is there, no exclusion can match and the regex is not
 * run. Same result as checkExclude.
 */
export function checkExcludeFast(read: PreparedPosting, words: readonly string[], prepared: PreparedMatchers): MatchCheck {
  const { excludeKeys, excludePattern } = prepared;
  if (excludePattern === null) throw new Error('checkExcludeFast: the rule excludes nothing');
  if (excludeKeys !== null && !excludeKeys.some((k) => read.mayContain(k))) return excludedNone(words);
  return checkExclude(read.posting, words, excludePattern);
}

/**
 * The passed checks as alert reasons: what the rule asked for and found, in the rule's words. The
 * title check gives only the terms it found ("ML engineer"), not the title (the alert shows it);
 * the level comes first ("senior", "ML engineer"); then distinctReasons() drops what another
 * reason already says.
 */
export function reasonsOf(result: MatchResult): string[] {
  const reasons: string[] = [];
  const seniority = result.checks.find((c) => c.name === 'seniority' && c.passed);
  if (seniority) reasons.push(seniority.detail);
  for (const check of result.checks) {
    if (!check.passed || check === seniority || GUARD_CHECKS.has(check.name)) continue;
    reasons.push(check.name === 'title' ? check.detail.slice(check.detail.lastIndexOf(' ~ ') + 3) : check.detail);
  }
  return distinctReasons(reasons);
}

function pass(name: string, detail: string): MatchCheck {
  return { name, passed: true, detail };
}

function fail(name: string, detail: string): MatchCheck {
  return { name, passed: false, detail };
}

/** The title condition of a rule against a prepared posting. */
export function checkTitle(read: PreparedPosting, phrases: TitleTerm[][]): MatchCheck {
  const { title, titleTokens: tokens } = read;
  const hit = matchingPhrase(phrases, tokens);
  if (hit) return pass('title', `title: ${title} ~ ${describePhrase(hit)}`);
  let closest: { phrase: TitleTerm[]; missing: TitleTerm[] } | null = null;
  for (const phrase of phrases) {
    const missing = missingTerms(phrase, tokens);
    if (!closest || missing.length < closest.missing.length) closest = { phrase, missing };
  }
  if (phrases.length === 1 && closest) {
    const lacking = closest.missing.map((t) => t.text).join(', ');
    return fail('title', `title: ${title}, not ${describePhrase(closest.phrase)} (no ${lacking})`);
  }
  return fail('title', `title: ${title}, not ${phrases.map(describePhrase).join(' / ')}`);
}

/** The first phrase whose every term is in the title (the one the title check reports), or null. */
export function matchingPhrase(phrases: readonly TitleTerm[][], tokens: TitleTokens): TitleTerm[] | null {
  for (const phrase of phrases) if (phrase.every((term) => termPresent(term, tokens))) return phrase;
  return null;
}

/**
 * The posting's level is the one normalization read from the title (the higher one when the title
 * names several). A title hiring at several levels ("Frontend Engineer (Junior/Mid)", "Senior/Staff
 * Engineer", "Senior Software Engineer, Staff Software Engineer") matches a rule naming any of them.
 */
export function checkSeniority(read: PreparedPosting, wanted: readonly Seniority[]): MatchCheck {
  const want = wanted.join('/');
  const level = read.posting.seniority;
  if (level !== null && wanted.includes(level)) return pass('seniority', level);
  const listed = read.titleLevels();
  if (listed.length > 1 && (level === null || listed.includes(level))) {
    const hit = listed.find((l) => wanted.includes(l));
    if (hit) return pass('seniority', `${hit} (of ${listed.join('/')})`);
  }
  if (level === null) return fail('seniority', `seniority not stated, wanted ${want}`);
  return fail('seniority', `seniority: ${level}, wanted ${want}`);
}

const LEVEL_WORDS: Readonly<Record<string, Seniority>> = {
  intern: 'intern',
  junior: 'junior',
  jr: 'junior',
  mid: 'mid',
  midlevel: 'mid',
  intermediate: 'mid',
  senior: 'senior',
  sr: 'senior',
  snr: 'senior',
  staff: 'staff',
  principal: 'principal',
  lead: 'lead',
};
const LEVEL = String.raw`(?:intern|junior|jr|mid(?![- ]?market)(?:[- ]?level)?|intermediate|senior|sr|snr|staff|principal|lead)\.?`;
const LEVEL_SEP = String.raw`(?:\s*(?:\/|,|&|\+|-|–|\bor\b|\band\b|\bto\b)\s*)+`;
// "Junior/Mid", "Senior or Staff", "Mid-Senior", "Sr./Staff"; not a tech or team lead ("Tech Lead / Senior Engineer").
const LEVEL_LIST_RE = new RegExp(String.raw`(?<!\b(?:tech|technical|team|engineering|squad)\s+)(?<![\p{L}\p{N}])${LEVEL}(?:${LEVEL_SEP}${LEVEL})+(?![\p{L}\p{N}])`, 'giu');
const LEVEL_WORD_RE = new RegExp(LEVEL, 'giu');
const LEADING_LEVEL_RE = new RegExp(String.raw`^(${LEVEL})\s+(.+)$`, 'iu');
const TITLE_LIST_SPLIT_RE = /\s*(?:,|\/|\||;|&|\bor\b)\s*/i;

/** The levels a title hires at when it names several, in the order written; [] otherwise. */
export function titleLevels(title: string): Seniority[] {
  const levels: Seniority[] = [];
  const add = (word: string): void => {
    const level = LEVEL_WORDS[word.toLowerCase().replace(/[.\s-]/g, '').replace(/level$/, '')];
    if (level && !levels.includes(level)) levels.push(level);
  };
  for (const list of title.matchAll(LEVEL_LIST_RE)) for (const word of list[0].matchAll(LEVEL_WORD_RE)) add(word[0]);
  // The same job at two levels: "Senior Software Engineer, Staff Software Engineer".
  const byRest = new Map<string, string[]>();
  for (const segment of title.split(TITLE_LIST_SPLIT_RE)) {
    const m = LEADING_LEVEL_RE.exec(segment.trim());
    if (!m) continue;
    const rest = m[2]!.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    byRest.set(rest, [...(byRest.get(rest) ?? []), m[1]!]);
  }
  for (const words of byRest.values()) if (words.length > 1) words.forEach(add);
  return levels.length > 1 ? levels : [];
}

/** The remote condition. */
export function checkArrangement(posting: Posting, wanted: readonly Arrangement[]): MatchCheck {
  const want = wanted.join(' or ');
  const { arrangement, remoteRegions } = posting;
  if (wanted.includes(arrangement)) {
    const regions = arrangement === 'remote' && remoteRegions.length > 0 ? ` (${remoteRegions.join(', ')})` : '';
    return pass('remote', `${arrangement}${regions}`);
  }
  if (arrangement === 'unknown') return fail('remote', `work arrangement not stated, wanted ${want}`);
  return fail('remote', `${arrangement}, wanted ${want}`);
}

/** Whether checkSalary() passes, without building its detail. */
export function salaryPasses(posting: Posting, min: { amount: number; currency: string }, includeUnknown: boolean, rates: Record<string, number>): boolean {
  const upper = posting.annualMax ?? posting.annualMin;
  const stated = posting.salary?.currency?.toUpperCase() ?? null;
  if (upper === null || posting.salary === null || stated === null) return includeUnknown;
  const value = convertSalary(upper, stated, min.currency, rates);
  return value !== null && value >= min.amount;
}

/** The salary condition: the posting's annualized upper bound, converted, against the floor. */
export function checkSalary(
  read: PreparedPosting,
  min: { amount: number; currency: string },
  includeUnknown: boolean,
  rates: Record<string, number>,
): MatchCheck {
  const { posting } = read;
  const threshold = formatMoney(min.amount, min.currency);
  const upper = posting.annualMax ?? posting.annualMin;
  if (upper === null || posting.salary === null) {
    return includeUnknown ? pass('salary', 'salary not stated (included)') : fail('salary', `salary not stated, wanted ≥ ${threshold}`);
  }
  const stated = posting.salary.currency?.toUpperCase() ?? null;
  // A currency that cannot be told is unknown, never the rule's: "1.9M" might be koruna or rupees.
  if (stated === null) {
    const what = `${read.statedAmount()} in an unknown currency`;
    return includeUnknown
      ? pass('salary', `${what} (included)`)
      : fail('salary', `${what} — cannot compare with ${threshold}`);
  }
  const from = stated;
  const value = convertSalary(upper, from, min.currency, rates);
  if (value === null) return fail('salary', `salary in ${from}, which has no exchange rate (add it under exchange_rates:)`);

  const notes: string[] = [];
  const { period } = posting.salary;
  const perPeriod = posting.salary.max ?? posting.salary.min;
  const original = period === 'year' || perPeriod === null ? formatMoney(upper, from) : `${formatMoney(perPeriod, from)}/${period}`;
  if (from !== min.currency) notes.push(`≈ converted from ${original}`);
  else if (period !== 'year') notes.push(`annualized from ${original}`);
  const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  const shown = `${formatMoney(value, min.currency)}/yr`;
  if (value >= min.amount) return pass('salary', `${shown} ≥ ${threshold}${suffix}`);
  return fail('salary', `${shown} < ${threshold}${suffix}`);
}

/**
 * The posting's annualized upper bound in `currency`, as the salary check compares it with a floor;
 * null when the posting states no salary, no currency, or one without an exchange rate (the check
 * then fails unless it includes unknown salaries).
 */
export function salaryIn(posting: Posting, currency: string, rates: Record<string, number>): number | null {
  const upper = posting.annualMax ?? posting.annualMin;
  const stated = posting.salary?.currency?.toUpperCase() ?? null;
  if (upper === null || posting.salary === null || stated === null) return null;
  return convertSalary(upper, stated, currency, rates);
}

// Per-currency fallback: a config that overrides EUR alone still converts GBP.
function convertSalary(amount: number, from: string, to: string, rates: Record<string, number>): number | null {
  return convertWithDefaults(amount, from, to, rates);
}

// What v.toLocaleString('en-US', { maximumFractionDigits: 2 }) does, without building a formatter per call.
const AMOUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** The stated amount as written, without a currency: "1,900,000", "120,000–150,000", "4,000/month". */
function statedAmount(salary: NonNullable<Posting['salary']>): string {
  const n = (v: number): string => AMOUNT_FORMAT.format(v);
  const { min, max, period } = salary;
  const amount = min !== null && max !== null && min !== max ? `${n(min)}–${n(max)}` : n((max ?? min)!);
  return period === 'year' ? amount : `${amount}/${period}`;
}

/**
 * A place P of the rule matches when the job can be done in P, as a job seeker reads the posting
 * (README, "Where the work happens"):
 * - P is a city (a metro, or a place the gazetteer does not know): an onsite or hybrid office in
 *   P, the stated place when the arrangement is unknown, or the office option of a remote job
 *   ("Denver, CO or Remote (US)" is in Denver). A remote-only job never matches a city, even when
 *   its remote region contains it or its HQ is there ("Remote (US)" is not in New York).
 * - P is a state, country or region: a posting located in P, and a remote one open to P: a region
 *   that contains P or is inside it ("Remote (EU)" for Germany, "Remote within Germany" for
 *   Europe), or no restriction at all ("Anywhere"). A remote job restricted elsewhere never matches
 *   ("Remote (US & Canada)" is not in Europe).
 * A posting located in P's country but not in P ("Buffalo, NY" for "in New York City") does not
 * match, nor does an onsite job in a place wider than P ("Germany" for "in Berlin").
 */
export function checkLocation(read: PreparedPosting, rulePlaces: readonly PreparedPlace[]): MatchCheck {
  const { posting } = read;
  const outcome = locationOutcome(read, rulePlaces);
  // "in New York or remote": the places, and remote work open to any of them, cities included.
  const orRemote = rulePlaces.some((p) => p.remote);
  const places = rulePlaces.filter((p) => !p.remote);
  const areas = orRemote ? places : places.filter((p) => !isCityRule(p));
  const wanted = rulePlaces.map((p) => p.text).join(' / ');
  const remote = posting.arrangement === 'remote';
  switch (outcome) {
    case 'any-remote':
      return pass('location', 'remote (any place)');
    case 'not-remote':
      return fail('location', 'not remote');
    case 'unrestricted':
      return pass('location', `location: ${areas.map((p) => p.text).join(' / ')} (remote, no region restriction)`);
    case 'elsewhere':
      break;
    default: {
      const detail = describePlace(read, outcome);
      return pass('location', orRemote && remote && !detail.startsWith('location:') ? `${detail} (or remote)` : detail);
    }
  }
  const where = read.places();
  const stated = [posting.location?.trim() || where.titleTexts.join('; ') || null, ...posting.remoteRegions].filter(Boolean);
  if (stated.length === 0) return fail('location', `location not stated, wanted ${wanted}`);
  if (remote && read.offices().length === 0 && areas.length < places.length) {
    const cities = places.filter(isCityRule).map((p) => p.text).join(' / ');
    return fail('location', `location: ${stated.join('; ')}, remote only, no office in ${cities}${areas.length > 0 ? ` and not open to ${areas.map((p) => p.text).join(' / ')}` : ''}`);
  }
  return fail('location', `location: ${stated.join('; ')}, not ${wanted}`);
}

/** Whether checkLocation() passes, without building its detail. */
export function locationPasses(read: PreparedPosting, rulePlaces: readonly PreparedPlace[]): boolean {
  const outcome = locationOutcome(read, rulePlaces);
  return outcome !== 'not-remote' && outcome !== 'elsewhere';
}

/**
 * How the location condition comes out, before it is put in words: the first rule place the job
 * can be done in, or why none is needed (any-remote, unrestricted: passes), or none (fails).
 * Allocates nothing: matching many rules calls it once per place list and posting.
 */
function locationOutcome(read: PreparedPosting, rulePlaces: readonly PreparedPlace[]): PlaceHit | 'any-remote' | 'not-remote' | 'unrestricted' | 'elsewhere' {
  const { posting } = read;
  const remote = posting.arrangement === 'remote';
  // "in New York or remote": the places, and remote work open to any of them, cities included.
  let orRemote = false;
  for (const place of rulePlaces) if (place.remote) orRemote = true;
  let places = 0;
  // With the "or remote" option every place is an area (remote work open to it counts); else the non-cities.
  let areas = 0;
  for (const place of rulePlaces) {
    if (place.remote) continue;
    places++;
    const city = isCityRule(place);
    if (orRemote || !city) areas++;
    const hit = read.placeHit(place, city && !orRemote);
    if (hit) return hit;
  }
  if (orRemote && places === 0) return remote ? 'any-remote' : 'not-remote';
  return remote && areas > 0 && posting.remoteRegions.length === 0 && read.unrestricted() ? 'unrestricted' : 'elsewhere';
}

/** A rule place that names a city (a metro, or words the gazetteer does not know) rather than an area. */
function isCityRule(place: PreparedPlace): boolean {
  return place.city;
}

// An alternative that is remote work ("Remote (US)", "Anywhere", "WFH"), not an office.
const REMOTE_ALTERNATIVE_RE = /\b(?:remote(?:ly)?|anywhere|world\s*wide|work\s+from\s+home|wfh|distributed|t[ée]l[ée]travail|home\s*office)\b/i;

/**
 * The office options of a remote job: the alternatives of "Denver, CO or Remote (US)" that are not
 * remote. When no alternative says remote, the place named is where the company is (its HQ, the
 * listing's city), not an office offered to this job: none.
 */
function officeOptions(where: PostingPlaces, location: string | null): readonly PlaceAlternative[] {
  const written = where.source === 'title' ? where.titleTexts.join('; ') : (location ?? '');
  if (!REMOTE_ALTERNATIVE_RE.test(written)) return [];
  return where.alternatives.filter((a) => !REMOTE_ALTERNATIVE_RE.test(a.text) && a.places.length + a.unknownWords.length > 0);
}

/** Where a rule place was found in a posting: the first office, remote region or remote alternative that relates to it. */
type PlaceHit = { place: PreparedPlace } & (
  | { kind: 'office'; alternative: PlaceAlternative; how: Relation }
  | { kind: 'region'; region: LocatedAlternative; how: Relation }
  | { kind: 'remote'; alternative: PlaceAlternative; how: Relation }
  | { kind: 'words' }
);
type Relation = 'same' | 'inside' | 'covers';

function findPlace(read: PreparedPosting, place: PreparedPlace, readings: readonly GeoPlace[], remote: boolean, city: boolean): PlaceHit | null {
  const where = read.places();
  // Where the job can be done in person: an office, or the place of a job whose arrangement is not remote.
  for (const alternative of read.offices()) {
    const how = relation(alternative.places, readings, false);
    if (how) return { place, kind: 'office', alternative, how };
  }
  // A city is a place to go to: remote work, wherever it is open, is not in it.
  if (!remote || city) return null;
  for (const region of where.regions) {
    const how = relation(region.places, readings, true);
    if (how) return { place, kind: 'region', region, how };
  }
  for (const alternative of where.alternatives) {
    const how = relation(alternative.places, readings, true);
    if (!how) continue;
    // "Worldwide" is said by the no-restriction reason, when nothing else restricts the job.
    if (alternative.places.every((p) => p.kind === 'world')) continue;
    return { place, kind: 'remote', alternative, how };
  }
  return null;
}

function describePlace(read: PreparedPosting, hit: PlaceHit): string {
  const wanted = hit.place.text;
  const where = read.places();
  const remote = read.posting.arrangement === 'remote';
  const fromTitle = where.source === 'title' ? ' (from the title)' : '';
  switch (hit.kind) {
    case 'office': {
      const shown = shownPlace(remote ? hit.alternative.text : hit.alternative.whole);
      const option = remote ? ' (office option of a remote job)' : '';
      if (hit.how === 'same') return `location: ${shown}${fold(shown) === fold(wanted) ? '' : ` = ${wanted}`}${option}${fromTitle}`;
      return `location: ${shown} ⊂ ${wanted}${option}${fromTitle}`;
    }
    case 'region':
      return `remote (${remotePlace(shownPlace(hit.region.text), hit.how, wanted)}`;
    case 'remote':
      return `remote (${remotePlace(shownPlace(hit.alternative.whole), hit.how, wanted)}${fromTitle}`;
    case 'words': {
      const location = read.inPersonLocation();
      return locationDetail(wanted, remote ? `${location}, office option of a remote job` : location);
    }
  }
}

/** "US) covers California", "Germany) ⊂ Europe", "US)" when it is the wanted place ("USA) = United States" when named otherwise). */
function remotePlace(shown: string, how: Relation, wanted: string): string {
  if (how === 'same') return fold(shown) === fold(wanted) ? `${shown})` : `${shown}) = ${wanted}`;
  return `${shown}) ${how === 'inside' ? '⊂' : 'covers'} ${wanted}`;
}

/** How posting places relate to the rule's: inside one ('same' when equal), or containing one (remote only). */
function relation(posting: readonly GeoPlace[], readings: readonly GeoPlace[], remote: boolean): Relation | null {
  for (const p of posting) {
    for (const r of readings) {
      if (p.id === r.id) return 'same';
      if (geoWithin(p, r)) return 'inside';
      if (remote && geoWithin(r, p)) return 'covers';
    }
  }
  return null;
}

/** A place the gazetteer does not know (a city, as rules write them): its words, as written, in the places the job can be done in person. */
function findWords(read: PreparedPosting, place: PreparedPlace): PlaceHit | null {
  return containsRun(read.inPersonTokens(), place.tokens) ? { place, kind: 'words' } : null;
}

function locationDetail(place: string, where: string | null): string {
  if (where === null || where.toLowerCase() === place.toLowerCase()) return `location: ${place}`;
  return `location: ${place} (${where})`;
}

// Reasons show the same few location texts over and over, and cleaning one runs a dozen regexes.
const shownPlaces = new Map<string, string>();
const SHOWN_PLACES_LIMIT = 4096;

/** "Remote (US)" -> "US", "Brooklyn, NY (Hybrid, 2 days/week)" -> "Brooklyn, NY": the place without arrangement words. */
function shownPlace(text: string): string {
  let shown = shownPlaces.get(text);
  if (shown === undefined) {
    shown = cleanPlace(text);
    if (shownPlaces.size >= SHOWN_PLACES_LIMIT) shownPlaces.clear();
    shownPlaces.set(text, shown);
  }
  return shown;
}

function cleanPlace(text: string): string {
  const shown = text
    .replace(/[([]([^()[\]]*)[)\]]/g, (group, inner: string) => (locatePlaces(inner).some((a) => a.places.length > 0) ? group : ' '))
    .replace(/\b(?:fully\s+|100%\s*)?(?:remote(?:ly)?|hybrid|on-?site|in[- ]office)\b(?:\s+in\b)?/gi, ' ')
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/^[\s,;:()[\]\-–—]+|[\s,;:([\-–—]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  const balanced = shown.startsWith('(') && shown.endsWith(')') ? shown.slice(1, -1).trim() : shown;
  // "NYC, 3 days/week" -> "NYC": comma parts that name nothing go too.
  const parts = balanced.split(',').filter((part) => locatePlaces(part).length > 0);
  return parts.join(',').trim() || balanced || text.trim();
}

function fold(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** A remote posting open everywhere: its location names no place but the whole world, or only says "Remote". */
function isUnrestrictedPlaces(where: PostingPlaces, location: string | null): boolean {
  if (where.source === null) return isUnrestricted(location);
  return where.alternatives.every((a) => a.unknownWords.length === 0 && a.places.length > 0 && a.places.every((p) => p.kind === 'world'));
}

function isUnrestricted(location: string | null): boolean {
  if (location === null) return true;
  return tokenize(location).every((t) => UNRESTRICTED_WORDS.has(t));
}

/** The exclude condition: the first excluded word found in the title, company or description. */
export function checkExclude(posting: Posting, words: readonly string[], pattern: RegExp): MatchCheck {
  const fields: Array<[string, string | null]> = [
    ['title', posting.title],
    ['company', posting.company],
    ['description', posting.description],
  ];
  for (const [field, text] of fields) {
    const found = text === null ? null : pattern.exec(text);
    if (found) return fail('exclude', `exclude: "${found[0]}" in ${field}`);
  }
  return excludedNone(words);
}

function excludedNone(words: readonly string[]): MatchCheck {
  return pass('exclude', `exclude: none of ${words.join(', ')}`);
}

/** The companies_exclude condition. */
export function checkCompany(read: PreparedPosting, excluded: ReadonlySet<string>): MatchCheck {
  const { company } = read.posting;
  const key = read.companyKey();
  if (company === null || key === null) return pass('company', 'company not stated');
  if (excluded.has(key)) return fail('company', `company: ${company} is excluded`);
  return pass('company', `company: ${company} not excluded`);
}

/** The max_age condition; the same for every rule. */
export function checkAge(published: Date | null, ctx: MatchContext): MatchCheck {
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
