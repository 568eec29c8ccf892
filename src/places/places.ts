/**
 * Places: the one place model of jobalert. The gazetteer is data (gazetteer-data.ts for the metro
 * areas, states and regions we curate; countries-list for every country's name and continent);
 * this module reads location texts against it, for dedupe and matching alike.
 *
 * A location text ("San Francisco, CA or Remote (US)", "Berlin, Germany; London, UK") is read as
 * alternatives (split on ";", "|", "·", "/", " or ", ...); each alternative resolves to places in a
 * hierarchy city ⊂ state ⊂ country ⊂ region ⊂ world, where a region is inside another when its
 * countries are (DACH ⊂ Europe ⊂ EMEA, US ⊂ North America ⊂ Americas, ANZ ⊂ APAC).
 *
 * Choices:
 * - A city names its metro: "Palo Alto", "SF Bay Area" and "San Francisco" are one place,
 *   "Brooklyn" and "NYC" too. A city not in the gazetteer is kept by its words, inside the known
 *   place the text names ("Leipzig, Germany").
 * - "New York" is the city; "Washington" alone is the state; "Georgia" is the US state.
 * - Two-letter state and province codes count only when written in capitals ("Austin, TX"),
 *   so "in", "or", "me" in a title are never states. "CA" is California unless the same
 *   location is otherwise Canadian ("Toronto, ON, CA").
 * - "Anywhere", "Worldwide", "Global" are the whole world.
 * - A location line that carries more than the place ("Seattle, WA · Type: Full-time · Workplace:
 *   Hybrid") yields the place only: labelled fields that are not a location are dropped, and
 *   employment words are noise, so they never become a pseudo-place every posting shares.
 */
import { countries, type TCountryCode } from 'countries-list';
import {
  CITIES,
  CONTINENT_EXCEPTIONS,
  COUNTRY_NAMES,
  IGNORED_NATIVE_NAMES,
  NEGATION_WORDS as NEGATION_LIST,
  NOISE_WORDS,
  PREFERRED_STATES,
  REGIONS,
  STATES as LISTED_STATES,
  ZA_PROVINCES,
} from './gazetteer-data.js';

/** What one name of the gazetteer names. */
export interface PlaceAlias {
  kind: 'city' | 'state' | 'country' | 'region';
  /** city: metro id; state: state id ('us-texas', 'ca-on'); country: ISO code; region: region id. */
  id: string;
  /** The country of a city or state; null for a region. */
  country: string | null;
}

/** Words in a location that say nothing about the place ("Remote", "based", "only", "Hybrid", "Full-time"). */
export const LOCATION_NOISE: ReadonlySet<string> = new Set(NOISE_WORDS);
const NEGATION_WORDS: ReadonlySet<string> = new Set(NEGATION_LIST);

const STATES = [...LISTED_STATES, ...ZA_PROVINCES];

// Before the lookups below: building them folds names.
const NON_ASCII_RE = /[^\x00-\x7f]/;

// ---------------------------------------------------------------------------------------------
// The gazetteer, as lookups

// Continents of countries-list -> our regions, for countries no curated region lists.
const CONTINENT_REGIONS: Readonly<Record<string, readonly string[]>> = {
  EU: ['europe', 'emea'],
  AF: ['africa', 'emea'],
  SA: ['latam', 'americas'],
  NA: ['latam', 'americas'],
  OC: ['apac'],
  AS: ['apac'],
  AN: [],
};
const EXCEPTION_REGIONS: Readonly<Record<string, readonly string[]>> = { 'middle-east': ['middle-east', 'emea'], europe: ['europe', 'emea'] };

interface CityInfo {
  country: string;
  /** Its own state first, then others its metro reaches; empty when unknown. */
  states: readonly string[];
}

