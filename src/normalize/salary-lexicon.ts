/**
 * The words salary extraction reads: periods, pay words, and the words that say a number is
 * something other than pay. English first, with the German and French forms job boards use.
 * Every pattern here is applied to a short window next to one amount, never to a whole text.
 */
import type { SalaryPeriod } from '../core/types.js';

/** ISO 4217 codes postings write next to amounts (each has a rate in match/currency.ts). */
export const CURRENCY_CODES = [
  'USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'GBP', 'EUR', 'INR', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'ISK', 'PLN', 'CZK', 'HUF',
  'RON', 'BGN', 'RSD', 'TRY', 'UAH', 'ILS', 'AED', 'SAR', 'QAR', 'BRL', 'MXN', 'ARS', 'CLP', 'COP', 'PEN', 'UYU', 'ZAR', 'NGN',
  'KES', 'GHS', 'EGP', 'MAD', 'DZD', 'TND', 'KRW', 'CNY', 'TWD', 'IDR', 'PHP', 'THB', 'VND', 'MYR', 'PKR', 'BDT', 'LKR',
];
export const CODE_ALTERNATION = CURRENCY_CODES.join('|');
/**
 * Codes that are also everyday words or names ("PHP developer", "TRY", "MAD", "PEN", "ARS"): they
 * are a currency only written against an amount ("PHP 80,000", "5 000 TRY"), never a hint for
 * another amount nearby.
 */
const AMBIGUOUS_CODES = new Set(['PHP', 'TRY', 'MAD', 'PEN', 'ARS', 'COP', 'SAR']);
/** Codes that may name the currency of a bare amount nearby ("All amounts in EUR"). */
export const HINT_CODE_ALTERNATION = CURRENCY_CODES.filter((c) => !AMBIGUOUS_CODES.has(c)).join('|');

const END = String.raw`(?![\p{L}\p{N}])`;

/** Period wordings, as regex sources without boundaries. */
const PERIOD_SOURCES: ReadonlyArray<readonly [SalaryPeriod, string]> = [
  [
    'hour',
    String.raw`\/\s?(?:hr|hour|h|std\.?|stunde|heure|hourly)|(?:per|an?|pro|par|je|de\s+l['’])\s+(?:hr|hour|stunde|std\.?|heure)|hourly|p\/h|ph|stündlich|stundenlohn|stundensatz|taux\s+horaire|\/\s?(?:tim|timme|time)|(?:por|all['’]|per)\s+hora|por\s+hora`,
  ],
  ['day', String.raw`\/\s?(?:day|d|tag|jour|daily)|(?:per|a|pro|par|je)\s+(?:day|tag|jour)|daily|day\s+rate|p\/d|p\.d\.?|pd|tagessatz|taux\s+journalier|tjm`],
  ['week', String.raw`\/\s?(?:week|wk|woche|semaine|weekly)|(?:per|a|pro|par|je)\s+(?:week|wk|woche|semaine)|weekly|p\/w|wöchentlich|hebdomadaire`],
  [
    'month',
    String.raw`\/\s?(?:month|mo|mth|monat|mois|monthly)|(?:\/\s?)?(?:miesi[ąę]c|miesi[ęe]cznie|m[ěe]s[íi]c|m[ěe]s[íi][čc]n[ěe]|mesa[čc]ne)|(?:per|a|pro|par|im|je)\s+(?:month|monat|mois)|monthly|p\/m|pcm|monatlich|monatsgehalt|mensuel(?:le)?s?|\/\s?(?:mån|månad|måned|md|mes|mês|mese)|(?:por|al|per|i|pr\.?|om)\s+(?:mes|mês|mese|måneden|måned|månaden|månad|mnd)|mensual(?:es)?|mensal|mensili?`,
  ],
  [
    'year',
    String.raw`\/\s?(?:year|yr|y|annum|a|jahr|an|année|yearly|annually)|(?:\/\s?)?(?:rocznie|ro[čc]n[ěe])|(?:per|a|pro|par|im|je)\s+(?:year|yr|annum|anum|jahr|an|année)|annual(?:ly)?|yearly|p\.\s?a\.?|pa|lpa|jährlich|jahresgehalt|bruttojahresgehalt|annuel(?:le)?s?|\/\s?(?:år|año|ano|anno)|(?:por|al|per|all['’]|om|i|pr\.?)\s+(?:año|ano|anno|året|år)|anual(?:es)?|annui|annuo|årslön|årsløn`,
  ],
];

