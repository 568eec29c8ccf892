/**
 * Job identity for dedupe across boards and re-posts (DESIGN.md "Dedupe"): the same company and
 * normalized title, a compatible location, within 30 days, is the same job.
 *
 * Pure functions of their input. `companyKey` and `titleKey` are stored on every job (jobs.company_key,
 * jobs.title_key) and looked up by equality, so a change to what they compute only takes effect for
 * old rows through a migration that recomputes them (see backfillJobKeys in src/store/migrations.ts).
 *
 * companyKey: "Nomad Health, Inc." = "nomad health" = "The Nomad Health Company" -> "nomadhealth".
 * titleKey: the title's words as a sorted set, after removing what is not the job (work arrangement,
 * places, employment type, salary, hiring tags, gender markers, requisition ids, the company's own
 * name) and expanding abbreviations. So "Engineer, Machine Learning", "ML Engineer (Remote)" and
 * "Machine Learning Engineer at Nomad Health" are one key, while every word that says which job it
 * is stays: "Senior" vs "Staff", "II", "Backend" vs "Frontend", "Payments" vs "Identity".
 * locationsCompatible: could two postings be for the same place (see its comment).
 */
import type { Arrangement } from '../core/types.js';
import {
  LOCATION_NOISE,
  findPlaces,
  foldDiacritics,
  mayBePlaceWord,
  parseLocation,
  parseRegions,
  placeWords,
  placesCompatible,
  scopeOf,
  scopesOverlap,
} from '../places/places.js';
import type { Place } from '../places/places.js';

/** Postings of one company and title further apart than this are different jobs (a re-opened role is alerted again). */
export const DEDUPE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Company

/** Legal-form words dropped from the end of a company name ("Acme GmbH & Co. KG" -> acme). */
const LEGAL_SUFFIXES: ReadonlySet<string> = new Set(
  (
    'inc incorporated llc llp lp ltd limited gmbh mbh corp corporation co company sa sas sarl srl spa bv nv ag plc ' +
    'pty pvt pte private oy oyj ab as asa aps kg kgaa ug se kk sl slu sau bhd sdn'
  ).split(' '),
);

/** Names that stand for no company in particular: two of them are never the same employer. */
const PLACEHOLDER_COMPANIES: ReadonlySet<string> = new Set(
  (
    'confidential confidentialcompany confidentialemployer undisclosed undisclosedcompany anonymous stealth stealthstartup ' +
    'stealthmode stealthcompany stealthmodestartup private privatecompany unknown na none notdisclosed tbd various ' +
    'multiple ourclient client hiringcompany company employer'
  ).split(' '),
);

/** The company as a comparable key; '' when there is none (no fuzzy dedupe without a company). */
export function companyKey(company: string | null | undefined): string {
  if (!company) return '';
  return companyKeyMemo(company);
}

const companyKeyMemo = memoize((company: string): string => {
  const text = foldDiacritics(decodeAmp(company))
    .replace(YC_BATCH_RE, ' ')
    .toLowerCase()
    .replace(/[([{][^)\]}]*[)\]}]/g, ' ') // "Acme (YC W21)"
    .replace(/\.(?:com|io|ai|co|net|org|app|dev)\b/g, ' ') // "Monday.com"
    .replace(/['’‘`´]/g, '') // "McDonald's"
    .replace(/\./g, '') // "S.A.", "Inc."
    .replace(/[&+]/g, ' and ');
  const tokens = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (tokens[0] === 'the' && tokens.length > 1) tokens.shift();
  while (tokens.length > 1 && (LEGAL_SUFFIXES.has(tokens.at(-1)!) || tokens.at(-1) === 'and')) tokens.pop();
  const key = tokens.join('');
  return PLACEHOLDER_COMPANIES.has(key) ? '' : key;
});

// ---------------------------------------------------------------------------------------------
// Title

/** What else is known about the posting: its company name and location text also appear in titles. */
export interface TitleContext {
  company?: string | null;
  location?: string | null;
}

