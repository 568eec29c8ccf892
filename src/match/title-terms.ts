/**
 * Terms: how free text (a posting title, a rule's role words, a place) becomes comparable tokens.
 *
 * Titles compare as bags of canonical tokens: abbreviations expand ("Sr. MLE" -> senior machine
 * learning engineer), plurals fold ("engineers" -> engineer) and word order does not matter, so
 * "Engineer, Machine Learning" matches "ML engineer". "engineer" and "engineering" stay different
 * words on purpose: an engineering manager is not an engineer. A quoted phrase compares as
 * written: the same words, contiguous, case-insensitive, without abbreviation expansion.
 */

/** One required element of a title phrase. */
export interface TitleTerm {
  /** The word or quoted phrase as the rule wrote it, for display. */
  text: string;
  /** exact=false: canonical tokens that must all be in the title, in any order. exact=true: the phrase's words, contiguous. */
  tokens: string[];
  /** True for a quoted phrase. */
  exact: boolean;
}

/** A title prepared once per match: its words in order (for quoted phrases) and its canonical bag. */
export interface TitleTokens {
  raw: string[];
  canon: Set<string>;
}

// Trailing + and # belong to the word so C++ and C# stay themselves.
const TOKEN_RE = /[\p{L}\p{N}]+[+#]*/gu;

// Both sides expand with this table, so "ML engineer" and "MLE" meet in the middle.
const ABBREVIATIONS: Readonly<Record<string, readonly string[]>> = {
  ml: ['machine', 'learning'],
  ai: ['artificial', 'intelligence'],
  mle: ['machine', 'learning', 'engineer'],
  // "Ops" is operations on both sides; MLOps is a word of its own (see foldRuns).
  ops: ['operations'],
  mlops: ['mlops'],
  genai: ['generative', 'artificial', 'intelligence'],
  swe: ['software', 'engineer'],
  sde: ['software', 'engineer'],
  sre: ['site', 'reliability', 'engineer'],
  pm: ['product', 'manager'],
  tpm: ['technical', 'program', 'manager'],
  sr: ['senior'],
  snr: ['senior'],
  jr: ['junior'],
  eng: ['engineer'],
  engr: ['engineer'],
  dev: ['developer'],
  mgr: ['manager'],
  nlp: ['natural', 'language', 'processing'],
  cv: ['computer', 'vision'],
  llm: ['large', 'language', 'model'],
  qa: ['quality', 'assurance'],
  vp: ['vice', 'president'],
  fullstack: ['full', 'stack'],
  frontend: ['front', 'end'],
  backend: ['back', 'end'],
  k8s: ['kubernetes'],
};

// A title saying "SDE" also satisfies a rule that spells out "software development engineer";
// a rule saying "SDE" only asks for software + engineer (SDE ≈ software engineer).
const TITLE_ONLY_EXPANSIONS: Readonly<Record<string, readonly string[]>> = {
  sde: ['software', 'development', 'engineer'],
};

/** Words a rule may write that say nothing about the title ("any", "jobs", "for"...). */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'any',
  'role',
  'roles',
  'job',
  'jobs',
  'position',
  'positions',
  'opening',
  'openings',
  'paying',
  'with',
  'for',
  'a',
  'an',
  'of',
  'the',
  'and',
  '&',
  'salary',
  'level',
]);

const NON_ASCII_RE = /[^\x00-\x7f]/;

/** Lower-cases, strips accents and splits text into word tokens ("Sr. C++ Dev" -> sr, c++, dev). */
export function tokenize(text: string): string[] {
  // ASCII has no accents to strip (NFD leaves it as it is): most titles and rule words skip that pass.
  const plain = NON_ASCII_RE.test(text) ? text.normalize('NFD').replace(/\p{M}+/gu, '') : text;
  return plain.toLowerCase().match(TOKEN_RE) ?? [];
}


/** Canonical tokens of one token: abbreviation expanded, plural folded. */
function canonicalOf(token: string, side: 'title' | 'rule'): readonly string[] {
  const direct = (side === 'title' ? TITLE_ONLY_EXPANSIONS[token] : undefined) ?? ABBREVIATIONS[token];
  if (direct) return direct;
  const single = singular(token);
  if (single === token) return [token];
  return (side === 'title' ? TITLE_ONLY_EXPANSIONS[single] : undefined) ?? ABBREVIATIONS[single] ?? [single];
}