const CITY_INFO: ReadonlyMap<string, CityInfo> = new Map(CITIES.map((c) => [c.id, { country: c.country, states: c.states }]));
const ALIASES: ReadonlyMap<string, PlaceAlias> = buildAliases();
/** Every word of every name: a word outside this set starts no place name. */
const ALIAS_WORDS: ReadonlySet<string> = new Set([...ALIASES.keys()].flatMap((name) => name.split(' ')));
/** Longest name, in words: how far the n-gram scan looks. */
const MAX_ALIAS_WORDS = Math.max(...[...ALIASES.keys()].map((name) => name.split(' ').length));
/** Two-letter state and province codes, counted only when written in capitals. */
const STATE_CODES: ReadonlyMap<string, PlaceAlias> = buildStateCodes();
const STATE_COUNTRY: ReadonlyMap<string, string> = new Map([...STATES, ...PREFERRED_STATES].map((s) => [s.id, s.country]));
/** Member countries of each region ('world' lists none: it contains every country). */
const REGION_MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = buildRegionMembers();

function foldName(name: string): string {
  return foldDiacritics(name).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function buildAliases(): Map<string, PlaceAlias> {
  const map = new Map<string, PlaceAlias>();
  const add = (names: readonly string[], alias: PlaceAlias, override = false): void => {
    for (const name of names) if (name && (override || !map.has(name))) map.set(name, alias);
  };
  // Cities first: "new york" is the city, "washington dc" the capital; then states ("georgia"), countries, regions.
  for (const c of CITIES) add(c.names, { kind: 'city', id: c.id, country: c.country });
  for (const s of STATES) add(s.names, { kind: 'state', id: s.id, country: s.country });
  for (const [code, names] of Object.entries(COUNTRY_NAMES)) add(names, { kind: 'country', id: code, country: code });
  for (const [code, country] of Object.entries(countries)) {
    const id = code.toLowerCase();
    const native = foldName(country.native);
    const names = [foldName(country.name)];
    // Native names in Latin script only ("Deutschland", "Polska"); "Ísland" folds to a common word.
    if (/^[a-z ]+$/.test(native) && !IGNORED_NATIVE_NAMES.includes(native)) names.push(native);
    add(names, { kind: 'country', id, country: id });
  }
  for (const r of REGIONS) add(r.names, { kind: 'region', id: r.id, country: null });
  // The UK's nations and New York State are states: "in Scotland" is not London.
  for (const s of PREFERRED_STATES) add(s.names, { kind: 'state', id: s.id, country: s.country }, true);
  return map;
}

function buildStateCodes(): Map<string, PlaceAlias> {
  const map = new Map<string, PlaceAlias>();
  // "CA" stays California here; a Canadian context turns it into Canada (see locateAlternative).
  for (const s of [...STATES, ...PREFERRED_STATES]) if (s.code && !map.has(s.code)) map.set(s.code, { kind: 'state', id: s.id, country: s.country });
  map.set('DC', { kind: 'city', id: 'washington-dc', country: 'us' });
  return map;
}

function buildRegionMembers(): Map<string, ReadonlySet<string>> {
  const map = new Map<string, Set<string>>();
  for (const r of REGIONS) map.set(r.id, new Set(r.members.split(' ').filter(Boolean)));
  const listed = new Set([...map.values()].flatMap((members) => [...members]));
  for (const [code, country] of Object.entries(countries)) {
    const id = code.toLowerCase();
    if (listed.has(id)) continue;
    const exception = CONTINENT_EXCEPTIONS[id];
    const regions = exception ? (EXCEPTION_REGIONS[exception] ?? [exception]) : (CONTINENT_REGIONS[country.continent] ?? []);
    for (const region of regions) map.get(region)?.add(id);
  }
  return map;
}

/** The country a two-letter word in capitals codes for ("FR" -> 'fr'), or null. */
function isoCountryCode(word: Word): string | null {
  return word.raw.length === 2 && word.raw === word.raw.toUpperCase() && Object.hasOwn(countries, word.raw as TCountryCode) ? word.lower : null;
}

// ---------------------------------------------------------------------------------------------
// Text


/** Diacritics folded (é -> e, ø -> o, ß -> ss), case kept. */
export function foldDiacritics(text: string): string {
  // Most titles and places are plain ASCII: nothing to fold.
  if (!NON_ASCII_RE.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O'))
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/æ/g, 'ae')
    .replace(/Æ/g, 'AE')
    .replace(/œ/g, 'oe')
    .replace(/Œ/g, 'OE')
    .replace(/þ/g, 'th');
}

/** A word of a text: lower-cased for lookups, as written for the capitals test of state codes. */
export interface Word {
  lower: string;
  raw: string;
}

/** Words of a text, diacritics folded; dots inside abbreviations dropped ("U.S." -> US, "D.C." -> DC). */
export function placeWords(text: string): Word[] {
  const folded = foldDiacritics(text).replace(/\b([A-Za-z])\.(?=[A-Za-z]\.)/g, '$1').replace(/\b([A-Za-z])\.(?=\s|$|[,)])/g, '$1');
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).map((raw) => ({ lower: raw.toLowerCase(), raw }));
}

