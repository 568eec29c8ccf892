/**
 * The simple fields a feed item carries beyond the RSS/Atom/JSON Feed core, read by what they name:
 * We Work Remotely's <region>/<country>/<state>/<type>, namespaced job elements (<job:location>,
 * <job:company>, job_listing:*), JSON Feed extension objects (`_job: {company, location}`).
 * Fields are matched by their local name (the namespace prefix and punctuation ignored), so a
 * feed's own namespace needs no entry here. Only names that plainly say what they hold are read.
 */
import type { Arrangement } from '../core/types.js';
import { plainCompanyName } from './company.js';

/** One simple child of an item: its element or key name as written, and its text. */
export type ItemField = readonly [name: string, value: string];

/** What the fields of an item say about the job; null where they say nothing. */
export interface JobFields {
  company: string | null;
  location: string | null;
  /** Pay as the field writes it ("$120k - $150k"), for the salary parser. */
  salary: string | null;
  employmentType: string | null;
  arrangement: Arrangement | null;
}

const COMPANY = new Set(['company', 'companyname', 'employer', 'employername', 'hiringorganization', 'hiringorganisation', 'hiringcompany', 'organization', 'organisation']);
const LOCATION = new Set(['location', 'locations', 'joblocation', 'joblocations', 'worklocation', 'locationname', 'jobplace']);
// We Work Remotely's <region> is where the job may be done ("USA Only", "Anywhere in the World");
// its <country> and <state> are the company's headquarters (they repeat the "Headquarters:" line),
// so they only stand for the place when the item says nothing better.
const REGION = new Set(['region', 'remoteregion', 'remotelocation', 'candidateregion']);
const CITY = new Set(['city', 'jobcity']);
const STATE = new Set(['state', 'province', 'jobstate']);
const COUNTRY = new Set(['country', 'countryname', 'jobcountry']);
const SALARY = new Set(['salary', 'salaryrange', 'salarytext', 'basesalary', 'compensation', 'pay', 'payrange', 'wage', 'wages', 'remuneration']);
const EMPLOYMENT = new Set(['type', 'jobtype', 'employmenttype', 'contracttype', 'employment', 'jobschedule']);
const ARRANGEMENT = new Set(['workplace', 'workplacetype', 'remote', 'remotetype', 'remoteok', 'locationtype', 'worktype', 'workmode', 'workarrangement', 'workmodel', 'remoteoption']);

const KNOWN: ReadonlySet<string> = new Set([COMPANY, LOCATION, REGION, CITY, STATE, COUNTRY, SALARY, EMPLOYMENT, ARRANGEMENT].flatMap((s) => [...s]));

// A generic <type> is an employment type only when its value reads as one.
const EMPLOYMENT_VALUE_RE = /^(?:full[- ]?time|part[- ]?time|contract(?:or)?|contract[- ]to[- ]hire|freelance|internship|intern|temporary|temp|permanent|seasonal|volunteer|apprenticeship|fixed[- ]term)\b/i;
const MAX_FIELD_LENGTH = 200;

