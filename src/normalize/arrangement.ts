/**
 * Work arrangement (remote / hybrid / onsite / unknown) and the regions a remote job is open to.
 *
 * Where a statement is found decides how much it counts:
 * - location, title and tags are about the job itself, so any arrangement word there decides,
 *   in that order (the first field that says anything wins);
 * - the description is consulted only when those say nothing, and only through phrases that
 *   describe the job ("fully remote", "this role is hybrid", "3 days a week in the office"):
 *   a bare "remote" in the body ("remote collaboration tools", "experience with remote teams")
 *   never makes a job remote.
 *
 * Choices (documented for the README):
 * - "not remote", "non-remote", "this is not a remote position" -> onsite.
 * - "remote or hybrid" / "Remote/Hybrid" -> remote: the job can be done fully remotely.
 * - "Remote or on-site" -> remote, for the same reason.
 * - N days in the office: 1-4 -> hybrid, 5 or more -> onsite ("in office 5 days").
 * - A city alone ("San Francisco, CA") is not evidence of onsite work: unknown.
 * - Regions are reported for remote jobs only; "Anywhere" / "Worldwide" mean no restriction ([]).
 *   Location and tags are scanned whole (they name places); title and description only count
 *   a region attached to "remote" ("Remote (EMEA)", "US Remote", "remote within Canada") or to
 *   "must be located in".
 */
import type { Arrangement } from '../core/types.js';

interface ArrangementInput {
  title: string;
  location: string | null;
  description: string;
  tags?: string[];
}

/** The work arrangement and, for remote jobs, the regions it is limited to. */
export function detectArrangement(input: ArrangementInput): { arrangement: Arrangement; regions: string[] } {
  const arrangement = arrangementFromFields(input);
  return { arrangement, regions: arrangement === 'remote' ? detectRegions(input) : [] };
}

/** Regions a (remote) job is limited to, from location and tags, else from "remote ..." phrases; [] when unrestricted or unknown. */
export function detectRegions(input: ArrangementInput): string[] {
  const strong = [
    ...regionsIn(input.location ?? ''),
    ...regionsIn((input.tags ?? []).join(' | ')),
    ...regionsNearLeads(input.title),
  ];
  if (strong.length > 0) return dedupe(strong);
  // "Anywhere" / "Worldwide" in a field about the job is an explicit "no restriction".
  const fields = `${input.location ?? ''} | ${input.title} | ${(input.tags ?? []).join(' | ')}`;
  if (UNRESTRICTED_RE.test(fields)) return [];
  return dedupe(regionsNearLeads(input.description));
}