/** A period word at the very start of a string (after the amount and its filler words). */
const PERIOD_AT_START: ReadonlyArray<readonly [SalaryPeriod, RegExp]> = PERIOD_SOURCES.map(
  ([period, source]) => [period, new RegExp(`^(?:${source})${END}`, 'iu')] as const,
);
/** A period word anywhere (for a label before the amount: "Hourly rate:", "Jahresgehalt:"). */
const PERIOD_ANYWHERE: ReadonlyArray<readonly [SalaryPeriod, RegExp]> = PERIOD_SOURCES.map(
  ([period, source]) => [period, new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})${END}`, 'giu')] as const,
);

/** The period word a text starts with ("/hour", "per year", "monthly"), or null. */
export function periodAtStart(text: string): SalaryPeriod | null {
  for (const [period, re] of PERIOD_AT_START) if (re.test(text)) return period;
  return null;
}

/** The last period word in the text, with where it ends. */
export function lastPeriodIn(text: string): { period: SalaryPeriod; end: number } | null {
  if (!/\p{L}/u.test(text)) return null;
  let best: { period: SalaryPeriod; index: number; end: number } | null = null;
  for (const [period, re] of PERIOD_ANYWHERE) {
    for (const m of text.matchAll(re)) {
      if (!best || m.index > best.index) best = { period, index: m.index, end: m.index + m[0].length };
    }
  }
  return best ? { period: best.period, end: best.end } : null;
}

/**
 * Words that may stand between an amount and its period word ("€95,000 gross per year",
 * "$4,000 USD/month", "60.000 € brutto/Jahr", "$160,000 + super p.a.").
 */
export const AMOUNT_FILLER_RE = new RegExp(
  String.raw`^(?:[\s,()]+|(?:` +
    [
      CODE_ALTERNATION, 'gross', 'brutto', 'bruto', 'brut', 'bruts', 'net', 'netto', 'nets', 'base', 'basic', 'salary', 'pay',
      'fixed', 'cash', 'guaranteed', 'dollars?', 'euros?', 'pounds?', 'pre-?tax', 'before\\s+tax(?:es)?',
      '(?:plus|\\+|inc(?:l\\.?|luding)?\\.?)\\s*super(?:annuation)?', 'inkl\\.?', 'zzgl\\.?',
    ].join('|') +
    `)${END})`,
  'iu',
);

/** Words that make a nearby number pay. */
export const SALARY_WORDS_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    [
      'salary', 'salaries', 'compensation', 'comp', 'pay', 'paid', 'paying', 'pays', 'payrate', 'wages?', 'rates?',
      'remuneration', 'earn(?:s|ing)?', 'ote', 'on[- ]target', 'base', 'total\\s+rewards', 'package', 'income', 'tc', 'ctc',
      'ranges?', 'gehalt', 'jahresgehalt', 'monatsgehalt', 'bruttojahresgehalt', 'lohn', 'stundenlohn', 'vergütung', 'verdienst',
      'salaire', 'rémunération', 'rémunérée?', 'gratification', 'sueldo', 'salario', 'stipendio', 'retribuzione', 'lön(?:espann|enivå|eintervall)?', 'månadslön', 'årslön',
      'timlön', 'wynagrodzenie', 'pensja', 'mzda', 'lønn?', 'lønning', 'månedslønn?', 'årslønn?', 'timelønn?',
      // day rates of freelance missions: "TJM", "taux journalier", "Tagessatz", "Stundensatz"
      'tjm', 'taux', 'tagessatz', 'stundensatz', 'honorar', 'tarif',
    ].join('|') +
    `)${END}`,
  'iu',
);

/**
 * Words a bare number (no currency mark) may be followed by and still be pay: function words,
 * pay and period words, and the usual qualifiers ("130-160k depending on experience", "45k
 * p.a.", "150k base"). Any other word makes the number a count of that thing ("40,000
 * containers", "2,000 experiments", "40 TB"): a quantity, not pay.
 */
export const BARE_FOLLOWERS = new Set([
  'and', 'or', 'plus', 'to', 'with', 'w', 'for', 'at', 'is', 'are', 'was', 'will', 'would', 'can', 'could', 'may', 'which',
  'that', 'as', 'if', 'but', 'not', 'only', 'the', 'depending', 'dependent', 'doe', 'dep', 'based', 'commensurate',
  'negotiable', 'neg', 'ono', 'obo', 'starting', 'start', 'max', 'maximum', 'min', 'minimum', 'approx', 'approximately',
  'roughly', 'ish', 'including', 'inclusive', 'incl', 'inc', 'excluding', 'excl', 'base', 'basic', 'salary', 'salaries',
  'gross', 'brutto', 'brut', 'bruts', 'net', 'netto', 'total', 'tc', 'ote', 'comp', 'compensation', 'pay', 'cash', 'range',
  'band', 'package', 'ctc', 'fte', 'equivalent', 'super', 'superannuation', 'pro', 'rata', 'pro-rata', 'prorata', 'fixed',
  'guaranteed', 'annual', 'annually', 'yearly', 'monthly', 'weekly', 'hourly', 'daily', 'year', 'month', 'per', 'a', 'an',
  'p', 'pa', 'lpa', 'p.a', 'p.a.', 'im', 'par', 'je', 'à', 'a.', 'bis', 'et', 'und', 'zzgl', 'inkl', 'fix', 'fixe',
  'jährlich', 'monatlich', 'annuel', 'annuelle', 'annuels', 'mensuel', 'mensuelle', 'mensuels', 'usd', 'eur', 'gbp',
  // French, German and Spanish function words: "550 € pour une mission", "650 € selon profil", "60 € für Senior"
  'pour', 'avec', 'selon', 'ou', 'en', 'de', 'du', 'des', 'hors', 'sur', 'für', 'mit', 'oder', 'nach', 'je', 'ab', 'plus',
  'para', 'con', 'según', 'o', 'y',
]);

/** Nouns that, after "in" or "of", keep an amount pay ("$150,000 in base salary"); others do not ("€4 billion in assets"). */
export const PAY_NOUNS = new Set([
  'salary', 'salaries', 'pay', 'compensation', 'comp', 'cash', 'base', 'earnings', 'wages', 'wage', 'income', 'remuneration',
  'ote', 'tc', 'take-home',
]);
export const PAY_NOUN_ADJECTIVES_RE =
  /^(?:annual|yearly|total|guaranteed|base|cash|fixed|gross|first[- ]year|starting|average|expected|target|the|a|an)$/i;

/** Within a few words after the amount: what it is an amount of ("$5,000 annual learning budget", "$50M Series B"). */
export const NOT_PAY_AFTER_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    [
      'budgets?', 'stipends?', 'allowances?', 'reimburse\\w*', 'bonus(?:es)?', 'grants?', 'credits?', 'gifts?', 'vouchers?',
      'funding', 'funded', 'round', 'series\\s+[a-h]', 'seed', 'raised', 'revenue', 'arr', 'mrr', 'gmv', 'valuation',
      'assets', 'aum', 'market\\s+cap', 'investments?', 'in\\s+sales', 'equity', 'stock', 'rsus?', 'options', 'shares',
      'relocation', 'sign[- ]?on', 'signing', 'referral', 'loans?', 'bount(?:y|ies)', 'prizes?', 'rewards?', 'awards?',
      'tuition', 'rent', 'housing', 'per\\s+diem', 'deductibles?', 'premiums?', 'coverage', 'discounts?', 'donations?',
      'fees?', 'spend', 'payouts?', 'scholarships?', 'turnover', 'deposits?', 'pension', 'contributions?', 'prämie',
      'zuschuss', '\\p{L}*(?:budget|zuschuss|zuschüsse|prämie|pauschale|zulage|geld|gutschein)', 'quota', 'acv', 'tcv', 'arr', 'pipeline', 'deal\\s+size', 'contract\\s+value', 'insurance', 'coverage',
      'savings', 'profit', 'ebitda', 'in\\s+(?:annual\\s+)?(?:savings|revenue|sales|payments|transactions|deposits|claims|volume)',
      'commissions?', 'variable', 'incentives?',
      'child\\s*care', 'daycare', 'gym', 'commut\\w*', 'internet', 'lunch(?:es)?', 'meals?', 'wellness', 'fitness', 'education',
      'conferences?', 'equipment', 'home\\s+office', 'coworking', 'professional\\s+development',
    ].join('|') +
    `)${END}`,
  'iu',
);

/**
 * Right after the amount: what it counts ("10,000 customers", "250 employees"). Only the first
 * words, because "$150k for senior engineers" is pay.
 */
export const COUNT_AFTER_RE = new RegExp(
  String.raw`^(?:\S+\s+)?(?:` +
    [
      'customers?', 'clients?', 'users?', 'members?', 'subscribers?', 'businesses', 'compan(?:y|ies)', 'brands', 'merchants',
      'partners', 'employees', 'people', 'engineers', 'developers', 'downloads', 'installs', 'transactions', 'requests',
      'visitors', 'patients', 'students', 'learners', 'countries', 'cities', 'offices', 'locations', 'stores', 'orders',
      'products', 'items', 'projects', 'repositories', 'lines', 'stars', 'teams', 'hospitals', 'schools',
    ].join('|') +
    `)${END}`,
  'iu',
);

/** Units that make a number a measurement ("40 TB", "500 GPUs", "10k QPS"), in any case. */
export const UNIT_RE = /^(?:[kmgtpe]i?b|[kmgt]bps|qps|rps|tps|mau|dau|wau|skus?|gpus?|cpus?|tpus?|apis?|prs?|loc|ms|px|kg|km|mi|sq)$/i;

/** Right before the amount ("raised $20M", "learning budget of up to $2,000", "bug bounty rewards up to $50,000"). */
export const NOT_PAY_BEFORE_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    [
      'raised?', 'raising', 'funding', 'funded', 'investment', 'invested', 'valuation', 'valued\\s+at', 'revenue', 'arr',
      'mrr', 'budget', 'stipend', 'allowance', 'reimbursement', 'reimburse[sd]?', 'bonus', 'grant', 'credits?',
      'gift\\s+cards?', 'match(?:ing)?', 'contribution', 'relocation', 'referral', 'worth', 'equity', 'series\\s+[a-h]',
      'customers?', 'users?', 'clients?', '(?:customer|user|client|install(?:ed)?|subscriber|member|fan|code|knowledge)\\s+base',
      'bount(?:y|ies)', 'rewards?', 'prizes?', 'awards?', 'turnover', 'sales', 'gmv', 'volume', 'process(?:es|ing|ed)?',
      'manag(?:e|es|ing)', 'deposits?', 'loans?', 'payouts?', 'fees?', 'spend(?:ing)?', 'costs?', 'rent', 'tuition',
      'discount', 'coverage', 'sav(?:e|es|ed|ings?)', 'donat\\w*', 'pool', 'purse', 'fund', 'hsa', 'fsa', 'per\\s+diem',
      'premium', 'deductible', 'pension', 'prize\\s+money', 'paid\\s+out', 'pays?\\s+us', 'paid\\s+us', 'contracts', 'contracts?\\s+worth',
      'insurance', 'life\\s+cover', 'benefits?', 'quota', 'acv', 'tcv', 'deals?', 'deal\\s+sizes?', 'contract\\s+value',
      'pipeline', 'book\\s+of\\s+business', 'bills?', 'invoices?', 'prices?', 'pricing', 'priced', 'subscriptions?',
      'profits?', 'ebitda', 'margins?', 'net\\s+income', 'burn', 'runway', 'ltv', 'aov', 'order\\s+value', 'contributions',
      '(?:customers?|clients?|users?|companies|businesses|merchants|buyers|subscribers|members)\\s+(?:who\\s+|that\\s+)?(?:pay(?:s|ing)?|spend(?:s|ing)?|sav(?:e|es|ing)|see)',
    ].join('|') +
    // One more word may follow the noun ("relocation package of up to", "learning stipend of"), but not a
    // conjunction; and a colon ("Relocation stipend: $10,000") or a dash ("Relocation - $10,000"), captured:
    // a dash also separates a job title from its pay ("Senior Engineer, Data Pipeline - $160k"), so the
    // caller believes it only when the noun starts its field.
    String.raw`)(?:\s+(?!(?:and|or|plus|with|\+)(?![\p{L}]))\p{L}[\p{L}-]*)?\s*(:|[-–—](?=\s))?\s*(?:(?:of|at|up\s+to|worth|totaling|totalling|over|about|around|approximately|nearly|more\s+than|in|for|with|from|between|is|are|was|were|ranges?|ranging|averag(?:e|es|ing)|reached|exceeds?|exceeding|starts?|starting|typically|usually|on\s+average|an\s+average\s+of)\s+){0,3}$`,
  'iu',
);

/** "5+ years", "40 hours", "30 days", "6 mois": a count of time, not pay per time ("$60/hr" has a slash or "per"). */
export const TIME_COUNT_RE =
  /^\s*\+?\s*(?:years?|yrs?|months?|mos|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|mois|monate?n?|jahre?n?|ans|années?|semaines?|wochen?|jours?|tage?n?|stunden|std|heures?)(?![\p{L}\p{N}])/iu;

/**
 * Working-time statements that contain a period word but are not pay: "3 days/week", "37.5
 * hours per week", "20 Std./Woche", "2 jours/semaine", "40-hour week". Blanked before reading.
 */
export const SCHEDULE_RE =
  /(?<![\p{L}\p{N}])\d+(?:[.,]\d+)?(?:\s*(?:-|–|to|bis|à)\s*\d+(?:[.,]\d+)?)?[\s-]*(?:hours?|hrs?|h|days?|std\.?|stunden|tage?n?|jours?|heures?)\s*(?:\/|per|a|an|each|every|pro|par|in\s+the|in\s+an?|die|la|le|im)?\s*(?:week|wk|month|year|semaine|woche|mois|monat|jahr)(?![\p{L}\p{N}])/giu;

/**
 * Durations ("12-month contract", "6 months", "2-year fixed term", "3 weeks' notice"): a small count of
 * months, weeks or years is never an amount of pay, whatever pay words stand near it.
 */
export const DURATION_RE =
  /(?<![\p{L}\p{N}])(?<![$€£₹¥]\s?)(?<!\p{N}[.,])\d{1,2}(?:\s*(?:-|–|to)\s*\d{1,2})?[\s-]*(?:months?|mos\.?|weeks?|wks?|years?|yrs?)(?![\p{L}\p{N}])/giu;

/** Total compensation rather than base pay, named before the amount ("Total comp $250k", "OTE: $220k"). */
export const TOTAL_BEFORE_RE =
  /(?<![\p{L}])(?:total\s+(?:comp(?:ensation)?|cash|pay|package|rewards?|target(?:\s+comp(?:ensation)?)?|remuneration|earnings)|ote|on[- ]target(?:[\s-]+earnings)?|tc)(?![\p{L}])/giu;
/**
 * ... or right after it ("$220k OTE", "$180k with bonus", "$400k total (base + bonus)", "$300k in total").
 * "Total" alone after an amount says it sums more than the base, unless it goes on to name the base
 * ("$150k total base salary").
 */
export const TOTAL_AFTER_RE =
  /^[\s)]*(?:(?:potential|estimated|expected|target)\s+)?(?:total\s+(?=ote|on[- ]target))?(?:ote|on[- ]target|tc|total\s+(?:comp(?:ensation)?|cash|package|pay)|(?:in\s+)?total(?![\p{L}])(?!\s+(?:(?:annual|yearly|gross)\s+)?(?:base|salary|fixed|guaranteed))|(?:with|including|incl\.?|inc\.?)\s+(?:bonus|commission|equity))(?![\p{L}])/iu;

/**
 * ... or after its period, naming what the range is ("$360,000 - $400,000 per year, OTE potential
 * total on target earnings"); not when OTE labels a next amount ("$130k per year, OTE $210k").
 */
export const TOTAL_AFTER_PERIOD_RE =
  /^[\s)]*(?:per\s+(?:year|annum)|a\s+year|annually|yearly|\/\s?(?:yr|year))[\s,]*(?:ote|on[- ]target|total\s+(?:comp(?:ensation)?|cash|package|pay))(?![\p{L}])(?!\s*[:=]?\s*[$€£\d])/iu;

/** Words that may stand between a period label and its amount ("Hourly rate: $60", "annual base salary for this position is $170,000"). */
export const PERIOD_LABEL_WORDS = new Set([
  'rate', 'rates', 'salary', 'salaries', 'pay', 'compensation', 'comp', 'wage', 'wages', 'base', 'basic', 'range', 'band', 'bands',
  'is', 'are', 'of', 'for', 'this', 'the', 'that', 'position', 'role', 'job', 'gross', 'brutto', 'brut', 'net', 'total', 'cash',
  'starting', 'target', 'expected', 'estimated', 'between', 'from', 'up', 'to', 'at', 'least', 'a', 'an', 'our', 'will', 'be',
  'in', 'ote', 'tc', 'ctc', 'package', 'remuneration', 'income', 'earnings', 'approximately', 'approx', 'about', 'around',
  'minimum', 'maximum', 'max', 'min', 'de', 'du', 'le', 'la', 'der', 'die', 'das', 'von', 'ab', 'bis', 'zwischen', 'entre',
  'gehalt', 'lohn', 'salaire', 'rémunération', 'gratification', 'contract', 'contractor', 'usd', 'eur', 'gbp', 'cad', 'aud',
  'inr', 'chf', 'stipend',
]);

/** Verbs that state pay without a pay noun: "this role pays $X", "we offer $X", "you'll earn $X". */
export const PAY_VERBS_RE = /(?<![\p{L}])(?:pays?|paying|offer(?:s|ing)?|earn(?:s|ing)?|make|making|start(?:s|ing)?\s+(?:at|from)|budgeted|take[- ]home|verdienst|verdienen|gagnez|propos(?:e|ons))(?![\p{L}])/iu;

/**
 * Words that may stand next to a salary in a short header-like line without making the line prose:
 * "$160,000 – $180,000 + super", "💰 $135,000 to $180,000 · Remote (USA)", "€70k – €85k · Hybrid".
 */
export const PAY_LINE_WORDS = new Set([
  'per', 'a', 'an', 'year', 'yr', 'annum', 'hour', 'hr', 'day', 'week', 'month', 'mo', 'annual', 'annually', 'yearly', 'monthly',
  'weekly', 'daily', 'hourly', 'p', 'pa', 'p.a', 'usd', 'eur', 'gbp', 'cad', 'aud', 'nzd', 'sgd', 'inr', 'chf', 'dollars', 'euros',
  'to', 'and', 'or', 'plus', 'with', 'from', 'up', 'starting', 'at', 'between', 'depending', 'dependent', 'on', 'experience',
  'doe', 'level', 'location', 'based', 'commensurate', 'negotiable', 'equity', 'benefits', 'bonus', 'commission', 'super',
  'superannuation', 'stock', 'options', 'rsus', 'tokens', 'token', 'profit', 'sharing', 'offers', 'inc', 'incl', 'including',
  'gross', 'net', 'brutto', 'brut', 'base', 'ote', 'tc', 'est', 'estimated', 'approx', 'approximately', 'target', 'full-time',
  'full', 'time', 'part-time', 'contract', 'permanent', 'temp', 'fixed', 'term', 'ir35', 'inside', 'outside', 'umbrella', 'w2',
  'c2c', 'remote', 'hybrid', 'onsite', 'on-site', 'office', 'only', 'k', 'max', 'min', 'cdi', 'cdd', 'festanstellung',
  'vollzeit', 'teilzeit', 'jahr', 'monat', 'stunde', 'pro', 'par', 'an', 'mois', 'heure', 'annuel', 'mensuel', 'the',
  // labels of per-location and per-level bands: "All other US locations:", "Zone B:", "Senior:", "Level II:"
  'in', 'for', 'all', 'other', 'location', 'locations', 'zone', 'tier', 'city', 'cities', 'area', 'metro', 'region', 'regions',
  'states', 'markets', 'market', 'geographic', 'levels', 'senior', 'staff', 'junior', 'mid', 'principal', 'lead', 'band',
  'grade', 'ii', 'iii', 'iv', 'us-based', 'based', 'candidates', 'residents',
  // the job itself: "This role is $140k-$170k DOE", "Both roles full-time ONSITE in London, £100–160k + equity
  // grant, visa sponsorship available"
  'this', 'role', 'roles', 'position', 'positions', 'job', 'jobs', 'opening', 'openings', 'is', 'are', 'will', 'be', 'of',
  'both', 'grant', 'visa', 'visas', 'sponsorship',
]);

/** Labels that name a location category rather than a place: "All other US locations", "Tier 2 cities", "Zone B". */
export const LOCATION_CATEGORY_RE =
  /(?<![\p{L}])(?:(?:all\s+)?other(?:\s+(?:locations?|cities|areas|states|regions|markets))?|elsewhere|rest\s+of|tier\s*\d|zone\s*[a-z\d](?![\p{L}])|geo(?:graphic)?\s+(?:zone|tier|market)s?)(?![\p{L}])/iu;
