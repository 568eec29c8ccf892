/**
 * Salary from posting text, in three stages so later rules slot in without one giant regex:
 *
 * 1. tokenize: every number as written ("$120K", "80.000 €", "₹25 LPA"), with the currency mark
 *    and the k / m / lakh multiplier attached to it. Things that look numeric but never are pay
 *    (401(k), phone numbers, dates, US zip codes) are blanked out first.
 * 2. pair: "A - B", "A to B" and "between A and B" become one range candidate; everything else
 *    is a single-value candidate.
 * 3. assess: each candidate collects evidence from its context (currency mark, salary words,
 *    period words) and vetoes (budgets, funding, counts, years of experience, percentages), gets
 *    a period (stated, or inferred from its size), and must be plausible pay once annualized.
 *
 * The accepted candidates are then merged into one Salary (see mergeSalaries).
 */
import type { Salary, SalaryPeriod } from '../core/types.js';

/** Working periods per year; DESIGN.md's annualization factors. */
const PERIODS_PER_YEAR: Readonly<Record<SalaryPeriod, number>> = { hour: 2080, day: 260, week: 52, month: 12, year: 1 };

/** Annualized bounds: hourly x2080, daily x260, weekly x52, monthly x12. */
export function annualize(salary: Salary): { min: number | null; max: number | null } {
  const factor = PERIODS_PER_YEAR[salary.period];
  return {
    min: salary.min === null ? null : roundCents(salary.min * factor),
    max: salary.max === null ? null : roundCents(salary.max * factor),
  };
}

/** The salary stated in a posting (title first, then location, then description); null when none is stated. */
export function extractSalary(input: { title: string; location?: string | null; description: string }): Salary | null {
  const found: Salary[] = [];
  // Fields are scanned separately so a context window never reaches from one field into another.
  for (const field of [input.title, input.location ?? '', input.description]) {
    found.push(...salariesIn(field));
  }
  return mergeSalaries(found);
}

// ---------------------------------------------------------------------------------------------
// Currencies

interface CurrencyMark {
  code: string;
  /** Symbols and ISO codes are firm; words ("50 pounds", "dollars") also measure other things, so they are only a hint. */
  firm: boolean;
  /** A bare "$": USD unless another dollar currency is named near it. */
  bareDollar: boolean;
}

const CURRENCY_CODES = ['USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'GBP', 'EUR', 'INR', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'BRL', 'MXN'];
const CODE_ALTERNATION = CURRENCY_CODES.join('|');

/** Currency marks written before a number, longest first so "US$" wins over "$". */
const PREFIX_SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['USD$', 'USD'], ['CAD$', 'CAD'], ['AUD$', 'AUD'],
  ['US$', 'USD'], ['CA$', 'CAD'], ['AU$', 'AUD'], ['NZ$', 'NZD'], ['SG$', 'SGD'], ['HK$', 'HKD'], ['MX$', 'MXN'],
  ['C$', 'CAD'], ['A$', 'AUD'], ['S$', 'SGD'], ['R$', 'BRL'], ['Rs.', 'INR'], ['Rs', 'INR'],
  ['$', 'USD'], ['£', 'GBP'], ['€', 'EUR'], ['₹', 'INR'], ['¥', 'JPY'], ['￥', 'JPY'],
];
const PREFIX_CODE_RE = new RegExp(`(?<![A-Za-z])(${CODE_ALTERNATION})[\\s\\u00a0]?$`);
const SUFFIX_CODE_RE = new RegExp(`^[\\s\\u00a0]?\\(?(${CODE_ALTERNATION})\\)?(?![A-Za-z])`);
const SUFFIX_SYMBOL_RE = /^[\s\u00a0]?([€£₹$]|kr\b)/;
const SUFFIX_WORD_RE = /^\s?(dollars?|euros?|pounds?|rupees?|yen)\b/i;
const SUFFIX_SYMBOL_CODES: Readonly<Record<string, string>> = { '€': 'EUR', '£': 'GBP', '₹': 'INR', $: 'USD', kr: 'SEK' };
const SUFFIX_WORD_CODES: Readonly<Record<string, string>> = { dollar: 'USD', euro: 'EUR', pound: 'GBP', rupee: 'INR', yen: 'JPY' };

