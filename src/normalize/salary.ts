/**
 * Salary from posting text, in stages so later rules slot in without one giant regex:
 *
 * 1. mask: numeric things that are never pay are blanked first (401(k), phone numbers, dates,
 *    US zip codes) and so are working-time statements ("3 days/week", "37.5 hours per week",
 *    "20 Std./Woche", "2 jours/semaine"), whose period word belongs to the schedule, not to pay,
 *    and durations ("12-month contract", "6 months").
 *    Leftover HTML entities ("&ndash;", "&euro;") are read as their character.
 * 2. tokenize: every number as written ("$120K", "80.000 €", "1 200 €", "18,50 €", "₹25 LPA",
 *    "₹30L", "12 Lacs"), with the currency mark and the k / m / lakh multiplier attached to it.
 * 3. pair: "A - B", "A to B", "A à B", "A bis B", "between A and B", "entre A et B" become one
 *    range candidate; everything else is a single-value candidate.
 * 4. assess: each candidate collects evidence from its context and vetoes, gets a period, and
 *    must be plausible pay once annualized. The rules a careful reader applies:
 *    - A number with a currency mark ($, €, USD, ...) is pay unless its context says what else it
 *      is: budgets, stipends, allowances, funding, revenue, bonuses, bounties, prizes, quotas,
 *      savings, "per finding" / "per referral" (a rate per anything but time), "€4 billion in
 *      assets", "customers pay $X", "up to $500,000" in a clause about "2x salary".
 *    - In the description (running text), an amount must also be stated as pay: a pay word or verb
 *      near it in its paragraph ("Salary range", "this role pays", "we offer"), or it stands in a
 *      short header-like line or field of its own ("$160,000 – $180,000 + super", "€70k – €85k ·
 *      Amsterdam"). "Our AWS bill is $40,000 a month" is neither. Title and location are labels:
 *      an amount there needs no such context.
 *    - A bare number (no currency mark, or only a hint such as "dollars" or "lakh") needs salary
 *      context (a pay word earlier in its clause, "Salary: 150-180k", or right after it, "150k
 *      base", "45k p.a."; or a k-range alone in a header field, "| 130k-160k |") AND must not be a
 *      quantity: the word after it must be one a salary can be followed by (a pay, period, place or
 *      function word), not a counted noun or unit ("40,000 containers a month", "2,000 experiments
 *      a week", "40 TB of daily data").
 *    - A period word belongs to an amount only when adjacent to it: right after it (only words
 *      such as "gross", "brutto", "USD", "+ super" in between: "€95,000 gross per year",
 *      "18 €/Stunde", "1 200 € / mois"), or as the label of its clause before it ("Hourly rate:
 *      $60-75", "Jahresgehalt: 80.000 €"). Pipes, semicolons, line and sentence ends are
 *      boundaries, so in "NYC, hybrid 3 days/week | $150-175k" the week is not the pay's.
 * 5. currency: a symbol or code as written ("USD $94,300" and "$180,000 USD" are USD). A plain "$"
 *    (or a bare number) takes the currency of its context, nearest first: a currency code or a
 *    named dollar near the amount ("All amounts in CAD", "Canadian dollars": the text wins; a code
 *    written on another amount, "CA$120,000", is that amount's), then a place in the amount's own
 *    label ("Toronto: $150k", "$150k for candidates in Canada"), then the posting's location
 *    ("Toronto, ON", "Sydney NSW": CAD, AUD), then a place named earlier on the same line (an HN
 *    header); otherwise USD for "$" and none for a bare number. A "$" only ever becomes a dollar
 *    (CAD, AUD, NZD, SGD, HKD); a bare number takes the country's currency ("150-180k" in Berlin is
 *    EUR); "kr" is SEK, NOK or DKK by place. A location naming several countries ("US or
 *    Canada") decides nothing; Europe as a whole yields to a country named with it ("in USA,
 *    also in Europe" is the USA's). "LPA", "lakh", "lacs", "crore" amounts are INR.
 * 6. choose (see chooseSalary): when a posting states several salaries,
 *    - base only: amounts labelled total compensation / OTE / TC are never the salary ("$150k
 *      base, $220k OTE" -> $150k; "$150-$190K OTE" alone -> none);
 *    - the band that applies: when at least two bands are labelled by location ("San Francisco:
 *      $180-220k; New York: $170-210k; Remote US: $150-190k", "(Toronto) / (US)", "Zone A (SF,
 *      NYC) | Zone B | Zone C", "All other US locations") and one label fits the posting's
 *      location best (same metro area; else remote in the same country; else a country-wide label
 *      such as "All other US locations"), that band;
 *    - else the widest: the envelope (lowest min, highest max) of the salaries in the currency and
 *      period of the first one stated; others are dropped rather than converted. This is also the
 *      salary of a post stating bands for several roles or levels ("Sr: $153k-$220k, Staff:
 *      $190k-$275k" is $153k-$275k): the top of what the job can pay.
 *
 * Every window is bounded and a field is read up to its first 2,000 numbers, so extraction is
 * linear in the text's length whatever it contains.
 */
import type { Salary, SalaryPeriod } from '../core/types.js';
import {
  AMOUNT_FILLER_RE,
  BARE_FOLLOWERS,
  CODE_ALTERNATION,
  COUNT_AFTER_RE,
  CURRENCY_CODES,
  HINT_CODE_ALTERNATION,
  lastPeriodIn,
  LOCATION_CATEGORY_RE,
  NOT_PAY_AFTER_RE,
  NOT_PAY_BEFORE_RE,
  PAY_NOUN_ADJECTIVES_RE,
  PAY_LINE_WORDS,
  PAY_NOUNS,
  PAY_VERBS_RE,
  PERIOD_LABEL_WORDS,
  periodAtStart,
  SALARY_WORDS_RE,
  SCHEDULE_RE,
  DURATION_RE,
  TIME_COUNT_RE,
  TOTAL_AFTER_PERIOD_RE,
  TOTAL_AFTER_RE,
  TOTAL_BEFORE_RE,
  UNIT_RE,
} from './salary-lexicon.js';
import { DEFAULT_EXCHANGE_RATES } from '../match/currency.js';
import { bandFit, currencyOfPlaces, dollarOfPlaces, namesNoPlace, placesIn, withoutPlaces, type Places } from './salary-places.js';

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

/**
 * The salary stated in a posting (title first, then location, then description); null when none
 * is stated. The location also decides what a plain "$" means and which per-location band applies.
 */
export function extractSalary(input: { title: string; location?: string | null; description: string }): Salary | null {
  const location = placesIn(input.location ?? '');
  const found: Mention[] = [];
  // Fields are scanned separately so a context window never reaches from one field into another.
  // The title and location are labels: an amount there is pay. The description is prose, where an
  // amount must also be stated as pay (see payContext).
  found.push(...mentionsIn(input.title, location, false));
  found.push(...mentionsIn(input.location ?? '', location, false));
  // A posting that pays per piece of work ("Writers are paid on a per-word basis", "The rate of pay
  // is $20 per 100 words") states no wage: a salary figure next to it is an estimate from that rate.
  if (!paysPerPiece(input.description)) found.push(...mentionsIn(input.description, location, true));
  return chooseSalary(found, location);
}

// ---------------------------------------------------------------------------------------------
// Currencies

interface CurrencyMark {
  code: string;
  /** Symbols and ISO codes are firm; words ("50 pounds", "dollars") and "lakh" are only a hint. */
  firm: boolean;
  /** A mark shared by several currencies, settled by context: "$" (dollar) or "kr" (krona/krone). */
  family: 'dollar' | 'krona' | 'rand' | null;
}