/** The local name of an element or key, lower-cased without punctuation: "job:Location" -> "location". */
export function localName(name: string): string {
  const colon = name.lastIndexOf(':');
  return (colon < 0 ? name : name.slice(colon + 1)).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Reads company, location, pay, employment type and arrangement from an item's simple fields. */
export function readJobFields(fields: readonly ItemField[]): JobFields {
  // Only fields of a name read here are cleaned; the others are kept as they came.
  const named: Array<{ name: string; local: string; value: string }> = [];
  for (const [name, raw] of fields) {
    const local = localName(name);
    if (!KNOWN.has(local)) continue;
    const field = simpleField(name, raw);
    if (field) named.push({ name, local, value: field[1] });
  }
  const first = (names: ReadonlySet<string>, accept: (v: string) => boolean = () => true): string | null =>
    named.find((f) => names.has(f.local) && accept(f.value))?.value ?? null;
  // Several elements of the first such name (<job:location> twice) are several places.
  const all = (names: ReadonlySet<string>): string[] => {
    const name = named.find((f) => names.has(f.local))?.name;
    return name === undefined ? [] : [...new Set(named.filter((f) => f.name === name).map((f) => f.value))];
  };

  const locations = all(LOCATION);
  const region = first(REGION);
  const parts = [first(CITY), first(STATE), first(COUNTRY)].filter((p): p is string => p !== null);
  const location = locations.length > 0 ? locations.join('; ') : region ?? (parts.length > 0 ? [...new Set(parts)].join(', ') : null);

  return {
    company: first(COMPANY),
    location,
    salary: first(SALARY, (v) => /\d/.test(v)),
    employmentType: first(EMPLOYMENT, (v) => EMPLOYMENT_VALUE_RE.test(v)),
    arrangement: arrangementOf(named.filter((f) => ARRANGEMENT.has(f.local)).map((f) => [f.name, f.value] as const)),
  };
}

/**
 * A one-line summary "Company — Place" (em or en dash, or a bar) as company and location fields:
 * the left side a bare company name, the right side a place ("New York, NY", "Remote (US)"):
 * capitalized words only. Anything else is prose and says nothing.
 */
export function companyPlaceFields(summary: string | null): ItemField[] {
  if (summary === null || summary.length > 120 || summary.includes('\n')) return [];
  const m = /^([^—–|\n]+?)\s+[—–|]\s+([^—–|\n]+)$/.exec(summary.trim());
  if (!m) return [];
  const company = plainCompanyName(m[1]!);
  const place = m[2]!.trim();
  if (company === null || place.length > 60 || !looksLikePlace(place)) return [];
  return [
    ['summary:company', company],
    ['summary:location', place],
  ];
}

const PLACE_GLUE_WORDS: ReadonlySet<string> = new Set(['of', 'and', 'or', 'de', 'del', 'la', 'le', 'the', 'am', 'upon', 'sur', 'en', 'y']);

// "New York, NY", "São Paulo, Brazil", "Remote (US)": every word capitalized (or glue), at most six.
function looksLikePlace(text: string): boolean {
  const words = text.split(/[\s,/()·&-]+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return false;
  return words.every((w) => /^(?:\p{Lu}|\p{N})/u.test(w) || PLACE_GLUE_WORDS.has(w));
}

/** Only the values that are text, trimmed and of a field's length (a body in a field is not a field). */
export function simpleField(name: string, value: string): ItemField | null {
  // A body (an item's description) is dropped before any pass over it.
  if (value.length > 4 * MAX_FIELD_LENGTH) return null;
  const text = value.replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > MAX_FIELD_LENGTH || /<\/?[a-z][^<>]*>/i.test(text)) return null;
  return [name, text];
}

function arrangementOf(fields: readonly ItemField[]): Arrangement | null {
  for (const [name, value] of fields) {
    // <remote>true</remote> says remote; "false" could still be hybrid, so it says nothing.
    if (localName(name) === 'remote' || localName(name) === 'remoteok') {
      if (/^(?:true|yes|1)$/i.test(value)) return 'remote';
    }
    const word = arrangementWord(value);
    if (word) return word;
  }
  return null;
}

/** The arrangement a short value opens with or consists of ("Remote", "Hybrid - NYC", "On-site"), or null. */
export function arrangementWord(value: string): Arrangement | null {
  const text = value.trim().toLowerCase();
  if (/^(?:fully |100% )?remote\b/.test(text) || /^(?:work from home|wfh|telecommute|anywhere)\b/.test(text)) return 'remote';
  if (/^hybrid\b/.test(text)) return 'hybrid';
  if (/^(?:on[- ]?site|in[- ](?:office|person)|office[- ]based|onsite)\b/.test(text)) return 'onsite';
  return null;
}