/** Another dollar currency named near a bare "$" decides what that "$" means. */
// Case-sensitive on purpose: "cad" is not a currency, and "CAD software" is ruled out by the lookahead.
// Only "US $" may have a space: "A $10,000 bonus" is an article and "CA $150k" is California.
const DOLLAR_HINT_RE =
  /\b(USD|CAD|AUD|NZD|SGD|HKD)\b(?!\s*\/|\s+(?:software|tools?|design|drawings?|models?|files?|experience))|\b(?:(US)\s?|(CA|AU|NZ|SG|HK|C|A|S))\$|\b(American|US|Canadian|Australian|New Zealand|Singapore)\s+[Dd]ollars?\b/g;
const DOLLAR_HINT_CODES: Readonly<Record<string, string>> = {
  US: 'USD', CA: 'CAD', C: 'CAD', AU: 'AUD', A: 'AUD', NZ: 'NZD', SG: 'SGD', S: 'SGD', HK: 'HKD',
  american: 'USD', us: 'USD', canadian: 'CAD', australian: 'AUD', 'new zealand': 'NZD', singapore: 'SGD',
};
const DOLLAR_HINT_REACH = 150;

/**
 * Rough units per US dollar. Only for plausibility: a yearly figure must lie between about
 * 10,000 and 2,000,000 USD-equivalent. INR and JPY get a lower floor and a higher ceiling because
 * local pay spreads much wider there (3 LPA is a normal junior salary in India).
 */
const UNITS_PER_USD: Readonly<Record<string, number>> = {
  USD: 1, CAD: 1.4, AUD: 1.5, NZD: 1.7, SGD: 1.35, HKD: 7.8, GBP: 0.8, EUR: 0.92, CHF: 0.9,
  SEK: 11, NOK: 11, DKK: 7, PLN: 4, BRL: 5.5, MXN: 18, INR: 85, JPY: 150,
};
const GENEROUS_CURRENCIES = new Set(['INR', 'JPY']);
const MIN_ANNUAL_USD = 10_000;
const MAX_ANNUAL_USD = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Stage 1: tokenize

interface AmountToken {
  /** Span including the currency marks and the multiplier. */
  start: number;
  end: number;
  /** The number as written: 120 for "$120K". */
  value: number;
  multiplier: number;
  currency: CurrencyMark | null;
  /** "$120k+": no upper bound. */
  openEnded: boolean;
  /** 1900-2099 written as four bare digits: a year, unless money marks say otherwise. */
  yearLike: boolean;
  /** "25 LPA" states both its multiplier and its period. */
  period: SalaryPeriod | null;
}

interface NumberShape {
  re: RegExp;
  toNumber: (digits: string) => number;
  /** Thousands grouped by plain spaces ("50 000"): only believed next to a currency mark. */
  spaced?: boolean;
}

// Tried in order; the first that matches wins. A number matching none ("1.2.3", "1,2,3") is skipped.
// Anchored rather than sticky so no module-level regex carries lastIndex state between calls.
const NUMBER_REACH = 40;
const NUMBER_SHAPES: readonly NumberShape[] = [
  { re: /^\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/,/g, '')) }, // 135,000.00
  { re: /^\d{1,2}(?:,\d{2})+,\d{3}(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/,/g, '')) }, // Indian 12,00,000
  { re: /^\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/\./g, '').replace(',', '.')) }, // 80.000,00
  { re: /^\d{1,3}(?:['’]\d{3})+(?![.,'’]?\d)/, toNumber: (s) => Number(s.replace(/['’]/g, '')) }, // Swiss 120'000
  { re: /^\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/[\u00a0\u202f\u2009]/g, '')) },
  { re: /^\d{1,3}(?: \d{3})+(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/ /g, '')), spaced: true },
  { re: /^\d+(?:\.\d+)?(?![.,]?\d)/, toNumber: Number },
];