/** Which words of `words` belong to a known place name; the places found, in order. */
export function findPlaces(words: readonly Word[]): { covered: boolean[]; places: PlaceAlias[] } {
  const { covered, hits } = scanPlaces(words);
  return { covered, places: hits.map((h) => h.alias) };
}

/** Whether a lower-cased word can be part of a place name (two-letter words always can: state codes). */
export function mayBePlaceWord(lower: string): boolean {
  return lower.length === 2 || ALIAS_WORDS.has(lower);
}

// ---------------------------------------------------------------------------------------------
// Places as a hierarchy

/** What a place is, from the finest to the widest. */
export type GeoKind = 'city' | 'state' | 'country' | 'region' | 'world';

/** One place, resolved: its id and the ids of every place it is inside. */
export interface GeoPlace {
  /** 'city:berlin', 'state:us-texas', 'country:de', 'region:europe', 'world'; a place the gazetteer does not know, inside a known one: '?leipzig@country:de'. */
  id: string;
  kind: GeoKind;
  /** This place's id and the id of every place that contains it. */
  within: ReadonlySet<string>;
}

/** One alternative of a location text ("Berlin, Germany" in "Berlin, Germany or Remote (Europe)"), resolved. */
export interface LocatedAlternative {
  /** The alternative as written. */
  text: string;
  /** The places it names (usually one; "USA, Canada" names two); empty when it names none the gazetteer knows. */
  places: GeoPlace[];
  /** Words that are neither a known place nor noise ("Leipzig" in "Leipzig, Germany"). */
  unknownWords: string[];
}

/** Whether `inner` is `outer` or inside it. */
export function geoWithin(inner: GeoPlace, outer: GeoPlace): boolean {
  return inner.within.has(outer.id);
}

const WORLD: GeoPlace = { id: 'world', kind: 'world', within: new Set(['world']) };
const geoCache = new Map<string, GeoPlace>();

function regionGeo(region: string): GeoPlace {
  if (region === 'world') return WORLD;
  return cachedGeo(`region:${region}`, () => {
    const members = REGION_MEMBERS.get(region) ?? new Set<string>();
    const within = new Set([`region:${region}`, 'world']);
    for (const [other, others] of REGION_MEMBERS) {
      if (other !== 'world' && members.size > 0 && [...members].every((c) => others.has(c))) within.add(`region:${other}`);
    }
    return { id: `region:${region}`, kind: 'region', within };
  });
}

function countryGeo(country: string): GeoPlace {
  return cachedGeo(`country:${country}`, () => {
    const within = new Set([`country:${country}`, 'world']);
    for (const [region, members] of REGION_MEMBERS) if (members.has(country)) within.add(`region:${region}`);
    return { id: `country:${country}`, kind: 'country', within };
  });
}

function stateGeo(state: string): GeoPlace {
  return cachedGeo(`state:${state}`, () => {
    const country = STATE_COUNTRY.get(state) ?? state.slice(0, 2);
    return { id: `state:${state}`, kind: 'state', within: new Set([`state:${state}`, ...countryGeo(country).within]) };
  });
}

function cityGeo(city: string, state: string | null): GeoPlace {
  return cachedGeo(`city:${city}@${state ?? ''}`, () => {
    const info = CITY_INFO.get(city);
    const parent = state ? stateGeo(state) : info?.country ? countryGeo(info.country) : WORLD;
    return { id: `city:${city}`, kind: 'city', within: new Set([`city:${city}`, ...parent.within]) };
  });
}