/** Currency marks written before a number, longest first so "US$" wins over "$". */
const PREFIX_SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['USD$', 'USD'], ['CAD$', 'CAD'], ['AUD$', 'AUD'],
  ['US$', 'USD'], ['CA$', 'CAD'], ['AU$', 'AUD'], ['NZ$', 'NZD'], ['SG$', 'SGD'], ['HK$', 'HKD'], ['MX$', 'MXN'],
  ['NT$', 'TWD'], ['KSh', 'KES'], ['E£', 'EGP'],
  ['C$', 'CAD'], ['A$', 'AUD'], ['S$', 'SGD'], ['R$', 'BRL'], ['Rs.', 'INR'], ['Rs', 'INR'], ['Rp', 'IDR'], ['RM', 'MYR'],
  ['zł', 'PLN'], ['Kč', 'CZK'],
  ['$', 'USD'], ['£', 'GBP'], ['€', 'EUR'], ['₹', 'INR'], ['¥', 'JPY'], ['￥', 'JPY'], ['₦', 'NGN'], ['₪', 'ILS'], ['₩', 'KRW'],
  ['₱', 'PHP'], ['₺', 'TRY'], ['₴', 'UAH'], ['฿', 'THB'], ['₫', 'VND'],
  // South African rand, read with care: "R" is a rand only where the posting is in South Africa.
  ['R', 'ZAR'],
];
const DOLLAR_CODE_BEFORE_RE = /(?<![A-Za-z])(USD|CAD|AUD|NZD|SGD|HKD|MXN)\s?$/;
const PREFIX_CODE_RE = new RegExp(`(?<![A-Za-z])(${CODE_ALTERNATION})[\\s\\u00a0]?$`);
const SUFFIX_CODE_RE = new RegExp(`^[\\s\\u00a0]?\\(?(${CODE_ALTERNATION})\\)?(?![A-Za-z])`);
const SUFFIX_SYMBOL_RE = /^[\s\u00a0]?([€£₹$₦₪₩₱₺₴฿₫]|kr\b|zł|Kč|Ft\b|lei\b|лв)/;
const SUFFIX_WORD_RE = /^\s?(dollars?|euros?|pounds?|rupees?|yen)\b/i;
const SUFFIX_SYMBOL_CODES: Readonly<Record<string, string>> = {
  '€': 'EUR', '£': 'GBP', '₹': 'INR', $: 'USD', kr: 'SEK', '₦': 'NGN', '₪': 'ILS', '₩': 'KRW', '₱': 'PHP', '₺': 'TRY', '₴': 'UAH',
  '฿': 'THB', '₫': 'VND', zł: 'PLN', Kč: 'CZK', Ft: 'HUF', lei: 'RON', лв: 'BGN',
};
const SUFFIX_WORD_CODES: Readonly<Record<string, string>> = { dollar: 'USD', euro: 'EUR', pound: 'GBP', rupee: 'INR', yen: 'JPY' };
const ANY_CURRENCY_NEAR_RE = new RegExp(`[$€£₹¥₦₪₩₱₺₴฿₫]|zł|Kč|\\b(?:${CODE_ALTERNATION}|kr|Ft|lei)\\b`);

/**
 * A dollar currency named near a bare "$" ("All amounts in CAD", "paid in Canadian dollars")
 * decides what that "$" means. A mark written on another amount ("CA$120,000") is not such a hint:
 * it says that amount is in Canadian dollars, nothing about this one.
 */
// Case-sensitive on purpose: "cad" is not a currency, and "CAD software" is ruled out by the lookahead.
const DOLLAR_HINT_RE =
  /\b(USD|CAD|AUD|NZD|SGD|HKD)\b(?!\s*\/|\s+(?:software|tools?|design|drawings?|models?|files?|experience))|\b(American|US|Canadian|Australian|New Zealand|Singapore)\s+[Dd]ollars?\b/g;
const DOLLAR_HINT_CODES: Readonly<Record<string, string>> = {
  american: 'USD', us: 'USD', canadian: 'CAD', australian: 'AUD', 'new zealand': 'NZD', singapore: 'SGD',
};
/** Any ISO code near a bare number ("All amounts in EUR"). */
const CODE_HINT_RE = new RegExp(`\\b(${HINT_CODE_ALTERNATION})\\b(?!\\s+(?:software|tools?|design|drawings?|models?|files?|experience))`, 'g');
const KRONA_HINT_RE = /\b(SEK|NOK|DKK)\b/g;
const RAND_HINT_RE = /\b(ZAR)\b/g;
const HINT_REACH = 150;

/**
 * Rough units per US dollar. Only for plausibility: a yearly figure must lie between about
 * 10,000 and 2,000,000 USD-equivalent. INR and JPY get a lower floor and a higher ceiling because
 * local pay spreads much wider there (3 LPA is a normal junior salary in India).
 */
function unitsPerUsd(currency: string): number {
  const rate = DEFAULT_EXCHANGE_RATES[currency];
  return rate ? 1 / rate : 1;
}
/** Currencies of countries where local pay spreads far below the US-dollar floor (or, for JPY, is written in large units). */
const GENEROUS_CURRENCIES = new Set([
  'INR', 'JPY', 'PKR', 'BDT', 'LKR', 'NGN', 'KES', 'GHS', 'EGP', 'MAD', 'DZD', 'TND', 'UAH', 'IDR', 'PHP', 'VND', 'THB', 'MYR',
  'ARS', 'COP', 'PEN', 'CLP', 'UYU', 'BRL', 'MXN', 'TRY', 'RSD', 'BGN', 'RON', 'HUF', 'ZAR', 'CNY',
]);
const MIN_ANNUAL_USD = 10_000;
const MAX_ANNUAL_USD = 2_000_000;

// ---------------------------------------------------------------------------------------------
// Stage 1: mask

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';

/** Numeric things that are never pay, blanked (same length, so offsets hold) before tokenizing. */
const NEVER_PAY: readonly RegExp[] = [
  /\b(?:401|403|457)\s?\(?[kKbB]\)?(?![\p{L}\p{N}])/gu, // retirement plans
  /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g, // phone numbers
  /\+\d{1,3}[\s.-]?\d{2,5}[\s.-]?\d{3,5}[\s.-]?\d{0,5}\b/g, // international phone numbers (+91 98765 43210)
  /\b\d{4}-\d{2}-\d{2}\b/g, // ISO dates
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g, // 03/01/2025
  new RegExp(`\\b(?:${US_STATES})\\s\\d{5}(?:-\\d{4})?\\b`, 'g'), // "CA 94105"
  // A US tax form ("U.S.-based, 1099", "1099 contractor"), unless written as money ("$1099").
  /(?<![$€£¥₹]\s?)(?<![\p{N}.,])\b1099(?:-[A-Z]{1,4})?\b(?![.,]?\d)(?!\s?[kK]\b)/gu,
  SCHEDULE_RE, // "3 days/week", "37.5 hours per week"
  DURATION_RE, // "12-month contract", "6 months"
];

/** Entities a source may leave in the text, by what they stand for. */
const ENTITIES: Readonly<Record<string, string>> = {
  ndash: '–', mdash: '—', nbsp: ' ', euro: '€', pound: '£', yen: '¥', dollar: '$', amp: '&', '#8211': '–', '#8212': '—',
  '#x2013': '–', '#x2014': '—', '#36': '$', '#8364': '€', '#163': '£', '#160': ' ',
};

function maskNeverPay(text: string): string {
  // Leftover entities ("$150,000&ndash;$180,000") become their character, right-aligned in the
  // entity's span so every offset holds and a symbol stays against its number.
  let masked = text.replace(/&(#?\w{2,6});/g, (m, name: string) => {
    const ch = ENTITIES[name.toLowerCase()];
    return ch ? ' '.repeat(m.length - 1) + ch : m;
  });
  for (const re of NEVER_PAY) masked = masked.replace(re, (m) => ' '.repeat(m.length));
  return masked;
}