const MULTIPLIERS: ReadonlyArray<readonly [RegExp, number, SalaryPeriod | null]> = [
  [/^ ?[kK](?![\p{L}\p{N}])/u, 1e3, null],
  [/^ ?(?:mm|MM|mn|Mn|m|M)(?![\p{L}\p{N}])/u, 1e6, null],
  [/^ ?(?:bn|b|B)(?![\p{L}\p{N}])/u, 1e9, null],
  [/^ ?thousand\b/i, 1e3, null],
  [/^ ?(?:million|mio\.?|mil)\b/i, 1e6, null],
  [/^ ?billion\b/i, 1e9, null],
  [/^ ?lpa\b/i, 1e5, 'year'], // lakhs per annum
  [/^ ?(?:lakhs?|lacs?)\b/i, 1e5, null],
  [/^ ?(?:crores?|cr)\b/i, 1e7, null],
];

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';

/** Numeric things that are never pay, blanked (same length, so offsets hold) before tokenizing. */
const NEVER_PAY: readonly RegExp[] = [
  /\b(?:401|403|457)\s?\(?[kKbB]\)?(?![\p{L}\p{N}])/gu, // retirement plans
  /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g, // phone numbers
  /\b\d{4}-\d{2}-\d{2}\b/g, // ISO dates
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, // 03/01/2025
  new RegExp(`\\b(?:${US_STATES})\\s\\d{5}(?:-\\d{4})?\\b`, 'g'), // "CA 94105"
];

function maskNeverPay(text: string): string {
  let masked = text;
  for (const re of NEVER_PAY) masked = masked.replace(re, (m) => ' '.repeat(m.length));
  return masked;
}

function tokenize(text: string): AmountToken[] {
  const tokens: AmountToken[] = [];
  const digitRe = /\d/g;
  let match: RegExpExecArray | null;
  while ((match = digitRe.exec(text)) !== null) {
    const i = match.index;
    const token = readAmount(text, i);
    if (token) {
      tokens.push(token);
      digitRe.lastIndex = Math.max(token.end, i + 1);
    } else {
      digitRe.lastIndex = skipRun(text, i);
    }
  }
  return tokens;
}