/** A place the gazetteer does not know ("Leipzig" without an entry), inside a known one. */
function unknownGeo(words: string, parent: GeoPlace): GeoPlace {
  const id = `?${words}@${parent.id}`;
  return { id, kind: 'city', within: new Set([id, ...parent.within]) };
}

function cachedGeo(key: string, make: () => GeoPlace): GeoPlace {
  let geo = geoCache.get(key);
  if (!geo) {
    geo = make();
    geoCache.set(key, geo);
  }
  return geo;
}


// ---------------------------------------------------------------------------------------------
// Reading location texts

// "or" and "and" in lower case only: "Portland, OR" is Oregon.
const ALTERNATIVE_SPLIT_RE = /\s*(?:;|\||•|·|\/|\n|&|\+)\s*|\s+(?:or|and)\s+/;
const PART_SPLIT_RE = /\s*(?:,|\(|\)|\[|\]|\s-\s|\s–\s|\s—\s|:)\s*/;

interface MatchHit {
  alias: PlaceAlias;
  /** The capitals it was read from, for a two-letter code ("IN", "DE"); null otherwise. */
  code: string | null;
}

/** The longest known names in `words`, left to right. */
function scanPlaces(words: readonly Word[]): { covered: boolean[]; hits: MatchHit[] } {
  const covered = words.map(() => false);
  const hits: MatchHit[] = [];
  for (let i = 0; i < words.length; ) {
    let hit = singleWordPlace(words[i]!);
    let length = hit ? 1 : 0;
    let phrase = words[i]!.lower;
    for (let n = 2; n <= MAX_ALIAS_WORDS && i + n <= words.length; n++) {
      phrase += ` ${words[i + n - 1]!.lower}`;
      const longer = ALIASES.get(phrase);
      if (longer) {
        hit = { alias: longer, code: null };
        length = n;
      }
    }
    if (hit) {
      hits.push(hit);
      for (let k = i; k < i + length; k++) covered[k] = true;
      i += length;
    } else i++;
  }
  return { covered, hits };
}

// Two-letter words are places only in capitals: "in", "or", "me", "la" are words first.
function singleWordPlace(word: Word): MatchHit | undefined {
  if (word.lower.length !== 2) {
    const alias = ALIASES.get(word.lower);
    return alias && { alias, code: null };
  }
  const capitals = word.raw === word.raw.toUpperCase();
  const code = capitals ? STATE_CODES.get(word.raw) : undefined;
  if (code) return { alias: code, code: word.raw };
  const alias = capitals || word.lower === 'us' || word.lower === 'uk' || word.lower === 'eu' ? ALIASES.get(word.lower) : undefined;
  return alias && { alias, code: null };
}

const locateCache = new Map<string, readonly LocatedAlternative[]>();

/** The English name of an ISO 3166 alpha-2 country code ("AR" -> "Argentina"); null when it is none. */
export function countryName(code: string | null | undefined): string | null {
  const upper = code?.trim().toUpperCase() ?? '';
  return /^[A-Z]{2}$/.test(upper) && upper in countries ? countries[upper as TCountryCode].name : null;
}

/**
 * The places a location text names, one entry per alternative ("Berlin, Germany or Remote (Europe)"
 * -> Berlin, Europe). Within an alternative, the finest place named wins and is checked against the
 * rest: "Toronto, ON" is Toronto in Ontario, "London, ON" a London the gazetteer does not know in
 * Ontario, "Bangalore, IN" Bangalore in India (a code that is the city's country is the country),
 * "Paris, TX" an unknown Paris in Texas. A place the gazetteer does not know inside a known one
 * ("Leipzig, Germany" without an entry) is inside that one; words that name nothing ("Remote",
 * "only", "citizens") are ignored. Memoized: a feed's locations repeat.
 */
