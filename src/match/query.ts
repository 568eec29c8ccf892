/**
 * The query language: "remote senior ML engineer >= $130k" -> its structured twin
 * ({ remote: true, seniority: ['senior'], title: ['ML engineer'], salary_min: 130000, currency: 'USD' }).
 *
 * A query is read left to right, one token at a time:
 * - work arrangement: remote, hybrid, onsite / on-site / on site / in-office, wfh; "not remote" or
 *   "-remote" rules one out;
 * - level: intern, junior / jr, mid, senior / sr / snr, staff, principal, any level with "+" ("senior+"),
 *   "X or Y"; lead, manager and director are levels only in such a list ("lead or staff"), otherwise
 *   they are role words because they are usually part of a title (tech lead, product manager);
 * - salary: ">= $130k", "≥ $130k", "> 130k", "$130k+", "over 130k", "above", "min 120k", "minimum",
 *   "at least 130,000 USD", a bare "$150k"; "/hour", "per hour", "hourly" annualize (x2080, day x260, ...);
 * - a place written without "in" ("remote US", "data scientist NYC", "ML engineer New York") is a
 *   place too, when it is not a title word (see placeRunAt);
 * - a currency and period after an amount ("130k USD/year"); elsewhere ("ML engineer USD/year") reported;
 * - "in <place>": the words up to the next keyword; "in US, Canada" / "in US or Canada" list places;
 *   "in Berlin or remote" / "remote or in Berlin" adds "remote" to the places (location: [Berlin,
 *   remote]): the jobs in Berlin (offices, hybrid, the city option of "Berlin or Remote") and the
 *   remote jobs open to Berlin; not the arrangement "remote", which would drop the office jobs;
 * - exclusions: "-crypto", "no crypto", "not crypto", "excluding crypto, web3", "without", "except";
 * - filler words (any, role, job, position, paying, with, for, a, an, ...) are ignored;
 * - every other word is a role word; together they form one title phrase, "or" between role words
 *   starts another ("data scientist or ML engineer"). A "quoted phrase" is matched as written.
 * Anything else is reported, naming the word, never silently dropped; a role word that no job title
 * uses ("blorf") is named as a warning by title-typos.ts.
 */
import type { RuleConfig } from '../config/schema.js';
import { SENIORITY_LEVELS } from '../core/types.js';
import { mayBePlaceWord, resolvePlaceName } from '../places/places.js';
import { CURRENCY_SYMBOLS, DEFAULT_EXCHANGE_RATES } from './currency.js';
import { FILLER_WORDS } from './title-terms.js';
import { isTitleWord } from './title-vocabulary.js';
import { REMOTE_PLACE } from './remote-place.js';

type WorkArrangement = 'remote' | 'hybrid' | 'onsite';

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'op'; text: string }
  | { kind: 'comma'; text: string }
  | { kind: 'minus'; text: string };

type WordClass =
  | 'arrangement'
  | 'level'
  | 'context-level'
  | 'or'
  | 'in'
  | 'exclude'
  | 'salary'
  | 'money'
  | 'filler'
  | 'role'
  | 'pay-unit'
  | 'invalid';

interface Money {
  /** Annual amount. */
  amount: number;
  currency: string | null;
  /** Whether it reads as pay even without an operator: "$150k", "150k", "130,000 USD", "150k+". */
  looksLikePay: boolean;
  /** Tokens consumed, for messages. */
  text: string;
  /** Index after the amount. */
  end: number;
  /** Set when the amount is implausible as stated. */
  warning: string | null;
}

interface State {
  tokens: Token[];
  i: number;
  levels: string[];
  arrangements: WorkArrangement[];
  notArrangements: WorkArrangement[];
  phrases: string[][];
  salary: Money | null;
  places: string[];
  exclude: string[];
  issues: string[];
  /** What the last meaningful token was, so "or" knows what it joins. */
  last: 'level' | 'arrangement' | 'role' | 'other' | null;
}

const ARRANGEMENT_WORDS: Readonly<Record<string, WorkArrangement>> = {
  remote: 'remote',
  wfh: 'remote',
  hybrid: 'hybrid',
  onsite: 'onsite',
  'on-site': 'onsite',
  'in-office': 'onsite',
  'in-person': 'onsite',
};

