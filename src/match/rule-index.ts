/**
 * Matching a posting against many rules without trying each one (issue 9): the same matches, checks
 * and reasons as matchPosting() + reasonsOf() over every rule, in rule order.
 *
 * - Candidates come from an index. A rule with a title condition is filed under each of its title
 *   phrases' two rarest-looking words (a pair; one word for a one-word phrase or one with a quoted
 *   term): a title that matches a phrase contains all of its words, so it contains those. A rule
 *   without a title is filed by work arrangement, else by salary floor (its currency, sorted by
 *   amount), else in a list tried for every posting. Every key is a
 *   condition the rule cannot pass without, so the candidates always include every match; the index
 *   only saves work, it never decides.
 * - The posting is read once (PreparedPosting: its title words, levels, company key and, when an
 *   exclusion needs it, the words of its text), and the max_age check, which every rule shares, is
 *   made once: a posting too old matches nothing.
 * - Each distinct condition (a title phrase list, a salary floor, a place list...) is checked once
 *   per posting, whatever number of rules share it, by the very check functions matchPosting uses;
 *   a candidate stops at its first failed condition. Reasons are built only for matches, once per
 *   distinct set of displayed conditions.
 * - The location condition, the costliest, is answered once per place list and "where" (the few
 *   fields it reads, see whereKey), across postings: feeds repeat their locations.
 */
import type { Arrangement, MatchCheck, MatchResult, Posting } from '../core/types.js';
import { prepareMatchers, type CompiledRule, type PreparedMatchers, type PreparedPlace } from './compile-rule.js';
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
/** Conditions a rule may have (tryOrder's stride). */
const TRIED = 7;
/** "Where"s whose location answers are kept; past it they are dropped and found again. */
const WHERE_LIMIT = 4096;
const UNKNOWN = 0;
const FAILED = 1;
const PASSED = 2;

/** The location answers for one "where" (see whereKey), by place-list slot. */
interface WhereAnswers {
  passed: Uint8Array;
  checks: Array<MatchCheck | undefined>;
}

interface Entry {
  rule: CompiledRule;
  // Condition ids (NONE when the rule has no such condition), in the order a candidate tries them
  // (tryOrder): the cheap and most selective first.
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

  // Title words as numbers: a posting marks the words its title has (titleWordIn), and a phrase of
  // plain words is then a few array reads (matchingPhrase on a title, without following pointers
  // through 10,000 rules' objects). Phrases with a quoted term keep matchingPhrase.
  const titleWordIds = new Map<string, number>();
  const titleWordId = (word: string): number => titleWordIds.get(word) ?? titleWordIds.set(word, titleWordIds.size).get(word)!;
  let titleWordIn = new Uint32Array(0);
  let titleGeneration = 0;
  const titlePasses = (phrases: TitleTerm[][]): Fast => {
    if (phrases.some((phrase) => phrase.some((term) => term.exact))) return (read) => matchingPhrase(phrases, read.titleTokens) !== null;
    // [word count, ids..., word count, ids...]: every word of one phrase present is a match.
    const packed = Int32Array.from(phrases.flatMap((phrase) => {
      const ids = [...new Set(phrase.flatMap((term) => term.tokens))].map(titleWordId);
      return [ids.length, ...ids];
    }));
    return () => {
      for (let k = 0; k < packed.length; ) {
        const end = k + 1 + packed[k]!;
        let all = true;
        for (let j = k + 1; j < end; j++) {
          if (titleWordIn[packed[j]!] !== titleGeneration) {
            all = false;
            break;
          }
        }
        if (all) return true;
        k = end;
      }
      return false;
    };
  };

  // One object per place name, so a posting finds each place once whatever the rules naming it
  // (PreparedPosting.placeHit keeps answers per place object); prepareMatchers reads a name alone.
  const placeByText = new Map<string, PreparedPlace>();
  const sharedPlaces = (places: readonly PreparedPlace[]): PreparedPlace[] =>
    places.map((p) => placeByText.get(p.text) ?? placeByText.set(p.text, p).get(p.text)!);