// Deliberately crude: it is applied to both sides, so it only has to fold the same way twice.
function singular(token: string): string {
  if (token.length <= 3 || /\d|[+#]/.test(token)) return token;
  if (token.endsWith('ies') && token.length > 4) return `${token.slice(0, -3)}y`;
  if (token.endsWith('sses')) return token.slice(0, -2);
  if (token.endsWith('s') && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

// MLOps is a job of its own to most seekers, not a kind of ML engineer: "ML engineer" must not match
// "Senior MLOps Engineer". Its spellings ("ML Ops", "ML-Ops", "machine learning operations") become
// one word before abbreviations expand, on both sides, so "ml" never surfaces from them.
const MLOPS_RUNS: readonly (readonly string[])[] = [
  ['machine', 'learning', 'operations'],
  ['machine', 'learning', 'ops'],
  ['ml', 'operations'],
  ['ml', 'ops'],
];

/** Tokens with multi-word spellings of one word joined ("ml", "ops" -> "mlops"). */
function foldRuns(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const run = MLOPS_RUNS.find((r) => r.every((t, k) => tokens[i + k] === t));
    if (run) {
      out.push('mlops');
      i += run.length;
    } else out.push(tokens[i++]!);
  }
  return out;
}

/** Prepares a posting title for matching; done once per match, O(title length). */
export function normalizeTitle(title: string): TitleTokens {
  const raw = tokenize(title);
  const canon = new Set<string>();
  for (const token of foldRuns(raw)) for (const c of canonicalOf(token, 'title')) canon.add(c);
  return { raw, canon };
}

// Rules repeat role phrases ("ML engineer" in hundreds of rules), and compiling one runs several
// regexes: each distinct text is compiled once. Entries are never handed out, only copies of them.
const phraseCache = new Map<string, { terms: readonly TitleTerm[]; issue: string | null }>();
const PHRASE_CACHE_LIMIT = 4096;

/** Compiles one title phrase ("ML engineer", "\"site reliability\" engineer") into terms, or says what is wrong. */
export function compileTitlePhrase(text: string): { terms: TitleTerm[]; issue: string | null } {
  let compiled = phraseCache.get(text);
  if (compiled === undefined) {
    compiled = compilePhraseText(text);
    if (phraseCache.size >= PHRASE_CACHE_LIMIT) phraseCache.clear();
    phraseCache.set(text, compiled);
  }
  // Fresh terms for every caller: a compiled rule owns its arrays.
  return { terms: compiled.terms.map((t) => ({ text: t.text, tokens: [...t.tokens], exact: t.exact })), issue: compiled.issue };
}

function compilePhraseText(text: string): { terms: TitleTerm[]; issue: string | null } {
  const quoteCount = (text.match(/["“”]/g) ?? []).length;
  if (quoteCount % 2 !== 0) return { terms: [], issue: `unclosed quote in "${text}"` };
  const terms: TitleTerm[] = [];
  for (const m of text.matchAll(/["“]([^"”]*)["”]|([^"“”]+)/g)) {
    if (m[1] !== undefined) {
      const tokens = tokenize(m[1]);
      if (tokens.length === 0) return { terms: [], issue: `empty quoted phrase in "${text}"` };
      terms.push({ text: `"${m[1].trim()}"`, tokens, exact: true });
      continue;
    }
    for (const word of joinMlopsWords(m[2] ?? '').split(/[\s,]+/)) {
      if (word === '' || FILLER_WORDS.has(word.toLowerCase())) continue;
      const tokens = [...new Set(tokenize(word).flatMap((t) => canonicalOf(t, 'rule')))];
      if (tokens.length > 0) terms.push({ text: word, tokens, exact: false });
    }
  }
  if (terms.length === 0) return { terms, issue: `no words to match in "${text}"` };
  return { terms, issue: null };
}

/** A rule's words with MLOps written as one ("ML Ops engineer" -> "MLOps engineer"), so it is one term. */
function joinMlopsWords(text: string): string {
  return text.replace(/\b(?:ml|machine[\s-]+learning)[\s-]*op(?:eration)?s\b/gi, 'MLOps');
}

/** The terms of a phrase the title lacks; empty when the title matches. */
export function missingTerms(terms: readonly TitleTerm[], title: TitleTokens): TitleTerm[] {
  const missing: TitleTerm[] = [];
  for (const term of terms) if (!termPresent(term, title)) missing.push(term);
  return missing;
}

/** Whether one term of a phrase is in the title: all its canonical tokens, or its quoted words contiguous. */
export function termPresent(term: TitleTerm, title: TitleTokens): boolean {
  return term.exact ? containsRun(title.raw, term.tokens) : term.tokens.every((t) => title.canon.has(t));
}

/** A phrase as the rule wrote it: "ML engineer". */
export function describePhrase(terms: readonly TitleTerm[]): string {
  return terms.map((t) => t.text).join(' ');
}

/** Whether `run` occurs contiguously in `tokens`. */
export function containsRun(tokens: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return true;
  const last = tokens.length - run.length;
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < run.length; j++) if (tokens[i + j] !== run[j]) continue outer;
    return true;
  }
  return false;
}

// Places people name in more than one way; each maps to one spelling so "US" meets "United States".
// Longer aliases come first so "united states of america" wins over "united states".
// Europe also stands for EU and EMEA: a job open to EMEA is open to someone in Europe.
const PLACE_ALIASES: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [['united', 'states', 'of', 'america'], ['us']],
  [['united', 'states'], ['us']],
  [['usa'], ['us']],
  [['united', 'kingdom'], ['uk']],
  [['great', 'britain'], ['uk']],
  [['european', 'union'], ['europe']],
  [['eu'], ['europe']],
  [['emea'], ['europe']],
  [['nyc'], ['new', 'york']],
];

// "Austin, TX": a location with a US state code after a comma is in the US even when it does not
// say so. DE and IN are left out: "Berlin, DE" and "Bangalore, IN" are far likelier than Delaware
// and Indiana written that way, and a false match is worse than a missed one.
const US_STATE_SUFFIX_RE =
  /,\s*(?:AL|AK|AZ|AR|CA|CO|CT|DC|FL|GA|HI|ID|IL|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\b/;

/** Tokens of a place or location text with aliases unified ("U.S.A." -> us, "EMEA" -> europe). */
export function placeTokens(text: string): string[] {
  const raw = tokenize(text.replace(/\bU\.S\.(?:A\.?)?/gi, ' US '));
  const out: string[] = [];
  for (let i = 0; i < raw.length; ) {
    const alias = aliasAt(raw, i);
    if (alias) {
      out.push(...alias[1]);
      i += alias[0].length;
    } else {
      out.push(raw[i]!);
      i += 1;
    }
  }
  if (US_STATE_SUFFIX_RE.test(text)) out.push('|', 'us');
  return out;
}

function aliasAt(tokens: readonly string[], at: number): readonly [readonly string[], readonly string[]] | null {
  for (const alias of PLACE_ALIASES) {
    if (alias[0].every((t, k) => tokens[at + k] === t)) return alias;
  }
  return null;
}