const LEVEL_WORDS: Readonly<Record<string, string>> = {
  intern: 'intern',
  interns: 'intern',
  internship: 'intern',
  junior: 'junior',
  jr: 'junior',
  'jr.': 'junior',
  'entry-level': 'junior',
  mid: 'mid',
  'mid-level': 'mid',
  midlevel: 'mid',
  senior: 'senior',
  sr: 'senior',
  'sr.': 'senior',
  snr: 'senior',
  staff: 'staff',
  principal: 'principal',
};

// Levels that are more often part of a title than a level; see the module comment.
const CONTEXT_LEVELS: ReadonlySet<string> = new Set(['lead', 'manager', 'director']);

const EXCLUDE_MARKERS: ReadonlySet<string> = new Set(['no', 'not', 'excluding', 'exclude', 'without', 'except']);
const SALARY_MARKERS: ReadonlySet<string> = new Set(['over', 'above', 'min', 'min.', 'minimum', 'at']);

const PERIOD_FACTORS: Readonly<Record<string, number>> = {
  h: 2080,
  hr: 2080,
  hour: 2080,
  hourly: 2080,
  d: 260,
  day: 260,
  daily: 260,
  wk: 52,
  week: 52,
  weekly: 52,
  mo: 12,
  month: 12,
  monthly: 12,
  y: 1,
  yr: 1,
  year: 1,
  yearly: 1,
  annum: 1,
  annually: 1,
};