export function locatePlaces(text: string | null | undefined): readonly LocatedAlternative[] {
  if (!text) return [];
  let located = locateCache.get(text);
  if (!located) {
    located = text
      .split(ALTERNATIVE_SPLIT_RE)
      .map(withoutFieldLabel)
      .map(locateAlternative)
      .filter((alt) => alt.places.length > 0 || alt.unknownWords.length > 0);
    if (locateCache.size >= 4096) locateCache.clear();
    locateCache.set(text, located);
  }
  return located;
}

/** A place name as a rule writes it ("Germany", "New York", "Bay Area") -> the places it may mean; null when some word is not a known place. */
export function resolvePlaceName(text: string): GeoPlace[] | null {
  const abbreviation = RULE_ABBREVIATIONS[text.trim().toLowerCase()];
  if (abbreviation) return abbreviation();
  const alternatives = locatePlaces(text);
  if (alternatives.length === 0 || alternatives.some((a) => a.unknownWords.length > 0 || a.places.length === 0)) return null;
  const places = alternatives.flatMap((a) => a.places);
  // "New York" names the city and the state: a rule for it takes either.
  if (places.some((p) => p.id === 'city:nyc') && /^\s*new\s+york\s*$/i.test(foldDiacritics(text))) places.push(stateGeo('us-new york'));
  return places;
}

// What a rule means by a bare abbreviation, in any case: "in LA" is Los Angeles (in a location,
// "LA" after a city is Louisiana), "in NY" the city or the state, as "New York" is.
const RULE_ABBREVIATIONS: Readonly<Record<string, () => GeoPlace[]>> = {
  la: () => [cityGeo('los-angeles', 'us-california')],
  sf: () => [cityGeo('sf-bay', 'us-california')],
  dc: () => [cityGeo('washington-dc', 'us-district of columbia')],
  ny: () => [cityGeo('nyc', 'us-new york'), stateGeo('us-new york')],
};

