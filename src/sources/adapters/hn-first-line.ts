/**
 * The header of an "Ask HN: Who is hiring?" comment, read the way a person reads it. The thread
 * asks for a first line like
 *
 *     Acme (YC W21) | Senior Backend Engineer, ML Engineer | San Francisco, CA | ONSITE | $150k-$190k | https://acme.com/jobs
 *
 * but posters write it in every order, with "|" or " - " between fields, and some write prose
 * instead. Each field after the company is classified by what it looks like (a URL, a job type,
 * pay, a work arrangement, a role, a place); the company is the first field that looks like a
 * name. Pure: text in, fields out.
 */
import type { Arrangement } from '../../core/types.js';
import { detectArrangement } from '../../normalize/arrangement.js';

/** What the header says; null / empty when it does not say. */
export interface HnHeader {
  company: string | null;
  /** The first role named ("Senior Backend Engineer"), or "Multiple roles". */
  title: string;
  /** Every role named in the header, in order. */
  roles: string[];
  /** The place field(s) as written ("San Francisco, CA", "Remote (US, Canada)"). */
  location: string | null;
  /** From REMOTE / ONSITE / HYBRID words in the header; undefined when it names none. */
  arrangement: Arrangement | undefined;
  /** "Full-time", "Contract", "Intern" as written. */
  jobTypes: string[];
  /** The field(s) that state pay ("$180k-$250k + equity"), each as written. */
  payFields: string[];
}

/** The header of a comment, or the reason it is not a job posting. */
export type HnHeaderResult = { ok: true; header: HnHeader } | { ok: false; reason: string };

type FieldKind = 'url' | 'jobtype' | 'salary' | 'arrangement' | 'role' | 'place' | 'other';

interface Field {
  text: string;
  kind: FieldKind;
  /** An arrangement field that also names a place ("Remote (US)", "Onsite in Berlin"). */
  hasPlace: boolean;
}

// Nouns that make a field a role. Plurals count ("Engineers"), as do "roles" / "positions".
const ROLE_NOUNS =
  'engineers?|engineering\\s+(?:manager|lead|director)s?|developers?|devs|programmers?|architects?|scientists?|researchers?|designers?|' +
  'managers?|directors?|head\\s+of|vp|cto|ceo|coo|cfo|ciso|founding|sres?|devops|analysts?|administrators?|admins?|specialists?|' +
  'consultants?|recruiters?|writers?|editors?|marketers?|account\\s+executives?|aes?|sdrs?|bdrs?|representatives?|reps?|' +
  'support|success|interns?|internships?|technicians?|operators?|coordinators?|officers?|counsel|accountants?|associates?|' +
  'assistants?|generalists?|hackers?|roles?|positions?|openings?|jobs|pms?|swes?|mles?|qa|testers?|owners?|advocates?|' +
  'evangelists?|strategists?|artists?|animators?|producers?|physicists?|chemists?|biologists?|mathematicians?|statisticians?|' +
  'economists?|quants?|traders?|teachers?|instructors?|tutors?|nurses?|physicians?|leads?|partners?|staff|mechanics?|' +
  'machinists?|electricians?|buyers?|planners?|controllers?|bookkeepers?|paralegals?|attorneys?|lawyers?|copywriters?|' +
  'illustrators?|photographers?|videographers?|scrum\\s+masters?|product|marketing|sales|design|ops|operations|' +
  'full[- ]?stack|front[- ]?end|back[- ]?end|ios|android|mobile|data|ml|ai|infrastructure|platform|security|rust|golang|' +
  'python|typescript|react|ruby|rails|elixir|java|kotlin|swift|c\\+\\+';
// Words that alone make a field a role only when nothing better is there ("Backend", "Python").
const WEAK_ROLE_WORDS = new Set([
  'product', 'marketing', 'sales', 'design', 'ops', 'operations', 'full-stack', 'fullstack', 'full stack', 'front-end',
  'frontend', 'front end', 'back-end', 'backend', 'back end', 'ios', 'android', 'mobile', 'data', 'ml', 'ai',
  'infrastructure', 'platform', 'security', 'rust', 'golang', 'python', 'typescript', 'react', 'ruby', 'rails',
  'elixir', 'java', 'kotlin', 'swift', 'c++', 'staff', 'leads', 'lead', 'partners', 'partner', 'support', 'success',
]);
const ROLE_WORD_RE = new RegExp(`(?<![\\w+])(?:${ROLE_NOUNS})(?![\\w+])`, 'gi');
// Words that name a level, making a role of what would otherwise be a stack or a team.
const LEVEL_WORD_RE = /\b(?:senior|sr\.?|staff|principal|lead|junior|jr\.?|mid[- ]level|medior|head)\b/i;
/** Nouns that are a job on their own: what a company name rarely ends with. */
const STRONG_ROLE_RE =
  /\b(?:engineers?|developers?|programmers?|architects?|scientists?|researchers?|designers?|managers?|directors?|analysts?|recruiters?|sres?|interns?|head\s+of|founding\s+\w+|cto|vp\s+of)\b/i;

const JOBTYPE_RE =
  /\b(?:full[- ]?time|part[- ]?time|contract(?:ors?|[- ]to[- ]hire)?|freelance(?:rs?)?|permanent|temporary|temp|interns?(?:hips?)?|co-?ops?|ft|pt|c2h|w-?2|1099|salaried|seasonal|fixed[- ]term|fractional)\b/gi;
const ARRANGEMENT_RE =
  /\b(?:remote(?:[- ](?:first|friendly|ok|only))?|on[- ]?site|hybrid|in[- ]office|in[- ]person|office[- ]based|wfh|work\s+from\s+home|distributed|telecommute)\b/gi;
const MONEY_RE =
  /(?:[$€£¥₹]\s?\d|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|JPY|SGD|NZD)\s?\$?\d|\d[\d,.]*\s?[kK]\b|\d[\d,.]*\s?(?:USD|EUR|GBP|CAD|AUD|CHF|€|£)|\b(?:salary|equity|compensation|comp|stock\s+options?|bonus|OTE|DOE)\b)/i;
const URL_RE = /^(?:https?:\/\/|www\.)\S+$/i;
const DOMAIN_RE = /^[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|co|org|net|dev|app|so|xyz|tech|jobs|careers|us|uk|de|fr|eu|ca|sh|gg|me|ly|to|is|health|finance|cloud|systems|inc|studio|works)(?:\/\S*)?$/i;

