/**
 * Work arrangement (remote / hybrid / onsite / unknown) and the regions a remote job is open to.
 *
 * Where a statement is found decides how much it counts:
 * - location, title and tags are about the job itself, so any arrangement word there decides,
 *   in that order (the first field that says anything wins);
 * - the description is consulted only when those say nothing, and only through statements that
 *   describe the job ("fully remote", "this role is hybrid", "3 days a week in the office",
 *   "Location: Austin (on-site)"): a bare "remote" in the body ("remote collaboration tools",
 *   "experience with remote teams") never makes a job remote. Every statement is weighed (see
 *   "The description" below): one about this job beats one about the company, and a stated
 *   office requirement beats a generic "remote work" mention.
 *
 * Choices (documented for the README):
 * - "not remote", "non-remote", "this is not a remote position", "we do not offer remote work",
 *   "remote work is not available" -> onsite.
 * - "remote or hybrid" / "Remote/Hybrid" -> remote: the job can be done fully remotely.
 * - "Remote or on-site" -> remote, for the same reason.
 * - N days in the office: 1-4 -> hybrid, 5 or more -> onsite ("in office 5 days"); named weekdays
 *   count too ("in our office Tuesday to Thursday" -> 3 -> hybrid).
 * - Remote on some days only ("remote work on Fridays", "2 days a week from home") -> hybrid.
 * - A company-wide statement alone still counts, at the lowest weight: "We are a remote-first
 *   company" or "We support remote work for most roles" with nothing else said -> remote.
 * - A city alone ("San Francisco, CA") is not evidence of onsite work: unknown.
 * - Regions are reported for remote jobs only; "Anywhere" / "Worldwide" mean no restriction ([]).
 *   Location and tags are scanned whole (they name places); title and description only count
 *   a region attached to "remote" ("Remote (EMEA)", "US Remote", "remote within Canada", "Remote in
 *   Europe.", "remote from anywhere in Germany", "Remote innerhalb Deutschlands") or to "must be located in".
 * - A location that names only regions ("USA Only", "Europe", "LATAM", "Americas", "EMEA", "Anywhere in
 *   the World") is remote; a location of bare countries ("USA", "Germany", "USA, Canada") is remote
 *   only when the description says nothing (see "Locations that name only regions" below).
 * - French and German wording (arrangement-fr-de.ts): "3 Tage Homeoffice", "Télétravail 2 jours par
 *   semaine", "hybrides Arbeiten" -> hybrid; "100% télétravail", "komplett remote" -> remote; "sur site",
 *   "in Präsenz", "vor Ort in ..." -> onsite.
 */
import type { Arrangement } from '../core/types.js';
import { foreignStatements, TELEWORK_LABEL_RE } from './arrangement-fr-de.js';

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

/**
 * Whether the text offers an office beside remote work ("Work from our Denver office or remotely
 * anywhere in the US"): the job is remote, and the office is one place to do it.
 */
export function offersOffice(input: ArrangementInput): boolean {
  return new RegExp(OFFICE_OR_REMOTE_G.source, 'iu').test(`${input.title}\n${input.description.slice(0, 20_000)}`);
}