  // The location condition reads only where a posting is (whereKey), and postings repeat that far
  // more than they repeat anything else: its answers are kept per "where" and place list, across
  // postings. Each place list has a slot in every "where"'s answers.
  const whereAnswers = new Map<string, WhereAnswers>();
  let whereSlots = 0;
  let answersRead: PreparedPosting | null = null;
  let answers: WhereAnswers | null = null;
  const answersFor = (read: PreparedPosting): WhereAnswers => {
    if (read !== answersRead) {
      const key = whereKey(read);
      let found = whereAnswers.get(key);
      if (found === undefined) {
        if (whereAnswers.size >= WHERE_LIMIT) whereAnswers.clear();
        found = { passed: new Uint8Array(whereSlots), checks: new Array<MatchCheck | undefined>(whereSlots) };
        whereAnswers.set(key, found);
      }
      answersRead = read;
      answers = found;
    }
    return answers!;
  };
  const locationCondition = (key: string, places: readonly PreparedPlace[]): number => {
    const known = conditionIds.get(key);
    if (known !== undefined) return known;
    const slot = whereSlots++;
    return condition(
      key,
      (read) => {
        const kept = (answersFor(read).checks[slot] ??= checkLocation(read, places));
        // A check of its own per posting, as matchPosting gives.
        return { name: kept.name, passed: kept.passed, detail: kept.detail };
      },
      (read) => {
        const a = answersFor(read);
        if (a.passed[slot] === UNKNOWN) {
          const kept = a.checks[slot];
          a.passed[slot] = (kept ? kept.passed : locationPasses(read, places)) ? PASSED : FAILED;
        }
        return a.passed[slot] === PASSED;
      },
    );
  };

  const entries: Entry[] = rules.map((rule) => {
    const prepared: PreparedMatchers = rule.prepared ?? prepareMatchers(rule);
    const places = sharedPlaces(prepared.places);
    const { titleAny, seniority, arrangements, salaryMin, locations } = rule;
    const includeUnknown = rule.includeUnknownSalary;
    const entry: Entry = {
      rule,
      title: titleAny ? condition(`t${JSON.stringify(titleAny)}`, (read) => checkTitle(read, titleAny), titlePasses(titleAny)) : NONE,
      seniority: seniority ? condition(`s${seniority.join()}`, (read) => checkSeniority(read, seniority)) : NONE,
      arrangement: arrangements ? condition(`a${arrangements.join()}`, (read) => checkArrangement(read.posting, arrangements)) : NONE,
      salary: salaryMin
        ? condition(
            `$${salaryMin.amount} ${salaryMin.currency} ${includeUnknown}`,
            (read, ctx) => checkSalary(read, salaryMin, includeUnknown, ctx.exchangeRates),
            (read, ctx) => salaryPasses(read.posting, salaryMin, includeUnknown, ctx.exchangeRates),
          )
        : NONE,
      location: locations ? locationCondition(`l${JSON.stringify(locations)}`, places) : NONE,
      exclude: prepared.excludePattern ? condition(`x${JSON.stringify(rule.exclude)}`, (read) => checkExcludeFast(read, rule.exclude, prepared)) : NONE,
      company: prepared.companies.size > 0 ? condition(`c${JSON.stringify([...prepared.companies].sort())}`, (read) => checkCompany(read, prepared.companies)) : NONE,
      signature: 0,
    };
    const shown = `${entry.title} ${entry.seniority} ${entry.arrangement} ${entry.salary} ${entry.location}`;
    entry.signature = signatures.get(shown) ?? signatures.set(shown, signatures.size).get(shown)!;
    return entry;
  });

  // Each rule's conditions in the order a candidate tries them, flat, so the loop over candidates
  // reads one small array rather than an object per rule.
  const tryOrder = new Int32Array(entries.length * TRIED);
  entries.forEach((e, id) => tryOrder.set([e.arrangement, e.salary, e.seniority, e.title, e.company, e.location, e.exclude], id * TRIED));