// ---------------------------------------------------------------------------------------------
// Stage 2: tokenize

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
  /**
   * Only believed next to a currency mark: thousands grouped by plain spaces ("50 000", "1 200 €")
   * within reach of one, a decimal comma ("18,50 €") right against one.
   */
  needsCurrency?: 'near' | 'adjacent';
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
  { re: /^\d{1,3}(?: \d{3})+(?![.,]?\d)/, toNumber: (s) => Number(s.replace(/ /g, '')), needsCurrency: 'near' },
  { re: /^\d{1,3},\d{2}(?![.,]?\d)/, toNumber: (s) => Number(s.replace(',', '.')), needsCurrency: 'adjacent' }, // 18,50 €
  { re: /^\d{1,3},\d(?=\s?[kK](?![\p{L}\p{N}]))/u, toNumber: (s) => Number(s.replace(',', '.')) }, // decimal comma before k: "$31,2k"
  { re: /^\d+(?:\.\d+)?(?![.,]?\d)/, toNumber: Number },
];

/** "+ equity" after an amount adds a perk; it does not open the range. */
const PLUS_PERK_RE = /^\+\s*(?:equity|bonus|benefits|commission|stock|rsus?)\b/i;
const PLUS_BEFORE_MULTIPLIER_RE = /^\+\s?(?:k|K|m|M|mm|MM|bn|thousand|million|mio|billion)(?![\p{L}\p{N}])/u;

const INR_HINT: CurrencyMark = { code: 'INR', firm: false, family: null };

/** "₹30L": L for lakh, only right after a rupee amount (elsewhere "30L" is litres or a level). */
const RUPEE_LAKH_RE = /^ ?L(?![\p{L}\p{N}])/u;

const MULTIPLIERS: ReadonlyArray<readonly [RegExp, number, SalaryPeriod | null, CurrencyMark | null]> = [
  [/^ ?[kK](?![\p{L}\p{N}])/u, 1e3, null, null],
  [/^ ?T(?=\s?(?:EUR\b|€))/u, 1e3, null, null], // German "75 TEUR", "75 T€"
  [/^ ?(?:mm|MM|mn|Mn|m|M)(?![\p{L}\p{N}])/u, 1e6, null, null],
  [/^ ?(?:bn|b|B)(?![\p{L}\p{N}])/u, 1e9, null, null],
  [/^ ?thousand\b/i, 1e3, null, null],
  [/^ ?(?:million|mio\.?|mil)\b/i, 1e6, null, null],
  [/^ ?billion\b/i, 1e9, null, null],
  // Lakhs per annum: only ever written about pay, in rupees.
  [/^ ?lpa\b/i, 1e5, 'year', { code: 'INR', firm: true, family: null }],
  // Lakh and crore say rupees, but count other things too ("40 lakh users"), so only a hint.
  [/^ ?(?:lakhs?|lacs?|lakh)\b/i, 1e5, null, INR_HINT],
  [/^ ?(?:crores?|cr)\b/i, 1e7, null, INR_HINT],
];

/**
 * Every amount in the text, in order, up to MAX_TOKENS_PER_FIELD: a real posting states a few
 * dozen numbers, so a huge text full of numbers is read only that far and stays cheap.
 */