// Places written often in the thread. Anything "City, ST" or naming a country or region counts too.
const PLACE_RE = new RegExp(
  [
    '\\b(?:San\\s+Francisco|SF|SFBA|Bay\\s+Area|Silicon\\s+Valley|NYC|New\\s+York|Brooklyn|Manhattan|Seattle|Boston|Cambridge|Austin|Chicago|LA|Los\\s+Angeles',
    'San\\s+Diego|San\\s+Jose|Oakland|Berkeley|Palo\\s+Alto|Mountain\\s+View|Menlo\\s+Park|Sunnyvale|Redwood\\s+City|Santa\\s+Monica|Denver|Boulder',
    'Portland|Atlanta|Miami|Washington(?:,?\\s+D\\.?C\\.?)?|DC|D\\.C\\.|Pittsburgh|Philadelphia|Philly|Baltimore|Raleigh|Durham|Minneapolis|Detroit|Salt\\s+Lake\\s+City',
    'Phoenix|Dallas|Houston|Nashville|Columbus|Toronto|Vancouver|Montreal|Montréal|Ottawa|Waterloo|Calgary|London|Cambridge|Oxford|Manchester|Edinburgh',
    'Dublin|Berlin|Munich|München|Hamburg|Frankfurt|Cologne|Paris|Lyon|Amsterdam|Rotterdam|Utrecht|Zurich|Zürich|Geneva|Lausanne|Stockholm|Copenhagen',
    'Oslo|Helsinki|Barcelona|Madrid|Lisbon|Porto|Milan|Rome|Vienna|Prague|Warsaw|Krakow|Kraków|Budapest|Bucharest|Athens|Tallinn|Riga|Vilnius|Kyiv',
    'Tel\\s+Aviv|Singapore|Sydney|Melbourne|Brisbane|Auckland|Wellington|Tokyo|Osaka|Seoul|Taipei|Hong\\s+Kong|Shanghai|Beijing|Shenzhen|Bangalore',
    'Bengaluru|Mumbai|Delhi|Hyderabad|Pune|Chennai|Dubai|S[ãa]o\\s+Paulo|Buenos\\s+Aires|Mexico\\s+City|Bogot[áa]|Santiago|Lagos|Nairobi|Cape\\s+Town)\\b',
    '\\b(?:US|USA|U\\.S\\.|UK|EU|EMEA|APAC|LATAM|Americas|North\\s+America|South\\s+America|Europe|Asia|Africa|Canada|Mexico|Germany|France|Spain',
    'Portugal|Italy|Netherlands|Belgium|Ireland|Switzerland|Austria|Poland|Sweden|Norway|Denmark|Finland|Estonia|Israel|India|Japan|Australia',
    'New\\s+Zealand|Brazil|Argentina|Colombia|Chile|Nigeria|Kenya|UTC[+-]?\\d*|[A-Z]{2,4}\\s+time\\s*zones?|timezones?|Anywhere|Worldwide|Global|Earth)\\b',
    ',\\s*[A-Z]{2}\\b',
  ].join('|'),
);