function locateAlternative(text: string): LocatedAlternative {
  const hits: MatchHit[] = [];
  const unknown: string[] = [];
  let negated = false;
  for (const part of text.split(PART_SPLIT_RE)) {
    const words = placeWords(part);
    if (words.length === 0) continue;
    const scan = scanPlaces(words);
    // A part that is only an ISO country code in capitals ("Paris, FR", Lever's "AE") is that country,
    // unless it is a state code ("DE", "IN", "CA" are Delaware, Indiana, California first).
    const code = words.length === 1 && !scan.covered[0] ? isoCountryCode(words[0]!) : null;
    if (code) {
      scan.hits.push({ alias: { kind: 'country', id: code, country: code }, code: words[0]!.raw });
      scan.covered[0] = true;
    }
    hits.push(...scan.hits);
    const rest: string[] = [];
    for (const [k, w] of words.entries()) {
      if (scan.covered[k]) continue;
      if (NEGATION_WORDS.has(w.lower)) negated = true;
      if (w.lower.length > 1 && !LOCATION_NOISE.has(w.lower) && !/\d/.test(w.lower)) rest.push(w.lower);
    }
    if (rest.length > 0) unknown.push(rest.join(' '));
  }
  const trimmed = text.trim();
  if (negated) return { text: trimmed, places: [], unknownWords: unknown.length > 0 ? unknown : ['?'] };

  const cities = hits.filter((h) => h.alias.kind === 'city');
  const cityCountries = new Set(cities.map((h) => CITY_INFO.get(h.alias.id)?.country ?? h.alias.country ?? ''));
  const canadian = hits.some((h) => h.alias.country === 'ca' && h.code !== 'CA');
  const states = new Set<string>();
  const countries = new Set<string>();
  const regions = new Set<string>();
  for (const { alias, code } of hits) {
    if (alias.kind === 'state') {
      // "Bangalore, IN", "Berlin, DE": a code that is the city's country code names the country.
      if (code && cityCountries.has(code.toLowerCase())) countries.add(code.toLowerCase());
      else if (code === 'CA' && canadian) countries.add('ca');
      else states.add(alias.id);
    } else if (alias.kind === 'country') {
      // A code that is not the named city's country is a local abbreviation ("Cape Town, SA"): the city wins.
      if (code && cities.length > 0 && !cityCountries.has(alias.id)) continue;
      countries.add(alias.id);
    }
    else if (alias.kind === 'region') regions.add(alias.id);
  }
  // "Anywhere in Europe" is Europe.
  if (regions.size > 1) regions.delete('world');
  // "Washington, DC" is the capital, not Washington State.
  if (cities.some((h) => h.alias.id === 'washington-dc')) states.delete('us-washington');
  for (const state of states) countries.add(STATE_COUNTRY.get(state) ?? state.slice(0, 2));

  const places: GeoPlace[] = [];
  for (const { alias } of cities) {
    const info = CITY_INFO.get(alias.id);
    const country = info?.country ?? '';
    const ownStates = [...states].filter((s) => (STATE_COUNTRY.get(s) ?? s.slice(0, 2)) === country);
    const conflicts = (countries.size > 0 && !countries.has(country)) || (ownStates.length > 0 && info !== undefined && info.states.length > 0 && !ownStates.some((s) => info.states.includes(s)));
    if (conflicts) {
      // "Paris, TX", "London, ON": another place of that name, inside what the text names.
      unknown.push(alias.id);
      continue;
    }
    const state = ownStates.find((s) => info?.states.includes(s)) ?? info?.states[0] ?? ownStates[0] ?? null;
    places.push(cityGeo(alias.id, state));
  }
  if (places.length === 0) {
    // Every area named: "USA, Canada" is both, "Americas, Europe, Israel" all three; a country or region
    // that holds a named state is only its address ("Austin area, Texas, USA" is Texas).
    const stateGeos = [...states].map(stateGeo);
    const holdsState = (id: string): boolean => stateGeos.some((g) => g.within.has(id));
    const parents = [
      ...stateGeos,
      ...[...countries].map(countryGeo).filter((g) => !holdsState(g.id)),
      ...[...regions].map(regionGeo).filter((g) => !holdsState(g.id)),
    ];
    // Words the gazetteer does not know are a place inside the finest area named ("Leipzig, Germany",
    // "Leipzig, Germany, Europe": Leipzig in Germany, and Europe).
    const words = unknown.join(' ');
    const finest = parents.find((p) => p.kind !== 'region' && p.kind !== 'world')?.kind ?? parents[0]?.kind;
    for (const parent of parents) places.push(words && parent !== WORLD && parent.kind === finest ? unknownGeo(words, parent) : parent);
    if (parents.length > 0) unknown.length = 0;
  } else unknown.length = 0;
  return { text: trimmed, places: uniqueGeos(places), unknownWords: unknown };
}

function uniqueGeos(places: GeoPlace[]): GeoPlace[] {
  const seen = new Set<string>();
  return places.filter((p) => !seen.has(p.id) && seen.add(p.id));
}

// "Type: Full-time", "Workplace: Hybrid", "Location: Berlin": a label, then its value.
const LABELLED_RE = /^\s*([\p{L}][\p{L} ]{0,30}?)\s*[:：]\s*(.*)$/su;
const LOCATION_LABELS: ReadonlySet<string> = new Set([
  'location', 'locations', 'job location', 'office location', 'work location', 'based in', 'office', 'offices', 'where',
  'city', 'country', 'region', 'place', 'standort', 'arbeitsort', 'lieu', 'lieu de travail', 'ubicacion',
]);
const ARRANGEMENT_LABEL_RE = /^(?:remote|hybrid|on ?site|in office|in person)$/;

/**
 * An alternative without a labelled field that is not a place: "Type: Full-time" and "Workplace:
 * Hybrid" go (''), "Location: Berlin" keeps "Berlin"; "Remote: US" and "USA: New York" stay whole.
 */
function withoutFieldLabel(alternative: string): string {
  const m = LABELLED_RE.exec(alternative);
  if (!m) return alternative;
  const label = foldName(m[1]!);
  if (LOCATION_LABELS.has(label)) return m[2]!;
  if (ARRANGEMENT_LABEL_RE.test(label)) return alternative;
  const words = placeWords(m[1]!);
  const { covered } = scanPlaces(words);
  return words.length > 0 && covered.every(Boolean) ? alternative : '';
}

// ---------------------------------------------------------------------------------------------
// Places for dedupe: sets of ids compared at the finest level both sides state