/** Words that say how, where or on what terms a job is worked, or advertise it: never which job it is. */
const TITLE_NOISE: ReadonlySet<string> = new Set(
  (
    'remote remotely hybrid onsite on site office offices in person inperson home wfh work working from anywhere ' +
    'worldwide global globally international only first friendly based fully 100 full time fulltime part parttime ' +
    'contract contractor contracting freelance freelancer permanent perm temporary temp fte w2 1099 c2c to hire ' +
    'hiring urgent urgently now new immediate immediately start asap apply today we re are is or and within across ' +
    'timezone timezones tz hours overlap flexible location locations multiple any country countries region area metro ' +
    'greater est edt cst cdt mst mdt pst pdt et ct mt pt gmt utc bst ist eet cet cest aest jst req requisition id ref ' +
    'no job opening vacancy open opportunity featured sponsored closing soon eligible relocation visa sponsorship ' +
    'available candidates must be located living resident residents citizen citizens e g eg the of ' +
    // pay extras left after the amounts are removed ("$150k-$190k + equity", "DOE", "OTE")
    'equity bonus bonuses stock options benefits doe ote base salary compensation comp tc plus pay paid range'
  ).split(' '),
);

/** "(m/w/d)", "(f/m/x)", "(all genders)", "(H/F)". */
const GENDER_RE = /^\s*(?:(?:[mwfdxh]|all|divers|diverse)\s*\/\s*)+(?:[mwfdxh]|all|divers|diverse)\s*$|^\s*all\s+genders?\s*$/i;
/** A requisition or job id: "R-12345" gives "r", "12345"; "JR104233", "2024-117". */
const ID_TOKEN_RE = /^[a-z]{0,4}\d{4,}$/;

const CURRENCY = '(?:[$€£¥₹]|\\b(?:usd|eur|gbp|cad|aud|chf|inr|sgd)\\b)';
const AMOUNT = '\\d[\\d,.]*\\s*[km]?';
/** Pay written in a title: "$120k-$150k", "USD 130,000 - 160,000/yr", "120k-150k", "150K+". */
const SALARY_RES: readonly RegExp[] = [
  new RegExp(
    `${CURRENCY}\\s*${AMOUNT}(?:\\s*(?:-|to)\\s*${CURRENCY}?\\s*${AMOUNT})?(?:\\s*${CURRENCY})?(?:\\s*(?:\\/|per|a)\\s*(?:yr|year|annum|hr|hour|month|mo|day|week|wk)\\b)?\\+?`,
    'gi',
  ),
  /\b\d{2,3}(?:[.,]\d+)?\s*k\s*(?:-|to)\s*\d{2,3}(?:[.,]\d+)?\s*k\b\+?/gi,
  /\b\d{2,3}k\+?(?=\s|$|[,)\]])/gi,
];

/** A link in a title (Hacker News "Who is hiring" headers end with one). */
const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
/** A Y Combinator batch after a company name: "Acme (YC S19)", "YC W21". */
const YC_BATCH_RE = /\bYC\s*[SWFX]?\d{2,4}\b/gi;