  // Filing: each rule under the one kind of key it cannot match without (see the module comment).
  // A phrase of two plain words or more goes under its two rarest (by word id, lower id first): a
  // title has both when it matches, and far fewer titles have both than either ("payments" and
  // "engineer" rather than every payments job).
  const byWordPair = new Map<number, Map<number, number[]>>();
  const byCanonWord = new Map<string, number[]>();
  const byRawWord = new Map<string, number[]>();
  const byArrangement = new Map<Arrangement, number[]>();
  const bySalary = new Map<string, { amounts: number[]; ids: number[] }>();
  const always: number[] = [];
  const counts = { byTitleWord: 0, byArrangement: 0, bySalary: 0, always: 0 };
  const file = <K,>(map: Map<K, number[]>, key: K, id: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  };
  const salaryFiled: Array<{ currency: string; amount: number; id: number }> = [];
  // Per title condition (rules sharing a title list share its keys): a word pair as ids, or a word.
  type TitleKey = { lo: number; hi: number } | { word: string; exact: boolean };
  const titleKeys = new Map<number, TitleKey[] | null>();
  const titleKeysOf = (condition: number, phrases: readonly TitleTerm[][]): TitleKey[] | null => {
    let keys = titleKeys.get(condition);
    if (keys === undefined) {
      keys = phrases.length === 0 ? null : [];
      for (const phrase of phrases) {
        const pair = phrasePair(phrase);
        if (pair !== null) {
          const [x, y] = [titleWordId(pair[0]), titleWordId(pair[1])];
          keys!.push({ lo: Math.min(x, y), hi: Math.max(x, y) });
          continue;
        }
        const key = phraseKey(phrase);
        if (key === null) {
          keys = null;
          break;
        }
        keys!.push(key);
      }
      titleKeys.set(condition, keys);
    }
    return keys;
  };
  entries.forEach(({ rule, title }, id) => {
    const keys = rule.titleAny ? titleKeysOf(title, rule.titleAny) : null;
    if (keys) {
      for (const key of keys) {
        if ('word' in key) file(key.exact ? byRawWord : byCanonWord, key.word, id);
        else file(byWordPair.get(key.lo) ?? byWordPair.set(key.lo, new Map()).get(key.lo)!, key.hi, id);
      }
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
  titleWordIn = new Uint32Array(titleWordIds.size);
  salaryFiled.sort((x, y) => x.amount - y.amount || x.id - y.id);
  for (const { currency, amount, id } of salaryFiled) {
    const group = bySalary.get(currency) ?? bySalary.set(currency, { amounts: [], ids: [] }).get(currency)!;
    group.amounts.push(amount);
    group.ids.push(id);
  }

  const scratch = new Scratch(full, fast, signatures.size, entries.length);
  const bySalaryGroups = [...bySalary];
  let tried = 0;

  function match(posting: Posting, ctx: MatchContext): IndexedMatch[] {
    tried = 0;
    const age = checkAge(posting.published, ctx);
    if (!age.passed) return [];
    const read = new PreparedPosting(posting);
    const now = scratch.begin(read, ctx);

    const { candidateIn, candidates, matched } = scratch;
    let count = 0;
    const lists: Array<readonly number[] | undefined> = [];
    if (titleGeneration === 0xffffffff) {
      titleWordIn.fill(0);
      titleGeneration = 0;
    }
    titleGeneration++;
    // This title's words that some rule names, for the pairs.
    const known: number[] = [];
    for (const word of read.titleTokens.canon) {
      const id = titleWordIds.get(word);
      if (id !== undefined) {
        titleWordIn[id] = titleGeneration;
        known.push(id);
      }
      if (byCanonWord.size > 0) lists.push(byCanonWord.get(word));
    }
    if (byWordPair.size > 0) {
      known.sort((x, y) => x - y);
      for (let a = 0; a < known.length; a++) {
        const byHigher = byWordPair.get(known[a]!);
        if (byHigher === undefined) continue;
        for (let b = a + 1; b < known.length; b++) lists.push(byHigher.get(known[b]!));
      }
    }
    if (byRawWord.size > 0) for (const word of read.titleTokens.raw) lists.push(byRawWord.get(word));
    lists.push(byArrangement.get(posting.arrangement));
    for (const [currency, group] of bySalaryGroups) {
      const value = salaryIn(posting, currency, ctx.exchangeRates);
      if (value === null) continue;
      // Floors up to the posting's pay: the ones the salary check can pass.
      const upTo = upperBound(group.amounts, value);
      if (upTo > 0) lists.push(upTo === group.ids.length ? group.ids : group.ids.slice(0, upTo));
    }
    lists.push(always);
    for (const list of lists) {
      if (list === undefined) continue;
      for (const id of list) {
        if (candidateIn[id] === now) continue;
        candidateIn[id] = now;
        candidates[count++] = id;
      }
    }
    tried = count;

    let found = 0;
    candidate: for (let k = 0; k < count; k++) {
      const id = candidates[k]!;
      for (let j = id * TRIED, end = j + TRIED; j < end; j++) {
        const c = tryOrder[j]!;
        if (c !== NONE && !scratch.passes(c)) continue candidate;
      }
      matched[found++] = id;
    }
    // Rule order (a typed array sorts numerically, and fast).
    const order = matched.subarray(0, found).sort();

    const matches: IndexedMatch[] = [];
    for (const id of order) {
      const e = entries[id]!;
      // matchPosting's display order.
      const list: MatchCheck[] = [];
      if (e.title !== NONE) list.push(scratch.checkOf(e.title));
      if (e.seniority !== NONE) list.push(scratch.checkOf(e.seniority));
      if (e.arrangement !== NONE) list.push(scratch.checkOf(e.arrangement));
      if (e.salary !== NONE) list.push(scratch.checkOf(e.salary));
      if (e.location !== NONE) list.push(scratch.checkOf(e.location));
      if (e.exclude !== NONE) list.push(scratch.checkOf(e.exclude));
      if (e.company !== NONE) list.push(scratch.checkOf(e.company));
      list.push(age);
      const result: MatchResult = { matched: true, checks: list };
      matches.push({ rule: e.rule, result, reasons: scratch.reasons(e.signature, result) });
    }
    scratch.end();
    answersRead = null;
    answers = null;
    return matches;
  }

  return {
    match,
    lastCandidates: () => tried,
    stats: () => ({ rules: entries.length, ...counts, conditions: full.length }),
  };
}

/**
 * The state of one match() call, reused from call to call: a generation number tells this call's
 * entries apart, so nothing is cleared between postings.
 */
class Scratch {
  readonly candidateIn: Uint32Array;
  /** This call's candidates, then the ones that matched (rule ids). */
  readonly candidates: Int32Array;
  readonly matched: Int32Array;
  private readonly checkedIn: Uint32Array;
  private readonly passed: Uint8Array;
  private readonly checks: Array<MatchCheck | undefined>;
  /** The conditions with a check this call (so end() clears those, not all 3,000 slots). */
  private readonly kept: Int32Array;
  private keptCount = 0;
  private readonly reasonsIn: Uint32Array;
  private readonly reasonsOfSignature: Array<string[] | undefined>;
  private generation = 0;
  private read: PreparedPosting | null = null;
  private ctx: MatchContext | null = null;

  constructor(
    private readonly full: readonly Full[],
    private readonly fast: ReadonlyArray<Fast | null>,
    signatures: number,
    rules: number,
  ) {
    this.checkedIn = new Uint32Array(full.length);
    this.passed = new Uint8Array(full.length);
    this.checks = new Array<MatchCheck | undefined>(full.length);
    this.kept = new Int32Array(full.length);
    this.reasonsIn = new Uint32Array(signatures);
    this.reasonsOfSignature = new Array<string[] | undefined>(signatures);
    this.candidateIn = new Uint32Array(rules);
    this.candidates = new Int32Array(rules);
    this.matched = new Int32Array(rules);
  }

  /** Starts a match() call; returns its generation. */
  begin(read: PreparedPosting, ctx: MatchContext): number {
    if (this.generation === 0xffffffff) {
      this.checkedIn.fill(0);
      this.reasonsIn.fill(0);
      this.candidateIn.fill(0);
      this.generation = 0;
    }
    this.read = read;
    this.ctx = ctx;
    return ++this.generation;
  }

  /** Lets go of the posting, so it is not kept alive until the next call. */
  end(): void {
    this.read = null;
    this.ctx = null;
    for (let k = 0; k < this.keptCount; k++) this.checks[this.kept[k]!] = undefined;
    this.keptCount = 0;
  }

  /** Whether condition `id` passes for this call's posting; checked once per call. */
  passes(id: number): boolean {
    if (this.checkedIn[id] !== this.generation) {
      this.checkedIn[id] = this.generation;
      const quick = this.fast[id];
      if (quick) {
        this.passed[id] = quick(this.read!, this.ctx!) ? 1 : 0;
      } else {
        const check = this.full[id]!(this.read!, this.ctx!);
        this.checks[id] = check;
        this.kept[this.keptCount++] = id;
        this.passed[id] = check.passed ? 1 : 0;
      }
    }
    return this.passed[id] === 1;
  }

  /** Condition `id`'s check, as matchPosting words it; passes(id) was called in this call. */
  checkOf(id: number): MatchCheck {
    let check = this.checks[id];
    if (check === undefined) {
      check = this.full[id]!(this.read!, this.ctx!);
      this.checks[id] = check;
      this.kept[this.keptCount++] = id;
    }
    return check;
  }

  /** reasonsOf(result), once per call and signature. */
  reasons(signature: number, result: MatchResult): string[] {
    if (this.reasonsIn[signature] !== this.generation) {
      this.reasonsIn[signature] = this.generation;
      this.reasonsOfSignature[signature] = reasonsOf(result);
    }
    return this.reasonsOfSignature[signature]!;
  }
}

/**
 * Everything the location condition reads of a posting (checkLocation, locationPasses): its
 * arrangement, location and remote regions, and its title and company when the location names no
 * place and postingPlaces falls back on the title.
 */
function whereKey(read: PreparedPosting): string {
  const { arrangement, location, remoteRegions, title, company } = read.posting;
  return read.places().source === 'location'
    ? JSON.stringify([arrangement, location, remoteRegions])
    : JSON.stringify([arrangement, location, remoteRegions, title, company]);
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

/**
 * The two rarest-looking words (phraseKey's order) of a phrase of plain words with two distinct
 * words or more, which a title has whenever it matches the phrase; null otherwise (a quoted term's
 * words are matched as written, so such a phrase keeps one word as its key).
 */
function phrasePair(phrase: readonly TitleTerm[]): [string, string] | null {
  if (phrase.some((term) => term.exact)) return null;
  const words = [...new Set(phrase.flatMap((term) => term.tokens))];
  if (words.length < 2) return null;
  const score = (word: string): number => (COMMONNESS.get(word) ?? 0) * 1000 - word.length;
  words.sort((x, y) => score(x) - score(y));
  return [words[0]!, words[1]!];
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