const WORD_RE = /^[\p{L}\p{N}+#.\-/]+$/u;
const HAS_ALNUM_RE = /[\p{L}\p{N}]/u;
const MONEY_RE = /^(?<sym>[a-z]{0,2}[$€£¥₹])?(?<num>\d[\d,.]*)(?<mult>[km])?(?<plus>\+)?(?:\/(?<per>[a-z]+))?$/iu;
const LEX_RE =
  /(?<space>\s+)|(?<quote>"[^"]*"|“[^”]*”)|(?<open>["“”])|(?<op>>=|=>|≥|>)|(?<comma>,)|(?<minus>-(?=[^\s-]))|(?<word>(?:[^\s,"“”]|(?<=\d),(?=\d{3}(?!\d)))+)/uy;

/** Parses a query into its structured twin (the rule keys it stands for), with every word it could not understand. */
export function parseQuery(text: string): { rule: Partial<RuleConfig>; issues: string[] } {
  const issues: string[] = [];
  const st: State = {
    tokens: lex(text, issues),
    i: 0,
    levels: [],
    arrangements: [],
    notArrangements: [],
    phrases: [],
    salary: null,
    places: [],
    exclude: [],
    issues,
    last: null,
  };
  while (st.i < st.tokens.length) step(st);
  return { rule: twinOf(st), issues };
}

function lex(text: string, issues: string[]): Token[] {
  const tokens: Token[] = [];
  // The one sticky regex, rewound: lex runs to its end without yielding, so no other call sees its
  // lastIndex (a regex per call cost more than the rest of lexing).
  const re = LEX_RE;
  re.lastIndex = 0;
  while (re.lastIndex < text.length) {
    const at = re.lastIndex;
    const m = re.exec(text);
    const g = m?.groups;
    if (!m || !g) {
      issues.push(`did not understand "${text.slice(at)}"`);
      break;
    }
    if (g.open !== undefined) {
      issues.push(`did not understand '${text.slice(at).trim()}' (unclosed quote)`);
      break;
    }
    if (g.quote !== undefined) tokens.push({ kind: 'quote', text: `"${g.quote.slice(1, -1).trim()}"` });
    else if (g.op !== undefined) tokens.push({ kind: 'op', text: g.op });
    else if (g.comma !== undefined) tokens.push({ kind: 'comma', text: ',' });
    else if (g.minus !== undefined) tokens.push({ kind: 'minus', text: '-' });
    else if (g.word !== undefined) tokens.push({ kind: 'word', text: g.word });
  }
  return tokens;
}

function step(st: State): void {
  const tok = st.tokens[st.i]!;
  switch (tok.kind) {
    case 'comma':
      st.i++;
      return;
    case 'minus':
      parseExclusion(st);
      return;
    case 'op':
      parseSalaryAfter(st, tok.text, 1);
      return;
    case 'quote':
      addRole(st, tok.text);
      st.i++;
      return;
    case 'word':
      break;
  }
  const lower = tok.text.toLowerCase();
  switch (classify(st.tokens, st.i)) {
    case 'arrangement': {
      const onSite = lower === 'on';
      st.arrangements.push(onSite ? 'onsite' : ARRANGEMENT_WORDS[lower]!);
      st.i += onSite ? 2 : 1;
      st.last = 'arrangement';
      return;
    }
    case 'level':
      st.levels.push(levelOf(lower)!);
      st.i++;
      st.last = 'level';
      return;
    case 'context-level':
      // "lead or staff": the level list makes it a level; "tech lead" keeps it in the title.
      if (nextIsLevelList(st.tokens, st.i)) {
        st.levels.push(lower);
        st.i++;
        st.last = 'level';
      } else {
        addRole(st, tok.text);
        st.i++;
      }
      return;
    case 'or':
      parseOr(st);
      return;
    case 'in':
      parsePlaces(st);
      return;
    case 'exclude':
      parseExclusion(st);
      return;
    case 'salary':
      if (lower === 'at') {
        if (wordAt(st.tokens, st.i + 1) === 'least') parseSalaryAfter(st, 'at least', 2);
        else understood(st, tok.text, 'expected "at least" and an amount, such as "at least $130k"');
      } else parseSalaryAfter(st, tok.text, 1);
      return;
    case 'money': {
      const money = readMoney(st.tokens, st.i)!;
      st.i = money.end;
      setSalary(st, money);
      return;
    }
    case 'filler':
      st.i++;
      return;
    case 'role': {
      const place = placeRunAt(st.tokens, st.i);
      if (place > 0) {
        st.places.push(st.tokens.slice(st.i, st.i + place).map((t) => t.text).join(' '));
        st.i += place;
        st.last = 'other';
        return;
      }
      addRole(st, tok.text);
      st.i++;
      return;
    }
    case 'pay-unit':
      understood(st, tok.text, 'a currency or pay period goes right after an amount, such as ">= 130k USD/year"');
      return;
    case 'invalid':
      understood(st, tok.text);
      return;
  }
}

// Parsing asks for the class of the same token many times (each step, each place run tried, each
// "or"), and classifying runs several regexes: classes are kept for the token list being parsed.
// A token's class depends only on the list, which is never changed once lexed.
let classesOf: readonly Token[] | null = null;
let classes: Array<WordClass | undefined> = [];

function classify(tokens: Token[], i: number): WordClass {
  if (tokens !== classesOf) {
    classesOf = tokens;
    classes = [];
  }
  return (classes[i] ??= classifyToken(tokens, i));
}

function classifyToken(tokens: Token[], i: number): WordClass {
  const tok = tokens[i];
  if (!tok) return 'invalid';
  if (tok.kind === 'quote') return 'role';
  if (tok.kind !== 'word') return 'invalid';
  const lower = tok.text.toLowerCase();
  if (ARRANGEMENT_WORDS[lower] || (lower === 'on' && wordAt(tokens, i + 1) === 'site')) return 'arrangement';
  if (levelOf(lower) !== null) return CONTEXT_LEVELS.has(lower) ? 'context-level' : 'level';
  if (lower === 'or') return 'or';
  if (lower === 'in') return 'in';
  if (EXCLUDE_MARKERS.has(lower)) return 'exclude';
  if (SALARY_MARKERS.has(lower)) return 'salary';
  if (readMoney(tokens, i)?.looksLikePay) return 'money';
  if (FILLER_WORDS.has(lower)) return 'filler';
  if (isPayUnit(tok.text)) return 'pay-unit';
  return isWord(tok.text) ? 'role' : 'invalid';
}

/**
 * A currency or a pay period away from any amount ("USD/year", "EUR", "/hour"): never a title word.
 * A code that is also a title word ("CAD designer") stays one.
 */
function isPayUnit(text: string): boolean {
  const m = /^(?<code>[a-z]{3})?\/(?<per>[a-z]+)$/iu.exec(text);
  if (m?.groups) return PERIOD_FACTORS[m.groups.per!.toLowerCase()] !== undefined && (m.groups.code === undefined || isKnownCurrency(m.groups.code));
  return /^[A-Z]{3}$/.test(text) && isKnownCurrency(text) && !isTitleWord(text.toLowerCase());
}

function isKnownCurrency(code: string): boolean {
  return code.toUpperCase() in DEFAULT_EXCHANGE_RATES;
}

const MAX_PLACE_WORDS = 3;

/**
 * How many role words at tokens[i] name a place ("US", "NYC", "New York", "United States"), or 0.
 * Written without "in" ("remote US", "data scientist NYC") a place is still a place, not a title word
 * that no title has. A single word must not be a title word, and a two-letter one must name a
 * country or region (US, UK, EU): "PA" and "CT" are state codes but also physician assistant and CT
 * technologist.
 */
function placeRunAt(tokens: Token[], i: number): number {
  for (let n = MAX_PLACE_WORDS; n >= 1; n--) {
    const run = tokens.slice(i, i + n);
    if (run.length < n || run.some((t, k) => t.kind !== 'word' || classify(tokens, i + k) !== 'role')) continue;
    // Every word must be able to belong to a place name: the gazetteer skips words it does not know.
    if (run.some((t) => !mayBePlaceWord(t.text.toLowerCase()))) continue;
    const text = run.map((t) => t.text).join(' ');
    const readings = resolvePlaceName(text);
    if (!readings) continue;
    if (n > 1) return n;
    if (isTitleWord(text.toLowerCase())) return 0;
    if (text.length <= 2 && !readings.every((p) => p.kind === 'country' || p.kind === 'region')) return 0;
    return 1;
  }
  return 0;
}

/** The level a word names ("sr." -> senior, "senior+" -> senior+), or null. */
function levelOf(lower: string): string | null {
  const plus = lower.endsWith('+');
  const base = plus ? lower.slice(0, -1) : lower;
  const level = LEVEL_WORDS[base] ?? (CONTEXT_LEVELS.has(base) ? base : null);
  if (level === null || !(SENIORITY_LEVELS as readonly string[]).includes(level)) return null;
  return plus ? `${level}+` : level;
}

function nextIsLevelList(tokens: Token[], i: number): boolean {
  if (wordAt(tokens, i + 1) !== 'or') return false;
  const after = classify(tokens, i + 2);
  return after === 'level' || (after === 'context-level' && nextIsLevelList(tokens, i + 2));
}

function parseOr(st: State): void {
  const orTok = st.tokens[st.i]!;
  const nextClass = classify(st.tokens, st.i + 1);
  const next = st.tokens[st.i + 1];
  if (st.last === 'level' && (nextClass === 'level' || nextClass === 'context-level') && next) {
    st.levels.push(levelOf(next.text.toLowerCase())!);
    st.i += 2;
    return;
  }
  if (st.last === 'arrangement' && nextClass === 'arrangement') {
    st.i++;
    return;
  }
  // "remote or in Berlin": the place, or remote work open to it (see the module comment).
  if (st.last === 'arrangement' && nextClass === 'in' && st.arrangements.at(-1) === 'remote') {
    st.arrangements.pop();
    st.places.push(REMOTE_PLACE);
    st.i++;
    return;
  }
  if (st.last === 'role' && (nextClass === 'role' || nextClass === 'context-level')) {
    st.phrases.push([]);
    st.i++;
    return;
  }
  understood(st, orTok.text, 'expected it between two levels, arrangements or roles, such as "staff or principal"');
}

function parsePlaces(st: State): void {
  const inTok = st.tokens[st.i]!;
  st.i++;
  const found: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) found.push(current.join(' '));
    current = [];
  };
  while (st.i < st.tokens.length) {
    const tok = st.tokens[st.i]!;
    if (tok.kind === 'quote') {
      current.push(tok.text.slice(1, -1));
      st.i++;
      continue;
    }
    if (tok.kind === 'comma') {
      flush();
      st.i++;
      continue;
    }
    if (tok.kind !== 'word') break;
    const lower = tok.text.toLowerCase();
    // "in Berlin or remote": the place, or remote work open to it (see the module comment).
    if (lower === 'or' && ARRANGEMENT_WORDS[wordAt(st.tokens, st.i + 1) ?? ''] === 'remote') {
      flush();
      found.push(REMOTE_PLACE);
      st.i += 2;
      break;
    }
    if (lower === 'or' || lower === 'and') {
      flush();
      st.i++;
      continue;
    }
    // "in the Netherlands", "Isle of Man": small words inside a place, not the end of it.
    const inside = (lower === 'the' && current.length === 0) || (lower === 'of' && current.length > 0);
    if (inside && classify(st.tokens, st.i + 1) === 'role') {
      if (lower === 'of') current.push(tok.text);
      st.i++;
      continue;
    }
    const cls = classify(st.tokens, st.i);
    if (cls !== 'role' && cls !== 'context-level') break;
    current.push(tok.text);
    st.i++;
  }
  flush();
  if (found.length === 0) {
    understood(st, inTok.text, 'expected a place, such as "in Europe"', false);
    return;
  }
  st.places.push(...found);
  st.last = 'other';
}

function parseExclusion(st: State): void {
  const marker = st.tokens[st.i]!;
  st.i++;
  const next = st.tokens[st.i];
  const nextLower = next?.kind === 'word' ? next.text.toLowerCase() : '';
  st.last = 'other';
  // "not remote" / "-remote" means a non-remote job, not "the word remote nowhere in the description".
  if (ARRANGEMENT_WORDS[nextLower] || (nextLower === 'on' && wordAt(st.tokens, st.i + 1) === 'site')) {
    st.notArrangements.push(nextLower === 'on' ? 'onsite' : ARRANGEMENT_WORDS[nextLower]!);
    st.i += nextLower === 'on' ? 2 : 1;
    return;
  }
  if (!takeExcluded(st)) {
    const example = marker.kind === 'minus' ? '-crypto' : `${marker.text} crypto`;
    if (next && (next.kind === 'word' || next.kind === 'quote')) understood(st, next.text);
    else understood(st, marker.text, `expected a word to exclude, such as "${example}"`, false);
    return;
  }
  if (marker.kind === 'minus') return;
  // "excluding crypto, web3 or gambling"
  for (;;) {
    const sep = st.tokens[st.i];
    const isSep = sep !== undefined && (sep.kind === 'comma' || ['or', 'and'].includes(wordAt(st.tokens, st.i) ?? ''));
    const after = classify(st.tokens, st.i + 1);
    if (!isSep || (after !== 'role' && after !== 'context-level')) return;
    st.i++;
    takeExcluded(st);
  }
}

function takeExcluded(st: State): boolean {
  const tok = st.tokens[st.i];
  if (tok?.kind === 'quote') {
    st.exclude.push(tok.text.slice(1, -1));
    st.i++;
    return true;
  }
  if (tok?.kind !== 'word') return false;
  const word = tok.text.endsWith('*') ? tok.text.slice(0, -1) : tok.text;
  if (!isWord(word)) return false;
  st.exclude.push(tok.text);
  st.i++;
  return true;
}

function parseSalaryAfter(st: State, markerText: string, markerLength: number): void {
  const money = readMoney(st.tokens, st.i + markerLength);
  if (!money) {
    understood(st, markerText, `expected an amount such as "${markerText} $130k"`, false);
    st.i += markerLength;
    return;
  }
  st.i = money.end;
  setSalary(st, money);
}

function setSalary(st: State, money: Money): void {
  st.last = 'other';
  if (st.salary) {
    st.issues.push(`salary given twice ("${st.salary.text}" and "${money.text}"); give one`);
    return;
  }
  if (money.warning) st.issues.push(money.warning);
  st.salary = money;
}

/** Reads an amount at tokens[i]: "$130k", "130,000 USD", "USD 130k", "$75/hour", "$75 per hour". */
function readMoney(tokens: Token[], i: number): Money | null {
  let j = i;
  let currency: string | null = null;
  if (isCurrencyCode(tokens[j]) && tokens[j + 1]?.kind === 'word' && /^\d/.test(tokens[j + 1]!.text)) {
    currency = tokens[j]!.text.toUpperCase();
    j++;
  }
  const tok = tokens[j];
  if (tok?.kind !== 'word') return null;
  const m = MONEY_RE.exec(tok.text);
  if (!m?.groups) return null;
  const { sym, num, mult, plus, per } = m.groups;
  if (sym !== undefined) {
    const code = CURRENCY_SYMBOLS[sym.toLowerCase()];
    if (!code || currency) return null;
    currency = code;
  }
  const base = parseAmount(num!);
  if (base === null) return null;
  j++;
  if (!currency && isCurrencyCode(tokens[j])) {
    currency = tokens[j]!.text.toUpperCase();
    j++;
  }
  let factor: number | undefined;
  // "130k USD/year", "130k/year" written apart: "130k /year".
  const unit = per === undefined && tokens[j]?.kind === 'word' ? /^(?<code>[a-z]{3})?\/(?<per>[a-z]+)$/i.exec(tokens[j]!.text)?.groups : undefined;
  if (unit && PERIOD_FACTORS[unit.per!.toLowerCase()] !== undefined && !(unit.code && (currency || !isKnownCurrency(unit.code)))) {
    if (unit.code) currency = unit.code.toUpperCase();
    factor = PERIOD_FACTORS[unit.per!.toLowerCase()];
    j++;
  } else if (per !== undefined) {
    factor = PERIOD_FACTORS[per.toLowerCase()];
    if (factor === undefined) return null;
  } else {
    const w = wordAt(tokens, j);
    const w2 = wordAt(tokens, j + 1);
    if ((w === 'per' || w === 'a' || w === 'an') && w2 !== null && PERIOD_FACTORS[w2] !== undefined) {
      factor = PERIOD_FACTORS[w2];
      j += 2;
    } else if (w !== null && /ly$/.test(w) && PERIOD_FACTORS[w] !== undefined) {
      factor = PERIOD_FACTORS[w];
      j++;
    }
  }
  const multiplier = mult === undefined ? 1 : mult.toLowerCase() === 'k' ? 1000 : 1_000_000;
  const stated = base * multiplier;
  const text = tokens
    .slice(i, j)
    .map((t) => t.text)
    .join(' ');
  const looksLikePay = plus !== undefined || currency !== null || mult !== undefined || factor !== undefined || stated >= 1000;
  const warning =
    factor === undefined && stated < 1000
      ? `"${text}" is too low for a yearly salary (did you mean "${num}k"?)`
      : null;
  return { amount: Math.round(stated * (factor ?? 1)), currency, looksLikePay, text, end: j, warning };
}

/** "130,000" / "130.000" / "130000" / "1.5" -> number; null for ambiguous forms such as "1,5". */
function parseAmount(num: string): number | null {
  if (/^\d{1,3}(?:,\d{3})+$/.test(num) || /^\d{1,3}(?:\.\d{3})+$/.test(num)) return Number(num.replace(/[,.]/g, ''));
  if (/^\d+(?:\.\d+)?$/.test(num)) return Number(num);
  return null;
}

function isCurrencyCode(tok: Token | undefined): boolean {
  if (tok?.kind !== 'word' || !/^[a-z]{3}$/i.test(tok.text)) return false;
  // Unknown codes count only when written like one ("130k XYZ"), so "130k for" stays English.
  return tok.text.toUpperCase() in DEFAULT_EXCHANGE_RATES || tok.text === tok.text.toUpperCase();
}

function addRole(st: State, text: string): void {
  if (st.phrases.length === 0) st.phrases.push([]);
  st.phrases[st.phrases.length - 1]!.push(text);
  st.last = 'role';
}

function understood(st: State, word: string, hint?: string, advance = true): void {
  st.issues.push(hint ? `did not understand "${word}" (${hint})` : `did not understand "${word}"`);
  if (advance) st.i++;
}

function wordAt(tokens: Token[], i: number): string | null {
  const tok = tokens[i];
  return tok?.kind === 'word' ? tok.text.toLowerCase() : null;
}

function isWord(text: string): boolean {
  return WORD_RE.test(text) && HAS_ALNUM_RE.test(text);
}

function twinOf(st: State): Partial<RuleConfig> {
  const rule: Partial<RuleConfig> = {};
  const phrases = st.phrases.filter((p) => p.length > 0).map((p) => p.join(' '));
  if (phrases.length > 0) rule.title = unique(phrases);
  if (st.levels.length > 0) rule.seniority = unique(st.levels);
  const remote = arrangementValue(st);
  if (remote !== undefined) rule.remote = remote;
  if (st.salary) {
    rule.salary_min = st.salary.amount;
    if (st.salary.currency) rule.currency = st.salary.currency;
  }
  // The "or remote" option reads last, however it was written ("remote or in Berlin").
  if (st.places.length > 0) rule.location = unique([...st.places.filter((p) => p !== REMOTE_PLACE), ...st.places.filter((p) => p === REMOTE_PLACE)]);
  if (st.exclude.length > 0) rule.exclude = unique(st.exclude);
  return rule;
}

function arrangementValue(st: State): RuleConfig['remote'] {
  if (st.arrangements.length === 0 && st.notArrangements.length === 0) return undefined;
  const all: WorkArrangement[] = ['remote', 'hybrid', 'onsite'];
  const wanted = (st.arrangements.length > 0 ? unique(st.arrangements) : all).filter((a) => !st.notArrangements.includes(a));
  if (wanted.length === 0) {
    st.issues.push(`did not understand "not ${st.notArrangements.join('/')}" (it rules out every work arrangement asked for)`);
    return undefined;
  }
  if (wanted.length === 1) return wanted[0] === 'remote' ? true : wanted[0];
  if (wanted.length === 2 && !wanted.includes('remote')) return false;
  return wanted;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
