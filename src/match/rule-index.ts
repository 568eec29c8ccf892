/**
 * Matching a posting against many rules without trying each one (issue 9): the same matches, checks
 * and reasons as matchPosting() + reasonsOf() over every rule, in rule order.
 *
 * - Candidates come from an index. A rule with a title condition is filed under one word of each of
 *   its title phrases (the rarest-looking): a title that matches a phrase contains all of its words,
 *   so it contains that one. A rule without a title is filed by work arrangement, else by salary
 *   floor (its currency, sorted by amount), else in a list tried for every posting. Every key is a
 *   condition the rule cannot pass without, so the candidates always include every match; the index
 *   only saves work, it never decides.
 * - The posting is read once (PreparedPosting: its title words, levels, company key and, when an
 *   exclusion needs it, the words of its text), and the max_age check, which every rule shares, is
 *   made once: a posting too old matches nothing.
 * - Each distinct condition (a title phrase list, a salary floor, a place list...) is checked once
 *   per posting, whatever number of rules share it, by the very check functions matchPosting uses;
 *   a candidate stops at its first failed condition. Reasons are built only for matches, once per
 *   distinct set of displayed conditions.
 */
import type { Arrangement, MatchCheck, MatchResult, Posting } from '../core/types.js';
import { prepareMatchers, type CompiledRule, type PreparedMatchers } from './compile-rule.js';
import {
  PreparedPosting,
  checkAge,
  checkArrangement,
  checkCompany,
  checkExcludeFast,
  checkLocation,
  locationPasses,
  checkSalary,
  checkSeniority,
  checkTitle,
  matchingPhrase,
  reasonsOf,
  salaryIn,
  salaryPasses,
  type MatchContext,
} from './match-posting.js';
import type { TitleTerm } from './title-terms.js';

/** One rule that matched, with what matchPosting and reasonsOf say of it. */
export interface IndexedMatch {
  rule: CompiledRule;
  result: MatchResult;
  /** reasonsOf(result); matches with the same displayed conditions share one array: do not mutate it. */
  reasons: string[];
}

/** How the rules were filed, for benchmarks and tests. */
export interface RuleIndexStats {
  rules: number;
  byTitleWord: number;
  byArrangement: number;
  bySalary: number;
  always: number;
  /** Distinct conditions, each checked at most once per posting. */
  conditions: number;
}

/** Rules indexed for matching; build once per rule set, then match each posting. */
export interface RuleIndex {
  /** The rules that match the posting, in rule order; the same results as matchPosting() on each rule. */
  match(posting: Posting, ctx: MatchContext): IndexedMatch[];
  /** Candidates tried for the last match() call (how much work the index saved). */
  lastCandidates(): number;
  stats(): RuleIndexStats;
}

const NONE = -1;

interface Entry {
  rule: CompiledRule;
  // Condition ids (NONE when the rule has no such condition), in the order a candidate is tried:
  // the cheap and most selective first.
  arrangement: number;
  salary: number;
  seniority: number;
  title: number;
  company: number;
  location: number;
  exclude: number;
  /** The displayed conditions (title, seniority, remote, salary, location): matches with the same share reasons. */
  signature: number;
}

type Full = (read: PreparedPosting, ctx: MatchContext) => MatchCheck;
type Fast = (read: PreparedPosting, ctx: MatchContext) => boolean;

// Title words most titles have: a rule is filed under another word of its phrase when it has one.
// Earlier = more common. Canonical forms (singular, abbreviations expanded).
const COMMON_TITLE_WORDS: readonly string[] = [
  'engineer', 'senior', 'developer', 'manager', 'software', 'data', 'lead', 'staff', 'analyst', 'specialist',
  'engineering', 'product', 'associate', 'director', 'full', 'stack', 'end', 'front', 'back', 'principal', 'junior',
  'sales', 'consultant', 'technical', 'head', 'operations', 'marketing', 'designer', 'architect', 'scientist',
  'support', 'intern', 'remote', 'platform', 'machine', 'learning', 'ii', 'iii', 'i', 'customer', 'business',
  'account', 'executive', 'representative', 'coordinator', 'assistant', 'development', 'program', 'project', 'design',
  'science', 'research', 'systems', 'security', 'infrastructure', 'cloud', 'mobile', 'web', 'team', 'mid', 'level',
];
const COMMONNESS: ReadonlyMap<string, number> = new Map(COMMON_TITLE_WORDS.map((w, i) => [w, COMMON_TITLE_WORDS.length - i]));