/** End of the alphanumeric run at i, so "GPT-4o" or "1.2.3" is skipped whole. */
function skipRun(text: string, i: number): number {
  const run = /[\p{L}\p{N}.,'’]*/uy;
  run.lastIndex = i;
  run.exec(text);
  return Math.max(run.lastIndex, i + 1);
}

function readAmount(text: string, i: number): AmountToken | null {
  if (!startsFreeNumber(text, i)) return null;
  const prefix = currencyBefore(text, i);
  for (const shape of NUMBER_SHAPES) {
    const m = shape.re.exec(text.slice(i, i + NUMBER_REACH));
    if (!m) continue;
    const digits = m[0];
    let end = i + digits.length;
    if (shape.spaced && !prefix.mark && !hasCurrencyNear(text, i, end)) continue;

    let multiplier = 1;
    let period: SalaryPeriod | null = null;
    const rest = text.slice(end, end + 12);
    for (const [re, factor, impliedPeriod] of MULTIPLIERS) {
      const mm = re.exec(rest);
      if (!mm) continue;
      multiplier = factor;
      period = impliedPeriod;
      end += mm[0].length;
      break;
    }
    // A letter glued to the number ("10x", "3D", "24h", "2nd") makes it a word, not an amount.
    if (multiplier === 1 && /^[\p{L}]/u.test(text.slice(end, end + 1))) return null;

    let openEnded = false;
    if (text[end] === '+' && !/^\+\s*(?:equity|bonus|benefits|commission|stock|rsus?)\b/i.test(text.slice(end, end + 16))) {
      openEnded = true;
      end += 1;
    }

    let currency = prefix.mark;
    const start = prefix.start;
    if (!currency) {
      const suffix = currencyAfter(text, end);
      currency = suffix.mark;
      end = suffix.end;
    }
    // "LPA" (lakhs per annum) is only ever written about rupees.
    if (period === 'year' && !currency) currency = { code: 'INR', firm: true, bareDollar: false };
    return {
      start,
      end,
      value: shape.toNumber(digits),
      multiplier,
      currency,
      openEnded,
      yearLike: multiplier === 1 && !currency && /^(?:19|20)\d{2}$/.test(digits),
      period,
    };
  }
  return null;
}

/** Rejects digits glued to a word: "Q3", "H1B", "GPT-4", "L5" (but not "USD130"). */
function startsFreeNumber(text: string, i: number): boolean {
  const prev = text[i - 1] ?? '';
  if (/[\p{L}]/u.test(prev)) {
    const word = /[A-Za-z]+$/.exec(text.slice(Math.max(0, i - 4), i))?.[0] ?? '';
    return CURRENCY_CODES.includes(word.toUpperCase()) || word === 'Rs';
  }
  if (prev === '-' && /[\p{L}]/u.test(text[i - 2] ?? '')) return false;
  return true;
}

function currencyBefore(text: string, i: number): { mark: CurrencyMark | null; start: number } {
  let j = i;
  if (j > 0 && /[\s\u00a0]/.test(text[j - 1]!)) j -= 1;
  const before = text.slice(Math.max(0, j - 6), j);
  for (const [symbol, code] of PREFIX_SYMBOLS) {
    if (!before.endsWith(symbol)) continue;
    const at = j - symbol.length;
    // "Rs" and "C$" need a word boundary in front; "ABC$" is not a currency.
    if (/^[A-Za-z]/.test(symbol) && /[A-Za-z]/.test(text[at - 1] ?? '')) continue;
    return { mark: { code, firm: true, bareDollar: symbol === '$' }, start: at };
  }
  const from = Math.max(0, i - 5);
  const code = PREFIX_CODE_RE.exec(text.slice(from, i));
  if (code) return { mark: { code: code[1]!, firm: true, bareDollar: false }, start: from + code.index };
  return { mark: null, start: i };
}

function currencyAfter(text: string, end: number): { mark: CurrencyMark | null; end: number } {
  const rest = text.slice(end, end + 12);
  const code = SUFFIX_CODE_RE.exec(rest);
  if (code) return { mark: { code: code[1]!.toUpperCase(), firm: true, bareDollar: false }, end: end + code[0].length };
  const symbol = SUFFIX_SYMBOL_RE.exec(rest);
  if (symbol) {
    const s = symbol[1]!;
    return { mark: { code: SUFFIX_SYMBOL_CODES[s]!, firm: true, bareDollar: s === '$' }, end: end + symbol[0].length };
  }
  const word = SUFFIX_WORD_RE.exec(rest);
  if (word) {
    const singular = word[1]!.toLowerCase().replace(/s$/, '');
    return { mark: { code: SUFFIX_WORD_CODES[singular]!, firm: false, bareDollar: singular === 'dollar' }, end: end + word[0].length };
  }
  return { mark: null, end };
}

function hasCurrencyNear(text: string, start: number, end: number): boolean {
  const around = text.slice(Math.max(0, start - 20), end + 20);
  return new RegExp(`[$€£₹¥]|\\b(?:${CODE_ALTERNATION}|kr)\\b`).test(around);
}

// ---------------------------------------------------------------------------------------------
// Stage 2: pair tokens into candidates

interface Candidate {
  start: number;
  end: number;
  low: AmountToken;
  /** The upper end of a range; null for a single value. */
  high: AmountToken | null;
}

const RANGE_JOINER_RE = /^\s*(?:-|–|—|‒|―|‐|‑|~|to|through|thru|and|up\s+to)\s*$/i;

function pairCandidates(text: string, tokens: readonly AmountToken[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const low = tokens[k]!;
    const high = tokens[k + 1];
    if (high && !low.openEnded && joinsRange(text, low, high)) {
      candidates.push({ start: low.start, end: high.end, low, high });
      k += 1;
    } else {
      candidates.push({ start: low.start, end: low.end, low, high: null });
    }
  }
  return candidates;
}

function joinsRange(text: string, low: AmountToken, high: AmountToken): boolean {
  const between = text.slice(low.end, high.start);
  const joiner = RANGE_JOINER_RE.exec(between);
  if (!joiner) return false;
  // "and" joins only after "between": "$5,000 budget and $1,000 stipend" is two amounts.
  if (/^\s*and\s*$/i.test(between) && !/\bbetween\s*$/i.test(text.slice(Math.max(0, low.start - 12), low.start))) return false;
  const a = low.currency;
  const b = high.currency;
  if (a && b && a.firm && b.firm && a.code !== b.code && !a.bareDollar && !b.bareDollar) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Stage 3: assess each candidate

const PERIOD_PATTERNS: ReadonlyArray<readonly [SalaryPeriod, RegExp]> = [
  ['hour', /\/\s?(?:hr|hour|h)\b|\bper\s+(?:hr|hour)\b|\ban?\s+hour\b|\bhourly\b|\bp\/h\b|\bph\b/gi],
  ['day', /\/\s?(?:day|d)\b|\bper\s+day\b|\ba\s+day\b|\bdaily\b|\bday\s+rate\b|\bper\s+diem\b/gi],
  ['week', /\/\s?(?:week|wk)\b|\bper\s+week\b|\ba\s+week\b|\bweekly\b|\bp\/w\b/gi],
  ['month', /\/\s?(?:month|mo|mth)\b|\bper\s+month\b|\ba\s+month\b|\bmonthly\b|\bp\/m\b|\bpcm\b/gi],
  ['year', /\/\s?(?:year|yr|y|annum|a)\b|\bper\s+(?:year|yr|annum|anum)\b|\ba\s+year\b|\bannual(?:ly)?\b|\byearly\b|\bp\.\s?a\b\.?|\bpa\b|\blpa\b/gi],
];

/** Words that make a nearby number pay. Period words count too (see periodAfter / periodBefore). */
const SALARY_WORDS_RE =
  /\b(?:salary|salaries|compensation|comp|pay|paid|paying|pays|payrate|wages?|rate|remuneration|earn(?:s|ing)?|ote|on[- ]target|base|total\s+rewards|package|income|tc|range)\b/i;

/** Within a few words after the amount: what it is an amount of ("$5,000 annual learning budget", "$50M Series B"). */
const NOT_PAY_AFTER_RE = new RegExp(
  '\\b(?:' +
    [
      'budgets?', 'stipends?', 'allowances?', 'reimburse\\w*', 'bonus(?:es)?', 'grants?', 'credits?', 'gifts?', 'vouchers?',
      'funding', 'funded', 'round', 'series\\s+[a-h]', 'seed', 'raised', 'revenue', 'arr', 'mrr', 'gmv', 'valuation',
      'assets', 'aum', 'market\\s+cap', 'investments?', 'in\\s+sales', 'equity', 'stock', 'rsus?', 'options', 'shares',
      'relocation', 'sign[- ]?on', 'signing', 'referral', 'loans?',
    ].join('|') +
    ')\\b',
  'i',
);

/**
 * Right after the amount: what it counts ("10,000 customers", "250 employees"). Only the first
 * words, because "$150k for senior engineers" is pay.
 */
const COUNT_AFTER_RE = new RegExp(
  '^(?:\\S+\\s+)?(?:' +
    [
      'customers?', 'clients?', 'users?', 'members?', 'subscribers?', 'businesses', 'compan(?:y|ies)', 'brands', 'merchants',
      'partners', 'employees', 'people', 'engineers', 'developers', 'downloads', 'installs', 'transactions', 'requests',
      'visitors', 'patients', 'students', 'learners', 'countries', 'cities', 'offices', 'locations', 'stores', 'orders',
      'products', 'items', 'projects', 'repositories', 'lines', 'stars', 'teams', 'hospitals', 'schools',
    ].join('|') +
    ')\\b',
  'i',
);

/** Right before the amount ("raised $20M", "learning budget of up to $2,000"). */
const NOT_PAY_BEFORE_RE = new RegExp(
  '\\b(?:' +
    [
      'raised?', 'raising', 'funding', 'funded', 'investment', 'invested', 'valuation', 'valued\\s+at', 'revenue', 'arr',
      'mrr', 'budget', 'stipend', 'allowance', 'reimbursement', 'reimburse[sd]?', 'bonus', 'grant', 'credits?',
      'gift\\s+cards?', 'match(?:ing)?', 'contribution', 'relocation', 'referral', 'worth', 'equity', 'series\\s+[a-h]',
      'customers?', 'users?', 'clients?', '(?:customer|user|client|install)\\s+base',
    ].join('|') +
    ')\\s*(?:(?:of|at|up\\s+to|worth|totaling|totalling|over|about|around|approximately|nearly|more\\s+than|in|for)\\s+){0,2}$',
  'i',
);

/** "5+ years", "40 hours", "30 days": a count of time, not pay per time ("$60/hr" has a slash or "per"). */
const TIME_COUNT_RE = /^\s*\+?\s*(?:years?|yrs?|months?|mos|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?)\b/i;
const PERCENT_RE = /^\s*(?:%|percent\b|pct\b)/i;
const UP_TO_RE = /\b(?:up\s+to|maximum(?:\s+of)?|max\.?|as\s+much\s+as)\s*$/i;
const FROM_RE = /\b(?:from|starting\s+(?:at|from)|starts\s+at|at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|in\s+excess\s+of)\s*$/i;
const OR_MORE_RE = /^\s*(?:or\s+(?:more|higher|above)|and\s+(?:up|above))\b/i;
const MONTH_HINT_RE = /\bmonth(?:ly)?\b|\/\s?mo\b|\bpcm\b/i;

interface Evidence {
  firmCurrency: boolean;
  salaryWord: boolean;
  statedPeriod: SalaryPeriod | null;
  multiplied: boolean;
}

/** Every salary a text states, in order of appearance. */
function salariesIn(text: string): Salary[] {
  if (!/\d/.test(text)) return [];
  const masked = maskNeverPay(text);
  const salaries: Salary[] = [];
  for (const candidate of pairCandidates(masked, tokenize(masked))) {
    const salary = assess(masked, candidate);
    if (salary) salaries.push(salary);
  }
  return salaries;
}

function assess(text: string, candidate: Candidate): Salary | null {
  const { low, high } = shareMultiplier(candidate);
  if (vetoed(text, candidate)) return null;

  const currencyMark = mergeCurrency(low.currency, high?.currency ?? null);
  const evidence: Evidence = {
    firmCurrency: currencyMark?.firm ?? false,
    salaryWord: SALARY_WORDS_RE.test(text.slice(Math.max(0, candidate.start - 120), candidate.end + 60)),
    statedPeriod: low.period ?? high?.period ?? periodAfter(text, candidate.end) ?? periodBefore(text, candidate.start),
    multiplied: low.multiplier > 1 || (high?.multiplier ?? 1) > 1,
  };
  const lowValue = roundCents(low.value * low.multiplier);
  const highValue = high ? roundCents(high.value * high.multiplier) : null;
  if (!isPay(evidence, highValue ?? lowValue)) return null;
  if (highValue !== null && lowValue > highValue) return null;

  const period = evidence.statedPeriod ?? inferPeriod(text, candidate, highValue ?? lowValue);
  // A small number whose period is only guessed ("$60") is pay only when the text talks about pay.
  if (!evidence.statedPeriod && period === 'hour' && !evidence.salaryWord) return null;

  const currency = currencyMark ? resolveDollar(text, candidate, currencyMark) : null;
  const salary = bounds(text, candidate, lowValue, highValue, currency, period);
  return plausible(salary) ? salary : null;
}

/** "130-160k" means 130k-160k; "120k-150" means 120k-150k. */
function shareMultiplier(candidate: Candidate): { low: AmountToken; high: AmountToken | null } {
  const { low, high } = candidate;
  if (!high) return { low, high };
  if (high.multiplier > 1 && low.multiplier === 1 && low.value < 1000 && low.value <= high.value) {
    return { low: { ...low, multiplier: high.multiplier }, high };
  }
  if (low.multiplier > 1 && high.multiplier === 1 && high.value < 1000 && high.value >= low.value) {
    return { low, high: { ...high, multiplier: low.multiplier } };
  }
  return { low, high };
}

function vetoed(text: string, candidate: Candidate): boolean {
  const tokens = candidate.high ? [candidate.low, candidate.high] : [candidate.low];
  for (const token of tokens) {
    const next = text.slice(token.end, token.end + 20);
    if (PERCENT_RE.test(next) || TIME_COUNT_RE.test(next)) return true;
  }
  if (tokens.every((t) => t.yearLike)) return true;
  const after = clauseAfter(text, candidate.end);
  if (NOT_PAY_AFTER_RE.test(after) || COUNT_AFTER_RE.test(after)) return true;
  return NOT_PAY_BEFORE_RE.test(text.slice(Math.max(0, candidate.start - 60), candidate.start));
}

/** The decision: enough evidence that this number is pay. */
function isPay(evidence: Evidence, value: number): boolean {
  if (evidence.firmCurrency) return true;
  // Without a currency symbol or code, a number is pay only when the text says so ("salary range 130-160k").
  if (!evidence.salaryWord && !evidence.statedPeriod) return false;
  // ...and it must look like money on its own: "5" near "pay" is a count; "150,000" or "160k" is not.
  return evidence.multiplied || evidence.statedPeriod !== null || value >= 1000;
}

function inferPeriod(text: string, candidate: Candidate, value: number): SalaryPeriod {
  if (value < 500) return 'hour';
  const near = text.slice(Math.max(0, candidate.start - 120), candidate.end + 60);
  if (value <= 20_000 && MONTH_HINT_RE.test(near)) return 'month';
  return 'year';
}

/** The first period word right after the amount, before anything else that could be another amount. */
function periodAfter(text: string, end: number): SalaryPeriod | null {
  const window = cutAt(text.slice(end, end + 30), /[\n;!?$€£₹¥\d]|\.\s+[A-Z]/);
  return firstPeriod(window, 'first');
}

/** The nearest period word before the amount in the same sentence ("Hourly rate: $60-75"). */
function periodBefore(text: string, start: number): SalaryPeriod | null {
  const raw = text.slice(Math.max(0, start - 50), start);
  const cut = Math.max(raw.lastIndexOf('\n\n'), raw.search(/[;!?][^;!?]*$/), lastSentenceEnd(raw), lastAmountEnd(raw));
  return firstPeriod(cut >= 0 ? raw.slice(cut + 1) : raw, 'last');
}

function firstPeriod(window: string, which: 'first' | 'last'): SalaryPeriod | null {
  let best: { period: SalaryPeriod; index: number } | null = null;
  for (const [period, re] of PERIOD_PATTERNS) {
    for (const m of window.matchAll(re)) {
      if (!best || (which === 'first' ? m.index < best.index : m.index > best.index)) best = { period, index: m.index };
    }
  }
  return best?.period ?? null;
}

function lastSentenceEnd(text: string): number {
  let last = -1;
  for (const m of text.matchAll(/\.\s+(?=[A-Z])/g)) last = m.index;
  return last;
}

function lastAmountEnd(text: string): number {
  let last = -1;
  for (const m of text.matchAll(/[\d$€£₹¥]/g)) last = m.index;
  return last;
}

/** The few words right after the amount, up to punctuation or a conjunction: "learning budget", "Series B". */
function clauseAfter(text: string, end: number): string {
  const window = cutAt(text.slice(end, end + 40), /[\n;,(+|•·]|\.\s|\s(?:and|plus|with|or)\s/);
  return window.split(/\s+/).filter(Boolean).slice(0, 4).join(' ');
}

function cutAt(text: string, boundary: RegExp): string {
  const at = text.search(boundary);
  return at >= 0 ? text.slice(0, at) : text;
}

function mergeCurrency(a: CurrencyMark | null, b: CurrencyMark | null): CurrencyMark | null {
  if (!a) return b;
  if (!b) return a;
  // "$100,000 - $120,000 CAD": the code names what the bare "$" meant.
  if (a.bareDollar && !b.bareDollar && b.firm) return b;
  if (!a.firm && b.firm) return b;
  return a;
}

function resolveDollar(text: string, candidate: Candidate, mark: CurrencyMark): string {
  if (!mark.bareDollar) return mark.code;
  const from = Math.max(0, candidate.start - DOLLAR_HINT_REACH);
  const window = text.slice(from, candidate.end + DOLLAR_HINT_REACH);
  let best: { code: string; distance: number } | null = null;
  for (const m of window.matchAll(DOLLAR_HINT_RE)) {
    const code = m[1] ?? DOLLAR_HINT_CODES[m[2] ?? m[3] ?? m[4]!.toLowerCase()] ?? 'USD';
    const at = from + m.index;
    const distance = at < candidate.start ? candidate.start - at : Math.max(0, at - candidate.end);
    if (!best || distance < best.distance) best = { code, distance };
  }
  return best?.code ?? 'USD';
}

function bounds(
  text: string,
  candidate: Candidate,
  lowValue: number,
  highValue: number | null,
  currency: string | null,
  period: SalaryPeriod,
): Salary {
  if (highValue !== null) return { min: lowValue, max: highValue, currency, period };
  const before = text.slice(Math.max(0, candidate.start - 30), candidate.start);
  if (UP_TO_RE.test(before)) return { min: null, max: lowValue, currency, period };
  if (candidate.low.openEnded || FROM_RE.test(before) || OR_MORE_RE.test(text.slice(candidate.end, candidate.end + 16))) {
    return { min: lowValue, max: null, currency, period };
  }
  return { min: lowValue, max: lowValue, currency, period };
}

function plausible(salary: Salary): boolean {
  const units = UNITS_PER_USD[salary.currency ?? 'USD'] ?? 1;
  const generous = GENEROUS_CURRENCIES.has(salary.currency ?? '');
  const floor = MIN_ANNUAL_USD * units * (generous ? 0.25 : 1);
  const ceiling = MAX_ANNUAL_USD * units * (generous ? 2 : 1);
  const { min, max } = annualize(salary);
  for (const value of [min, max]) {
    if (value !== null && (value < floor || value > ceiling)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Merge

/**
 * Postings often state several salaries (per location, per level, or the same range twice).
 * We report the widest band covering them: min of mins, max of maxes, among the salaries in the
 * same currency and period as the first one found; other currencies and periods are dropped
 * rather than converted. A missing bound ("up to $180k") is widened by any stated bound.
 */
function mergeSalaries(found: readonly Salary[]): Salary | null {
  const first = found[0];
  if (!first) return null;
  const band = found.filter((s) => s.currency === first.currency && s.period === first.period);
  const mins = band.map((s) => s.min).filter((v): v is number => v !== null);
  const maxes = band.map((s) => s.max).filter((v): v is number => v !== null);
  return {
    min: mins.length ? Math.min(...mins) : null,
    max: maxes.length ? Math.max(...maxes) : null,
    currency: first.currency,
    period: first.period,
  };
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