function arrangementFromFields(input: ArrangementInput): Arrangement {
  for (const field of [input.location ?? '', input.title, (input.tags ?? []).join(' | ')]) {
    const found = arrangementInField(field);
    if (found) return found;
  }
  return arrangementInBody(input.description) ?? 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Arrangement words

const NOT_REMOTE_RE =
  /\b(?:not|non|no)[- ]remote\b|\bnot\s+(?:an?\s+)?(?:fully\s+|100%\s+)?remote\b|\bremote\s*(?:work\s+)?(?:is\s+)?not\s+(?:possible|available|an\s+option|offered|supported)\b|\bnot\s+(?:eligible|open)\s+(?:for|to)\s+remote\b|\bremote\s*:\s*no\b/i;

// "Remote Sensing Scientist" and "Remote Patient Monitoring" are about the work, not where it is done.
const REMOTE_WORD_RE =
  /\bremote\b(?![- ]?(?:sensing|patient|monitoring|control|access))|\banywhere\b|\bworld\s*wide\b|\bwork\s+from\s+home\b|\bwfh\b|\btelecommut\w*/i;
const UNRESTRICTED_RE = /\banywhere\b(?!\s+in\b)|\bworld\s*wide\b|\bglobal(?:ly)?\b/i;
// "Hybrid Cloud Engineer" is a technology.
const HYBRID_WORD_RE = /\bhybrid\b(?!\s+(?:cloud|apps?|mobile|vehicles?|infrastructure|models?|search|systems?))/i;
const ONSITE_WORD_RE = /\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|\boffice[- ]based\b|\bon[- ]premises?\b/i;
const REMOTE_OR_HYBRID_RE = /\bremote\s*(?:or|\/|\||&|,)\s*hybrid\b|\bhybrid\s*(?:or|\/|\||&|,)\s*remote\b/i;

const DAY_COUNT = '(\\d|one|two|three|four|five|six)';
const OFFICE_PLACE = '(?:(?:in|at|from)\\s+(?:the\\s+|our\\s+)?(?:\\w+\\s+)?office|on[- ]?site|in[- ]person)';
/** "3 days in office", "2 days a week in the office", "in office 5 days", "in-office 3 days a week". */
const OFFICE_DAYS_RES: readonly RegExp[] = [
  new RegExp(`\\b${DAY_COUNT}\\s*\\+?\\s*(?:days?|x)\\s*(?:(?:a|per|\\/)\\s*week\\s*|weekly\\s*)?${OFFICE_PLACE}\\b`, 'i'),
  new RegExp(`\\b(?:in|at)[- ](?:the\\s+)?office\\s+${DAY_COUNT}\\s*(?:days?|x)\\b`, 'i'),
];
const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** Phrases in a description that describe this job as remote. */
const REMOTE_PHRASES: readonly RegExp[] = [
  /\b(?:fully|100%|completely|entirely|totally|permanently)\s+remote\b/i,
  /\bremote[- ](?:first|only|friendly)\b/i,
  /\bremote\s+(?:role|position|job|opportunity|contract|employee)\b/i,
  /\bremote\s+work\b(?!\s+(?:tools?|tooling|software|platforms?))/i,
  /\b(?:role|position|job|opportunity)\s+is\s+(?:fully\s+|100%\s+)?remote\b/i,
  /\bwork\s+(?:from\s+home|from\s+anywhere|remotely)\b/i,
  /\bcan\s+be\s+(?:done|performed|worked)\s+remotely\b/i,
  /\bopen\s+to\s+remote\b/i,
  /\blocation\s*:\s*remote\b/i,
  /\(\s*remote\b[^)]{0,30}\)/i,
  /^\W*remote\W*$/im,
  // Board headers such as the seed posting's "🌎 Remote" (globe or pin emoji, then the location).
  /[\u{1F30D}-\u{1F30F}\u{1F4CD}]\s*remote\b/iu,
  /\bremote\s+or\s+hybrid\b|\bhybrid\s+or\s+remote\b/i,
];

/** Phrases in a description that describe this job as hybrid ("hybrid cloud" is not one). */
const HYBRID_PHRASES: readonly RegExp[] = [
  /\bhybrid\s+(?:role|position|job|opportunity|work(?:ing)?|schedule|arrangement|set-?up|environment|policy|office|basis)\b/i,
  /\b(?:role|position|job)\s+is\s+hybrid\b/i,
  /\blocation\s*:\s*hybrid\b/i,
  /\(\s*hybrid\b[^)]{0,30}\)/i,
];

/** Phrases in a description that describe this job as onsite. */
const ONSITE_PHRASES: readonly RegExp[] = [
  /\b(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based)\s+(?:role|position|job|opportunity|only|work)\b/i,
  /\b(?:role|position|job)\s+is\s+(?:fully\s+|100%\s+)?(?:on[- ]?site|in[- ]office|in[- ]person|office[- ]based)\b/i,
  /\bwork\s+(?:from|in|at)\s+(?:our|the)\s+(?:[\w-]+\s+){0,2}office\b/i,
  /\blocation\s*:\s*on[- ]?site\b/i,
  /\(\s*on[- ]?site\s*\)/i,
];