/** One alternative of a location ("San Francisco, CA" in "San Francisco, CA or Remote"), as sets of ids. */
export interface Place {
  /** Metro ids of known cities, and '?words' for unknown ones. */
  cities: Set<string>;
  states: Set<string>;
  /** Countries named, or implied by a named state or city. */
  countries: Set<string>;
  /** Regions named (their member countries are in REGION_MEMBERS); 'world' for anywhere. */
  regions: Set<string>;
}

/**
 * The alternatives a location text names, read by locatePlaces; [] when it names no place (null,
 * "Remote", "TBD"). Words the gazetteer does not know count as a place ("Leipzig") only when the
 * text names no known place at all: beside a known one they are never a pseudo-place that two
 * unrelated postings could share.
 */
export function parseLocation(text: string | null | undefined): Place[] {
  const alternatives = locatePlaces(text);
  const known = alternatives.filter((a) => a.places.length > 0);
  return (known.length > 0 ? known : alternatives).map(toPlace).filter((p): p is Place => p !== null);
}

/** Region names as Posting.remoteRegions writes them ("US", "EMEA", "North America") -> one Place. */
export function parseRegions(regions: readonly string[]): Place | null {
  if (regions.length === 0) return null;
  const places = regions.flatMap((r) => parseLocation(r));
  if (places.length === 0) return null;
  const merged: Place = { cities: new Set(), states: new Set(), countries: new Set(), regions: new Set() };
  for (const p of places) {
    for (const key of ['cities', 'states', 'countries', 'regions'] as const) for (const id of p[key]) merged[key].add(id);
  }
  return merged;
}

function toPlace(alternative: LocatedAlternative): Place | null {
  const place: Place = { cities: new Set(), states: new Set(), countries: new Set(), regions: new Set() };
  for (const geo of alternative.places) {
    if (geo.kind === 'world') place.regions.add('world');
    else if (geo.kind === 'region') place.regions.add(geo.id.slice('region:'.length));
    else if (geo.kind === 'city') place.cities.add(geo.id.startsWith('?') ? geo.id.slice(0, geo.id.indexOf('@')) : geo.id.slice('city:'.length));
    // A city's or state's own state and country (not its regions: "Berlin" does not cover Europe).
    for (const id of geo.within) {
      if (id.startsWith('state:')) place.states.add(id.slice('state:'.length));
      else if (id.startsWith('country:')) place.countries.add(id.slice('country:'.length));
    }
  }
  if (alternative.places.length === 0 && alternative.unknownWords.length > 0) place.cities.add(`?${alternative.unknownWords.join(' ')}`);
  const empty = place.cities.size + place.states.size + place.countries.size + place.regions.size === 0;
  return empty ? null : place;
}

/** Whether a region (or 'world') contains a country. */
export function regionContains(region: string, country: string): boolean {
  return region === 'world' || (REGION_MEMBERS.get(region)?.has(country) ?? false);
}

/** The countries a place covers, null for the whole world; regions expanded. Empty: unknown. */
export function scopeOf(place: Place): Set<string> | null {
  if (place.regions.has('world')) return null;
  const out = new Set(place.countries);
  for (const region of place.regions) for (const c of REGION_MEMBERS.get(region) ?? []) out.add(c);
  return out;
}

/** Two place descriptions can be the same place: no conflict at the finest level both state. */
export function placesCompatible(a: Place, b: Place): boolean {
  const scopeA = scopeOf(a);
  const scopeB = scopeOf(b);
  if (scopeA && scopeB && scopeA.size > 0 && scopeB.size > 0 && !intersects(scopeA, scopeB)) return false;
  if (a.states.size > 0 && b.states.size > 0 && !intersects(a.states, b.states)) return false;
  if (a.cities.size > 0 && b.cities.size > 0) return intersects(a.cities, b.cities);
  return true;
}

/** Whether two scopes (null = world) share a country. */
export function scopesOverlap(a: Set<string> | null, b: Set<string> | null): boolean {
  if (a === null || b === null || a.size === 0 || b.size === 0) return true;
  return intersects(a, b);
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}