/** Indexes compiled rules (in config order: matches come back in that order). */
export function createRuleIndex(rules: readonly CompiledRule[]): RuleIndex {
  const full: Full[] = [];
  const fast: Array<Fast | null> = [];
  const conditionIds = new Map<string, number>();
  const condition = (key: string, check: Full, quick: Fast | null = null): number => {
    let id = conditionIds.get(key);
    if (id === undefined) {
      id = full.length;
      conditionIds.set(key, id);
      full.push(check);
      fast.push(quick);
    }
    return id;
  };
  const signatures = new Map<string, number>();

  const entries: Entry[] = rules.map((rule) => {
    const prepared: PreparedMatchers = rule.prepared ?? prepareMatchers(rule);
    const { titleAny, seniority, arrangements, salaryMin, locations } = rule;
    const includeUnknown = rule.includeUnknownSalary;
    const entry: Entry = {
      rule,
      title: titleAny ? condition(`t${JSON.stringify(titleAny)}`, (read) => checkTitle(read, titleAny), (read) => matchingPhrase(titleAny, read.titleTokens) !== null) : NONE,
      seniority: seniority ? condition(`s${seniority.join()}`, (read) => checkSeniority(read, seniority)) : NONE,
      arrangement: arrangements ? condition(`a${arrangements.join()}`, (read) => checkArrangement(read.posting, arrangements)) : NONE,
      salary: salaryMin
        ? condition(
            `$${salaryMin.amount} ${salaryMin.currency} ${includeUnknown}`,
            (read, ctx) => checkSalary(read.posting, salaryMin, includeUnknown, ctx.exchangeRates),
            (read, ctx) => salaryPasses(read.posting, salaryMin, includeUnknown, ctx.exchangeRates),
          )
        : NONE,
      location: locations ? condition(`l${JSON.stringify(locations)}`, (read) => checkLocation(read, prepared.places), (read) => locationPasses(read, prepared.places)) : NONE,
      exclude: prepared.excludePattern ? condition(`x${JSON.stringify(rule.exclude)}`, (read) => checkExcludeFast(read, rule.exclude, prepared)) : NONE,
      company: prepared.companies.size > 0 ? condition(`c${JSON.stringify([...prepared.companies].sort())}`, (read) => checkCompany(read, prepared.companies)) : NONE,
      signature: 0,
    };
    const shown = `${entry.title} ${entry.seniority} ${entry.arrangement} ${entry.salary} ${entry.location}`;
    entry.signature = signatures.get(shown) ?? signatures.set(shown, signatures.size).get(shown)!;
    return entry;
  });

  // Filing: each rule under the one kind of key it cannot match without (see the module comment).
  const byCanonWord = new Map<string, number[]>();
  const byRawWord = new Map<string, number[]>();
  const byArrangement = new Map<Arrangement, number[]>();
  const bySalary = new Map<string, { amounts: number[]; ids: number[] }>();
  const always: number[] = [];
  const counts = { byTitleWord: 0, byArrangement: 0, bySalary: 0, always: 0 };
  const file = <K>(map: Map<K, number[]>, key: K, id: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  const salaryFiled: Array<{ currency: string; amount: number; id: number }> = [];
  entries.forEach(({ rule }, id) => {
    const keys = rule.titleAny && rule.titleAny.length > 0 ? rule.titleAny.map(phraseKey) : null;
    if (keys && keys.every((k) => k !== null)) {
      for (const key of keys) file(key!.exact ? byRawWord : byCanonWord, key!.word, id);
      counts.byTitleWord++;
    } else if (rule.arrangements) {
      for (const a of rule.arrangements) file(byArrangement, a, id);
      counts.byArrangement++;
    } else if (rule.salaryMin && !rule.includeUnknownSalary) {
      salaryFiled.push({ currency: rule.salaryMin.currency, amount: rule.salaryMin.amount, id });
      counts.bySalary++;
    } else {
      always.push(id);
      counts.always++;
    }
  });
  salaryFiled.sort((x, y) => x.amount - y.amount || x.id - y.id);
  for (const { currency, amount, id } of salaryFiled) {
    const group = bySalary.get(currency) ?? bySalary.set(currency, { amounts: [], ids: [] }).get(currency)!;
    group.amounts.push(amount);
    group.ids.push(id);
  }

  // Scratch state of one match() call, reused: a generation number tells this call's entries apart.
  const n = full.length;
  const checkedIn = new Uint32Array(n);
  const passed = new Uint8Array(n);
  const checks: Array<MatchCheck | undefined> = new Array<MatchCheck | undefined>(n);
  const reasonsIn = new Uint32Array(signatures.size);
  const reasonsOfSignature: Array<string[] | undefined> = new Array<string[] | undefined>(signatures.size);
  const candidateIn = new Uint32Array(entries.length);
  let generation = 0;
  let tried = 0;

  function match(posting: Posting, ctx: MatchContext): IndexedMatch[] {
    if (generation === 0xffffffff) {
      checkedIn.fill(0);
      reasonsIn.fill(0);
      candidateIn.fill(0);
      generation = 0;
    }
    const now = ++generation;
    tried = 0;
    const age = checkAge(posting.published, ctx);
    if (!age.passed) return [];
    const read = new PreparedPosting(posting);

    const candidates: number[] = [];
    const add = (list: readonly number[] | undefined): void => {
      if (list === undefined) return;
      for (const id of list) {
        if (candidateIn[id] === now) continue;
        candidateIn[id] = now;
        candidates.push(id);
      }
    };
    if (byCanonWord.size > 0) for (const word of read.titleTokens.canon) add(byCanonWord.get(word));
    if (byRawWord.size > 0) for (const word of new Set(read.titleTokens.raw)) add(byRawWord.get(word));
    add(byArrangement.get(posting.arrangement));
    for (const [currency, group] of bySalary) {
      const value = salaryIn(posting, currency, ctx.exchangeRates);
      if (value === null) continue;
      // Floors up to the posting's pay: the ones the salary check can pass.
      const upTo = upperBound(group.amounts, value);
      if (upTo > 0) add(upTo === group.ids.length ? group.ids : group.ids.slice(0, upTo));
    }
    add(always);
    candidates.sort((x, y) => x - y);
    tried = candidates.length;

    const passes = (id: number): boolean => {
      if (checkedIn[id] !== now) {
        checkedIn[id] = now;
        const quick = fast[id];
        if (quick) {
          checks[id] = undefined;
          passed[id] = quick(read, ctx) ? 1 : 0;
        } else {
          const check = full[id]!(read, ctx);
          checks[id] = check;
          passed[id] = check.passed ? 1 : 0;
        }
      }
      return passed[id] === 1;
    };
    const checkOf = (id: number): MatchCheck => (checks[id] ??= full[id]!(read, ctx));

    const matches: IndexedMatch[] = [];
    for (const id of candidates) {
      const e = entries[id]!;
      if (e.arrangement !== NONE && !passes(e.arrangement)) continue;
      if (e.salary !== NONE && !passes(e.salary)) continue;
      if (e.seniority !== NONE && !passes(e.seniority)) continue;
      if (e.title !== NONE && !passes(e.title)) continue;
      if (e.company !== NONE && !passes(e.company)) continue;
      if (e.location !== NONE && !passes(e.location)) continue;
      if (e.exclude !== NONE && !passes(e.exclude)) continue;
      // matchPosting's display order.
      const list: MatchCheck[] = [];
      if (e.title !== NONE) list.push(checkOf(e.title));
      if (e.seniority !== NONE) list.push(checkOf(e.seniority));
      if (e.arrangement !== NONE) list.push(checkOf(e.arrangement));
      if (e.salary !== NONE) list.push(checkOf(e.salary));
      if (e.location !== NONE) list.push(checkOf(e.location));
      if (e.exclude !== NONE) list.push(checkOf(e.exclude));
      if (e.company !== NONE) list.push(checkOf(e.company));
      list.push(age);
      const result: MatchResult = { matched: true, checks: list };
      if (reasonsIn[e.signature] !== now) {
        reasonsIn[e.signature] = now;
        reasonsOfSignature[e.signature] = reasonsOf(result);
      }
      matches.push({ rule: e.rule, result, reasons: reasonsOfSignature[e.signature]! });
    }
    return matches;
  }

  return {
    match,
    lastCandidates: () => tried,
    stats: () => ({ rules: entries.length, ...counts, conditions: n }),
  };
}

/**
 * The word a title must contain for the phrase to match: one of its terms' words, the rarest-looking
 * (not a common title word, else the least common; then the longest). A quoted term's words are
 * matched as written (raw title words); others in canonical form. Null for a phrase without words.
 */
function phraseKey(phrase: readonly TitleTerm[]): { word: string; exact: boolean } | null {
  let best: { word: string; exact: boolean; score: number } | null = null;
  for (const term of phrase) {
    for (const word of term.tokens) {
      const score = (COMMONNESS.get(word) ?? 0) * 1000 - word.length;
      if (!best || score < best.score) best = { word, exact: term.exact, score };
    }
  }
  return best && { word: best.word, exact: best.exact };
}

/** How many sorted values are <= value. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