/** A field about the job itself (location, title, tags): any arrangement word decides. */
function arrangementInField(text: string): Arrangement | null {
  if (!text.trim()) return null;
  if (NOT_REMOTE_RE.test(text)) return 'onsite';
  const days = officeDays(text);
  if (days !== null) return days >= 5 ? 'onsite' : 'hybrid';
  const remote = REMOTE_WORD_RE.test(text);
  const hybrid = HYBRID_WORD_RE.test(text);
  if (remote && hybrid) return REMOTE_OR_HYBRID_RE.test(text) ? 'remote' : 'hybrid';
  if (remote) return 'remote';
  if (hybrid) return 'hybrid';
  if (ONSITE_WORD_RE.test(text)) return 'onsite';
  return null;
}

/** The description: only phrases that describe the job count. */
function arrangementInBody(text: string): Arrangement | null {
  if (NOT_REMOTE_RE.test(text)) return 'onsite';
  // A stated office schedule is a requirement; "remote-first" elsewhere is usually company culture.
  const days = officeDays(text);
  if (days !== null) return days >= 5 ? 'onsite' : 'hybrid';
  if (REMOTE_PHRASES.some((re) => re.test(text))) return 'remote';
  if (HYBRID_PHRASES.some((re) => re.test(text))) return 'hybrid';
  if (ONSITE_PHRASES.some((re) => re.test(text))) return 'onsite';
  return null;
}