// A first word that opens a sentence, not a company name ("We're hiring ...", "Is anyone ...").
const SENTENCE_START_RE =
  /^(?:we|we're|we’re|were|i|i'm|i’m|im|our|my|hi|hello|hey|anyone|is|are|does|do|did|why|how|what|who|when|where|can|could|would|should|please|looking|seeking|if|so|just|thanks|thank|great|nice|wow|this|that|these|those|it|it's|there|here|not|no|yes|any|all|also|note|edit|update|re|hiring|currently|still|sadly|unfortunately|interesting|agreed|lol|same|\+1)\b/i;
const BOILERPLATE_PREFIX_RE = /^(?:hiring|roles?|positions?|openings?|we(?:'re|’re| are)\s+hiring(?:\s+for)?|looking\s+for)\s*[:\-–—]\s*/i;


/** Reads the header of a Who-is-hiring comment (its plain text); `ok: false` says why it is not a posting. */
export function parseHnHeader(text: string): HnHeaderResult {
  const result = readHeader(text);
  return result.ok ? { ok: true, header: withLabelledLines(result.header, text) } : result;
}

/**
 * "GTM Engineer | TestGorilla" then "LOCATION: Remote - Spain, UK", "REMOTE: Yes", "SALARY: ...":
 * labelled lines below a header fill what the header leaves out. A "Location:" line counts
 * wherever it is; the others only near the top, where they describe the posting as a whole.
 */
function withLabelledLines(header: HnHeader, text: string): HnHeader {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const found = readLabels(lines.slice(1, 12));
  const out = { ...header };
  if (!out.location) {
    const located = found.places.length > 0 ? found : readLabels(lines.slice(1).filter((l) => /^locations?\s*:/i.test(l)));
    if (located.places.length > 0) out.location = located.places.join('; ');
    if (!out.arrangement) out.arrangement = arrangementOf(located.arrangementTexts);
  }
  if (!out.arrangement) out.arrangement = arrangementOf(found.arrangementTexts);
  if (out.payFields.length === 0) out.payFields = found.payFields;
  if (out.jobTypes.length === 0) out.jobTypes = found.jobTypes;
  return out;
}

function readHeader(text: string): HnHeaderResult {
  let lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, reason: 'empty comment' };
  const seeker = notAnOffer(lines);
  if (seeker) return { ok: false, reason: seeker };
  // "Hacker News Post - Who is hiring?" echoes the thread; the header is the next line.
  if (lines.length > 1 && lines[0]!.length <= 60 && THREAD_ECHO_RE.test(lines[0]!)) lines = lines.slice(1);
  const first = lines[0]!;
  if (LABEL_COMPANY_RE.test(first)) return labelledHeader(lines, text);
  const parts = splitFields(first);
  const second = lines[1] ?? '';
  if (parts.length === 1 && second !== '') {
    const only = classify(first);
    // "Lucia Protocol" on a line of its own, the fields on the next one.
    if (only.kind === 'other' && isBareName(first) && (roleInProse(text) || OFFERS_RE.test(text.slice(0, 1500)))) {
      const rest = splitFields(second);
      return conventionalHeader([first, ...(rest.length > 1 ? rest : [])], text);
    }
    // "Remote or Netherlands", "(AU ONLY / REMOTE)": the place and arrangement come first, the rest follows.
    if (only.kind === 'place' || only.kind === 'arrangement') return conventionalHeader([...splitFields(second), first], text);
  }
  if (parts.length >= 2) return conventionalHeader(parts, text);
  return proseHeader(first, text);
}

// Posts that are not an offer of work: job seekers (SEEKING, the "Who wants to be hired?" form,
// a letter of application) and unpaid volunteering.
// "SEEKING | ..." as a field of its own: "Seeking Alpha | Engineer" is a company.
const SEEKER_FIRST_RE = /^(?:seeking(?:\s+(?:work|a\s+(?:job|role|position)|employment|opportunities|freelance\s+work))?|for\s+hire|available\s+for\s+(?:work|hire))\s*(?:[|:,\-–—]|$)|^subject\s*:/i;
const SEEKER_LABEL_RE = /^(?:willing\s+to\s+relocate|r[ée]sum[ée](?:\s*\/\s*cv)?|cv)\s*:/i;
const UNPAID_RE = /\bunpaid\b|^volunteer(?:ing)?\s*(?:\(|$)/i;
const THREAD_ECHO_RE = /\bwho(?:'s|’s|\s+is)\s+hiring\b/i;

/** Why the comment is no job offer, or null when it may be one. */
function notAnOffer(lines: string[]): string | null {
  if (SEEKER_FIRST_RE.test(lines[0]!)) return 'a job seeker, not a job';
  if (lines.slice(0, 10).some((l) => SEEKER_LABEL_RE.test(l))) return 'a job seeker, not a job';
  const firstFields = splitFields(lines[0]!);
  if (firstFields.length > 1 && UNPAID_RE.test(firstFields[0]!)) return 'unpaid volunteering, not a job';
  return null;
}

const SEPARATOR_PIPE_RE = /\s*[|｜]\s*/;
const SEPARATOR_DASH_RE = /\s+[-–—·•]\s+/;
// "Acme / Engineer/ Remote": a slash with a space on at least one side; "Backend/Frontend" is one field.
const SEPARATOR_SLASH_RE = /\s+\/\s*|\s*\/\s+/;

/** The fields of a header line: split on "|", else " - " and kin, else spaced "/" or ";" when there are several. */
function splitFields(line: string): string[] {
  const split = (re: RegExp): string[] => line.split(re).map((p) => p.trim()).filter((p) => p !== '');
  if (line.includes('|') || line.includes('｜')) return split(SEPARATOR_PIPE_RE);
  if (SEPARATOR_DASH_RE.test(line)) return split(SEPARATOR_DASH_RE);
  const slashed = split(new RegExp(SEPARATOR_SLASH_RE.source, 'g'));
  if (slashed.length >= 3) return slashed;
  const semi = split(/\s*;\s*/);
  if (semi.length >= 3) return semi;
  return [line];
}

/** "Company | Role | Place | ..." in any order; the company is the field that is a name. */
function conventionalHeader(parts: string[], text: string): HnHeaderResult {
  let fields = parts.map(classify);
  let found = findCompany(fields, text);
  // "40GRID - Full-time Remote | Senior QA Engineer": dashes inside a "|" field separate too.
  if (found.index < 0 && found.company === undefined) {
    const finer = parts.flatMap((p) => p.split(/(?<=[^\d\s])\s+[-–—]\s+(?=[^\d\s$€£])/).map((x) => x.trim()).filter((x) => x !== ''));
    if (finer.length > parts.length) {
      const again = findCompany(finer.map(classify), text);
      if (again.index >= 0) {
        fields = finer.map(classify);
        found = again;
      }
    }
  }
  const companyIndex = found.index;
  let company: string | null = found.company ?? null;
  if (found.company === undefined) company = companyFromUrl(parts.join(' '), text) ?? companyInBody(text) ?? companyFromUrl(text, text);
  // A header with no name, no role, no place and no arrangement is no posting.
  if (company === null && !fields.some((f) => f.kind === 'role' || f.kind === 'place' || f.kind === 'arrangement')) {
    return { ok: false, reason: 'no recognizable company in the first line' };
  }
  if (company === null && !roleInProse(text) && !fields.some((f) => f.kind === 'role')) {
    return { ok: false, reason: 'no recognizable company in the first line' };
  }
  const asides = companyIndex >= 0 ? asidesOf(fields[companyIndex]!.text).map(classify) : [];

  const rest = [...fields.filter((_, i) => i !== companyIndex), ...asides.filter((f) => f.kind === 'place' || f.kind === 'arrangement')];
  const roles: string[] = [];
  const weakRoles: string[] = [];
  const places: string[] = [];
  const arrangementTexts: string[] = [];
  const jobTypes: string[] = [];
  const payFields: string[] = [];
  let seenRole = false;
  for (const f of rest) {
    switch (f.kind) {
      case 'role':
        // "Senior Full-Stack Ruby on Rails", "Technical Operations Lead": a level makes a role of tech words.
        if (isWeakRole(f.text) && !LEVEL_WORD_RE.test(f.text)) weakRoles.push(...splitRoles(f.text));
        else roles.push(...splitRoles(f.text));
        arrangementTexts.push(f.text);
        seenRole = true;
        break;
      case 'arrangement':
        arrangementTexts.push(f.text);
        if (f.hasPlace) places.push(f.text);
        break;
      case 'place':
        // A place says where, not how: "Sweden" alone is no arrangement (HN markers say that).
        places.push(f.text);
        break;
      case 'salary':
        // "$182k - $272k USD - https://...": a link glued to the pay is no part of it.
        payFields.push(f.text.replace(/\s*[-–—]?\s*(?:https?:\/\/|www\.)\S*/gi, '').trim());
        break;
      case 'jobtype':
        jobTypes.push(...jobTypesIn(f.text));
        if (/\bintern/i.test(f.text)) weakRoles.push(f.text);
        break;
      case 'other':
        // A short capitalised field after the role is most often a place ("Zug", "Leuven"); "Visa" and
        // "Relocation" are what the job offers, not where it is.
        if (seenRole && places.length === 0 && /^\p{Lu}[\p{L}.' -]{1,30}$/u.test(f.text) && f.text.split(/\s+/).length <= 3 && !NOT_A_NAME_RE.test(f.text)) places.push(f.text);
        break;
      default:
        break;
    }
  }
  // Markers inside long or run-on fields ("Full-time | ONSITE Zigment is ...") still count.
  if (arrangementTexts.every((t) => !matches(ARRANGEMENT_RE, t))) arrangementTexts.push(...capitalMarkers(parts.join(' | ')));
  // A strong role in the header, else a role phrase from the text ("Python" in the header is
  // weaker than "Senior Python Developer" in the body), else whatever the header said.
  const title = roles[0] ?? roleInProse(text) ?? weakRoles[0] ?? 'Multiple roles';
  const allRoles = roles.length > 0 ? roles : weakRoles;
  const arrangementOnly = rest.filter((f) => f.kind === 'arrangement').map((f) => f.text);
  return {
    ok: true,
    header: {
      company,
      title,
      roles: allRoles.length > 0 ? allRoles : [title],
      location: places.length > 0 ? places.join('; ') : arrangementOnly.length > 0 ? arrangementOnly.join('; ') : null,
      arrangement: arrangementOf(arrangementTexts),
      jobTypes,
      payFields,
    },
  };
}

const LABEL_COMPANY_RE = /^(?:company|employer|organi[sz]ation|startup)\s*:/i;
const LABEL_RE = /^([A-Za-z][A-Za-z /()]{1,30}?)\s*:\s*(.+)$/;

interface Labelled {
  company: string;
  roles: string[];
  places: string[];
  payFields: string[];
  arrangementTexts: string[];
  jobTypes: string[];
}

/** What "Label: value" lines say. */
function readLabels(lines: string[]): Labelled {
  const out: Labelled = { company: '', roles: [], places: [], payFields: [], arrangementTexts: [], jobTypes: [] };
  for (const line of lines) {
    const m = LABEL_RE.exec(line);
    if (!m) continue;
    const label = m[1]!.toLowerCase().trim();
    const value = m[2]!.trim();
    if (/^(?:company|employer|organi[sz]ation|startup)$/.test(label)) out.company ||= cleanCompany(value);
    else if (/^(?:roles?|positions?|titles?|job(?:\s+title)?s?|hiring|openings?)$/.test(label)) out.roles.push(...splitRoles(value));
    else if (/^(?:locations?|where|office|based\s+in)$/.test(label)) {
      out.places.push(value);
      if (matches(ARRANGEMENT_RE, value)) out.arrangementTexts.push(value);
    } else if (/^(?:remote|on-?site|hybrid|work\s+(?:mode|arrangement|style)|arrangement)$/.test(label)) {
      // "Remote: yes" / "Remote: US only" / "Remote: Optional" / "Work mode: hybrid".
      out.arrangementTexts.push(/^(?:yes|y|ok|true|optional|possible)\b/i.test(value) ? label : /^(?:no|n|false)\b/i.test(value) ? `not ${label}` : `${label} ${value}`);
    } else if (/^(?:salary|compensation|comp|pay|salary\s+range)$/.test(label)) out.payFields.push(value);
    else if (/^(?:type|job\s+type|employment(?:\s+type)?|contract)$/.test(label)) out.jobTypes.push(...jobTypesIn(value));
  }
  return out;
}

/** A form instead of a line: "Company: Acme", "Role: ...", "Location: ...", "Salary: ..." on lines of their own. */
function labelledHeader(lines: string[], text: string): HnHeaderResult {
  const { company, roles, places, payFields, arrangementTexts, jobTypes } = readLabels(lines.slice(0, 12));
  if (!looksLikeName(company)) return { ok: false, reason: 'no recognizable company in the first line' };
  const title = roles[0] ?? roleInProse(text) ?? 'Multiple roles';
  return {
    ok: true,
    header: {
      company,
      title,
      roles: roles.length > 0 ? roles : [title],
      location: places.length > 0 ? places.join('; ') : null,
      arrangement: arrangementOf(arrangementTexts),
      jobTypes,
      payFields,
    },
  };
}

// Words that offer work in a comment without fields.
const OFFERS_RE = /\b(?:hiring|looking\s+for|join\s+(?:us|our)|open\s+roles?|apply)\b/i;

/** A first line without fields: "Acme is hiring ...", "Acme: we build ...", "Acme (acme.com)". */
function proseHeader(first: string, text: string): HnHeaderResult {
  const title = roleInProse(text);
  const named = companyInProse(first);
  const company = named ?? companyInBody(text) ?? companyFromUrl(text, text);
  // Prose is a posting when it offers work: a role, or hiring words with the employer named.
  const offers = OFFERS_RE.test(text.slice(0, 1500));
  if (!(title && (company || offers)) && !(company && offers && (named || /\bhiring\b/i.test(first)))) {
    return { ok: false, reason: 'no recognizable company in the first line' };
  }
  // Prose is read like a description: only phrases about the job ("fully remote", "(remote)") count.
  const opening = text.split('\n').slice(0, 3).join('\n');
  const markers = capitalMarkers(first);
  const detected = markers.length > 0 ? arrangementOf(markers) : detectArrangement({ title: '', location: null, description: opening }).arrangement;
  const arrangement = detected === 'unknown' ? undefined : detected;
  return {
    ok: true,
    header: {
      company,
      title: title ?? 'Multiple roles',
      roles: [title ?? 'Multiple roles'],
      location: placeInProse(first),
      arrangement,
      jobTypes: jobTypesIn(first),
      payFields: [],
    },
  };
}

// "our new office in San Francisco", "in-person team in Berlin", "ONSITE: New York City".
const PROSE_PLACE_RE = /\b(?:in|ONSITE:|REMOTE:|HYBRID:)\s+(\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}(?:,\s*\p{Lu}{2,}\b)?)/gu;

/** The place a prose opening names for the work, or null. */
function placeInProse(first: string): string | null {
  for (const m of first.matchAll(PROSE_PLACE_RE)) {
    const place = m[1]!.trim();
    // "remote engineers in Canada and the US" names a remote region, not a place to work at.
    if (/\bremote/i.test(first.slice(Math.max(0, m.index! - 40), m.index!))) continue;
    if (isPlaceOnly(place)) return place;
  }
  return null;
}

function companyInProse(first: string): string | null {
  const patterns: RegExp[] = [
    /^(.{2,80}?)\s+(?:is|are)\s+(?:(?:now|still|actively)\s+)?hiring\b/i,
    // Case-sensitive on purpose: the name is the run of capitalised words after "hiring at".
    /^(?:[Ww]e(?:'re|’re| are)\s+hiring\s+at|[Hh]iring\s+at|[Jj]oin(?:\s+us\s+at)?)\s+([^\s,.!:;]+(?:\s+[A-Z][^\s,.!:;]*){0,3})/,
    /^([^:]{2,60}?)\s*:\s/,
    /^(.{2,60}?)\s+[-–—]\s/,
    /^(.{2,60}?)\s*\(/,
  ];
  for (const re of patterns) {
    const m = re.exec(first);
    if (!m) continue;
    const candidate = cleanCompany(m[1]!.split(',')[0]!);
    if (looksLikeName(candidate) && !isRoleField(candidate) && !/^(?:roles?|positions?|openings?|hiring|jobs?)$/i.test(candidate) && !/\s(?:is|are)\s/.test(candidate)) return candidate;
  }
  const whole = cleanCompany(first);
  return isBareName(whole) ? whole : null;
}


/** Where the company is among the fields: its index and name; `company: null` when the poster describes instead of naming, undefined when no field names it. */
function findCompany(fields: Field[], text: string): { index: number; company?: string | null } {
  // "Company: Adyen" inside the line says it outright.
  for (let i = 0; i < fields.length; i++) {
    const m = /^(?:company|employer)\s*:\s*(.+)$/i.exec(fields[i]!.text);
    if (m) return { index: i, company: cleanCompany(m[1]!) };
  }
  for (let i = 0; i < fields.length; i++) {
    const name = nameIn(fields[i]!, i, text);
    if (name === undefined) continue;
    return { index: i, company: name };
  }
  // Companies named after a place ("Boston Dynamics") lead the line; "Cologne, Germany" does not name one.
  const head = fields[0]!;
  if (head.kind === 'place' && !head.text.includes(',')) {
    const name = cleanCompany(head.text);
    if (looksLikeName(name) && !isPlaceOnly(name)) return { index: 0, company: name };
  }
  return { index: -1 };
}

// Fields that are about the job or the company, never its name.
const NOT_A_NAME_RE =
  /\b(?:visas?|relocation|sponsorship|citizens?(?:hip)?|clearance|equity|series\s+[a-f]\b|pre-?seed|seed|funded|people|employees|required|hiring|growing|staffing|multiple|various|several|roles?|positions?|openings?|team|benefits|yc)\b/i;
// A description of the employer instead of its name ("Stealth AI Startup", "$20bn hedge fund").
const DESCRIBED_RE = /\b(?:stealth|startup|start-up|hedge\s+fund|brokerage)\b/i;

/** The company named by one field, null when the field describes the employer without naming it, undefined when it is no name. */
function nameIn(field: Field, index: number, text: string): string | null | undefined {
  const link = /^\[([^\]]{2,60})\]\(\S+\)$/.exec(field.text);
  if (link) return link[1]!.trim();
  if (field.kind === 'url') {
    // "Beautiful.ai | ..." leads with a domain as the name; a link later in the line is a link.
    if (index !== 0 || /^(?:https?:\/\/|www\.)|\//i.test(field.text)) return undefined;
    return domainAsName(field.text, text);
  }
  if (field.kind === 'salary' || field.kind === 'jobtype') return undefined;
  // "Back by Sequoia Capital, Peregrine is the ...": a sentence names its subject.
  if (/\s(?:is|are)\s/.test(field.text)) return companyInBody(field.text) ?? undefined;
  if (isRoleField(field.text)) return undefined;
  // "PrairieLearn (Remote US)", "My Signal Well (Austin, TX)": the aside is where, the rest is who.
  const bare = field.text.replace(/\s*[([][^)\]\n]{0,120}[)\]]/g, ' ').trim();
  if (field.kind === 'place' || field.kind === 'arrangement') {
    if (bare === field.text || bare === '') return undefined;
    const k = classify(bare).kind;
    if (k !== 'other' && k !== 'url') return undefined;
  } else if (field.kind === 'role' && !isWeakRole(field.text)) return undefined;
  const name = cleanCompany(field.text);
  if (!looksLikeName(name) && !isTitleCaseName(name)) return undefined;
  if (DESCRIBED_RE.test(name)) return null;
  // The first field is the company by convention ("Seed Health", "People Data Labs"); later ones
  // may be perks or asides ("VISA SPONSORSHIP", "Series B", "Core Team").
  if (index > 0 && NOT_A_NAME_RE.test(name)) return undefined;
  if (index === 0 && /^(?:multiple|various|several)\s+(?:roles|positions|openings)$|^(?:hiring|roles?|positions?)$/i.test(name)) return undefined;
  if (/^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,12}$/i.test(name)) return domainAsName(name, text);
  return name;
}

const ROLE_NOUN_ONLY_RE = new RegExp(`^(?:${ROLE_NOUNS})$`, 'i');

/** Whether a field names a job: a strong role noun anywhere, or a role noun as its last word ("CS PhD position"). */
function isRoleField(text: string): boolean {
  const plain = text.replace(/\s*[([][^)\]\n]{0,120}[)\]]/g, ' ').trim();
  if (STRONG_ROLE_RE.test(plain) || /\b(?:founding|hiring)\b/i.test(plain)) return true;
  const last = plain.split(/[^\p{L}+#]+/u).filter((w) => w !== '').pop() ?? '';
  return last !== '' && !WEAK_ROLE_WORDS.has(last.toLowerCase()) && ROLE_NOUN_ONLY_RE.test(last);
}

/** Whether a text is nothing but a place ("Berlin", "Bay Area"). */
function isPlaceOnly(text: string): boolean {
  const m = PLACE_RE.exec(text);
  return m !== null && m[0].trim().length >= text.replace(/[^\p{L}\s]/gu, '').trim().length - 1;
}

/** "This Dot Labs", "My Signal Well": capitalised words are a name even when the first opens sentences elsewhere. */
function isTitleCaseName(name: string): boolean {
  const words = name.split(/\s+/);
  return words.length >= 2 && words.length <= 4 && words.every((w) => /^[\p{Lu}\d]/u.test(w)) && looksLikeName(`X ${name}`) && !NOT_A_NAME_RE.test(name);
}

/** Bracketed asides of a field: "(Remote US)" of "PrairieLearn (Remote US)". */
function asidesOf(text: string): string[] {
  return [...text.matchAll(/[([]([^)\]\n]{1,120})[)\]]/g)].map((m) => m[1]!.trim()).filter((a) => a !== '' && !/^(?:https?:|www\.)/i.test(a));
}

/** A short line that is only a name: "Lucia Protocol", "This Dot Labs", "Tether". */
function isBareName(line: string): boolean {
  const words = line.split(/\s+/);
  if (words.length > 4 || /[.!?:,;]$/.test(line) || isRoleField(line)) return false;
  if (!looksLikeName(line) && !isTitleCaseName(line)) return false;
  return !PLACE_RE.test(line) || !isPlaceOnly(line);
}

/**
 * A domain written as the name ("Matterworks.ai"): the posting's own word for itself when it uses
 * the bare name capitalised ("At Matterworks we ..."), else the domain as written ("Puma.tech").
 */
function domainAsName(domain: string, text: string): string {
  const host = domain.replace(/^www\./i, '').replace(/\/.*$/, '');
  const bare = host.replace(/\.[a-z]{2,12}$/i, '');
  if (bare.includes('.')) return host;
  const escaped = bare.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const used = new RegExp(`(?<![\\w.@/])(${escaped})(?![\\w.@/-])`, 'gi');
  for (const m of text.matchAll(used)) if (/^\p{Lu}/u.test(m[1]!)) return m[1]!;
  return host;
}

// Sites that host postings, documents, profiles or news: a link to them names no employer.
const HOSTING_SITES_RE =
  /(?:^|\.)(?:linkedin\.com|lnkd\.in|google\.com|forms\.gle|bit\.ly|t\.me|youtube\.com|youtu\.be|x\.com|twitter\.com|techcrunch\.com|ycombinator\.com|workatastartup\.com|wellfound\.com|angel\.co|greenhouse\.io|grnh\.se|lever\.co|ashbyhq\.com|workable\.com|rippling\.com|deel\.com|notion\.site|notion\.so|calendly\.com|typeform\.com|teamtailor\.com|pinpointhq\.com|dayforcehcm\.com|bamboohr\.com|breezy\.hr|recruitee\.com|smartrecruiters\.com|jobvite\.com|icims\.com|myworkdayjobs\.com|medium\.com|substack\.com|github\.com|gitlab\.com|github\.io|gmail\.com|docs\.google\.com|apply\.workable\.com)$/i;

/** The employer from the first link to its own site ("https://fetlife.com/jobs/..." is FetLife), or null. */
function companyFromUrl(where: string, text: string): string | null {
  // Token by token (no regex over the whole text): a link or a bare domain, then its host.
  for (const token of where.split(/[\s<>()[\]"'|,;]+/)) {
    const linked = /^https?:\/\//i.test(token);
    const host = token.replace(/^https?:\/\//i, '').split(/[/?#]/)[0]!.replace(/[.:]+$/, '').toLowerCase().replace(/^(?:www|jobs|careers|apply|hiring|about)\./, '');
    const labels = host.split('.');
    if (labels.length < 2 || host.includes('@') || !labels.every((l) => /^[a-z0-9-]{1,63}$/.test(l)) || !/^[a-z]{2,12}$/.test(labels[labels.length - 1]!)) continue;
    if (HOSTING_SITES_RE.test(host)) continue;
    // A bare "Node.js" or "ASP.NET" is no site; a bare domain needs a common web ending.
    if (!linked && !/\.(?:com|io|ai|co|dev|app|so|xyz|tech|org|eu|uk|de|build|bio|care|health|pro|work)$/.test(host)) continue;
    const i = labels.length >= 3 && /^(?:co|com|org|ac)$/.test(labels[labels.length - 2]!) ? labels.length - 3 : labels.length - 2;
    const label = labels[i]!;
    if (label.length < 2) continue;
    const used = new RegExp(`(?<![\\w.@/])(${label.replace(/-/g, '\\-')})(?![\\w@/-])(?!\\.[a-z])`, 'gi');
    for (const u of text.matchAll(used)) if (/^\p{Lu}/u.test(u[1]!)) return u[1]!;
    return label.charAt(0).toUpperCase() + label.slice(1);
  }
  return null;
}

// A name in running text: capitalised words ("Air Space Intelligence", "NotCo AI"), "&" and "of" inside.
const BODY_NAME = "\\p{Lu}[\\p{L}\\d&.'’+-]{0,40}(?:[ \\t]{1,3}(?:\\p{Lu}[\\p{L}\\d&.'’+-]{0,40}|\\d{1,6}|of|&|and)){0,4}";
const BODY_NAME_PATTERNS: RegExp[] = [
  // "Turquoise Health is a ...", "Cassidy (cassidyai.com, Series A) is growing", "DESCRIPTION: Polars is the company"
  new RegExp(`(?:^|[.!?:;,]\\s+|\\n)(${BODY_NAME})(?:\\s*\\([^)\\n]{0,120}\\))?\\s+(?:is|are)\\s+(?!not\\b)\\p{L}`, 'gu'),
  // "Norm Ai, the leading ...", "Always Further, founded by ..."
  new RegExp(`(?:^|[.!?]\\s+|\\n)(${BODY_NAME}),\\s+(?:a|an|the|founded|backed|based)\\b`, 'gu'),
  // "join Reef Technologies", "our team at Air Space Intelligence", "roles at Distark"
  new RegExp(`\\b(?:[Jj]oin(?:\\s+us\\s+at)?|(?:team|roles?|positions?|hiring|work)\\b[^.\\n]{0,40}?\\bat)\\s+(${BODY_NAME})`, 'gu'),
  // "We are vysr GmbH, an early-stage startup", "I'm building Diamond Hands Fantasy"
  /\b(?:[Ww]e(?:\s+are|'re|’re))\s+([^\s,.]+(?:\s+[^\s,.]+){0,3}),\s+(?:a|an|the)\b/gu,
  new RegExp(`\\b(?:I'm|I’m|I\\s+am|[Ww]e're|[Ww]e’re|[Ww]e\\s+are)\\s+building\\s+(${BODY_NAME})`, 'gu'),
  // "telli (YC F24) looking for ..." at the very start, lower case and all.
  /^([\p{L}\d][\p{L}\d.&-]*(?:\s+[\p{Lu}\d][\p{L}\d.&-]*){0,3})\s*\([^)\n]{0,60}\)\s+(?:is|are|looking|hiring|seeks|wants|needs)\b/u,
];
// Words that open a sentence without naming anyone.
const NOT_A_SUBJECT_RE =
  /^(?:the|this|that|these|those|our|my|your|their|it|its|it's|each|every|everyone|everything|nobody|today|now|here|there|also|however|currently|recently|additionally|finally|ideally|experience|compensation|salary|pay|location|role|position|team|stack|tech|product|company|work|remote|everyone|why|what|who|how|you|we|i|he|she|they|if|when|while|after|before|since|as|at|in|on|for|with|by|from|to|and|or|but|so|not|no|yes|ps|note|edit|update|description|about|overview|hiring|apply|join|looking|seeking|please)\b/i;

/** The company as the body names it when the header does not ("Sumble is the newco ..."), or null. */
function companyInBody(text: string): string | null {
  const head = text.slice(0, 1500);
  let best: { at: number; name: string } | null = null;
  for (const re of BODY_NAME_PATTERNS) {
    re.lastIndex = 0;
    for (const m of head.matchAll(re.global ? re : new RegExp(re.source, `${re.flags}g`))) {
      const name = cleanCompany(m[1]!.replace(/\s+(?:and|&|of)$/i, ''));
      if (!name || NOT_A_SUBJECT_RE.test(name) || !looksLikeName(name) || isRoleField(name) || DESCRIBED_RE.test(name) || isPlaceOnly(name)) continue;
      const at = m.index! + m[0].indexOf(m[1]!);
      if (!best || at < best.at) best = { at, name };
      break;
    }
  }
  return best?.name ?? null;
}

// Written without the "i" flag so that "[A-Z]" below means a capitalised word; the known words
// are made case-insensitive letter by letter instead.
const PROSE_MODIFIERS = anyCase(
  'senior|sr\\.?|staff|principal|lead|junior|jr\\.?|mid[- ]level|founding|full[- ]?stack|front[- ]?end|back[- ]?end|mobile|ios|android|' +
    'web|software|data|ml|machine\\s+learning|ai|platform|infrastructure|devops|security|product|site\\s+reliability|embedded|' +
    'systems?|cloud|qa|test|rust|go|golang|python|java|typescript|react|ruby|rails|elixir|c\\+\\+|kotlin|swift|ux|ui|graphic|' +
    'research|applied|solutions|sales|support|customer\\s+success|marketing|growth|design|engineering|hardware|firmware|' +
    'robotics|compiler|database|distributed\\s+systems',
);
const PROSE_NOUNS = anyCase(
  'engineers?|developers?|designers?|scientists?|managers?|architects?|researchers?|analysts?|sres?|recruiters?|directors?|' +
    'programmers?|administrators?|specialists?|interns?',
);
const PROSE_PHRASE_RE = new RegExp(
  // Words of one phrase stay on one line: "Acme\nSenior Engineer" is a name, then a role.
  `(?:\\b(?:${PROSE_MODIFIERS}|[A-Z][\\w+#]*(?:\\.[\\w+#]+)*)[ \\t]+){1,4}(?:${PROSE_NOUNS})\\b|\\b${anyCase('head')}[ \\t]+${anyCase('of')}[ \\t]+\\w+`,
);
const PROSE_NOUN_RE = new RegExp(`\\b(?:${PROSE_NOUNS})\\b`);
const PROSE_LEADING_WORDS_RE = /^(?:(?:a|an|the|our|we|us|for|and|or|hiring|looking|seeking|join|as|at|several|multiple|many|two|three|some|new)\s+)+/i;

/** The first role-like phrase in free text ("Senior Rust Engineer"), else the first bare role noun, or null. */
export function roleInProse(text: string): string | null {
  const head = text.slice(0, 2000);
  for (const re of [PROSE_PHRASE_RE, PROSE_NOUN_RE]) {
    const m = re.exec(head);
    if (!m) continue;
    // Sentence words caught as capitalised modifiers ("We Engineers", "At Acme Engineers") are dropped.
    const phrase = m[0].replace(/\s+/g, ' ').trim().replace(PROSE_LEADING_WORDS_RE, '');
    if (phrase) return phrase.charAt(0).toUpperCase() + phrase.slice(1);
  }
  return null;
}

/** A regex source whose letters match either case ("sr" -> "[sS][rR]"); escapes are kept. */
function anyCase(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      out += ch + (source[i + 1] ?? '');
      i++;
    } else if (/[a-z]/i.test(ch)) out += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
    else out += ch;
  }
  return out;
}

// A field that is a sentence ("Acme - we build rockets and need engineers") is prose, not a field.
const SENTENCE_FIELD_RE = /^(?:we|we're|we’re|i|i'm|i’m|our|my|you|you'll|you’ll|join|come|if|this|it|it's|it’s|they|there)\b/i;
const MAX_FIELD_WORDS = 16;

function classify(text: string): Field {
  const plain = text.trim();
  if (URL_RE.test(plain) || DOMAIN_RE.test(plain)) return { text: plain, kind: 'url', hasPlace: false };
  if (isJobTypeOnly(plain)) return { text: plain, kind: 'jobtype', hasPlace: false };
  // The description's own reading (arrangement phrases, pay) still covers what a sentence says.
  const long = plain.split(/\s+/).length > MAX_FIELD_WORDS && !/^(?:remote|on-?site|hybrid)\b[^.!?]*$/i.test(plain);
  if (SENTENCE_FIELD_RE.test(plain) || long) return { text: plain, kind: 'other', hasPlace: false };
  const hasArrangement = matches(ARRANGEMENT_RE, plain) || /\b(?:no|not|non)[- ]remote\b/i.test(plain);
  if (hasArrangement) {
    // "Senior Engineer (Remote)" is a role that also says how; "Remote (US)" is a place and a way of working.
    const rest = withoutArrangement(plain);
    if (STRONG_ROLE_RE.test(plain) || (matches(ROLE_WORD_RE, rest) && !PLACE_RE.test(rest))) return { text: plain, kind: 'role', hasPlace: false };
    return { text: plain, kind: 'arrangement', hasPlace: carriesPlace(plain) };
  }
  const roleWord = matches(ROLE_WORD_RE, plain);
  if (MONEY_RE.test(plain) && !(roleWord && STRONG_ROLE_RE.test(plain))) return { text: plain, kind: 'salary', hasPlace: false };
  if (PLACE_RE.test(plain) && !STRONG_ROLE_RE.test(plain)) return { text: plain, kind: 'place', hasPlace: true };
  if (roleWord) return { text: plain, kind: 'role', hasPlace: false };
  return { text: plain, kind: 'other', hasPlace: false };
}

function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const found = re.test(text);
  re.lastIndex = 0;
  return found;
}

function isJobTypeOnly(text: string): boolean {
  if (!matches(JOBTYPE_RE, text)) return false;
  const rest = text.replace(JOBTYPE_RE, ' ').replace(/\b(?:and|or|only|roles?|positions?|\+)\b|[,/&()+\-–—.;:]/gi, ' ');
  return rest.trim() === '';
}

function jobTypesIn(text: string): string[] {
  return [...text.matchAll(JOBTYPE_RE)].map((m) => m[0]);
}

function withoutArrangement(text: string): string {
  return text.replace(ARRANGEMENT_RE, ' ').replace(/\b(?:no|not|non)[- ]remote\b/gi, ' ');
}

/** Whether an arrangement field names where, too: "Remote (US)" yes, "REMOTE" or "Hybrid, 2 days/week" no. */
function carriesPlace(text: string): boolean {
  const rest = withoutArrangement(text)
    .replace(JOBTYPE_RE, ' ')
    .replace(/\b(?:or|and|only|ok|possible|preferred|available|optional|friendly|first|with|some|travel|days?|weeks?|a|per|in|the|office|partially|partly|fully|mostly|\d+)\b/gi, ' ')
    .replace(/[^\p{L}]+/gu, ' ')
    .trim();
  return rest !== '';
}

function isWeakRole(text: string): boolean {
  const words = [...text.matchAll(ROLE_WORD_RE)].map((m) => m[0].toLowerCase().replace(/\s+/g, ' '));
  return words.length > 0 && words.every((w) => WEAK_ROLE_WORDS.has(w));
}

/**
 * "Senior Backend Engineer, ML Engineer" -> two roles; "Software Engineer, Payments" -> one (a
 * piece without a role noun qualifies its neighbour). Commas inside parentheses do not split.
 */
export function splitRoles(field: string): string[] {
  const cleaned = field.replace(BOILERPLATE_PREFIX_RE, '').trim();
  // Pieces keep the separator written before them, so merged qualifiers read as written.
  const pieces: Array<{ sep: string; text: string }> = [];
  let depth = 0;
  let start = 0;
  let sepBefore = '';
  for (let i = 0; i < cleaned.length; i++) {
    const ch = cleaned[i]!;
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    else if (depth === 0 && (ch === ',' || ch === ';' || ch === ' ')) {
      const sep = /^(?:,\s*(?:and\s+|or\s+|&\s+)?|;\s*|\s+&\s+|\s+and\s+|\s+\/\s+)/i.exec(cleaned.slice(i));
      if (sep) {
        pieces.push({ sep: sepBefore, text: cleaned.slice(start, i) });
        sepBefore = sep[0];
        i += sep[0].length - 1;
        start = i + 1;
      }
    }
  }
  pieces.push({ sep: sepBefore, text: cleaned.slice(start) });
  // A piece with no role noun qualifies the role before it ("Software Engineer, Payments"), or
  // the one after it when it comes first ("Research and Development Engineer").
  const roles: string[] = [];
  let pending = '';
  for (const { sep, text } of pieces) {
    if (text.trim() === '') continue;
    if (STRONG_ROLE_RE.test(text)) {
      roles.push(pending ? `${pending}${sep}${text}` : text);
      pending = '';
    } else if (roles.length > 0 && !pending) {
      roles[roles.length - 1] = `${roles[roles.length - 1]}${sep}${text}`;
    } else {
      pending = pending ? `${pending}${sep}${text}` : text;
    }
  }
  if (pending) roles.push(pending);
  return roles.map((r) => r.trim().replace(/[\s,.;:]+$/, '')).filter((r) => r !== '');
}

// "ONSITE+PART REMOTE", "Onsite (2 days remote OK)": some remote days make it hybrid.
const PART_REMOTE_RE = /\b(?:part(?:ial(?:ly)?|ly)?|some)[- ]remote\b|\b\d\s*(?:days?|x)(?:\s*(?:\/|a|per)\s*(?:wk|week))?\s+remote(?:\s+ok)?\b/gi;
// "remote for some roles", "remote possible for exceptional candidates": an exception, not the job's way of working.
const EXCEPTION_RE = /\bfor\s+(?:some|exceptional|certain|select)\b|\bexceptions?\b/i;

/**
 * Remote wins (the job can be done remotely), then hybrid, then onsite; undefined when nothing
 * says. Each option of a field counts: "Hybrid (open to remote)" offers remote, "Remote, Onsite,
 * Hybrid" too.
 */
function arrangementOf(texts: string[]): Arrangement | undefined {
  const found = new Set<Arrangement>();
  const add = (t: string): void => {
    if (!t.trim() || EXCEPTION_RE.test(t)) return;
    found.add(detectArrangement({ title: '', location: t, description: '' }).arrangement);
  };
  for (const raw of texts) {
    const t = raw.replace(PART_REMOTE_RE, 'hybrid');
    if (EXCEPTION_RE.test(t)) {
      // Only the options that are not the exception.
      for (const option of t.split(/[,;&+/()]|\s+or\s+/i)) if (matches(ARRANGEMENT_RE, option) || /\bnot?\s+remote\b/i.test(option)) add(option);
      continue;
    }
    add(t);
    for (const option of t.split(/[,;&+/()]|\s+or\s+|\s+and\s+/i)) if (option !== t && matches(ARRANGEMENT_RE, option)) add(option);
  }
  if (found.has('remote')) return 'remote';
  if (found.has('hybrid')) return 'hybrid';
  if (found.has('onsite')) return 'onsite';
  return undefined;
}

// The thread asks for REMOTE / ONSITE / HYBRID in capitals: written so, they are markers wherever they sit.
const CAPITAL_MARKER_RE = /\b(?:REMOTE|ONSITE|ON-SITE|HYBRID|IN-OFFICE|IN-PERSON)\b/g;

/** The capitalised HN markers of a header line, as written. */
function capitalMarkers(line: string): string[] {
  return [...line.matchAll(CAPITAL_MARKER_RE)].map((m) => {
    // Keep what qualifies the marker ("REMOTE (US)", "HYBRID (NYC)", "REMOTE possible for exceptional ...").
    const after = line.slice(m.index! + m[0].length, m.index! + m[0].length + 60);
    const qualifier = /^\s*(?:\([^)]*\)|[^|,;()]*)/.exec(after)?.[0] ?? '';
    return `${m[0]}${qualifier}`;
  });
}

/** The company as a name: URLs, "(YC W21)"-style asides and "is hiring" dropped. */
function cleanCompany(text: string): string {
  // Asides in brackets first ("(YC W21)", "(https://acme.com)", "[Series B]"), then bare URLs.
  let name = text
    .replace(/\s*[([][^)\]\n]{0,120}[)\]]/g, ' ')
    .replace(/\bhttps?:\/\/[^\s)\]]+/gi, ' ')
    .replace(/\s+(?:is|are)\s+hiring\b.*$/i, '')
    .replace(BOILERPLATE_PREFIX_RE, '');
  // "Acme - fintech for SMBs", "Acme: payments": the name is the head.
  name = name.split(/\s+[-–—]\s+|:\s+/)[0]!;
  // "HUNT Cloud, NTNU": the name, then an affiliation or a legal suffix; "9 Mothers YC P26": a batch.
  name = name.split(',')[0]!.replace(/\s+YC\s*[A-Z]?\d{2,4}\b.*$/, '');
  name = name.replace(/^www\./i, '').replace(/\s+/g, ' ').replace(/^[\s"'“”.,;:!-]+|[\s"'“”,;:!-]+$/g, '');
  return name.trim();
}

function looksLikeName(name: string): boolean {
  if (name.length < 2 || name.length > 60) return false;
  if (!/^[\p{L}\p{N}]/u.test(name)) return false;
  if (name.split(/\s+/).length > 6) return false;
  if (/[?!]/.test(name)) return false;
  if (SENTENCE_START_RE.test(name)) return false;
  if (matches(ARRANGEMENT_RE, name) && withoutArrangement(name).replace(/[^\p{L}]+/gu, '') === '') return false;
  return true;
}