/** A requisition or job id written in a title: "R-12345", "REQ#1042", "JR104233", "#20931". */
const REQUISITION_RE = /(?<![\w-])(?:[A-Za-z]{1,4}[-#]?|#)?\d{4,}(?![\w-])/g;

const OPEN_BRACKETS = '([{';
const CLOSE_BRACKETS = ')]}';
// Segment separators: spaced dashes and slashes, pipes, bullets, "@", ": ", commas, " at " (a stop word anyway).
const SEGMENT_SPLIT_RE = /\s+[-|·•@/]\s*|(?<=\S)-\s+|\s*[|·•@]\s*|:\s+|\s*,\s*|\s+at\s+/i;

/** Two words written as one, or one word written as two: folded to one spelling. */
const JOINED_PAIRS: ReadonlyMap<string, string> = new Map([
  ['front end', 'frontend'],
  ['back end', 'backend'],
  ['full stack', 'fullstack'],
  ['dev ops', 'devops'],
  ['ml ops', 'mlops'],
  ['dev sec', 'devsec'],
  ['devsec ops', 'devsecops'],
  ['on site', 'onsite'],
  ['mid level', 'mid'],
  ['co op', 'coop'],
  ['e commerce', 'ecommerce'],
  ['node js', 'node'],
  ['react js', 'react'],
  ['vue js', 'vue'],
  ['web 3', 'web3'],
]);

/** Abbreviations, same table as the query language's spirit (DESIGN.md): both sides expand alike. */
const EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  sr: ['senior'],
  snr: ['senior'],
  sen: ['senior'],
  jr: ['junior'],
  jnr: ['junior'],
  intermediate: ['mid'],
  midlevel: ['mid'],
  principle: ['principal'],
  ml: ['machine', 'learning'],
  ai: ['artificial', 'intelligence'],
  mle: ['machine', 'learning', 'engineer'],
  swe: ['software', 'engineer'],
  sde: ['software', 'development', 'engineer'],
  sre: ['site', 'reliability', 'engineer'],
  sdet: ['software', 'development', 'engineer', 'test'],
  eng: ['engineer'],
  engr: ['engineer'],
  dev: ['developer'],
  mgr: ['manager'],
  mngr: ['manager'],
  dir: ['director'],
  vp: ['vice', 'president'],
  svp: ['senior', 'vice', 'president'],
  evp: ['executive', 'vice', 'president'],
  tpm: ['technical', 'program', 'manager'],
  qa: ['quality', 'assurance'],
  nlp: ['natural', 'language', 'processing'],
  cv: ['computer', 'vision'],
  llm: ['large', 'language', 'model'],
  k8s: ['kubernetes'],
  admin: ['administrator'],
  assoc: ['associate'],
  mktg: ['marketing'],
  mgmt: ['management'],
  reactjs: ['react'],
  vuejs: ['vue'],
  nodejs: ['node'],
  // Level numerals: "Engineer II" = "Engineer 2".
  i: ['1'],
  ii: ['2'],
  iii: ['3'],
  iv: ['4'],
  v: ['5'],
};

const STOP_WORDS: ReadonlySet<string> = new Set(['a', 'an', 'the', 'of', 'and', 'for', 'to', 'in', 'with', 'on', 'at', 'or', 'our', 'your']);

/** The title as a comparable key: '' for an empty title. */
export function titleKey(title: string, context: TitleContext = {}): string {
  return analyzeTitle(title, context).key;
}

/** The parts of a title that name places ("Backend Engineer | Berlin" -> ["Berlin"]). */
export function titlePlaces(title: string, context: TitleContext = {}): string[] {
  return [...analyzeTitle(title, context).places];
}

interface TitleAnalysis {
  key: string;
  places: readonly string[];
}

function analyzeTitle(title: string, context: TitleContext): TitleAnalysis {
  return analyzeTitleMemo(`${title}\u0000${context.company ?? ''}\u0000${context.location ?? ''}`, title, context);
}

const analyzeTitleMemo = memoize((_key: string, title: string, context: TitleContext) => analyzeTitleUncached(title, context));

function analyzeTitleUncached(title: string, context: TitleContext): TitleAnalysis {
  const locationWords = new Set(placeWords(context.location ?? '').map((w) => w.lower));
  const places: string[] = [];
  const noise = (segment: string): boolean => {
    const verdict = segmentNoise(segment, locationWords);
    if (verdict === 'place') places.push(segment.trim());
    return verdict !== null;
  };

  let text = foldDiacritics(decodeAmp(title.replace(/\s+/g, ' ')))
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/['’‘`´]/g, '');
  text = text.replace(URL_RE, ' , ');
  for (const re of SALARY_RES) text = text.replace(re, ' , ');
  text = text.replace(REQUISITION_RE, ' , ').replace(YC_BATCH_RE, ' ');
  // Brackets, innermost first: noise goes, anything else stays as a segment of its own.
  text = replaceBracketGroups(text, (inner) => (noise(inner) ? ' , ' : ` , ${inner} , `)).replace(/[()[\]{}]/g, ' , ');

  const segments = text
    .split(SEGMENT_SPLIT_RE)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
  let kept = segments.filter((s) => !noise(s));
  // The company's own name at either end: "Nomad Health: ...", "... at Nomad Health", "... | Nomad Health".
  const company = companyKey(context.company);
  if (company) {
    // Up to three segments: commas split "Nomad Health, Inc." in two.
    const atStart = (n: number): boolean => companyKey(kept.slice(0, n).join(', ')) === company;
    const atEnd = (n: number): boolean => companyKey(kept.slice(-n).join(', ')) === company;
    for (let n = Math.min(3, kept.length - 1); n >= 1; n--) {
      if (atStart(n)) {
        kept = kept.slice(n);
        break;
      }
    }
    for (let n = Math.min(3, kept.length - 1); n >= 1; n--) {
      if (atEnd(n)) {
        kept = kept.slice(0, -n);
        break;
      }
    }
  }
  // A title that is nothing but noise ("Remote") keeps its words rather than becoming no title.
  if (kept.length === 0) kept = segments;
  return { key: keyOf(kept.join(' ')), places };
}

/**
 * Every bracket group, innermost first and left to right, replaced by what `replace` makes of its
 * content (any closing bracket closes any opening one, as titles mix them up); unmatched brackets are
 * left as they are. One pass with a stack: rescanning the text after each group made a title of
 * 20,000 "[a](b)" groups take seconds.
 */
function replaceBracketGroups(text: string, replace: (inner: string) => string): string {
  // Pieces of the output; `opens` holds the index of each pending opening bracket's piece.
  const pieces: string[] = [];
  const opens: number[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const open = OPEN_BRACKETS.includes(c);
    if (!open && !(CLOSE_BRACKETS.includes(c) && opens.length > 0)) continue;
    if (i > from) pieces.push(text.slice(from, i));
    from = i + 1;
    if (open) {
      opens.push(pieces.length);
      pieces.push(c);
    } else {
      const at = opens.pop()!;
      const inner = pieces.slice(at + 1).join('');
      pieces.length = at;
      pieces.push(replace(inner));
    }
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces.join('');
}

/** 'place' / 'noise' when a segment says nothing about which job it is, null when it does. */
function segmentNoise(segment: string, locationWords: ReadonlySet<string>): 'place' | 'noise' | null {
  if (GENDER_RE.test(segment)) return 'noise';
  const words = placeWords(segment);
  if (words.length === 0) return 'noise';
  // Fast exit: a word that is neither noise, nor in any place name, nor in the location ("Engineer").
  for (const { lower } of words) {
    if (!TITLE_NOISE.has(lower) && !mayBePlaceWord(lower) && !locationWords.has(lower) && !ID_TOKEN_RE.test(lower)) return null;
  }
  const { covered, places } = findPlaces(words);
  let named = places.length > 0;
  for (const [k, w] of words.entries()) {
    if (covered[k] || TITLE_NOISE.has(w.lower) || ID_TOKEN_RE.test(w.lower)) continue;
    // A word of the posting's own location ("Backend Engineer - Leipzig" at location "Leipzig, Germany").
    if (w.lower.length > 2 && locationWords.has(w.lower) && !LOCATION_NOISE.has(w.lower)) {
      named = true;
      continue;
    }
    return null;
  }
  return named ? 'place' : 'noise';
}

function keyOf(text: string): string {
  const raw = text.toLowerCase().match(/[\p{L}\p{N}]+[+#]*/gu) ?? [];
  const joined: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const pair = i + 1 < raw.length ? JOINED_PAIRS.get(`${raw[i]} ${raw[i + 1]}`) : undefined;
    if (pair) {
      joined.push(pair);
      i++;
    } else {
      joined.push(raw[i]!);
    }
  }
  const words = new Set<string>();
  for (const token of joined) {
    for (const word of EXPANSIONS[token] ?? EXPANSIONS[singular(token)] ?? [singular(token)]) {
      if (!STOP_WORDS.has(word)) words.add(word);
    }
  }
  return [...words].sort().join(' ');
}

// Crude on purpose: applied to both sides, it only has to fold the same way twice.
function singular(token: string): string {
  if (token.length <= 3 || /\d|[+#]/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (token.endsWith('sses')) return token.slice(0, -2);
  if (token.endsWith('s') && !/(?:ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

function decodeAmp(text: string): string {
  return text.replace(/&amp;/gi, '&');
}

/**
 * Caches a pure function of a string key (the first argument), bounded: a feed repeats the same
 * locations, company names and titles poll after poll. Results are shared: never mutated.
 */
function memoize<A extends unknown[], R>(fn: (key: string, ...rest: A) => R, max = 4096): (key: string, ...rest: A) => R {
  const cache = new Map<string, R>();
  return (key, ...rest) => {
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key, ...rest);
    if (cache.size >= max) cache.clear();
    cache.set(key, value);
    return value;
  };
}

// ---------------------------------------------------------------------------------------------
// Location

/** What locationsCompatible reads of a posting or a stored job (normalized Posting fields). */
export interface LocationFacts {
  location: string | null;
  arrangement?: Arrangement;
  remoteRegions?: readonly string[];
  /** The title: places written there ("Backend Engineer (Berlin)") count too. */
  title?: string;
  company?: string | null;
}

interface Facts {
  arrangement: Arrangement;
  /** Places of the location field, or of the title when the location field names none. */
  places: readonly Place[];
  /** Places written in the title. */
  titlePlaces: readonly Place[];
  /** Where a remote job may be worked from: null = anywhere / not said. */
  remoteScope: Set<string> | null;
  /** Nothing at all is known about where the job is. */
  unknown: boolean;
}

/**
 * Whether two postings of the same company and title can be the same job, as far as where it is
 * worked goes. Unknown on either side is compatible. Otherwise:
 * - both remote: their regions overlap, or either is unrestricted ("Remote - US" ~ "United States
 *   (Remote)", "Remote (EMEA)" ~ "Remote - Germany", "Remote - US" !~ "Remote - Canada");
 * - remote vs hybrid/onsite: only when the remote one also names that office's city
 *   ("New York or Remote" ~ "New York (Hybrid)");
 * - remote vs a place of unknown arrangement: the place is inside the remote regions;
 * - otherwise: some place of one is compatible with some place of the other, compared at the finest
 *   level both state: city (metro) if both name one ("Berlin" !~ "Toronto", "Palo Alto" ~ "SF Bay
 *   Area"), else state, else country or region ("Berlin, Germany" ~ "Germany" ~ "Europe");
 * - and places written in both titles must be compatible too ("AE - DACH" !~ "AE - Nordics").
 */
export function locationsCompatible(a: LocationFacts, b: LocationFacts): boolean {
  const fa = facts(a);
  const fb = facts(b);
  if (fa.titlePlaces.length > 0 && fb.titlePlaces.length > 0 && !anyCompatible(fa.titlePlaces, fb.titlePlaces)) return false;
  if (fa.unknown || fb.unknown) return true;
  const remoteA = fa.arrangement === 'remote';
  const remoteB = fb.arrangement === 'remote';
  if (remoteA && remoteB) return scopesOverlap(fa.remoteScope, fb.remoteScope);
  if (remoteA || remoteB) {
    const [remote, other] = remoteA ? [fa, fb] : [fb, fa];
    if (other.arrangement !== 'unknown') return sharesCity(remote.places, other.places);
    return other.places.length === 0 || other.places.some((p) => scopesOverlap(remote.remoteScope, scopeOf(p)));
  }
  if (fa.places.length === 0 || fb.places.length === 0) return true;
  return anyCompatible(fa.places, fb.places);
}

function facts(input: LocationFacts): Facts {
  const fromTitle = input.title ? analyzeTitle(input.title, { company: input.company, location: input.location }).places : [];
  const titlePlacesParsed = fromTitle.flatMap((t) => parseLocationMemo(t));
  const locationPlaces = input.location ? parseLocationMemo(input.location) : [];
  const places = locationPlaces.length > 0 ? locationPlaces : titlePlacesParsed;
  const arrangement = input.arrangement ?? (/\bremote\b|\banywhere\b|\bworld\s*wide\b/i.test(input.location ?? '') ? 'remote' : 'unknown');
  const regions = input.remoteRegions && input.remoteRegions.length > 0 ? parseRegionsMemo(input.remoteRegions.join('\u0000'), input.remoteRegions) : null;
  let remoteScope: Set<string> | null = new Set();
  for (const place of regions ? [regions, ...places] : places) {
    const scope = scopeOf(place);
    if (scope === null) {
      remoteScope = null;
      break;
    }
    for (const c of scope) remoteScope.add(c);
  }
  if (remoteScope && remoteScope.size === 0) remoteScope = null;
  const unknown = places.length === 0 && arrangement === 'unknown' && regions === null;
  return { arrangement, places, titlePlaces: titlePlacesParsed, remoteScope, unknown };
}

// Shared, read-only Place objects: a feed's locations repeat.
const parseLocationMemo = memoize((text: string): readonly Place[] => parseLocation(text));
const parseRegionsMemo = memoize((_key: string, regions: readonly string[]): Place | null => parseRegions(regions));

function anyCompatible(a: readonly Place[], b: readonly Place[]): boolean {
  return a.some((pa) => b.some((pb) => placesCompatible(pa, pb)));
}

function sharesCity(a: readonly Place[], b: readonly Place[]): boolean {
  return a.some((pa) => b.some((pb) => pa.cities.size > 0 && pb.cities.size > 0 && placesCompatible(pa, pb)));
}

// ---------------------------------------------------------------------------------------------
// Keys of a posting

/** The stored dedupe keys of a posting or job; null where fuzzy dedupe cannot apply. */
export interface DedupeKeys {
  companyKey: string | null;
  titleKey: string | null;
}

/** Both keys of a posting; companyKey null without a company, titleKey null for an empty title. */
export function dedupeKeys(p: { title: string; company: string | null; location: string | null }): DedupeKeys {
  const company = companyKey(p.company);
  const title = titleKey(p.title, { company: p.company, location: p.location });
  return { companyKey: company || null, titleKey: title || null };
}