/** Required office days per week, or null; an "optional" office day is no requirement. */
function officeDays(text: string): number | null {
  for (const re of OFFICE_DAYS_RES) {
    const m = re.exec(text);
    if (!m) continue;
    const before = text.slice(Math.max(0, m.index - 30), m.index);
    if (/\boptional(?:ly)?\b|\bup\s+to\s*$/i.test(before) || /^\s*\(?optional/i.test(text.slice(m.index + m[0].length))) continue;
    const word = m[1]!.toLowerCase();
    return NUMBER_WORDS[word] ?? Number(word);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Regions

/** Canonical region names and how they are written. Longer names win over the shorter ones inside them. */
const REGIONS: ReadonlyArray<readonly [string, RegExp]> = [
  ['North America', /\bNorth\s+America\b/gi],
  ['LATAM', /\b(?:LATAM|Latin\s+America|South\s+America|Central\s+America)\b/gi],
  ['Americas', /\bAmericas\b/gi],
  ['US', /(?<![A-Za-z])(?:U\.S\.(?:A\.)?|USA|US)(?![A-Za-z])/g],
  ['US', /\bUnited\s+States(?:\s+of\s+America)?\b|\bNew\s+Mexico\b/gi],
  ['Canada', /\bCanad(?:a|ian)\b/gi],
  ['UK', /(?<![A-Za-z])(?:UK|U\.K\.)(?![A-Za-z])/g],
  ['UK', /\b(?:United\s+Kingdom|Great\s+Britain|Britain|England|Scotland|Wales|Northern\s+Ireland)\b/gi],
  ['EMEA', /\bEMEA\b/gi],
  ['Europe', /\bEurope(?:an)?\b|\bEuropean\s+Union\b/gi],
  ['Europe', /(?<![A-Za-z])EU(?![A-Za-z])/g],
  ['APAC', /\b(?:APAC|Asia[- ]Pacific|Asia)\b/gi],
  ['Australia', /\b(?:Australia|New\s+South\s+Wales)\b/gi],
  ['New Zealand', /\bNew\s+Zealand\b/gi],
  ['Netherlands', /\b(?:the\s+)?Netherlands\b|\bHolland\b/gi],
  ['Czechia', /\bCzech(?:ia|\s+Republic)\b/gi],
  ['South Korea', /\b(?:South\s+)?Korea\b/gi],
  ['United Arab Emirates', /\b(?:United\s+Arab\s+Emirates|UAE)\b/g],
  ['South Africa', /\bSouth\s+Africa\b/gi],
  ['Hong Kong', /\bHong\s+Kong\b/gi],
  ['Costa Rica', /\bCosta\s+Rica\b/gi],
  ['Saudi Arabia', /\bSaudi\s+Arabia\b/gi],
  ...[
    'Germany', 'France', 'Spain', 'Portugal', 'Italy', 'Belgium', 'Ireland', 'Poland', 'Romania', 'Ukraine', 'Sweden',
    'Norway', 'Denmark', 'Finland', 'Switzerland', 'Austria', 'Greece', 'Hungary', 'Estonia', 'Lithuania', 'Latvia',
    'Bulgaria', 'Croatia', 'Serbia', 'Turkey', 'Israel', 'India', 'Pakistan', 'Bangladesh', 'Philippines', 'Singapore',
    'Japan', 'China', 'Taiwan', 'Vietnam', 'Indonesia', 'Malaysia', 'Thailand', 'Brazil', 'Mexico', 'Argentina',
    'Colombia', 'Chile', 'Peru', 'Uruguay', 'Nigeria', 'Kenya', 'Egypt', 'Ghana', 'Morocco',
  ].map((name) => [name, new RegExp(`\\b${name}\\b`, 'gi')] as const),
];

interface RegionHit {
  name: string;
  start: number;
  end: number;
}

/** Every region named in the text, in order; overlapping names keep the longest ("Northern Ireland" is UK, not Ireland). */
function regionHits(text: string): RegionHit[] {
  const all: RegionHit[] = [];
  for (const [name, re] of REGIONS) {
    for (const m of text.matchAll(re)) all.push({ name, start: m.index, end: m.index + m[0].length });
  }
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
  const kept: RegionHit[] = [];
  for (const hit of all) {
    const last = kept[kept.length - 1];
    if (last && hit.start < last.end) continue;
    kept.push(hit);
  }
  return kept;
}

function regionsIn(text: string): string[] {
  return regionHits(text).map((h) => h.name);
}

// Words that attach regions to the job: "Remote (US only)", "remote within Canada", "must be located in the UK".
const REGION_LEAD_RE =
  /\bremote\b|\b(?:must|should)\s+(?:be\s+)?(?:located|based|residing|reside|live)\s+in\b|\bcandidates\s+(?:(?:based|located|residing)\s+)?in\b/gi;
const REGION_GAP_AFTER_RE = /^[\s,:/&()|\-–—]*(?:(?:only|in|within|from|across|throughout|based\s+in|the|or|and)\b[\s,:/&()|\-–—]*)*$/i;
const REGION_GAP_BEFORE_RE = /^[\s,(\-–—]*(?:based\b)?[\s,(\-–—]*$/i;

/** Regions written right after (or right before) a lead such as "remote": "Remote - EMEA", "US Remote". */
function regionsNearLeads(text: string): string[] {
  const found: string[] = [];
  for (const lead of text.matchAll(REGION_LEAD_RE)) {
    const leadEnd = lead.index + lead[0].length;
    const after = cutLine(text.slice(leadEnd, leadEnd + 60));
    let gapStart = 0;
    for (const hit of regionHits(after)) {
      if (!REGION_GAP_AFTER_RE.test(after.slice(gapStart, hit.start))) break;
      found.push(hit.name);
      gapStart = hit.end;
    }
    const beforeStart = Math.max(0, lead.index - 30);
    const before = text.slice(beforeStart, lead.index);
    const lastBefore = regionHits(before).at(-1);
    if (lastBefore && REGION_GAP_BEFORE_RE.test(before.slice(lastBefore.end))) found.push(lastBefore.name);
  }
  return found;
}

function cutLine(text: string): string {
  // "U.S. only": a dot after a lone capital is an abbreviation, not the end of the sentence.
  const at = text.search(/\n|(?<!\b[A-Z])[.;!?](?:\s|$)/);
  return at >= 0 ? text.slice(0, at) : text;
}

function dedupe(names: readonly string[]): string[] {
  return [...new Set(names)];
}