/** Regions a (remote) job is limited to, from location and tags, else from "remote ..." phrases; [] when unrestricted or unknown. */
export function detectRegions(input: ArrangementInput): string[] {
  // A location that is an office ("Lisbon, Portugal") with a description that says where the remote
  // option is open ("Lisbon or remote within the EU"): the remote region is the description's.
  if (input.location && !REMOTE_WORD_RE.test(input.location) && locationScope(input.location) !== 'regions') {
    const stated = dedupe([...regionsNearLeads(input.title), ...regionsNearLeads(input.description)]);
    if (stated.length > 0) return stated;
  }
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

/**
 * What a posting on a remote-only board states against the board's "every job here is remote": hybrid or onsite
 * when a field about the job says so, or when the description states it explicitly and states remote less
 * weightily ("Team members in this role must live within commuting distance of our Dublin hub"); else null, and
 * the board's remote stands ("open to remote candidates in the US; those near Atlanta work from the office 2-3
 * days" is remote).
 */
export function statedAgainstRemote(input: ArrangementInput): 'hybrid' | 'onsite' | null {
  for (const field of [input.location ?? '', input.title, (input.tags ?? []).join(' | ')]) {
    const found = arrangementInField(field);
    if (found === 'hybrid' || found === 'onsite') return found;
    if (found) return null;
  }
  let best: Statement | null = null;
  let remote = 0;
  for (const s of bodyStatements(input.description)) {
    if (s.arrangement === 'remote') remote = Math.max(remote, s.weight);
    else if (best === null || s.weight > best.weight || (s.weight === best.weight && TIE_ORDER[s.arrangement] > TIE_ORDER[best.arrangement])) best = s;
  }
  // A location of regions only ("USA Only") is the board's word for where a remote hire lives: only a statement about this job outweighs it.
  const needed = locationScope(input.location ?? '') === 'regions' ? STATED : EXPLICIT;
  if (!best || best.weight < needed || best.weight <= remote) return null;
  return best.arrangement === 'hybrid' || best.arrangement === 'onsite' ? best.arrangement : null;
}

function arrangementFromFields(input: ArrangementInput): Arrangement {
  for (const field of [input.location ?? '', input.title, (input.tags ?? []).join(' | ')]) {
    const found = arrangementInField(field);
    if (found) return found;
  }
  // A location that names only where a worker may live is a remote job's (see locationScope).
  const scope = locationScope(input.location ?? '');
  const body = strongestInBody(input.description);
  if (scope === 'regions') return body && body.weight >= STATED && body.arrangement !== 'remote' ? body.arrangement : 'remote';
  if (body) return body.arrangement;
  return scope === 'countries' && !OFFICE_PLACED_RE.test(input.description) ? 'remote' : 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Locations that name only regions.
//
// An office job is located in a city. A location field that names only regions, continents or
// countries ("USA Only", "Europe", "LATAM", "Americas", "North America Only", "EMEA", "USA, Canada",
// "Germany") says where a remote worker may live: remote-only boards (We Work Remotely, Remotive)
// write nothing else, and their text often never says "remote".
// - 'regions': a continent or a group of countries (Europe, EMEA, LATAM, Americas, North America,
//   APAC), or region wording ("USA Only", "US residents", "UK based", "Anywhere in the World",
//   "Europe (UTC±2)"): remote, unless the location, title or tags say otherwise, or the description
//   states it about this very job ("This role is hybrid", "Hybrid: 2 days in our Berlin office");
//   a mention in passing ("we meet on-site once a quarter") does not outweigh it.
// - 'countries': bare countries ("USA", "United States", "Germany", "USA, Canada"): a country is
//   also what some boards write for an office job whose city they leave out, so the description
//   decides when it states anything ("Hybrid, 3 days in our Berlin office"); when it places the job
//   in an office without saying how often ("based in our New York office") nothing is known; only
//   when it says nothing of either is the job remote.
// - anything else (a city, a state, "Singapore", "New Mexico", "London, UK"): not a region-only location.

type LocationScope = 'regions' | 'countries' | null;

// "This role is based in our New York office", "you'll join us at our Munich HQ".
const OFFICE_PLACED_RE =
  /\b(?:based|located|work(?:ing)?|join(?:ing)?\s+us|report(?:ing)?|sit(?:ting)?)\s+(?:in|at|from|out\s+of|to)\s+(?:our|the)\s+(?:[\p{L}\p{N}.&'’-]+,?\s+){0,4}(?:office|offices|HQ|headquarters|campus|studio|hub)\b/iu;

const SUPRANATIONAL = new Set(['North America', 'LATAM', 'Americas', 'EMEA', 'Europe', 'APAC']);
// City-states and region names that are also cities or states: "Singapore" is an office address.
const CITY_LIKE_RE = /^(?:Singapore|Hong\s+Kong|New\s+Mexico|New\s+South\s+Wales)$/i;
const TZ = '(?:utc|gmt|cet|cest|eet|wet|est|edt|cst|cdt|mst|pst|pdt|et|ct|mt|pt|tz)';
// What may stand around the region names: separators, "only", "based", "residents", time zones.
const LOCATION_FILLER_RE = new RegExp(
  `^(?:[\\s,;:/&|()+±\\-–—.\\d]|\\d+h(?:rs?)?\\b|\\b(?:only|and|or|the|in|anywhere|world|worldwide|global(?:ly)?|based|residents?|citizens?|time\\s*zones?|timezones?|hours?|${TZ}|nur|uniquement|seulement)\\b)*$`,
  'i',
);
const SCOPE_WORD_RE = new RegExp(`\\b(?:only|anywhere|world|worldwide|global(?:ly)?|based|residents?|citizens?|time\\s*zones?|timezones?|${TZ}|nur|uniquement|seulement)\\b`, 'i');

/** Whether a location names only regions ('regions'), only countries ('countries'), or a place (null). */
function locationScope(location: string): LocationScope {
  if (location.length > 120) return null;
  const hits = regionHits(location);
  if (hits.length === 0) return null;
  let rest = '';
  let at = 0;
  for (const hit of hits) {
    if (CITY_LIKE_RE.test(location.slice(hit.start, hit.end))) return null;
    rest += `${location.slice(at, hit.start)} `;
    at = hit.end;
  }
  rest += location.slice(at);
  if (!LOCATION_FILLER_RE.test(rest)) return null;
  if (SCOPE_WORD_RE.test(rest) || hits.some((h) => SUPRANATIONAL.has(h.name))) return 'regions';
  return 'countries';
}

// ---------------------------------------------------------------------------------------------
// Arrangement words

const NOT_REMOTE_RE =
  /\b(?:not|non|no)[- ]remote\b|\bnot\s+(?:an?\s+)?(?:fully\s+|100%\s+)?remote\b|\bremote\s*(?:work\s+)?(?:is\s+)?not\s+(?:possible|available|an\s+option|offered|supported)\b|\bnot\s+(?:eligible|open)\s+(?:for|to)\s+remote\b|\bremote\s*:\s*no\b/i;
const NOT_REMOTE_G = new RegExp(NOT_REMOTE_RE.source, 'gi');

// "Remote Sensing Scientist" and "Remote Patient Monitoring" are about the work, not where it is done.
const REMOTE_WORD_RE =
  /\bremote\b(?![- ]?(?:sensing|patient|monitoring|control|access))|\banywhere\b|\bworld\s*wide\b|\bwork\s+from\s+home\b|\bwfh\b|\btelecommut\w*/i;
const REMOTE_WORD_G = new RegExp(REMOTE_WORD_RE.source, 'gi');
// "Anywhere in the World" is unrestricted; "anywhere in the US" is not.
const UNRESTRICTED_RE = /\banywhere\b(?!\s+in\b(?!\s+the\s+world\b))|\bworld\s*wide\b|\bglobal(?:ly)?\b/i;
// "Hybrid Cloud Engineer" is a technology.
const NOT_HYBRID_TECH = '(?![\\s-]+(?:cloud|apps?|mobile|vehicles?|infrastructure|models?|search|systems?|networks?|solutions?|ai|ml)\\b)';
const HYBRID_WORD_RE = new RegExp(`\\bhybrid\\b${NOT_HYBRID_TECH}`, 'i');
const ONSITE_WORD_RE =
  /\bon[- ]?site\b|\bin[- ]office\b|\bin[- ]person\b|(?<!home[- ])office[- ]based\b|\bon[- ]premises?\b|\bwork(?:ing)?\s+from\s+(?:the\s+)?office\b|\bWFO\b/i;
// "Remote or hybrid", "Remote/Hybrid", "a remote and hybrid working model", "Vancouver (hybrid) or Remote (Canada)":
// the job can be done fully remotely.
const REMOTE_OR_HYBRID_RE =
  /\bremote\s*(?:or|and|\/|\||&|,)\s*hybrid\b|\bhybrid\s*(?:or|and|\/|\||&|,)\s*remote\b|\bremote(?:ly)?\b[^|·•\n]{0,40}?\sor\s[^|·•\n]{0,40}?\bhybrid\b|\bhybrid\b[^|·•\n]{0,40}?\sor\s[^|·•\n]{0,40}?\bremote(?:ly)?\b/i;
const REMOTE_OR_HYBRID_G = new RegExp(REMOTE_OR_HYBRID_RE.source, 'gi');
// An office offered beside remote work: "work from our Denver office or remotely anywhere in the US",
// "remotely or from one of our hubs". One remote statement, with an office option.
const AN_OFFICE = String.raw`(?:from|in|at|out\s+of)\s+(?:our|the|one\s+of\s+our)\s+(?:[\p{L}\p{N}.&'’-]+,?\s+){0,3}(?:office|offices|HQ|headquarters|hubs?|studio|campus)`;
const OFFICE_OR_REMOTE_G = new RegExp(
  String.raw`\b${AN_OFFICE}\s*,?\s*or\s+(?:work\s+)?(?:remote(?:ly)?|from\s+(?:home|anywhere))\b|\bremote(?:ly)?\s*,?\s*or\s+${AN_OFFICE}\b`,
  'giu',
);
// Flexibility between home and the office as a policy ("the freedom to choose between working from home or the
// office", "flexibility to work from home or from one of our office hubs"): the hire lives near an office and comes in
// at will, which is hybrid work. Unlike "work from our Denver office or remotely anywhere in the US", nothing offers a
// remote hire elsewhere.
const HOME = String.raw`(?:work(?:ing)?\s+)?(?:from|at)\s+home`;
const THE_OFFICE = String.raw`(?:(?:work(?:ing)?\s+)?(?:from|in|at|into)\s+)?(?:the|an?|our|one\s+of\s+our)\s+(?:[\p{L}\p{N}.&'’-]+\s+){0,3}?(?:office|offices|hubs?|HQ|headquarters|campus|studio)\b`;
const HOME_OR_OFFICE_G = new RegExp(
  String.raw`\b(?:freedom|flexibility|flexible|choose|choice|option)\b[^.;!?\n]{0,30}?\b(?:between\s+)?(?:${HOME}\s+(?:or|and)\s+${THE_OFFICE}|${THE_OFFICE}\s+(?:or|and)\s+${HOME}\b)`,
  'giu',
);

// Office days: "3 days a week in our New York City office", "5 days in the office", "in office 5 days",
// "Office in Emeryville, 4 days a week", "two office days per week", "(onsite 4 days)".
const DAY_COUNT = '(\\d|one|two|three|four|five|six|seven)';
const PER_WEEK = '(?:\\s*(?:a|per|each|every|\\/)\\s*(?:week|wk)\\b|\\s*weekly)?';
const OFFICE_NOUN = '(?:office|offices|HQ|headquarters|campus|studio|hub|site|lab)';
// Where an office word comes first and the days follow, only unambiguous office words count ("our lab runs 3 days of tests").
// "On client site in London 5 days a week": a contractor's office is the client's site.
const CLIENT_SITE = "client(?:['’]s)?\\s+sites?";
const OFFICE_LEAD = `(?:office|offices|HQ|headquarters|campus|on[- ]?site|in[- ]office|in[- ]person|${CLIENT_SITE})`;
const OFFICE_PLACE =
  `(?:(?:in|at|from|to|into)\\s+(?:the\\s+|our\\s+|an?\\s+)?(?:[\\p{L}\\p{N}.&'’-]+,?\\s+){0,4}${OFFICE_NOUN}\\b|on[- ]?site\\b|in[- ]office\\b|in[- ]person\\b|office\\b|(?:on|at)\\s+(?:the\\s+|a\\s+)?${CLIENT_SITE}\\b|WFO\\b|work(?:ing)?\\s+from\\s+(?:the\\s+)?office\\b)`;
// Days that are leave, not attendance: "5 days of paid leave", "3 days PTO".
const NOT_ATTENDANCE =
  '(?!\\s*(?:of\\s+)?(?:paid|pto|holiday|holidays|vacation|leave|off|notice|sick|annual|per\\s+(?:year|month)|a\\s+(?:year|month)|ago|later|before|after|in\\s+advance)\\b)';
const OFFICE_DAYS_RES: readonly RegExp[] = [
  new RegExp(`\\b${DAY_COUNT}\\s*\\+?\\s*(?:days?|x)${PER_WEEK}\\s*,?\\s*${OFFICE_PLACE}`, 'giu'),
  new RegExp(`\\b${DAY_COUNT}\\s*(?:office|on[- ]?site|in[- ]office|in[- ]person)\\s+days?\\b`, 'giu'),
  new RegExp(
    `(?<!\\bhome\\s)\\b${OFFICE_LEAD}\\b[^.;!?\\n]{0,40}?\\b(?:at\\s+least\\s+)?${DAY_COUNT}\\s*\\+?\\s*(?:days?|x)\\b${NOT_ATTENDANCE}`,
    'giu',
  ),
];
const NUMBER_WORDS: Readonly<Record<string, number>> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

// Office days named: "in our Kreuzberg office Tuesday to Thursday", "Tuesdays and Thursdays in our Holborn office".
const WEEKDAY_NAME = '(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri)(?:day)?s?';
const WEEKDAY_NAME_G = /\b(mon|tue|wed|thu|fri)[a-z]*\b/g;
const WEEKDAY_INDEX: Readonly<Record<string, number>> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5 };
const WEEKDAYS = `(\\b${WEEKDAY_NAME}\\b(?:\\s*(?:,|and|&|\\/|-|–|to|through|thru|until)\\s*\\b${WEEKDAY_NAME}\\b){0,4})`;
const LEADING_WEEKDAYS_RE = new RegExp(`^\\s*(?:(?:on|every|from)\\s+)?${WEEKDAYS}`, 'i');
const OFFICE_WEEKDAYS_RES: readonly RegExp[] = [
  new RegExp(`(?<!\\bhome\\s)\\b${OFFICE_LEAD}\\b[\\s,(]*(?:(?:on|every|from|each)\\s+)?${WEEKDAYS}`, 'giu'),
  new RegExp(`(?:on\\s+|every\\s+|from\\s+)?${WEEKDAYS}[^.;!?\\n]{0,12}?\\b(?:in|at)\\s+(?:the\\s+|our\\s+)?(?:[\\p{L}\\p{N}.&'’-]+,?\\s+){0,4}${OFFICE_NOUN}\\b`, 'giu'),
];

// Remote on some days only is hybrid: "Remote work on Fridays", "2 days a week from home".
const WEEKDAY = '(?:mon|tues|wednes|thurs|fri)days?\\b';
const REMOTE_DAYS_RES: readonly RegExp[] = [
  new RegExp(
    `\\b(?:remote(?:ly)?|work(?:ing)?\\s+from\\s+home|wfh|home\\s*office)\\s+(?:work(?:ing)?\\s+)?(?:(?:on|every)\\s+)?(?:${WEEKDAY}|${DAY_COUNT}\\s*(?:days?|x)${PER_WEEK}|(?:once|twice)\\s+(?:a|per)\\s+week|one\\s+day\\b)`,
    'gi',
  ),
  new RegExp(`\\b${DAY_COUNT}\\s*(?:days?|x)${PER_WEEK}\\s*(?:of\\s+)?(?:remote(?:ly)?|from\\s+home|wfh|at\\s+home|home\\s*office)\\b`, 'gi'),
];

// ---------------------------------------------------------------------------------------------
// Fields about the job itself (location, title, tags): any arrangement word decides.

function arrangementInField(text: string): Arrangement | null {
  if (!text.trim()) return null;
  const days = officeDays(text);
  if (days !== null) return days >= 5 ? 'onsite' : 'hybrid';
  // "Not remote", and a remote word in a negation ("No remote", "Remote not possible"), are statements of onsite work.
  const rest = text.replace(NOT_REMOTE_G, (m) => ' '.repeat(m.length));
  let remote = false;
  let notRemote = rest !== text;
  for (const m of rest.matchAll(REMOTE_WORD_G)) {
    if (EXCEPTION_RE.test(segmentAround(rest, m.index))) continue;
    if (negated(rest.slice(0, m.index), rest.slice(m.index + m[0].length))) notRemote = true;
    else remote = true;
  }
  const hybrid = HYBRID_WORD_RE.test(text);
  if (remote && hybrid) return REMOTE_OR_HYBRID_RE.test(text) ? 'remote' : 'hybrid';
  if (remote) return 'remote';
  if (hybrid) return 'hybrid';
  if (notRemote) return 'onsite';
  if (ONSITE_WORD_RE.test(text)) return 'onsite';
  return foreignInField(text);
}

/** Whether an on-site phrase is qualified as occasional right before or after it, inside its clause. */
function occasional(text: string, clause: Span, start: number, end: number): boolean {
  return OCCASIONAL_BEFORE_RE.test(text.slice(Math.max(clause.start, start - 40), start)) || OCCASIONAL_AFTER_RE.test(text.slice(end, Math.min(clause.end, end + 40)));
}

// "Occasionally work on-site", "periodic on-site visits"; "be on site at times", "on-site once a quarter".
const OCCASIONAL = String.raw`(?:at\s+times|occasional(?:ly)?|from\s+time\s+to\s+time|periodic(?:al(?:ly)?)?|sometimes|as\s+needed|when\s+(?:needed|required)|(?:once|twice|a\s+few\s+times)\s+(?:a|per)\s+(?:month|quarter|year)|quarterly|annually)`;
const OCCASIONAL_BEFORE_RE = new RegExp(String.raw`\b${OCCASIONAL}\s+(?:[\w-]+\s+){0,2}$`, 'i');
const OCCASIONAL_AFTER_RE = new RegExp(String.raw`^[\s(]*(?:[\w-]+\s+){0,2}?${OCCASIONAL}\b`, 'i');

/** The part of a field around a position, between separators: "remote possible for exceptional candidates" in "SF or Shenzhen, remote possible for exceptional candidates". */
function segmentAround(text: string, at: number): string {
  // Bounded on either side, so that a long field with many remote words stays linear.
  const before = text.slice(Math.max(0, at - SEGMENT_REACH), at);
  const after = text.slice(at, at + SEGMENT_REACH);
  const start = Math.max(before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('|'), before.lastIndexOf('\n')) + 1;
  const end = after.search(/[,;|\n]/);
  return before.slice(start) + (end < 0 ? after : after.slice(0, end));
}

const SEGMENT_REACH = 120;

/** French and German wording in a field ("Paris · Télétravail partiel", "Köln (100 % Remote)"): the weightiest statement. */
function foreignInField(text: string): Arrangement | null {
  let best: Statement | null = null;
  for (const s of foreignStatements(text)) {
    if (negated(text.slice(0, s.start), text.slice(s.end))) continue;
    if (best === null || s.weight > best.weight || (s.weight === best.weight && TIE_ORDER[s.arrangement] > TIE_ORDER[best.arrangement])) best = s;
  }
  return best?.arrangement ?? null;
}

/** Required office days per week in a field, or null; an "optional" office day is no requirement. */
function officeDays(text: string): number | null {
  return officeDayHits(text).find((hit) => !negated(text.slice(0, hit.start), text.slice(hit.end)))?.days ?? null;
}

interface Span {
  start: number;
  end: number;
}

// Cheap tests that skip the phrase scans a text cannot match (most descriptions never mention an office schedule).
const MAY_STATE_DAYS_RE = /\bdays?\b|\d\s*x\b|\b(?:mon|tue|wed|thu|fri)/i;
const MAY_NAME_OFFICE_RE = /office|site|person|\bhq\b|headquarters|campus|studio|\bhub\b|\blab\b|\bwfo\b/i;
const MAY_STATE: Readonly<Record<Arrangement, RegExp>> = {
  remote: /remote|home|anywhere|worldwide|\u{1F30D}|\u{1F30E}|\u{1F30F}|\u{1F4CD}/iu,
  hybrid: /hybrid|home|commut/i,
  onsite: /site|office|person|field[- ]based|\bWFO\b/i,
  unknown: /$^/,
};

/** Every required-office-days statement in the text, in order: counted days, or named weekdays. */
function officeDayHits(text: string): Array<Span & { days: number }> {
  const hits: Array<Span & { days: number }> = [];
  if (!MAY_STATE_DAYS_RE.test(text) || !MAY_NAME_OFFICE_RE.test(text)) return hits;
  const push = (start: number, end: number, days: number): void => {
    const before = text.slice(Math.max(0, start - 30), start);
    if (/\b(?:optional(?:ly)?|as\s+needed)\b|\bup\s+to\s*$/i.test(before) || /^\s*\(?optional/i.test(text.slice(end))) return;
    if (days >= 1 && days <= 7) hits.push({ start, end, days });
  };
  for (const re of OFFICE_DAYS_RES) {
    for (const m of text.matchAll(re)) {
      const word = m[1]!.toLowerCase();
      push(m.index, m.index + m[0].length, NUMBER_WORDS[word] ?? Number(word));
    }
  }
  for (const re of OFFICE_WEEKDAYS_RES) {
    for (const m of text.matchAll(re)) push(m.index, m.index + m[0].length, weekdayCount(m[1]!));
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** Days in "Tuesday to Thursday" (3), "Tuesdays and Thursdays" (2), "Mon-Fri" (5). */
function weekdayCount(days: string): number {
  const names = [...days.toLowerCase().matchAll(WEEKDAY_NAME_G)].map((m) => WEEKDAY_INDEX[m[1]!.slice(0, 3)]!);
  if (names.length === 2 && /\b(?:to|through|thru|until)\b|[-–]/i.test(days)) return Math.abs(names[1]! - names[0]!) + 1;
  return new Set(names).size;
}

// ---------------------------------------------------------------------------------------------
// The description.
//
// Every arrangement statement found is weighed, and the weightiest wins:
// - STATED (3): about this job: a header line ("Remote", "🌎 Remote", "Hybrid (2 office days)"), a
//   label ("Location: San Francisco (on-site)", "Workplace type: Hybrid", "Hybrid: 3 days in our
//   NYC office"), or any statement in a clause that names the job ("this role is on-site", "we do
//   not offer remote work for this position", "you will work remotely");
// - EXPLICIT (2): an arrangement phrase ("fully remote", "hybrid schedule", "on-site position",
//   "3 days a week in our office", "unable to offer remote work");
// - GENERAL (1): a mention that is about the company or work in general ("remote work",
//   "remote-first"), or any statement in a clause about the company or most of its roles
//   ("we support remote work for most roles", "our teams work 2 days in the office").
// A statement about this job (3) beats one about the company (1): "We support remote work for most
// roles, but this role is on-site" is onsite. At equal weight a stated requirement beats a remote
// mention: hybrid, then onsite, then remote.
//
// Negation is read in a window around a phrase, inside its clause: "do not offer remote work",
// "unable to offer remote", "no remote", "not open to remote", "remote work is not available",
// "remote candidates will not be considered". A negated remote phrase states onsite work; a negated
// hybrid or onsite phrase ("this is not an on-site role") states nothing.

const GENERAL = 1;
const EXPLICIT = 2;
const STATED = 3;

interface PhraseRule {
  re: RegExp;
  arrangement: Arrangement;
  weight: number;
  /** Header lines and labels are about the job by their form: the clause around them does not change their weight. */
  structural?: boolean;
}

const g = (re: RegExp): RegExp => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);

const PHRASES: readonly PhraseRule[] = [
  // Remote
  { re: OFFICE_OR_REMOTE_G, arrangement: 'remote', weight: EXPLICIT },
  { re: /\b(?:fully|100\s?%|completely|entirely|totally|permanently|full[- ]time)\s+remote\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\bremote[- ]only\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\bremote[- ](?:first|friendly)\b/gi, arrangement: 'remote', weight: GENERAL },
  // "We're a remote company of 85 people", "We are a distributed, remote team".
  {
    re: /\b(?:we\s+are|we['’]re|(?:is|are)\s+an?)\s+(?:an?\s+)?(?:[\w-]+,?\s+)?remote\s+(?:company|team|organi[sz]ation|startup|business)\b/gi,
    arrangement: 'remote',
    weight: GENERAL,
  },
  { re: /\bremote\s+(?:role|position|job|opportunity|contract|employee|basis)\b/gi, arrangement: 'remote', weight: EXPLICIT },
  {
    re: /\bremote\s+work(?:ing)?\b(?!\s+(?:tools?|tooling|software|platforms?|experience|culture|skills?))/gi,
    arrangement: 'remote',
    weight: GENERAL,
  },
  {
    re: /\b(?:(?:role|position|job|opportunity)\s+is|(?:roles|positions|jobs|opportunities)\s+are|(?:roles?|positions?|jobs?|opportunit(?:y|ies))\s+(?:can|will|may)\s+be)\s+(?:fully\s+|100%\s+|a\s+)?(?:remote(?:ly)?|performed\s+remotely)\b/gi,
    arrangement: 'remote',
    weight: EXPLICIT,
  },
  { re: /\bremote[- ]eligible\b/gi, arrangement: 'remote', weight: EXPLICIT },
  // "Work From Home Support", "work from home stipend": a perk, not how the job is done.
  {
    re: /\bwork(?:ing)?\s+(?:from\s+home|from\s+anywhere)\b(?![\s-]+(?:support|stipends?|allowances?|budgets?|equipment|set-?up|reimbursements?|benefits?)\b)/gi,
    arrangement: 'remote',
    weight: EXPLICIT,
  },
  // "This is a home-office-based role with travel in the territory".
  { re: /\bhome[- ](?:office[- ])?based\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\bwork(?:s|ing)?\s+remotely\b/gi, arrangement: 'remote', weight: GENERAL },
  { re: /\bcan\s+be\s+(?:done|performed|worked)\s+(?:remotely|from\s+(?:home|anywhere))\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\bopen\s+to\s+remote\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\bremote\s+(?:for\s+candidates|within|across|from\s+anywhere|anywhere)\b/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: /\(\s*remote\b[^)]{0,30}\)/gi, arrangement: 'remote', weight: EXPLICIT },
  // A role listed as "React Native Developer (Worldwide)": open wherever the hire lives.
  { re: /\(\s*(?:worldwide|anywhere)\s*\)/gi, arrangement: 'remote', weight: EXPLICIT },
  { re: REMOTE_OR_HYBRID_G, arrangement: 'remote', weight: EXPLICIT },
  // Board headers such as the seed posting's "🌎 Remote" (globe or pin emoji, then the location).
  { re: /[\u{1F30D}-\u{1F30F}\u{1F4CD}]\s*remote\b/giu, arrangement: 'remote', weight: STATED, structural: true },
  // Hybrid ("hybrid cloud" is not one)
  {
    // Plurals only where they still name the work ("hybrid arrangements"); "hybrid setups" are deployments.
    re: /\bhybrid\s+(?:(?:role|position|job|schedule|arrangement)s?|opportunity|work(?:ing)?|set-?up|environment|policy|office|basis|model|workplace)\b/gi,
    arrangement: 'hybrid',
    weight: EXPLICIT,
  },
  { re: g(new RegExp(`\\b(?:(?:role|position|job)\\s+is|(?:roles|positions|jobs)\\s+are)\\s+(?:a\\s+)?hybrid\\b${NOT_HYBRID_TECH}`, 'i')), arrangement: 'hybrid', weight: EXPLICIT },
  {
    re: g(new RegExp(`\\b(?:we\\s+are|we['’]re|(?:we|team|you|they)\\s+(?:will\\s+)?works?|working)\\s+hybrid\\b${NOT_HYBRID_TECH}`, 'i')),
    arrangement: 'hybrid',
    weight: EXPLICIT,
  },
  { re: /\(\s*hybrid\b[^)]{0,40}\)/gi, arrangement: 'hybrid', weight: EXPLICIT },
  { re: HOME_OR_OFFICE_G, arrangement: 'hybrid', weight: EXPLICIT },
  // "Must live within commuting distance of our Dublin hub": the hire comes in to an office, and is not hired remote.
  { re: /\bwithin\s+(?:a\s+)?(?:reasonable\s+|easy\s+|daily\s+)?commut(?:ing|able|e)\s+distance\b/gi, arrangement: 'hybrid', weight: EXPLICIT },
  // Onsite
  {
    re: /\b(?:on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based)\s+(?:role|position|job|opportunity|only|work|basis)\b/gi,
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  {
    re: /\b(?:(?:role|position|job)\s+is|(?:roles|positions|jobs)\s+are)\s+(?:fully\s+|100%\s+|an?\s+)?(?:on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based|field[- ]based)\b/gi,
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  {
    re: /\b(?:fully|100\s?%|entirely|completely|full[- ]time)\s+(?:on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based)\b/gi,
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  { re: /\bwork(?:ing)?\s+(?:from|in|at)\s+(?:our|the)\s+(?:[\w-]+\s+){0,3}office\b/gi, arrangement: 'onsite', weight: EXPLICIT },
  // "Work from office" in any case; "WFO" only as the acronym.
  { re: /\bwork(?:ing)?\s+from\s+(?:the\s+)?office\b/gi, arrangement: 'onsite', weight: EXPLICIT },
  { re: /\bWFO\b/g, arrangement: 'onsite', weight: EXPLICIT },
  { re: /\bon[- ]?site\s+(?:at|in)\s+(?:our|the)\b|(?<!home[- ])office[- ]based\s+(?:in|at)\b/gi, arrangement: 'onsite', weight: EXPLICIT },
  { re: /\b(?:work|be|report|come)\s+(?:on[- ]?site|in[- ]person)\b/gi, arrangement: 'onsite', weight: EXPLICIT },
  { re: /\(\s*(?:on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based)\b[^)]{0,30}\)/gi, arrangement: 'onsite', weight: EXPLICIT },
  // "Join our small, in-person team in Berlin": the team the hire joins works in one place.
  {
    re: /\bjoin\s+(?:our|the|an?)\s+(?:[\w-]+,?\s+){0,3}?(?:in[- ]person|on[- ]?site|in[- ]office|(?<!home[- ])office[- ]based)\s+team\b/gi,
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
  { re: /\bfield[- ]based\s+(?:role|position|job|opportunity|work|basis)\b/gi, arrangement: 'onsite', weight: EXPLICIT },
  // A sentence, line or list item that opens with it and names the place: "On-site in Austin.", "In-office in London",
  // "Series B, onsite in Boston", "Field-based in northwest Kansas" (a field role works where its territory is).
  // Case is spelled out because `i` would make \p{Lu} match any letter.
  {
    re: /(?:^|[.!?•|,]\s*|\n\s*)(?:[Oo]n[- ]?[Ss]ite|[Ii]n[- ][Oo]ffice|[Ii]n[- ][Pp]erson|[Oo]ffice[- ][Bb]ased|[Ff]ield[- ][Bb]ased)\s+(?:in|at)\s+(?:(?:the|greater|downtown|central|(?:north|south)(?:-?(?:east|west))?|east|west|(?:north|south|east|west)ern)\s+)?(?=\p{Lu})/gmu,
    arrangement: 'onsite',
    weight: EXPLICIT,
  },
];

// "Remote in Europe.", "spread out remotely across the USA", "3 roles Remote (UK/EU preferred)": a region right after it.
const REMOTE_IN_G = /\bremote(?:ly)?\s*(?:(?:in|across|throughout|within)\s+(?:the\s+)?|\(\s*)/gi;

// A remote word negated as a whole is a statement too ("no remote", "not open to remote"), when what
// follows it is about the arrangement: "no remote experience needed" says nothing.
const BARE_REMOTE_G =
  /\bremote(?:ly)?\b(?=\s*(?:work\w*|options?|possible|positions?|roles?|jobs?|candidates?|applicants?|applications?|employees?|workers?|arrangements?|opportunit\w*|basis|set-?up|is|are|will|for|available|allowed|offered|[.,;:!)]|$))/gim;

// An arrangement word standing as an item of a header ("Remote", "Pune, Hybrid", "Full Time · Hybrid · Senior",
// "Hybrid (3 days office)"): at the start of a line it is stated, inside a short line explicit. The markup
// before it is bounded (ITEM_LEAD_MAX): an unbounded run made " - - - …" quadratic.
const ITEM_G =
  /(?:^|[·|•,;(/]|\s[-–—]\s)[ \t*_`>#•-]{0,40}(remote|hybrid|on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based)[ \t*_`]*(?=$|[·|•,;()/]|\s[-–—]\s)/gim;
const ITEM_LINE_MAX = 120;
// Markup before a leading item ("  - **Remote**"): more than this is not markup.
const ITEM_LEAD_MAX = 40;
const URL_G = /\bhttps?:\/\/\S+/gi;

// LinkedIn's workplace tags, which recruiters append to a posting for the role: "#LI-Hybrid", "#LI_Remote",
// "#Li-Hybrid_CapeTown", "#LI-NewYork,NewYork_Hybrid". They are set for the LinkedIn listing, sometimes loosely (a
// remote tag on an office job for reach), so they count as an explicit mention, not as a statement in the role's words.
const LINKEDIN_TAG_G = /#LI[-_]([\p{L}\p{N}_,.-]{1,60})/giu;
const LINKEDIN_WORD_RE = /(?:^|[-_,.])(remote|hybrid|on-?site|in-?office)(?=$|[-_,.])/i;

// Labels: "Location: …", "Workplace type: Hybrid", "Work arrangement - Remote", "Remote: No", "Hybrid: 3 days in our NYC office".
const LABEL_G =
  /(?:^|[.;!?•|]\s+)[ \t>*#•-]*(?:\*\*|__)?\s*((?:work(?:place)?|job|office|employment)?\s*(?:location|arrangement|model|set-?up|setting|style|type|policy|mode)s?|workplace|remote(?:\s+work(?:ing)?)?|hybrid|on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based|t[ée]l[ée]travail|home[- ]?office|mobiles\s+arbeiten|hybride|arbeitsort|lieu(?:\s+de\s+travail)?|modalit[ée]s?\s+de\s+travail|arbeitsmodell)\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?([^\n]*)/gim;
const LABEL_VALUE_MAX_WORDS = 8;
const ARRANGEMENT_LABEL_RE = /^(?:remote|hybrid|on[- ]?site|in[- ]office|in[- ]person|(?<!home[- ])office[- ]based)/i;
// "up to 4 weeks a year", "30 days per year", "a budget", "stipend", "allowance": an allowance, not the arrangement.
const PERK_VALUE_RE = /\b(?:up\s+to|weeks?|per\s+(?:year|annum)|a\s+year|annual(?:ly)?|budget|stipend|allowance|equipment|set-?up\s+costs?)\b/i;
const NO_VALUE_RE = /^\s*(?:no|none|not\b|n\/a|false|unavailable)\b/i;
const YES_VALUE_RE = /^\s*(?:yes|true|✓|✔)/i;

// Clause boundaries: ends of sentences and lines, dashes, and turns ("…, but this role …").
const CLAUSE_BREAK_G = /\n|(?<!\b[A-Za-z])[.!?;](?=\s|$)|[—–]|(?:,\s*|\s)(?=(?:but|however|although|though|whereas|while|yet|except|unlike)\b)/gi;

// A clause that names this job, or the company and its roles in general.
const ABOUT_JOB_RE =
  /\b(?:this|the)\s+(?:[\w-]+\s+){0,2}?(?:role|position|job|opportunity|vacancy|opening|internship|posting)\b|\bthis\s+is\s+(?:an?|not)\b|\byou\s+(?:will|would|must|are\s+(?:expected|required))\b|\byou['’]ll\b|\b(?:candidates?|applicants?)\b/i;
const ABOUT_COMPANY_RE =
  /\b(?:most|many|some|certain|several|other|all)\s+(?:of\s+(?:our|the)\s+)?(?:[\w-]+\s+)?(?:roles|positions|jobs|teams|employees|people|staff|engineers|colleagues|teammates|openings)\b|\b(?:our|the)\s+(?:[\w-]+\s+){0,2}?(?:company|culture|organi[sz]ation|workforce|employees|teams|vendors?|partners?|customers?|clients?)\b|\bwe\s+(?:support|embrace|believe|value|encourage|promote|are\s+an?)\b|\bwe['’]re\s+an?\b|\bcompan(?:y|ies)\b|\bbenefits?\s+package\b/i;

// Remote as an exception: "remote possible for exceptional candidates", "open to remote for the right candidate",
// "remote for some roles", "remote considered case by case".
const EXCEPTION_RE =
  /\bfor\s+(?:the\s+)?(?:right|exceptional|outstanding|select|certain|some)\s+(?:candidates?|applicants?|people|profiles?|roles?|positions?)\b|\b(?:in|by)\s+exception\b|\bin\s+exceptional\s+cases\b|\bcase[- ]by[- ]case\b/i;

// Negation around a phrase, inside its clause.
const NEG_BEFORE_RE =
  /\b(?:not|no|never|cannot|can['’]?t|unable\s+to|without|nor|neither|don['’]?t|doesn['’]?t|won['’]?t|isn['’]?t|aren['’]?t|wasn['’]?t|non|pas|sans|aucune?|kein\w*|nicht|ohne)\b(?!\s+(?:only|just|merely|matter|nur|seulement|uniquement)\b)/i;
const NEG_AFTER_RE =
  /^\s*(?:(?:work(?:ing)?|options?|candidates?|applicants?|applications?|employment|arrangements?)\s+)?(?:(?:is|are|will\s+be|would\s+be|can\s+be|will|would|can|may|shall)\s+)?(?:not|never)\b(?!\s+(?:only|just|merely)\b)|^\s*(?:work\s+)?(?:isn['’]t|aren['’]t|won['’]t|cannot|can['’]t|wouldn['’]t)\b(?!\s+(?:only|just|merely)\b)|^\s*(?:work\s+)?(?:(?:is|are)\s+)?(?:unavailable|impossible|excluded)\b|^\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?:no|none|false|n\/a|non|nein)\b|^\s*(?:(?:ist|sind)\s+)?(?:leider\s+)?nicht\b(?!\s+nur\b)|^\s*n['’](?:est|a)\s+pas\b/i;
const NEG_WINDOW = 48;
const NEG_LOOKBACK = 4 * NEG_WINDOW;
const CLAUSE_REACH = 240;

function negated(whole: string, after: string): boolean {
  // Only the end of what comes before can hold the negation: bounding it keeps a long field linear.
  const before = whole.slice(-NEG_LOOKBACK);
  // The window before stops at punctuation and at "and": "No relocation needed, fully remote" is remote.
  const cut = Math.max(before.search(/[,:()"“”][^,:()"“”]*$/), before.search(/\band\b(?!.*\band\b)/i));
  const window = (cut >= 0 ? before.slice(cut + 1) : before).slice(-NEG_WINDOW);
  return NEG_BEFORE_RE.test(window) || NEG_AFTER_RE.test(after.slice(0, NEG_WINDOW));
}

interface Statement {
  arrangement: Arrangement;
  weight: number;
}

const TIE_ORDER: Readonly<Record<Arrangement, number>> = { hybrid: 3, onsite: 2, remote: 1, unknown: 0 };

/** The description: the weightiest statement about the arrangement, or null when none. */
function strongestInBody(text: string): Statement | null {
  if (!text.trim()) return null;
  const statements = bodyStatements(text);
  let best: Statement | null = null;
  for (const s of statements) {
    if (best === null || s.weight > best.weight || (s.weight === best.weight && TIE_ORDER[s.arrangement] > TIE_ORDER[best.arrangement])) {
      best = s;
    }
  }
  return best;
}

function bodyStatements(text: string): Statement[] {
  if (!text.trim()) return [];
  const clauses = new Clauses(text);
  const statements: Statement[] = [];
  // "Remote or hybrid" is one remote statement: the hybrid word inside it is not another.
  const remoteOrHybrid = spansOf(text, REMOTE_OR_HYBRID_G);
  const inRemoteOrHybrid = (at: number): boolean => overlaps(remoteOrHybrid, at, at + 1);
  // "From our Denver office or remotely": the office inside it is an option, not an onsite requirement.
  const officeOrRemote = spansOf(text, OFFICE_OR_REMOTE_G);
  const inOfficeOrRemote = (start: number, end: number): boolean => overlaps(officeOrRemote, start, end);
  // "The freedom to choose between working from home or the office" is one hybrid statement: its home and office are options.
  const homeOrOffice = spansOf(text, HOME_OR_OFFICE_G);
  const inHomeOrOffice = (start: number, end: number): boolean => overlaps(homeOrOffice, start, end);

  const add = (arrangement: Arrangement, weight: number, start: number, end: number, structural = false): void => {
    const clause = clauses.at(start, end);
    // "Open to remote for the right candidate": remote as an exception is not how this job is done.
    if (arrangement === 'remote' && EXCEPTION_RE.test(text.slice(clause.start, clause.end))) return;
    // "May require you to be on site at times": visits, not where the work is done.
    if (arrangement === 'onsite' && occasional(text, clause, start, end)) return;
    let stated = arrangement;
    let w = weight;
    if (negated(text.slice(clause.start, start), text.slice(end, clause.end))) {
      // A negated remote phrase says the job is not remote; a negated hybrid or onsite phrase says nothing.
      if (arrangement !== 'remote') return;
      stated = 'onsite';
      w = Math.max(w, EXPLICIT);
    }
    if (!structural) w = scopedWeight(text.slice(clause.start, clause.end), w);
    statements.push({ arrangement: stated, weight: w });
  };

  const may = {
    remote: MAY_STATE.remote.test(text),
    hybrid: MAY_STATE.hybrid.test(text),
    onsite: MAY_STATE.onsite.test(text),
    unknown: false,
  };
  for (const rule of PHRASES) {
    if (!may[rule.arrangement]) continue;
    for (const m of text.matchAll(rule.re)) {
      if (rule.arrangement === 'hybrid' && rule.re !== REMOTE_OR_HYBRID_G && inRemoteOrHybrid(m.index)) continue;
      if (rule.arrangement === 'onsite' && inOfficeOrRemote(m.index, m.index + m[0].length)) continue;
      if (rule.re !== HOME_OR_OFFICE_G && rule.arrangement !== 'hybrid' && inHomeOrOffice(m.index, m.index + m[0].length)) continue;
      add(rule.arrangement, rule.weight, m.index, m.index + m[0].length, rule.structural);
    }
  }
  for (const m of may.remote ? text.matchAll(BARE_REMOTE_G) : []) {
    const clause = clauses.at(m.index, m.index + m[0].length);
    if (negated(text.slice(clause.start, m.index), text.slice(m.index + m[0].length, clause.end))) {
      add('remote', EXPLICIT, m.index, m.index + m[0].length);
    }
  }
  for (const hit of officeDayHits(text)) add(hit.days >= 5 ? 'onsite' : 'hybrid', EXPLICIT, hit.start, hit.end);
  for (const s of foreignStatements(text)) add(s.arrangement, s.weight, s.start, s.end);
  // "Remote in Europe.", "Remote in the US; our HQ is in New York", "Remote (Europe)": a region right after "remote in".
  for (const m of may.remote ? text.matchAll(REMOTE_IN_G) : []) {
    const end = m.index + m[0].length;
    if (regionHits(text.slice(end, end + 40))[0]?.start === 0) add('remote', EXPLICIT, m.index, end);
  }
  if (may.remote && MAY_STATE_DAYS_RE.test(text)) {
    for (const re of REMOTE_DAYS_RES) {
      for (const m of text.matchAll(re)) add('hybrid', EXPLICIT, m.index, m.index + m[0].length);
    }
  }
  for (const m of text.matchAll(LINKEDIN_TAG_G)) {
    const word = LINKEDIN_WORD_RE.exec(m[1]!)?.[1];
    if (word) statements.push({ arrangement: arrangementOfWord(word), weight: EXPLICIT });
  }
  // Items come in order, so each line is measured once (a long line of many items stays linear).
  const firstContent = text.search(/\S/);
  let line = { start: 0, end: -1, header: false, long: false };
  for (const m of text.matchAll(ITEM_G)) {
    const word = m[1]!;
    const start = m.index + m[0].lastIndexOf(word);
    if (inRemoteOrHybrid(start)) continue;
    if (start > line.end) {
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const next = text.indexOf('\n', start);
      const lineEnd = next < 0 ? text.length : next;
      const body = text.slice(lineStart, lineEnd);
      // A segment of the first line's "|" header ("Acme | Engineer | Germany | ONSITE", as on Hacker News) is stated about the job.
      line = { start: lineStart, end: lineEnd, header: lineStart <= firstContent && body.includes('|'), long: lineLength(body) > ITEM_LINE_MAX };
    }
    const leading = start - line.start <= ITEM_LEAD_MAX && text.slice(line.start, start).replace(/[\s*_`>#•-]/g, '') === '';
    if (!leading && !line.header && line.long) continue;
    add(arrangementOfWord(word), leading || line.header ? STATED : EXPLICIT, start, start + word.length, leading || line.header);
  }
  for (const m of text.matchAll(LABEL_G)) {
    const value = cutLine(m[2]!);
    // "Remote working: Love water cooler chats and working from home? We offer a hybrid model": a question is no
    // field value but a heading's lead-in; the paragraph's own statements are weighed instead.
    if (m[2]![value.length] === '?') continue;
    const found = arrangementOfLabel(m[1]!.trim(), value.trim());
    if (found) statements.push({ arrangement: found, weight: STATED });
  }
  return statements;
}

/** A line's length without its links: "1. Infrastructure Engineer (Full-time, ONSITE): https://..." is a short line. */
function lineLength(line: string): number {
  let length = line.length;
  for (const m of line.matchAll(URL_G)) length -= m[0].length;
  return length;
}

/** Where a global pattern matches, in order (matches never overlap). */
function spansOf(text: string, re: RegExp): Span[] {
  return [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

/** Whether [start, end) overlaps one of the ordered, disjoint spans: a binary search, so many phrases stay linear. */
function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  return lo < spans.length && spans[lo]!.start < end;
}

function arrangementOfWord(word: string): Arrangement {
  const w = word.toLowerCase();
  if (w === 'remote') return 'remote';
  if (w === 'hybrid') return 'hybrid';
  return 'onsite';
}

/** What a label line states: "Location: Remote (US)", "Remote: No", "Hybrid: 3 days a week in our NYC office". */
function arrangementOfLabel(label: string, value: string): Arrangement | null {
  // "Télétravail : 2 jours/semaine", "Télétravail : total", "Homeoffice: 3 Tage": read as one phrase.
  if (TELEWORK_LABEL_RE.test(label)) return value === '' ? null : foreignInField(`${label} ${value}`);
  if (/^hybride$/i.test(label)) return 'hybrid';
  if (ARRANGEMENT_LABEL_RE.test(label)) {
    const word = arrangementOfWord(label.split(/\s+/)[0]!);
    // A perk under a benefits heading ("Remote working: work from anywhere for up to 4 weeks a year"),
    // not this job's arrangement: its phrases are weighed like any sentence.
    if (PERK_VALUE_RE.test(value) || value.split(/\s+/).length > LABEL_VALUE_MAX_WORDS) return null;
    if (NO_VALUE_RE.test(value)) return word === 'remote' ? 'onsite' : null;
    if (YES_VALUE_RE.test(value)) return word;
    const named = word === 'remote' ? null : LEADING_WEEKDAYS_RE.exec(value);
    const days = named ? weekdayCount(named[1]!) : officeDays(value);
    if (days !== null) return days >= 5 ? 'onsite' : 'hybrid';
    return word;
  }
  // A long value is prose, not a field: "Location: we have offices in NYC and remote staff across the US".
  if (value === '' || value.split(/\s+/).length > LABEL_VALUE_MAX_WORDS) return null;
  return arrangementInField(value);
}

/** The weight of a phrase in its clause: about this job -> stated; about the company in general -> general. */
function scopedWeight(clause: string, weight: number): number {
  if (ABOUT_JOB_RE.test(clause)) return STATED;
  if (ABOUT_COMPANY_RE.test(clause)) return GENERAL;
  return weight;
}

/** The clauses of a text, to find the one around a position. */
class Clauses {
  private readonly starts: number[] = [0];
  private readonly ends: number[] = [];

  constructor(private readonly text: string) {
    for (const m of text.matchAll(CLAUSE_BREAK_G)) {
      this.ends.push(m.index);
      this.starts.push(m.index + m[0].length);
    }
    this.ends.push(text.length);
  }

  /** The clause around a phrase, cut to CLAUSE_REACH characters on either side (a text without breaks is not one clause). */
  at(start: number, end: number): Span {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    return {
      start: Math.max(this.starts[lo]!, start - CLAUSE_REACH),
      end: Math.max(Math.min(this.ends[lo]!, end + CLAUSE_REACH), Math.min(this.text.length, end)),
    };
  }
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
  // German and French names, as European boards write them ("Remote innerhalb Deutschlands").
  ['Germany', /\b(?:Deutschlands?|Allemagne)\b/gi],
  ['Austria', /(?<![\p{L}])(?:Österreichs?|Autriche)\b/giu],
  ['Switzerland', /\b(?:Schweiz|Suisse)\b/gi],
  ['France', /\bFrankreichs?\b/gi],
  ['Europe', /\bEuropas?\b/gi],
  ['UK', /\bRoyaume-Uni\b/gi],
  ['US', /(?<![\p{L}])[ÉE]tats-Unis\b/giu],
  ['Spain', /\b(?:Spanien|Espagne)\b/gi],
  ['Netherlands', /\b(?:Niederlande|Pays-Bas)\b/gi],
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
  /\bremote(?:ly)?\b|\bt[ée]l[ée]travail\b|\b(?:must|should)\s+(?:be\s+)?(?:located|based|residing|reside|live)\s+in\b|\bcandidates\s+(?:(?:based|located|residing)\s+)?in\b/gi;
// Also "remote from anywhere in Germany", "100% remote möglich (innerhalb Deutschlands)", "télétravail depuis toute la France".
const REGION_GAP_AFTER_RE =
  /^[\s,:/&()|\-–—]*(?:(?:only|in|within|from|across|throughout|based\s+in|the|or|and|anywhere|for|possible|available|(?:candidates|applicants|residents)(?:\s+(?:based|located|living|residing))?(?:\s+in)?|innerhalb|aus|ganz|von|nur|m[öo]glich|en|dans|depuis|partout|toute?|de|la|le)\b[\s,:/&()|\-–—]*)*$/i;
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