function tokenize(text: string): AmountToken[] {
  const tokens: AmountToken[] = [];
  const digitRe = /\d/g;
  let match: RegExpExecArray | null;
  while (tokens.length < MAX_TOKENS_PER_FIELD && (match = digitRe.exec(text)) !== null) {
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
  const ahead = text.slice(i, i + NUMBER_REACH);
  for (const shape of NUMBER_SHAPES) {
    const m = shape.re.exec(ahead);
    if (!m) continue;
    const digits = m[0];
    let end = i + digits.length;
    if (shape.needsCurrency === 'near' && !prefix.mark && !ANY_CURRENCY_NEAR_RE.test(text.slice(Math.max(0, i - 20), end + 20))) continue;
    if (shape.needsCurrency === 'adjacent' && !prefix.mark && !currencyAfter(text, end).mark) continue;

    let multiplier = 1;
    let period: SalaryPeriod | null = null;
    let impliedCurrency: CurrencyMark | null = null;
    let openEnded = false;
    // "$85+ million": the "+" stands between the number and its multiplier.
    if (PLUS_BEFORE_MULTIPLIER_RE.test(text.slice(end, end + 12))) {
      openEnded = true;
      end += 1;
    }
    const rest = text.slice(end, end + 12);
    const lakh = prefix.mark?.code === 'INR' ? RUPEE_LAKH_RE.exec(rest) : null;
    if (lakh) {
      multiplier = 1e5;
      end += lakh[0].length;
    }
    for (const [re, factor, impliedPeriod, currency] of lakh ? [] : MULTIPLIERS) {
      const mm = re.exec(rest);
      if (!mm) continue;
      multiplier = factor;
      period = impliedPeriod;
      impliedCurrency = currency;
      end += mm[0].length;
      break;
    }
    // A letter glued to the number ("10x", "3D", "24h", "2nd") makes it a word, not an amount.
    if (multiplier === 1 && /^[\p{L}]/u.test(text.slice(end, end + 1))) return null;

    if (!openEnded && text[end] === '+' && !PLUS_PERK_RE.test(text.slice(end, end + 16))) {
      openEnded = true;
      end += 1;
    }

    let currency = prefix.mark;
    const start = prefix.start;
    const suffix = currencyAfter(text, end);
    // A code after a "$" amount names its dollar: "$180,000 USD", "$150k CAD".
    if (!currency || (currency.family === 'dollar' && suffix.mark?.firm && !suffix.mark.family)) {
      currency = suffix.mark ?? currency;
      end = suffix.end;
    }
    if (!currency || (!currency.firm && impliedCurrency?.firm)) currency = impliedCurrency ?? currency;
    // "$200K USD+": the plus may follow the code.
    if (!openEnded && end > i + digits.length && text[end] === '+' && /[A-Za-z]$/.test(text.slice(0, end)) && !PLUS_PERK_RE.test(text.slice(end, end + 16))) {
      openEnded = true;
      end += 1;
    }
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

/** Letter currency marks written against the number: "Rs50,000", "Rp15.000.000", "RM8,000", "KSh120,000". */
const GLUED_PREFIXES = new Set(['Rs', 'Rp', 'RM', 'KSh', 'Sh', 'R']);

/** Rejects digits glued to a word: "Q3", "H1B", "GPT-4", "L5" (but not "USD130"). */
function startsFreeNumber(text: string, i: number): boolean {
  const prev = text[i - 1] ?? '';
  if (/[\p{L}]/u.test(prev)) {
    const word = /[A-Za-z]+$/.exec(text.slice(Math.max(0, i - 4), i))?.[0] ?? '';
    return CURRENCY_CODES.includes(word.toUpperCase()) || GLUED_PREFIXES.has(word);
  }
  // "GPT-4" is a name; "120k-140k" is a range whose first end carries a multiplier.
  if (prev === '-' && /[\p{L}]/u.test(text[i - 2] ?? '') && !/\d\s?(?:k|K|m|M|mm|MM)$/.test(text.slice(Math.max(0, i - 5), i - 1))) {
    return false;
  }
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
    if (symbol === '$') {
      // "USD $94,300", "CAD $170,000": the code says which dollar.
      const code = DOLLAR_CODE_BEFORE_RE.exec(text.slice(Math.max(0, at - 5), at));
      if (code) return { mark: { code: code[1]!, firm: true, family: null }, start: at - code[0].length };
    }
    if (symbol === 'R') return { mark: { code, firm: false, family: 'rand' }, start: at };
    return { mark: { code, firm: true, family: symbol === '$' ? 'dollar' : null }, start: at };
  }
  const from = Math.max(0, i - 5);
  const code = PREFIX_CODE_RE.exec(text.slice(from, i));
  if (code) return { mark: { code: code[1]!, firm: true, family: null }, start: from + code.index };
  return { mark: null, start: i };
}

function currencyAfter(text: string, end: number): { mark: CurrencyMark | null; end: number } {
  const rest = text.slice(end, end + 12);
  const code = SUFFIX_CODE_RE.exec(rest);
  if (code) return { mark: { code: code[1]!.toUpperCase(), firm: true, family: null }, end: end + code[0].length };
  const symbol = SUFFIX_SYMBOL_RE.exec(rest);
  if (symbol) {
    const s = symbol[1]!;
    const family = s === '$' ? 'dollar' : s === 'kr' ? 'krona' : null;
    return { mark: { code: SUFFIX_SYMBOL_CODES[s]!, firm: true, family }, end: end + symbol[0].length };
  }
  const word = SUFFIX_WORD_RE.exec(rest);
  if (word) {
    const singular = word[1]!.toLowerCase().replace(/s$/, '');
    const mark: CurrencyMark = { code: SUFFIX_WORD_CODES[singular]!, firm: false, family: singular === 'dollar' ? 'dollar' : null };
    return { mark, end: end + word[0].length };
  }
  return { mark: null, end };
}

// ---------------------------------------------------------------------------------------------
// Stage 3: pair tokens into candidates

interface Candidate {
  start: number;
  end: number;
  low: AmountToken;
  /** The upper end of a range; null for a single value. */
  high: AmountToken | null;
}

// A period may be written on both ends ("$155,000/yr - $185,000/yr").
const RANGE_JOINER_RE =
  /^(?:\s*\/\s?(?:yr|year|hr|hour|h|day|d|wk|week|mo|month|annum))?\s*(?:-|–|—|‒|―|‐|‑|~|to|through|thru|and|up\s+to|à|a|bis|et|und)\s*$/i;

/** The word a conjunction range needs in front: "between $100k and $130k", "entre 50 et 60 k€". */
const RANGE_LEADS: Readonly<Record<string, RegExp>> = {
  and: /\bbetween\s*$/i,
  et: /\bentre\s*$/i,
  und: /\bzwischen\s*$/i,
  a: /\b(?:de|da|desde)\s*$/i,
};

function pairCandidates(text: string, tokens: readonly AmountToken[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const low = tokens[k]!;
    let high = tokens[k + 1];
    if (high && !low.openEnded && joinsRange(text, low, high)) {
      const mended = mendStraySpace(text, low, high);
      if (mended) {
        high = mended;
        // The thousands group read into the upper end is no amount of its own.
        if (tokens[k + 2] && tokens[k + 2]!.start < mended.end) k += 1;
      }
      candidates.push({ start: low.start, end: high.end, low, high });
      k += 1;
    } else {
      candidates.push({ start: low.start, end: low.end, low, high: null });
    }
  }
  return candidates;
}

/**
 * The upper end of a range written with a stray space in its thousands ("$60,675- $101, 125"): read
 * as a careful reader reads it (101,125), since "$101" cannot top a range starting at $60,675.
 */
function mendStraySpace(text: string, low: AmountToken, high: AmountToken): AmountToken | null {
  if (high.multiplier !== 1 || high.openEnded || high.value >= 1000 || !Number.isInteger(high.value)) return null;
  const lowValue = low.value * low.multiplier;
  if (lowValue < 1000 || high.value * 1000 < lowValue) return null;
  const group = /^, (\d{3})(?![\d.,]|\s?[kKmM](?![\p{L}]))/u.exec(text.slice(high.end, high.end + 8));
  if (!group) return null;
  return { ...high, value: high.value * 1000 + Number(group[1]), end: high.end + group[0].length, yearLike: false };
}

function joinsRange(text: string, low: AmountToken, high: AmountToken): boolean {
  const between = text.slice(low.end, high.start);
  const joiner = RANGE_JOINER_RE.exec(between);
  if (!joiner) return false;
  const word = /(and|et|und|a)\s*$/i.exec(between)?.[1]?.toLowerCase();
  // "and" joins only after "between" ("$5,000 budget and $1,000 stipend" is two amounts); likewise
  // French "entre ... et", German "zwischen ... und", Spanish/Italian "de/da ... a".
  if (word) {
    const lead = text.slice(Math.max(0, low.start - 12), low.start);
    const wanted = RANGE_LEADS[word];
    if (wanted && !wanted.test(lead)) return false;
  }
  const a = low.currency;
  const b = high.currency;
  if (a && b && a.firm && b.firm && a.code !== b.code && !a.family && !b.family) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Stage 4: assess each candidate

const UP_TO_RE = /\b(?:up\s+to|maximum(?:\s+of)?|max\.?|as\s+much\s+as|bis\s+zu|jusqu['’]à)\s*$/i;
const FROM_RE = /\b(?:from|starting\s+(?:at|from)|starts\s+at|at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|in\s+excess\s+of|ab|à\s+partir\s+de)\s*$/i;
const OR_MORE_RE = /^\s*(?:or\s+(?:more|higher|above)|and\s+(?:up|above))\b/i;
const PERCENT_RE = /^\s*(?:%|percent\b|pct\b)/i;
const MONTH_HINT_RE = /\bmonth(?:ly)?\b|\/\s?mo\b|\bpcm\b|\bmois\b|\bmensuel|\bmonat/i;
/** A rate per something other than time: "$50,000 per finding", "$500 per referral", "$5/GB". */
const PER_UNIT_RE = /^(?:(?:per|each|every|pro|par|je)\s+(?:\d[\d,.]*\s+)?(?!rata\b)|\/\s?)([\p{L}]+)/iu;
/** "$150k in base salary" vs "€4 billion in assets". */
const IN_OF_RE = /^(?:in|of)\s+((?:[\p{L}-]+\s*){0,3})/iu;
/** Phrases "in"/"of" start that do not say what the amount is of: "of which", "in addition to", "in line with". */
const IN_OF_PHRASES = new Set(['which', 'whom', 'whose', 'addition', 'course', 'line', 'accordance', 'total']);

/** What a found amount is, with the context chooseSalary needs. */
interface Mention {
  salary: Salary;
  /** What says which band the amount is (see bandLabel): "San Francisco Bay Area:", "(US)". */
  label: string;
  /** Stated as total compensation or OTE rather than base pay. */
  total: boolean;
}

/** Every salary a text states, in order of appearance. */
function mentionsIn(text: string, location: Places, prose: boolean): Mention[] {
  if (!/\d/.test(text)) return [];
  const masked = maskNeverPay(text);
  // Rare statements looked for once per field, so each amount pays for them only when present.
  const field: FieldFacts = { pieceRate: PIECE_RATE_RE.test(masked), oteRange: OTE_RANGE_RE.test(masked) };
  const mentions: Mention[] = [];
  let assessed = 0;
  for (const candidate of pairCandidates(masked, tokenize(masked))) {
    if (!couldBePay(candidate)) continue;
    // Like tokens, candidates are read up to a bound (see tokenize).
    if (++assessed > MAX_CANDIDATES_PER_FIELD) break;
    const mention = assess(masked, candidate, location, prose, field);
    if (mention) mentions.push(mention);
  }
  return mentions;
}

/** What one field states anywhere, found once per field. */
interface FieldFacts {
  /** A rate per piece of work ("$20 per 100 words"). */
  pieceRate: boolean;
  /** A pay range said to be on-target earnings. */
  oteRange: boolean;
}

const MAX_CANDIDATES_PER_FIELD = 500;
const MAX_TOKENS_PER_FIELD = 2000;

/** Cheap first filter: numbers too small or too large to be pay at any period, in any currency. */
function couldBePay(candidate: Candidate): boolean {
  for (const token of candidate.high ? [candidate.low, candidate.high] : [candidate.low]) {
    const value = token.value * token.multiplier;
    if (token.multiplier === 1 && !candidate.high && value < 1) return false;
    if (value > MAX_ANNUAL_USD * 2 * 30_000) return false; // beyond the most generous ceiling (VND)
  }
  return true;
}

function assess(text: string, candidate: Candidate, location: Places, prose: boolean, field: FieldFacts): Mention | null {
  const { low, high } = shareMultiplier(candidate);
  if (vetoed(text, candidate)) return null;

  const currencyMark = mergeCurrency(low.currency, high?.currency ?? null);
  const after = afterAmount(text, candidate.end);
  const statedPeriod = low.period ?? high?.period ?? after.period ?? periodBefore(text, candidate.start);
  const multiplied = low.multiplier > 1 || (high?.multiplier ?? 1) > 1;
  const lowValue = roundCents(low.value * low.multiplier);
  const highValue = high ? roundCents(high.value * high.multiplier) : null;
  const value = highValue ?? lowValue;

  if (!currencyMark?.firm) {
    // A bare number: pay only with salary context, and only when it is not a count of something.
    // A k-range alone in its header field or line ("| 130k-160k |") is also stated as pay.
    const alone = multiplied && high !== null && proseWordsAround(text, candidate) === 0;
    const context = SALARY_WORDS_RE.test(clauseBefore(text, candidate.start, 120)) || after.payWord || after.annum || alone;
    if (!context || after.quantity) return null;
    // ...and it must look like money on its own: "5" near "pay" is a count; "150,000" or "160k" is not.
    if (!multiplied && statedPeriod === null && value < 1000) return null;
  }
  if (after.notPay) return null;
  if (highValue !== null && lowValue > highValue) return null;
  if (prose && !payContext(text, candidate)) return null;
  if ((!after.payWord && inVariablePayClause(text, candidate)) || (field.pieceRate && inPieceRateSentence(text, candidate))) return null;
  if (prose && inBenefitsList(text, candidate)) return null;

  const period = statedPeriod ?? inferPeriod(text, candidate, value);
  // A small number whose period is only guessed ("$60") is pay only when the text talks about pay.
  if (!statedPeriod && period === 'hour' && !SALARY_WORDS_RE.test(window(text, candidate, 120, 60))) return null;

  const currency = resolveCurrency(text, candidate, currencyMark, location);
  const salary = bounds(text, candidate, lowValue, highValue, currency, period);
  if (!plausible(salary)) return null;
  const before = labelBefore(text, candidate.start);
  return {
    salary,
    label: bandLabel(text, candidate),
    total:
      statedAsTotal(before) ||
      TOTAL_AFTER_RE.test(text.slice(candidate.end, candidate.end + 30)) ||
      TOTAL_AFTER_PERIOD_RE.test(text.slice(candidate.end, candidate.end + 40)) ||
      (field.oteRange && OTE_RANGE_RE.test(text.slice(Math.max(0, candidate.start - 400), candidate.start))),
  };
}

/**
 * The pay paragraph before the amount says the range is on-target earnings ("the range provided
 * is the role's On Target Earnings ("OTE") range, meaning that the range includes both the sales
 * commissions ... and annual base salary").
 */
const OTE_RANGE_RE =
  /\brange\b[^.\n]{0,60}\b(?:on[- ]target\s+earnings|OTE)\b|\brange\s+includes\b[^.\n]{0,60}\b(?:commissions?|bonus(?:es)?|variable)\b/i;

/**
 * Labelled as total compensation or OTE ("Total comp $250k-$320k", "OTE: $220k"), unless the label
 * goes on to name the base ("our total compensation package includes a base salary of $X").
 */
function statedAsTotal(label: string): boolean {
  let last = -1;
  for (const m of label.matchAll(TOTAL_BEFORE_RE)) last = m.index + m[0].length;
  return last >= 0 && !/\bbase\b/i.test(label.slice(last));
}

/** "130-160k" means 130k-160k; "120k-150" means 120k-150k; "$154-190,000" means 154k-190k; "12-18 Lacs" means 12-18 lakh. */
function shareMultiplier(candidate: Candidate): { low: AmountToken; high: AmountToken | null } {
  const { low, high } = candidate;
  if (!high) return { low, high };
  if (high.multiplier > 1 && low.multiplier === 1 && low.value < 1000 && low.value <= high.value) {
    return { low: { ...low, multiplier: high.multiplier }, high };
  }
  // "$154-190,000": the thousands written once, on the upper end.
  const highValue = high.value * high.multiplier;
  if (low.multiplier === 1 && high.multiplier === 1 && low.value >= 10 && low.value < 1000 && highValue >= 10_000 &&
    low.value * 1000 <= highValue && low.value * 2000 > highValue) {
    return { low: { ...low, multiplier: 1000 }, high };
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
  const lead = text.slice(Math.max(0, candidate.start - 60), candidate.start);
  const notPay = NOT_PAY_BEFORE_RE.exec(lead);
  if (notPay && (!notPay[1] || notPay[1] === ':' || startsItsField(lead, notPay.index))) {
    // "Bonus: $20,000" is a bonus; "Salary and bonus: $150k-$180k" is labelled as pay first.
    const nounAt = candidate.start - lead.length + notPay.index;
    const labelledAsPay = notPay[0].includes(':') && SALARY_WORDS_RE.test(clauseBefore(text, nounAt, 60));
    if (!labelledAsPay && !PAY_STIPEND_RE.test(text.slice(Math.max(0, nounAt - 20), nounAt + 10))) return true;
  }
  // Money earned by others: "have helped A·Teamers earn $85,000", "our creators have earned $2M".
  if (OTHERS_EARN_RE.test(lead)) return true;
  // "Life insurance of 2x salary, up to $500,000": an amount in a clause about a multiple of salary is a cap.
  return MULTIPLE_OF_SALARY_RE.test(clauseBefore(text, candidate.start, 80));
}

/**
 * True when at most two words stand before the noun in its field (line, bullet, pipe, after a colon):
 * "Relocation - $10,000", "Annual learning budget - $1,500" are labels; in "* Senior Engineer, Data
 * Pipeline - $160k" the noun ends a job title.
 */
function startsItsField(lead: string, nounAt: number): boolean {
  const before = lead.slice(0, nounAt);
  let from = -1;
  for (const boundary of ['\n', '|', '•', ';', ':']) from = Math.max(from, before.lastIndexOf(boundary));
  return (before.slice(from + 1).match(/\p{L}+/gu)?.length ?? 0) <= 2;
}

/**
 * A stipend paid per period, or that of a fellowship or internship ("Weekly stipend of 3,850 USD"),
 * is the pay itself; a stipend for something (home office, learning, wellness) is a perk.
 */
const PAY_STIPEND_RE = /(?<![\p{L}])(?:weekly|monthly|annual|yearly|daily|living|fellowship|research|internship|intern)\s+stipends?(?![\p{L}])/iu;

/**
 * Variable pay named before the amount in its clause: "plus an additional 10% target commission plan
 * tied to GTV milestones ($10,000-$11,500)", "Variable Commission Plan (Additional $18000)". The
 * amount is that variable pay, unless a base-pay word comes between ("commission, base salary $80k").
 */
const VARIABLE_BEFORE_RE =
  // Words are letters joined by ' or -, separators are non-letters: no two parts can match the same
  // characters, so the pattern cannot backtrack beyond its bounded window.
  /(?<![\p{L}])(?:commissions?|variable|incentives?|bonus(?:es)?)(?![\p{L}])((?:[^\p{L}\p{N}]+\p{L}+(?:['’-]\p{L}+)*){0,6})[^\p{L}\p{N}]*$/iu;
const BASE_WORD_RE = /(?<![\p{L}])(?:salary|salaries|base|wages?|gehalt|salaire)(?![\p{L}])/iu;

function inVariablePayClause(text: string, candidate: Candidate): boolean {
  const m = VARIABLE_BEFORE_RE.exec(labelBefore(text, candidate.start, 160));
  // "A $10,000 signing bonus and $150k base salary": a conjunction or comma starts another item.
  return m !== null && !BASE_WORD_RE.test(m[1] ?? '') && !/,|(?<![\p{L}])(?:and|or|but|while)(?![\p{L}])/iu.test(m[1] ?? '');
}

/**
 * A sentence that states a rate per piece of work ("$20 per 100 words", "$100 per article"): the
 * other amounts in it are the same rate restated ("approximately $50 per hour"), not a stated wage.
 */
const PIECE_RATE_RE =
  /[$€£]\s?\d[\d,.]*\s*(?:per|\/|a|an|each)\s*(?:\d[\d,.]*\s+)?(?:words?|articles?|pieces?|posts?|pages?|items?|tasks?|videos?|reviews?|submissions?|assignments?|deliverables?)(?![\p{L}])/iu;

const PER_PIECE_BASIS_RE = /\bper[- ](?:word|article|piece|post|page)\s+basis\b/i;

function paysPerPiece(text: string): boolean {
  if (PER_PIECE_BASIS_RE.test(text)) return true;
  const m = PIECE_RATE_RE.exec(text);
  if (!m) return false;
  // Only a piece rate stated as the pay ("The rate of pay is $20 per 100 words"), not a fee in passing.
  const sentenceStart = Math.max(text.lastIndexOf('. ', m.index), text.lastIndexOf('\n', m.index), m.index - 200, 0);
  return SALARY_WORDS_RE.test(text.slice(sentenceStart, m.index + m[0].length));
}

function inPieceRateSentence(text: string, candidate: Candidate): boolean {
  const sentence = `${clauseBefore(text, candidate.start, 200)} ${cutAt(text.slice(candidate.end, candidate.end + 200), /[\n!?]|\.(?:\s|$)/)}`;
  return PIECE_RATE_RE.test(sentence);
}

/**
 * An amount in a list item under a benefits heading ("Benefits", "Perks", "What we offer"; place
 * sub-headings such as "United States" between are passed over) is a benefit ("Fertility HRA (up to
 * $10,000 per year)"), unless its own item names it as pay ("- Competitive salary of $80k-$100k").
 */
function inBenefitsList(text: string, candidate: Candidate): boolean {
  const lineStart = text.lastIndexOf('\n', candidate.start - 1) + 1;
  const lineEnd = text.indexOf('\n', candidate.end);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (!LIST_ITEM_RE.test(line) || BASE_WORD_RE.test(line) || ITEM_PAY_RE.test(line)) return false;
  // An item that is the amount itself ("* $80,000–$171,000 / year cash") states pay, not a perk.
  if (LIST_ITEM_RE.exec(line)![0].length >= candidate.start - lineStart) return false;
  const floor = Math.max(0, lineStart - BENEFITS_REACH);
  let end = lineStart - 1;
  // Walks back line by line, each line looked at once: linear in the bounded reach.
  while (end > floor) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const above = text.slice(Math.max(start, floor), end).trim();
    end = start - 1;
    if (above === '' || LIST_ITEM_RE.test(above)) continue;
    if (BENEFITS_HEADING_RE.test(above)) return true;
    const words = above.split(/\s+/).length;
    if (words <= 5 && !/\d/.test(above) && !namesNoPlace(placesIn(above))) continue;
    return false;
  }
  return false;
}

const BENEFITS_REACH = 3000;
const ITEM_PAY_RE = /(?<![\p{L}])(?:compensation|pay\s+range|cash|ote|earnings|remuneration)(?![\p{L}])/iu;
const LIST_ITEM_RE = /^\s*(?:[-*•·–—▪◦‣✓✔]|\d{1,2}[.)])\s/u;
const BENEFITS_HEADING_RE =
  /^(?:[#*_\s]*)(?:(?:our|the|employee|additional|other|great|key)\s+)?(?:benefits?|perks?|what\s+we\s+offer|we\s+offer|what\s+you(?:'|’)?ll\s+get|what\s+you\s+get|why\s+(?:join|work)|wellbeing|well-being)(?![\p{L}])/iu;

const OTHERS_EARN_RE =
  /(?:(?<![\p{L}])help(?:ed|s|ing)?\s+(?:[\p{L}·'’.-]+\s+){0,3}|(?<![\p{L}])(?:customers|clients|creators|members|sellers|partners|users|freelancers|drivers|hosts|merchants|affiliates)\s+(?:have\s+|who\s+|that\s+)?)(?:earn(?:ed|s)?|made|make|sav(?:e|ed))\s+(?:(?:over|more\s+than|about|nearly|a\s+total\s+of)\s+)?$/iu;
const MULTIPLE_OF_SALARY_RE = /\d(?:\.\d+)?\s?(?:x|×|times)\s+(?:(?:your|the|annual|base|yearly)\s+)*(?:salary|pay|earnings)/i;

interface AfterAmount {
  /** A period word adjacent to the amount. */
  period: SalaryPeriod | null;
  /** A pay word right after the amount ("150k base", "120k OTE"). */
  payWord: boolean;
  /** "p.a.", "per annum", "LPA": year words only ever said of pay. */
  annum: boolean;
  /** A counted noun or unit right after the amount ("40,000 containers", "40 TB"). */
  quantity: boolean;
  /** A rate per something other than time, or an amount "in"/"of" something other than pay. */
  notPay: boolean;
}

/** A qualifier said only of pay: "based on experience", "depending on level", "commensurate with skills", "DOE". */
const EXPERIENCE_QUALIFIER_RE =
  /^(?:(?:based|depending|dependent|contingent|commensurate)\s+(?:on|upon|with)\s+(?:(?:your|the|prior|relevant)\s+)?(?:experience|skills?|level|seniority|qualifications)|d\.?o\.?e\.?)(?![\p{L}])/iu;

/** Reads what comes right after an amount: filler words skipped, then a period, a pay word or a noun. */
function afterAmount(text: string, end: number): AfterAmount {
  let rest = cutAt(text.slice(end, end + 60), /[\n;|•·]/);
  let payWord = false;
  let parenthesis = false;
  for (let n = 0; n < 8; n++) {
    const filler = AMOUNT_FILLER_RE.exec(rest);
    if (!filler) break;
    if (/[\p{L}]/u.test(filler[0]) && SALARY_WORDS_RE.test(filler[0])) payWord = true;
    if (filler[0].includes('(')) parenthesis = true;
    rest = rest.slice(filler[0].length);
  }
  const result: AfterAmount = { period: periodAtStart(rest), payWord, annum: false, quantity: false, notPay: false };
  if (result.period) {
    result.annum = result.period === 'year' && /^(?:p\.?\s?a\b|per\s+annum|lpa)/i.test(rest);
    return result;
  }
  const perUnit = PER_UNIT_RE.exec(rest);
  if (perUnit) {
    result.notPay = true;
    return result;
  }
  const inOf = IN_OF_RE.exec(rest);
  if (inOf) {
    const words = (inOf[1] ?? '').trim().split(/\s+/).filter(Boolean);
    const written = words.find((w) => !PAY_NOUN_ADJECTIVES_RE.test(w));
    const head = written?.toLowerCase();
    // A capitalized word is a place or a name ("$150k in New York"), not what the amount is of.
    if (head && /^\p{Ll}/u.test(written!) && !PAY_NOUNS.has(head) && !IN_OF_PHRASES.has(head) && !BARE_FOLLOWERS.has(head)) {
      result.notPay = true;
    }
    return result;
  }
  const word = /^([\p{L}][\p{L}\p{N}.'’-]*)/u.exec(rest)?.[1];
  if (!word) return result;
  const lower = word.toLowerCase().replace(/[.'’-]+$/, '');
  // "110k+ (based on experience)", "90-110k DOE": only pay is qualified by the candidate's experience.
  result.payWord ||= SALARY_WORDS_RE.test(word) || EXPERIENCE_QUALIFIER_RE.test(rest);
  if (UNIT_RE.test(lower)) result.quantity = true;
  else if (BARE_FOLLOWERS.has(lower) || BARE_FOLLOWERS.has(word.toLowerCase())) result.quantity = false;
  // A place or "Remote" after the amount is its label ("150-180k (US)", "90-120k Remote"), not what it counts.
  else if (placesIn(word).remote || (/^\p{Lu}/u.test(word) && (parenthesis || !namesNoPlace(placesIn(word))))) result.quantity = false;
  else result.quantity = true;
  return result;
}

/**
 * The period named as the label of the amount's clause ("Hourly rate: $60-75", "Monthly salary
 * 4,000 EUR", "the annual base salary for this position is $170,000"): the last period word before
 * the amount in its clause, followed by nothing but label words.
 */
function periodBefore(text: string, start: number): SalaryPeriod | null {
  const clause = labelBefore(text, start, 80);
  const found = lastPeriodIn(clause);
  if (!found) return null;
  const between = clause.slice(found.end).toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  return between.every((w) => PERIOD_LABEL_WORDS.has(w)) ? found.period : null;
}

/** The clause before the amount, back to a line, pipe, semicolon or sentence boundary (reach chars at most). */
function clauseBefore(text: string, start: number, reach: number): string {
  const from = Math.max(0, start - reach);
  // Scanned backwards character by character: bounded by reach, whatever the text.
  for (let i = start - 1; i >= from; i--) {
    const ch = text[i]!;
    if (CLAUSE_BOUNDARIES.has(ch)) return text.slice(i + 1, start);
    if ((ch === '.' || ch === '!' || ch === '?') && i + 1 < start && /\s/.test(text[i + 1]!)) {
      // A sentence ends at ". " followed by a capital, a number or a currency sign ("approx. $150k" is cut too).
      let j = i + 1;
      while (j < start && /\s/.test(text[j]!)) j++;
      if (j === start || /[\p{Lu}\p{N}$€£₹¥]/u.test(text[j]!)) return text.slice(i + 1, start);
    }
  }
  return text.slice(from, start);
}

const CLAUSE_BOUNDARIES = new Set(['\n', ';', '|', '•', '·', '!', '?']);

/**
 * The amount's own label: its clause before it, back to the previous amount at most ("San Francisco
 * Bay Area: ", "the base pay range for this role in those locations is ").
 */
function labelBefore(text: string, start: number, reach = 250): string {
  const clause = clauseBefore(text, start, reach);
  const cut = lastAmountEnd(clause);
  return cut >= 0 ? clause.slice(cut + 1) : clause;
}

/**
 * The label that says which band an amount is: the place right after it when there is one ("$120k
 * (Toronto) / $130k (US)", "$150k for US-based candidates; CA$165k for candidates in Canada"), else
 * its clause before it ("San Francisco Bay Area: $190k").
 */
function bandLabel(text: string, candidate: Candidate): string {
  const after = labelAfter(text, candidate.end);
  const places = placesIn(after);
  if (places.remote || !namesNoPlace(places)) return after;
  return `${labelBefore(text, candidate.start)} ${after}`;
}

/** What follows the amount up to the next boundary or amount: "(US)", "for candidates in Canada". */
function labelAfter(text: string, end: number): string {
  return cutAt(text.slice(end, end + 60), /[\n;|•·,!?\d$€£₹¥]|\.(?:\s|$)/);
}

/**
 * In running text an amount is pay only when stated as pay: a pay word or verb near it in its
 * paragraph ("Salary range: ...", "this role pays ..."), or the amount stands in a short
 * header-like line of its own ("$160,000 – $180,000 + super", "€70k – €85k · Amsterdam · Hybrid").
 * "Our AWS bill is $40,000 a month" is neither.
 */
function payContext(text: string, candidate: Candidate): boolean {
  const before = text.slice(Math.max(0, candidate.start - 200), candidate.start);
  const paragraph = `${before.slice(before.lastIndexOf('\n') + 1)} ${cutAt(text.slice(candidate.end, candidate.end + 120), /\n/)}`;
  if (SALARY_WORDS_RE.test(paragraph) || PAY_VERBS_RE.test(paragraph) || PAY_STIPEND_RE.test(paragraph)) return true;
  return proseWordsAround(text, candidate) <= 2 || underPayHeading(text, candidate.start);
}

/**
 * The amount's line is one of a list of entries under a short heading that names pay ("Rates:",
 * "Salary ranges", then "A. Agent Lead Dev: USD 45–55/hr", "B. Sr Rust Dev: USD 40-50/hr"): the
 * heading labels every entry. Walks back over blank lines and sibling entries (list items, lines
 * stating an amount), each looked at once, within a bounded reach.
 */
function underPayHeading(text: string, start: number): boolean {
  const floor = Math.max(0, start - HEADING_REACH);
  let end = text.lastIndexOf('\n', start - 1);
  while (end > floor) {
    const lineStart = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(Math.max(lineStart, floor), end).trim();
    end = lineStart - 1;
    if (line === '' || LIST_ITEM_RE.test(line) || /[$€£₹¥]\s?\d|\d\s?[kK]\b|\b[A-Z]{3}\s?\d/.test(line)) continue;
    return line.split(/\s+/).length <= 5 && SALARY_WORDS_RE.test(line);
  }
  return false;
}

const HEADING_REACH = 1500;

/**
 * How many words of prose share the amount's segment (its line, header field or sentence): words
 * other than pay, period, currency, arrangement and location-label words and place names. A
 * salary on a line of its own ("$160,000 – $180,000 + super", "€70k – €85k · Amsterdam · Hybrid")
 * has none or almost none.
 */
function proseWordsAround(text: string, candidate: Candidate): number {
  const before = clauseBefore(text, candidate.start, 120);
  const after = cutAt(text.slice(candidate.end, candidate.end + 120), /[\n|•·;!?]|\.(?:\s|$)/);
  // A spaced dash separates header fields as a pipe does ("Backend Engineer (Python, AWS) - $135-$155k
  // — https://..."); an amount opening a parenthesis is its own field ("Junior SWE ($300k + equity)").
  const fieldStart = Math.max(before.lastIndexOf(' - '), before.lastIndexOf(' – '), before.lastIndexOf(' — '));
  // (A code written after the amount may have taken the closing parenthesis: "(40-80k EUR)".)
  const closedInside = text[candidate.end - 1] === ')';
  const opensParen = /\(\s*$/.test(before) && (closedInside || after.includes(')'));
  const head = opensParen ? '' : fieldStart >= 0 ? before.slice(fieldStart + 3) : before;
  // A remark in parentheses after the amount qualifies it ("$80k-$110k+ (can go higher)"). In a
  // parenthesis the amount opens, a comma starts a remark about the role ("Staff Engineer ($200k-$225k,
  // Fullstack or Backend lean)").
  const tail = opensParen ? (closedInside ? '' : cutAt(after.slice(0, after.indexOf(')')), /,/)) : cutAt(after, / [-–—] |\(/);
  // A link is not prose.
  const segment = `${head} ${tail}`.replace(/\bhttps?:\/\/\S*|\bwww\.\S+/g, ' ');
  let prose = 0;
  for (const m of withoutPlaces(segment).matchAll(/\p{L}[\p{L}'’.-]*/gu)) {
    const word = m[0].toLowerCase().replace(/[.'’-]+$/, '');
    if (word.length > 1 && !PAY_LINE_WORDS.has(word)) prose += 1;
  }
  return prose;
}

function window(text: string, candidate: Candidate, before: number, after: number): string {
  return text.slice(Math.max(0, candidate.start - before), candidate.end + after);
}

function inferPeriod(text: string, candidate: Candidate, value: number): SalaryPeriod {
  if (value < 500) return 'hour';
  if (value <= 20_000 && MONTH_HINT_RE.test(window(text, candidate, 120, 60))) return 'month';
  return 'year';
}

function lastAmountEnd(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (/[\d$€£₹¥]/.test(text[i]!)) return i;
  return -1;
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
  if (a.family && !b.family && b.firm) return b;
  if (!a.firm && b.firm) return b;
  return a;
}

/**
 * The currency of an amount: as written, unless the mark is shared ("$", "kr") or missing; then the
 * nearest context decides (see the header comment): a code near it, its label's place, the
 * posting's location, a place earlier on its line.
 */
function resolveCurrency(text: string, candidate: Candidate, mark: CurrencyMark | null, location: Places): string | null {
  if (mark && !mark.family) return mark.code;
  const family = mark?.family ?? null;
  const hint = nearestHint(text, candidate, family);
  if (hint) return hint;
  const fromPlaces = (places: Places): string | null => {
    if (family === 'dollar') return dollarOfPlaces(places);
    const code = currencyOfPlaces(places);
    if (family === 'krona') return code === 'NOK' || code === 'DKK' || code === 'SEK' ? code : null;
    if (family === 'rand') return code === 'ZAR' ? code : null;
    return code;
  };
  const label = placesIn(bandLabel(text, candidate));
  const lineBefore = placesIn(lineBeforeAmount(text, candidate.start));
  for (const places of [label, location, lineBefore]) {
    if (namesNoPlace(places)) continue;
    const code = fromPlaces(places);
    if (code) return code;
  }
  // An "R" nowhere near South Africa is not known to be a rand.
  return family === 'rand' ? null : (mark?.code ?? null);
}

function nearestHint(text: string, candidate: Candidate, family: CurrencyMark['family']): string | null {
  const from = Math.max(0, candidate.start - HINT_REACH);
  const window = text.slice(from, candidate.end + HINT_REACH);
  const re = family === 'dollar' ? DOLLAR_HINT_RE : family === 'krona' ? KRONA_HINT_RE : family === 'rand' ? RAND_HINT_RE : CODE_HINT_RE;
  let best: { code: string; distance: number } | null = null;
  for (const m of window.matchAll(re)) {
    const at = from + m.index;
    const atEnd = at + m[0].length;
    // A code written on another amount ("CAD 120,000", "150k USD") is that amount's, not a hint for this one.
    const inside = at >= candidate.start && atEnd <= candidate.end;
    if (!inside && (/^\s?[$€£]?\s?\d/.test(text.slice(atEnd, atEnd + 4)) || /\d\s?[kKmM]?\s?$/.test(text.slice(Math.max(0, at - 4), at)))) continue;
    // "CAD" is also computer-aided design ("collaborative CAD in the browser"): a currency only when
    // written as one ("in CAD", "(CAD)", "the CAD equivalent", "CAD dollars").
    if (m[1] === 'CAD' && !inside && !/(?:\bin|\()\s*$/i.test(text.slice(Math.max(0, at - 4), at)) &&
      !/^\s*(?:\)|equivalent|dollars?)/i.test(text.slice(atEnd, atEnd + 12))) continue;
    // A hint is read within the amount's paragraph.
    const between = at < candidate.start ? text.slice(atEnd, candidate.start) : text.slice(candidate.end, at);
    if (between.includes('\n\n')) continue;
    const code =
      family === 'dollar' ? (m[1] ?? DOLLAR_HINT_CODES[m[2]!.toLowerCase()] ?? 'USD') : m[1]!;
    const distance = at < candidate.start ? candidate.start - at : Math.max(0, at - candidate.end);
    if (!best || distance < best.distance) best = { code, distance };
  }
  return best?.code ?? null;
}

/** The line before the amount (200 chars at most): an HN header's "Toronto, ON (hybrid) | ". */
function lineBeforeAmount(text: string, start: number): string {
  const raw = text.slice(Math.max(0, start - 200), start);
  return raw.slice(raw.lastIndexOf('\n') + 1);
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

/**
 * True when the salary, annualized, lies within plausible yearly pay for its currency (about
 * 10,000 to 2,000,000 USD-equivalent; wider for currencies whose local pay spreads wider). A salary
 * in an unknown currency is held to the loosest bounds any currency allows.
 */
export function plausibleSalary(salary: Salary): boolean {
  if (salary.currency === null) {
    const { min, max } = annualize(salary);
    return [min, max].every((v) => v === null || (v >= MIN_ANNUAL_USD * 0.25 && v <= MAX_ANNUAL_USD * 2 * 30_000));
  }
  return plausible(salary);
}

function plausible(salary: Salary): boolean {
  const units = unitsPerUsd(salary.currency ?? 'USD');
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
// Stage 6: choose one salary

/**
 * Postings often state several salaries: the same band twice (header and pay paragraph), base and
 * total compensation, one band per location, level or zone. We keep:
 * 1. the base: amounts stated as total compensation / OTE / TC are never the salary (a posting
 *    that states only OTE states no base pay), nor are the same figures stated elsewhere;
 * 2. the band that applies: when the bands differ and exactly one of them is labelled with the
 *    place that best fits the posting's location (see bandFit), that band;
 * 3. otherwise the widest: min of mins, max of maxes, among the salaries in the same currency and
 *    period as the first one found; other currencies and periods are dropped rather than
 *    converted. A missing bound ("up to $180k") is widened by any stated bound.
 */
function chooseSalary(found: readonly Mention[], location: Places): Salary | null {
  // The same figures stated as OTE elsewhere are OTE ("Salary: $55k - $100k" from a board's field,
  // "On-target-earnings are estimated between $55,000 - $100K" in the text).
  const totals = new Set(found.filter((m) => m.total).map((m) => `${m.salary.min}|${m.salary.max}|${m.salary.period}`));
  const mentions = found.filter((m) => !m.total && !totals.has(`${m.salary.min}|${m.salary.max}|${m.salary.period}`));
  const first = mentions[0];
  if (!first) return null;

  const key = (s: Salary): string => `${s.min}|${s.max}|${s.currency}|${s.period}`;
  const labelled = mentions.map((m) => ({ m, places: placesIn(m.label) }));
  // Bands per location: at least two different bands, each labelled with a place, "Remote" or a
  // location category ("All other US locations", "Zone B"), not per level ("Senior: ...; Staff: ...").
  const byLocation = (l: { m: Mention; places: Places }): boolean =>
    l.places.remote || !namesNoPlace(l.places) || LOCATION_CATEGORY_RE.test(l.m.label);
  const placeBands = new Set(labelled.filter(byLocation).map((l) => key(l.m.salary)));
  if (placeBands.size > 1 && (location.remote || !namesNoPlace(location))) {
    const fits = labelled.map(({ m, places }) => ({ m, fit: bandFit(places, location) }));
    const best = Math.max(...fits.map((f) => f.fit));
    const winners = new Set(fits.filter((f) => f.fit === best).map((f) => key(f.m.salary)));
    if (best > 0 && winners.size === 1) return fits.find((f) => f.fit === best)!.m.salary;
  }

  const band = mentions.map((m) => m.salary).filter((s) => s.currency === first.salary.currency && s.period === first.salary.period);
  const mins = band.map((s) => s.min).filter((v): v is number => v !== null);
  const maxes = band.map((s) => s.max).filter((v): v is number => v !== null);
  return {
    min: mins.length ? Math.min(...mins) : null,
    max: maxes.length ? Math.max(...maxes) : null,
    currency: first.salary.currency,
    period: first.salary.period,
  };
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
