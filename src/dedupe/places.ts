/**
 * Places for dedupe: a small gazetteer (countries, regions, US states, Canadian provinces, the
 * cities tech jobs are posted in) and a parser that turns a location text ("San Francisco, CA or
 * Remote (US)", "Berlin, Germany; London, UK") into alternatives that can be compared.
 *
 * Pure and self-contained on purpose: what it computes decides which stored jobs are "the same",
 * so it must not shift when the matcher's place handling changes.
 *
 * Choices:
 * - A city names its metro: "Palo Alto", "SF Bay Area" and "San Francisco" are one place,
 *   "Brooklyn" and "NYC" too. A city not in the gazetteer is compared by its words.
 * - "New York" is the city; "Washington" alone is the state; "Georgia" is the US state.
 * - Two-letter state and province codes count only when written in capitals ("Austin, TX"),
 *   so "in", "or", "me" in a title are never states. "CA" is California unless the same
 *   location is otherwise Canadian ("Toronto, ON, CA").
 * - "Anywhere", "Worldwide", "Global" are the whole world.
 */

/** What one alias names. */
interface PlaceAlias {
  kind: 'city' | 'state' | 'country' | 'region';
  /** city: metro id; state: state name; country: ISO-like code; region: region id. */
  id: string;
  /** The country of a city or state (null for a city whose country is ambiguous). */
  country: string | null;
}

/** One alternative of a location ("San Francisco, CA" in "San Francisco, CA or Remote"). */
export interface Place {
  /** Metro ids of known cities, and the words of unknown ones. */
  cities: Set<string>;
  states: Set<string>;
  /** Countries named, or implied by a named state or city. */
  countries: Set<string>;
  /** Regions named (their member countries are in REGION_MEMBERS); 'world' for anywhere. */
  regions: Set<string>;
}

// ---------------------------------------------------------------------------------------------
// Gazetteer

const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ['us', 'united states|united states of america|usa|us|u s|u s a|america'],
  ['ca', 'canada'],
  ['mx', 'mexico'],
  ['gb', 'united kingdom|uk|u k|great britain|britain|england|scotland|wales|northern ireland'],
  ['ie', 'ireland|republic of ireland'],
  ['de', 'germany|deutschland'],
  ['fr', 'france'],
  ['es', 'spain|espana'],
  ['pt', 'portugal'],
  ['it', 'italy|italia'],
  ['nl', 'netherlands|the netherlands|holland'],
  ['be', 'belgium'],
  ['lu', 'luxembourg'],
  ['ch', 'switzerland'],
  ['at', 'austria'],
  ['pl', 'poland'],
  ['cz', 'czechia|czech republic'],
  ['sk', 'slovakia'],
  ['hu', 'hungary'],
  ['ro', 'romania'],
  ['bg', 'bulgaria'],
  ['hr', 'croatia'],
  ['si', 'slovenia'],
  ['rs', 'serbia'],
  ['gr', 'greece'],
  ['cy', 'cyprus'],
  ['mt', 'malta'],
  ['se', 'sweden'],
  ['no', 'norway'],
  ['dk', 'denmark'],
  ['fi', 'finland'],
  ['is', 'iceland'],
  ['ee', 'estonia'],
  ['lv', 'latvia'],
  ['lt', 'lithuania'],
  ['ua', 'ukraine'],
  ['md', 'moldova'],
  ['tr', 'turkey|turkiye'],
  ['il', 'israel'],
  ['ae', 'united arab emirates|uae'],
  ['sa', 'saudi arabia'],
  ['qa', 'qatar'],
  ['eg', 'egypt'],
  ['ma', 'morocco'],
  ['tn', 'tunisia'],
  ['za', 'south africa'],
  ['ng', 'nigeria'],
  ['ke', 'kenya'],
  ['gh', 'ghana'],
  ['rw', 'rwanda'],
  ['ug', 'uganda'],
  ['et', 'ethiopia'],
  ['in', 'india'],
  ['pk', 'pakistan'],
  ['bd', 'bangladesh'],
  ['lk', 'sri lanka'],
  ['np', 'nepal'],
  ['sg', 'singapore'],
  ['my', 'malaysia'],
  ['th', 'thailand'],
  ['vn', 'vietnam|viet nam'],
  ['id', 'indonesia'],
  ['ph', 'philippines'],
  ['jp', 'japan'],
  ['kr', 'south korea|korea|republic of korea'],
  ['cn', 'china'],
  ['hk', 'hong kong'],
  ['tw', 'taiwan'],
  ['au', 'australia'],
  ['nz', 'new zealand'],
  ['br', 'brazil|brasil'],
  ['ar', 'argentina'],
  ['co', 'colombia'],
  ['cl', 'chile'],
  ['pe', 'peru'],
  ['uy', 'uruguay'],
  ['py', 'paraguay'],
  ['bo', 'bolivia'],
  ['ec', 'ecuador'],
  ['ve', 'venezuela'],
  ['cr', 'costa rica'],
  ['pa', 'panama'],
  ['gt', 'guatemala'],
  ['do', 'dominican republic'],
  ['pr', 'puerto rico'],
];

const EUROPE = 'gb ie de fr es pt it nl be lu ch at pl cz sk hu ro bg hr si rs gr cy mt se no dk fi is ee lv lt ua md';
const MIDDLE_EAST = 'tr il ae sa qa eg';
const AFRICA = 'eg ma tn za ng ke gh rw ug et';
const LATAM = 'mx br ar co cl pe uy py bo ec ve cr pa gt do pr';
const APAC = 'in pk bd lk np sg my th vn id ph jp kr cn hk tw au nz';

/** Region id -> [aliases, member countries]. */
const REGIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['north-america', 'north america|northern america', 'us ca mx'],
  ['latam', 'latam|latin america|south america|central america', LATAM],
  ['americas', 'americas|the americas', `us ca ${LATAM}`],
  ['europe', 'europe|eu|european union|european economic area|eea', EUROPE],
  ['emea', 'emea', `${EUROPE} ${MIDDLE_EAST} ${AFRICA}`],
  ['middle-east', 'middle east|mena', `${MIDDLE_EAST} ma tn`],
  ['africa', 'africa', AFRICA],
  ['apac', 'apac|asia pacific|asia|asia pac', APAC],
  ['anz', 'anz|oceania', 'au nz'],
  ['dach', 'dach', 'de at ch'],
  ['nordics', 'nordics|nordic countries|scandinavia', 'se no dk fi is'],
  ['benelux', 'benelux', 'be nl lu'],
  ['world', 'anywhere|worldwide|world wide|global|globally|international|any location|all locations', ''],
];

const US_STATES =
  'alabama:AL alaska:AK arizona:AZ arkansas:AR california:CA colorado:CO connecticut:CT delaware:DE florida:FL georgia:GA ' +
  'hawaii:HI idaho:ID illinois:IL indiana:IN iowa:IA kansas:KS kentucky:KY louisiana:LA maine:ME maryland:MD ' +
  'massachusetts:MA michigan:MI minnesota:MN mississippi:MS missouri:MO montana:MT nebraska:NE nevada:NV ' +
  'new_hampshire:NH new_jersey:NJ new_mexico:NM north_carolina:NC north_dakota:ND ohio:OH oklahoma:OK oregon:OR ' +
  'pennsylvania:PA rhode_island:RI south_carolina:SC south_dakota:SD tennessee:TN texas:TX utah:UT vermont:VT ' +
  'virginia:VA washington:WA washington_state:WA west_virginia:WV wisconsin:WI wyoming:WY';
const CA_PROVINCES =
  'ontario:ON quebec:QC british_columbia:BC alberta:AB manitoba:MB saskatchewan:SK nova_scotia:NS new_brunswick:NB ' +
  'newfoundland:NL newfoundland_and_labrador:NL prince_edward_island:PE';

/** Metro id, country (null: ambiguous), aliases. */
const CITIES: ReadonlyArray<readonly [string, string | null, string]> = [
  ['nyc', 'us', 'new york|new york city|nyc|manhattan|brooklyn|queens|bronx'],
  ['sf-bay', 'us', 'san francisco|sf|bay area|sf bay area|san francisco bay area|silicon valley|palo alto|mountain view|menlo park|sunnyvale|san jose|oakland|redwood city|cupertino|santa clara|san mateo|berkeley|south san francisco|foster city|fremont'],
  ['seattle', 'us', 'seattle|bellevue|redmond|kirkland'],
  ['los-angeles', 'us', 'los angeles|santa monica|culver city|pasadena|irvine|venice'],
  ['boston', 'us', 'boston|somerville|waltham'],
  ['washington-dc', 'us', 'washington dc|washington d c|dc|d c|district of columbia|arlington|reston|tysons|mclean|bethesda'],
  ['austin', 'us', 'austin'],
  ['chicago', 'us', 'chicago'],
  ['denver', 'us', 'denver|boulder'],
  ['atlanta', 'us', 'atlanta'],
  ['miami', 'us', 'miami|fort lauderdale'],
  ['dallas', 'us', 'dallas|fort worth|plano|irving'],
  ['houston', 'us', 'houston'],
  ['portland', 'us', 'portland'],
  ['san-diego', 'us', 'san diego'],
  ['philadelphia', 'us', 'philadelphia'],
  ['pittsburgh', 'us', 'pittsburgh'],
  ['salt-lake-city', 'us', 'salt lake city|lehi|provo'],
  ['phoenix', 'us', 'phoenix|scottsdale|tempe'],
  ['minneapolis', 'us', 'minneapolis|saint paul|st paul'],
  ['detroit', 'us', 'detroit|ann arbor'],
  ['raleigh', 'us', 'raleigh|durham|research triangle|chapel hill'],
  ['nashville', 'us', 'nashville'],
  ['columbus', 'us', 'columbus'],
  ['toronto', 'ca', 'toronto|gta|greater toronto area|mississauga'],
  ['vancouver', 'ca', 'vancouver'],
  ['montreal', 'ca', 'montreal'],
  ['ottawa', 'ca', 'ottawa'],
  ['calgary', 'ca', 'calgary'],
  ['waterloo', 'ca', 'waterloo|kitchener'],
  ['london', null, 'london'],
  ['cambridge', null, 'cambridge'],
  ['manchester', 'gb', 'manchester'],
  ['edinburgh', 'gb', 'edinburgh'],
  ['bristol', 'gb', 'bristol'],
  ['oxford', 'gb', 'oxford'],
  ['glasgow', 'gb', 'glasgow'],
  ['belfast', 'gb', 'belfast'],
  ['leeds', 'gb', 'leeds'],
  ['dublin', 'ie', 'dublin'],
  ['cork', 'ie', 'cork'],
  ['berlin', 'de', 'berlin'],
  ['munich', 'de', 'munich|munchen|muenchen'],
  ['hamburg', 'de', 'hamburg'],
  ['frankfurt', 'de', 'frankfurt|frankfurt am main'],
  ['cologne', 'de', 'cologne|koln|koeln'],
  ['stuttgart', 'de', 'stuttgart'],
  ['dusseldorf', 'de', 'dusseldorf|duesseldorf'],
  ['paris', 'fr', 'paris|ile de france'],
  ['lyon', 'fr', 'lyon'],
  ['amsterdam', 'nl', 'amsterdam'],
  ['rotterdam', 'nl', 'rotterdam'],
  ['utrecht', 'nl', 'utrecht'],
  ['eindhoven', 'nl', 'eindhoven'],
  ['the-hague', 'nl', 'the hague|den haag'],
  ['madrid', 'es', 'madrid'],
  ['barcelona', 'es', 'barcelona'],
  ['lisbon', 'pt', 'lisbon|lisboa'],
  ['porto', 'pt', 'porto|oporto'],
  ['milan', 'it', 'milan|milano'],
  ['rome', 'it', 'rome|roma'],
  ['zurich', 'ch', 'zurich'],
  ['geneva', 'ch', 'geneva|geneve'],
  ['basel', 'ch', 'basel'],
  ['lausanne', 'ch', 'lausanne'],
  ['vienna', 'at', 'vienna|wien'],
  ['stockholm', 'se', 'stockholm'],
  ['gothenburg', 'se', 'gothenburg|goteborg'],
  ['copenhagen', 'dk', 'copenhagen|kobenhavn'],
  ['oslo', 'no', 'oslo'],
  ['helsinki', 'fi', 'helsinki'],
  ['warsaw', 'pl', 'warsaw|warszawa'],
  ['krakow', 'pl', 'krakow|cracow'],
  ['wroclaw', 'pl', 'wroclaw'],
  ['prague', 'cz', 'prague|praha'],
  ['budapest', 'hu', 'budapest'],
  ['bucharest', 'ro', 'bucharest|bucuresti'],
  ['tallinn', 'ee', 'tallinn'],
  ['vilnius', 'lt', 'vilnius'],
  ['riga', 'lv', 'riga'],
  ['athens', 'gr', 'athens'],
  ['istanbul', 'tr', 'istanbul'],
  ['kyiv', 'ua', 'kyiv|kiev'],
  ['tel-aviv', 'il', 'tel aviv|tel aviv yafo|herzliya|ramat gan'],
  ['jerusalem', 'il', 'jerusalem'],
  ['haifa', 'il', 'haifa'],
  ['dubai', 'ae', 'dubai'],
  ['abu-dhabi', 'ae', 'abu dhabi'],
  ['bangalore', 'in', 'bangalore|bengaluru'],
  ['hyderabad', 'in', 'hyderabad'],
  ['pune', 'in', 'pune'],
  ['mumbai', 'in', 'mumbai|bombay'],
  ['delhi', 'in', 'delhi|new delhi|gurgaon|gurugram|noida|delhi ncr|ncr'],
  ['chennai', 'in', 'chennai'],
  ['singapore', 'sg', 'singapore'],
  ['hong-kong', 'hk', 'hong kong'],
  ['tokyo', 'jp', 'tokyo'],
  ['osaka', 'jp', 'osaka'],
  ['seoul', 'kr', 'seoul'],
  ['beijing', 'cn', 'beijing'],
  ['shanghai', 'cn', 'shanghai'],
  ['shenzhen', 'cn', 'shenzhen'],
  ['taipei', 'tw', 'taipei'],
  ['sydney', 'au', 'sydney'],
  ['melbourne', 'au', 'melbourne'],
  ['brisbane', 'au', 'brisbane'],
  ['perth', 'au', 'perth'],
  ['auckland', 'nz', 'auckland'],
  ['wellington', 'nz', 'wellington'],
  ['sao-paulo', 'br', 'sao paulo'],
  ['rio', 'br', 'rio de janeiro'],
  ['mexico-city', 'mx', 'mexico city|cdmx|ciudad de mexico'],
  ['guadalajara', 'mx', 'guadalajara'],
  ['buenos-aires', 'ar', 'buenos aires'],
  ['bogota', 'co', 'bogota'],
  ['medellin', 'co', 'medellin'],
  ['santiago', 'cl', 'santiago'],
  ['lagos', 'ng', 'lagos'],
  ['nairobi', 'ke', 'nairobi'],
  ['cape-town', 'za', 'cape town'],
  ['johannesburg', 'za', 'johannesburg'],
  ['cairo', 'eg', 'cairo'],
  ['manila', 'ph', 'manila'],
  ['ho-chi-minh', 'vn', 'ho chi minh city|ho chi minh|saigon'],
  ['hanoi', 'vn', 'hanoi'],
  ['jakarta', 'id', 'jakarta'],
  ['kuala-lumpur', 'my', 'kuala lumpur'],
  ['bangkok', 'th', 'bangkok'],
];

/** Words in a location that say nothing about the place ("Remote", "based", "only", "Hybrid"). */
export const LOCATION_NOISE: ReadonlySet<string> = new Set(
  (
    'remote remotely fully 100 hybrid onsite on site office offices in person inperson home wfh work working from ' +
    'only based within across in of or and the any flexible multiple various location locations country countries ' +
    'region regions area areas metro metropolitan greater city hq headquarters timezone timezones time zone zones ' +
    'tz hours overlap est edt cst cdt mst mdt pst pdt et ct mt pt gmt utc bst ist eet cet cest aest jst ' +
    'friendly first preferred eligible open to distributed team near nearby candidates must be located ' +
    // placeholders for "not said"
    'tbd tba tbc na unspecified specified not see description negotiable relocation available'
  ).split(' '),
);

const ALIASES: ReadonlyMap<string, PlaceAlias> = buildAliases();
/** Every word of every alias: a word outside this set starts no place name. */
const ALIAS_WORDS: ReadonlySet<string> = new Set([...ALIASES.keys()].flatMap((name) => name.split(' ')));
/** Longest alias, in words: how far the n-gram scan looks. */
const MAX_ALIAS_WORDS = 5;
/** Two-letter state and province codes, counted only when written in capitals. */
const STATE_CODES: ReadonlyMap<string, PlaceAlias> = buildStateCodes();

function buildAliases(): Map<string, PlaceAlias> {
  const map = new Map<string, PlaceAlias>();
  const add = (names: string, alias: PlaceAlias): void => {
    for (const name of names.split('|')) if (!map.has(name)) map.set(name, alias);
  };
  // Cities first: "new york" is the city, "washington dc" the capital.
  for (const [id, country, names] of CITIES) add(names, { kind: 'city', id, country });
  for (const pair of US_STATES.split(' ')) {
    const name = pair.split(':')[0]!.replace(/_/g, ' ');
    add(name, { kind: 'state', id: `us-${name.replace(/ state$/, '')}`, country: 'us' });
  }
  for (const pair of CA_PROVINCES.split(' ')) {
    const [name, code] = pair.split(':');
    add(name!.replace(/_/g, ' '), { kind: 'state', id: `ca-${code!.toLowerCase()}`, country: 'ca' });
  }
  for (const [code, names] of COUNTRIES) add(names, { kind: 'country', id: code, country: code });
  for (const [id, names] of REGIONS) add(names, { kind: 'region', id, country: null });
  return map;
}

function buildStateCodes(): Map<string, PlaceAlias> {
  const map = new Map<string, PlaceAlias>();
  for (const pair of US_STATES.split(' ')) {
    const [name, code] = pair.split(':');
    if (!map.has(code!)) map.set(code!, { kind: 'state', id: `us-${name!.replace(/_/g, ' ').replace(/ state$/, '')}`, country: 'us' });
  }
  for (const pair of CA_PROVINCES.split(' ')) {
    const code = pair.split(':')[1]!;
    // "CA" stays California here; a Canadian context turns it into Canada (see parsePart).
    if (!map.has(code)) map.set(code, { kind: 'state', id: `ca-${code.toLowerCase()}`, country: 'ca' });
  }
  map.set('DC', { kind: 'city', id: 'washington-dc', country: 'us' });
  return map;
}

/** Member countries of each region ('world' has none listed: it contains every country). */
const REGION_MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  REGIONS.map(([id, , members]) => [id, new Set(members.split(' ').filter(Boolean))]),
);

// ---------------------------------------------------------------------------------------------
// Text

const NON_ASCII_RE = /[^\x00-\x7f]/;

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
  const covered = words.map(() => false);
  const places: PlaceAlias[] = [];
  for (let i = 0; i < words.length; ) {
    // The longest alias starting here: phrases grow one word at a time.
    let hit = singleWordPlace(words[i]!);
    let length = hit ? 1 : 0;
    let phrase = words[i]!.lower;
    for (let n = 2; n <= MAX_ALIAS_WORDS && i + n <= words.length; n++) {
      phrase += ` ${words[i + n - 1]!.lower}`;
      const longer = ALIASES.get(phrase);
      if (longer) {
        hit = longer;
        length = n;
      }
    }
    if (hit) {
      places.push(hit);
      for (let k = i; k < i + length; k++) covered[k] = true;
      i += length;
    } else {
      i++;
    }
  }
  return { covered, places };
}

/** Whether a lower-cased word can be part of a place name (two-letter words always can: state codes). */
export function mayBePlaceWord(lower: string): boolean {
  return lower.length === 2 || ALIAS_WORDS.has(lower);
}

// Two-letter words are places only in capitals: "in", "or", "me", "la" are words first.
function singleWordPlace(word: Word): PlaceAlias | undefined {
  if (word.lower.length !== 2) return ALIASES.get(word.lower);
  const capitals = word.raw === word.raw.toUpperCase();
  const code = capitals ? STATE_CODES.get(word.raw) : undefined;
  return code ?? (capitals || word.lower === 'us' || word.lower === 'uk' || word.lower === 'eu' ? ALIASES.get(word.lower) : undefined);
}

// ---------------------------------------------------------------------------------------------
// Locations

// "or" and "and" in lower case only: "Portland, OR" is Oregon.
const ALTERNATIVE_SPLIT_RE = /\s*(?:;|\||•|·|\/|\n|&|\+)\s*|\s+(?:or|and)\s+/;
const PART_SPLIT_RE = /\s*(?:,|\(|\)|\[|\]|\s-\s|\s–\s|\s—\s|:)\s*/;

/** The alternatives a location text names; [] when it names no place (null, "Remote", "TBD"). */
export function parseLocation(text: string | null | undefined): Place[] {
  if (!text) return [];
  const places: Place[] = [];
  for (const alternative of text.split(ALTERNATIVE_SPLIT_RE)) {
    const place = parseAlternative(alternative);
    if (place) places.push(place);
  }
  return places;
}

/** Region names as Posting.remoteRegions writes them ("US", "EMEA", "North America") -> one Place. */
export function parseRegions(regions: readonly string[]): Place | null {
  return regions.length === 0 ? null : parseAlternative(regions.join(', '));
}

function parseAlternative(text: string): Place | null {
  const place: Place = { cities: new Set(), states: new Set(), countries: new Set(), regions: new Set() };
  let canadian = false;
  let californiaCode = false;
  for (const part of text.split(PART_SPLIT_RE)) {
    const words = placeWords(part);
    if (words.length === 0) continue;
    const { covered, places } = findPlaces(words);
    for (const p of places) {
      if (p.kind === 'city') place.cities.add(p.id);
      else if (p.kind === 'state') {
        if (p.id === 'us-california' && words.some((w) => w.raw === 'CA')) californiaCode = true;
        place.states.add(p.id);
      } else if (p.kind === 'country') place.countries.add(p.id);
      else place.regions.add(p.id);
      if (p.country === 'ca') canadian = true;
    }
    // What is left of the part, minus noise, is a place we do not know: compared by its words.
    const rest = words.filter((w, k) => !covered[k] && w.lower.length > 1 && !LOCATION_NOISE.has(w.lower) && !/^\d+$/.test(w.lower));
    if (rest.length > 0) place.cities.add(`?${rest.map((w) => w.lower).join(' ')}`);
  }
  // "Toronto, ON, CA": CA is Canada when the rest of the location is Canadian.
  if (californiaCode && canadian) {
    place.states.delete('us-california');
    place.countries.add('ca');
  }
  for (const state of place.states) place.countries.add(state.slice(0, 2));
  const empty = place.cities.size + place.states.size + place.countries.size + place.regions.size === 0;
  return empty ? null : place;
}

/** The countries a place is in, from its cities, states and countries (not regions); empty when none is known. */
function countriesOf(place: Place): Set<string> {
  const out = new Set(place.countries);
  if (out.size === 0) {
    for (const city of place.cities) {
      const country = CITY_COUNTRY.get(city);
      if (country) out.add(country);
    }
  }
  return out;
}

const CITY_COUNTRY: ReadonlyMap<string, string> = new Map(
  CITIES.filter(([, country]) => country !== null).map(([id, country]) => [id, country!]),
);

/** Whether a region (or 'world') contains a country. */
export function regionContains(region: string, country: string): boolean {
  return region === 'world' || (REGION_MEMBERS.get(region)?.has(country) ?? false);
}

/** The countries a place covers, null for the whole world; regions expanded. Empty: unknown. */
export function scopeOf(place: Place): Set<string> | null {
  if (place.regions.has('world')) return null;
  const out = countriesOf(place);
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

// ---------------------------------------------------------------------------------------------
// Containment, for the matcher
//
// Everything above is frozen for dedupe: titleKey drops the words of known places and its keys are
// stored, so a new alias above would change stored keys. The matcher reads a wider gazetteer, the
// tables above plus the MATCH_* tables below (more cities, names in other languages, New York State,
// the UK's nations), arranged as a hierarchy: city ⊂ state ⊂ country ⊂ region ⊂ world, where a
// region is inside another when its countries are (DACH ⊂ Europe ⊂ EMEA, US ⊂ North America ⊂
// Americas, ANZ ⊂ APAC). Nothing here is used by dedupe.

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

/** States the matcher adds: id, country, aliases, two-letter code (capitals only, as above). */
const MATCH_STATES: ReadonlyArray<readonly [string, string, string, string]> = [
  // "New York" alone stays the city; the state needs saying so (or "NY").
  ['us-new york', 'us', 'new york state|ny state|nys|state of new york|upstate new york', 'NY'],
  ['gb-england', 'gb', 'england', ''],
  ['gb-scotland', 'gb', 'scotland', ''],
  ['gb-wales', 'gb', 'wales', ''],
  ['gb-northern ireland', 'gb', 'northern ireland', ''],
];

/** The state a known metro is in (first), and other states its metro reaches. */
const METRO_STATES: Readonly<Record<string, string>> = {
  nyc: 'us-new york',
  'sf-bay': 'us-california',
  seattle: 'us-washington',
  'los-angeles': 'us-california',
  boston: 'us-massachusetts',
  'washington-dc': 'us-district of columbia|us-virginia|us-maryland',
  austin: 'us-texas',
  chicago: 'us-illinois',
  denver: 'us-colorado',
  atlanta: 'us-georgia',
  miami: 'us-florida',
  dallas: 'us-texas',
  houston: 'us-texas',
  portland: 'us-oregon',
  'san-diego': 'us-california',
  philadelphia: 'us-pennsylvania',
  pittsburgh: 'us-pennsylvania',
  'salt-lake-city': 'us-utah',
  phoenix: 'us-arizona',
  minneapolis: 'us-minnesota',
  detroit: 'us-michigan',
  raleigh: 'us-north carolina',
  nashville: 'us-tennessee',
  columbus: 'us-ohio',
  toronto: 'ca-on',
  vancouver: 'ca-bc',
  montreal: 'ca-qc',
  ottawa: 'ca-on',
  calgary: 'ca-ab',
  waterloo: 'ca-on',
  london: 'gb-england',
  cambridge: 'gb-england',
  manchester: 'gb-england',
  bristol: 'gb-england',
  oxford: 'gb-england',
  leeds: 'gb-england',
  edinburgh: 'gb-scotland',
  glasgow: 'gb-scotland',
  belfast: 'gb-northern ireland',
};

/** The country of a base city the base table leaves open ("London" is London, UK unless the location says Ontario). */
const DEFAULT_CITY_COUNTRY: Readonly<Record<string, string>> = { london: 'gb', cambridge: 'gb' };

/** Cities the matcher adds: metro id, country, states ('|'-separated, first is its own; '' for none), aliases. */
const MATCH_CITIES: ReadonlyArray<readonly [string, string, string, string]> = [
  // Aliases of base metros the base table lacks.
  ['nyc', 'us', 'us-new york', 'staten island|long island city|new york metropolitan area|new york city metropolitan area'],
  ['montreal', 'ca', 'ca-qc', 'laval'],
  ['vancouver', 'ca', 'ca-bc', 'burnaby|north vancouver'],
  ['toronto', 'ca', 'ca-on', 'markham|vaughan|north york|etobicoke'],
  ['tokyo', 'jp', '', 'yokohama|kawasaki'],
  ['mumbai', 'in', '', 'navi mumbai|thane'],
  ['geneva', 'ch', '', 'genf|ginevra'],
  ['zurich', 'ch', '', 'zuerich|zurigo'],
  ['vienna', 'at', '', 'vienne'],
  ['munich', 'de', '', 'munchen|muenchen|monaco di baviera'],
  ['cologne', 'de', '', 'koln|koeln'],
  ['prague', 'cz', '', 'prag'],
  ['warsaw', 'pl', '', 'warschau|varsovie'],
  ['copenhagen', 'dk', '', 'kopenhagen'],
  ['lisbon', 'pt', '', 'lissabon|lisbonne'],
  ['brussels', 'be', '', 'brussels|bruxelles|brussel'],
  // United States
  ['las-vegas', 'us', 'us-nevada', 'las vegas'],
  ['sacramento', 'us', 'us-california', 'sacramento'],
  ['st-louis', 'us', 'us-missouri', 'st louis|saint louis'],
  ['kansas-city', 'us', 'us-missouri|us-kansas', 'kansas city|overland park'],
  ['indianapolis', 'us', 'us-indiana', 'indianapolis'],
  ['cincinnati', 'us', 'us-ohio', 'cincinnati'],
  ['cleveland', 'us', 'us-ohio', 'cleveland'],
  ['charlotte', 'us', 'us-north carolina', 'charlotte'],
  ['tampa', 'us', 'us-florida', 'tampa|st petersburg'],
  ['orlando', 'us', 'us-florida', 'orlando'],
  ['jacksonville', 'us', 'us-florida', 'jacksonville'],
  ['baltimore', 'us', 'us-maryland', 'baltimore'],
  ['milwaukee', 'us', 'us-wisconsin', 'milwaukee'],
  ['albuquerque', 'us', 'us-new mexico', 'albuquerque'],
  ['tucson', 'us', 'us-arizona', 'tucson'],
  ['boise', 'us', 'us-idaho', 'boise'],
  ['san-antonio', 'us', 'us-texas', 'san antonio'],
  ['oklahoma-city', 'us', 'us-oklahoma', 'oklahoma city'],
  ['omaha', 'us', 'us-nebraska', 'omaha'],
  ['louisville', 'us', 'us-kentucky', 'louisville'],
  ['memphis', 'us', 'us-tennessee', 'memphis'],
  ['new-orleans', 'us', 'us-louisiana', 'new orleans'],
  ['buffalo', 'us', 'us-new york', 'buffalo'],
  ['albany', 'us', 'us-new york', 'albany'],
  ['hartford', 'us', 'us-connecticut', 'hartford|stamford'],
  ['providence', 'us', 'us-rhode island', 'providence'],
  ['honolulu', 'us', 'us-hawaii', 'honolulu'],
  ['anchorage', 'us', 'us-alaska', 'anchorage'],
  ['des-moines', 'us', 'us-iowa', 'des moines'],
  ['jersey-city', 'us', 'us-new jersey', 'jersey city|hoboken|newark'],
  ['san-juan', 'pr', '', 'san juan'],
  // Canada
  ['edmonton', 'ca', 'ca-ab', 'edmonton'],
  ['winnipeg', 'ca', 'ca-mb', 'winnipeg'],
  ['quebec-city', 'ca', 'ca-qc', 'quebec city|ville de quebec'],
  ['halifax', 'ca', 'ca-ns', 'halifax'],
  ['saskatoon', 'ca', 'ca-sk', 'saskatoon|regina'],
  // United Kingdom and Ireland
  ['birmingham', 'gb', 'gb-england', 'birmingham'],
  ['liverpool', 'gb', 'gb-england', 'liverpool'],
  ['newcastle', 'gb', 'gb-england', 'newcastle|newcastle upon tyne'],
  ['sheffield', 'gb', 'gb-england', 'sheffield'],
  ['nottingham', 'gb', 'gb-england', 'nottingham'],
  ['leicester', 'gb', 'gb-england', 'leicester'],
  ['brighton', 'gb', 'gb-england', 'brighton'],
  ['southampton', 'gb', 'gb-england', 'southampton'],
  ['milton-keynes', 'gb', 'gb-england', 'milton keynes'],
  ['york-uk', 'gb', 'gb-england', 'york'],
  ['exeter', 'gb', 'gb-england', 'exeter'],
  ['coventry', 'gb', 'gb-england', 'coventry'],
  ['norwich', 'gb', 'gb-england', 'norwich'],
  ['cardiff', 'gb', 'gb-wales', 'cardiff'],
  ['swansea', 'gb', 'gb-wales', 'swansea'],
  ['aberdeen', 'gb', 'gb-scotland', 'aberdeen'],
  ['dundee', 'gb', 'gb-scotland', 'dundee'],
  ['galway', 'ie', '', 'galway'],
  ['limerick', 'ie', '', 'limerick'],
  // Germany, Austria, Switzerland
  ['leipzig', 'de', '', 'leipzig'],
  ['dresden', 'de', '', 'dresden'],
  ['hannover', 'de', '', 'hannover|hanover'],
  ['nuremberg', 'de', '', 'nuremberg|nurnberg|nuernberg'],
  ['karlsruhe', 'de', '', 'karlsruhe'],
  ['mannheim', 'de', '', 'mannheim|heidelberg'],
  ['bonn', 'de', '', 'bonn'],
  ['ruhr', 'de', '', 'essen|dortmund|duisburg|bochum'],
  ['bremen', 'de', '', 'bremen'],
  ['potsdam', 'de', '', 'potsdam'],
  ['darmstadt', 'de', '', 'darmstadt|wiesbaden|mainz'],
  ['aachen', 'de', '', 'aachen'],
  ['freiburg', 'de', '', 'freiburg|freiburg im breisgau'],
  ['munster', 'de', '', 'munster|muenster'],
  ['augsburg', 'de', '', 'augsburg'],
  ['regensburg', 'de', '', 'regensburg'],
  ['kiel', 'de', '', 'kiel'],
  ['graz', 'at', '', 'graz'],
  ['linz', 'at', '', 'linz'],
  ['salzburg', 'at', '', 'salzburg'],
  ['innsbruck', 'at', '', 'innsbruck'],
  ['bern', 'ch', '', 'bern|berne'],
  ['lugano', 'ch', '', 'lugano'],
  ['zug', 'ch', '', 'zug'],
  ['winterthur', 'ch', '', 'winterthur'],
  ['st-gallen', 'ch', '', 'st gallen|sankt gallen'],
  // France, Benelux
  ['toulouse', 'fr', '', 'toulouse'],
  ['marseille', 'fr', '', 'marseille|aix en provence'],
  ['nantes', 'fr', '', 'nantes'],
  ['bordeaux', 'fr', '', 'bordeaux'],
  ['lille', 'fr', '', 'lille'],
  ['nice', 'fr', '', 'nice|sophia antipolis'],
  ['strasbourg', 'fr', '', 'strasbourg'],
  ['montpellier', 'fr', '', 'montpellier'],
  ['rennes', 'fr', '', 'rennes'],
  ['grenoble', 'fr', '', 'grenoble'],
  ['antwerp', 'be', '', 'antwerp|antwerpen|anvers'],
  ['ghent', 'be', '', 'ghent|gent|gand'],
  ['leuven', 'be', '', 'leuven|louvain'],
  ['delft', 'nl', '', 'delft'],
  ['leiden', 'nl', '', 'leiden'],
  ['groningen', 'nl', '', 'groningen'],
  ['haarlem', 'nl', '', 'haarlem'],
  // Southern Europe
  ['valencia', 'es', '', 'valencia'],
  ['seville', 'es', '', 'seville|sevilla'],
  ['malaga', 'es', '', 'malaga'],
  ['bilbao', 'es', '', 'bilbao'],
  ['zaragoza', 'es', '', 'zaragoza'],
  ['palma', 'es', '', 'palma|palma de mallorca'],
  ['braga', 'pt', '', 'braga'],
  ['coimbra', 'pt', '', 'coimbra'],
  ['turin', 'it', '', 'turin|torino'],
  ['naples', 'it', '', 'naples|napoli'],
  ['florence', 'it', '', 'florence|firenze'],
  ['bologna', 'it', '', 'bologna'],
  ['genoa', 'it', '', 'genoa|genova'],
  ['thessaloniki', 'gr', '', 'thessaloniki'],
  ['limassol', 'cy', '', 'limassol|nicosia|larnaca'],
  ['valletta', 'mt', '', 'valletta|sliema'],
  // Northern and Eastern Europe
  ['aarhus', 'dk', '', 'aarhus'],
  ['malmo', 'se', '', 'malmo'],
  ['uppsala', 'se', '', 'uppsala'],
  ['bergen', 'no', '', 'bergen'],
  ['trondheim', 'no', '', 'trondheim'],
  ['espoo', 'fi', '', 'espoo'],
  ['tampere', 'fi', '', 'tampere'],
  ['reykjavik', 'is', '', 'reykjavik'],
  ['gdansk', 'pl', '', 'gdansk|gdynia|sopot|tricity'],
  ['poznan', 'pl', '', 'poznan'],
  ['lodz', 'pl', '', 'lodz'],
  ['katowice', 'pl', '', 'katowice'],
  ['brno', 'cz', '', 'brno'],
  ['cluj', 'ro', '', 'cluj|cluj napoca'],
  ['iasi', 'ro', '', 'iasi'],
  ['timisoara', 'ro', '', 'timisoara'],
  ['sofia', 'bg', '', 'sofia'],
  ['belgrade', 'rs', '', 'belgrade|beograd|novi sad'],
  ['zagreb', 'hr', '', 'zagreb'],
  ['ljubljana', 'si', '', 'ljubljana'],
  ['bratislava', 'sk', '', 'bratislava'],
  ['lviv', 'ua', '', 'lviv'],
  ['kharkiv', 'ua', '', 'kharkiv'],
  ['odesa', 'ua', '', 'odesa|odessa'],
  ['chisinau', 'md', '', 'chisinau'],
  // Middle East and Africa
  ['ankara', 'tr', '', 'ankara'],
  ['izmir', 'tr', '', 'izmir'],
  ['riyadh', 'sa', '', 'riyadh'],
  ['jeddah', 'sa', '', 'jeddah'],
  ['doha', 'qa', '', 'doha'],
  ['casablanca', 'ma', '', 'casablanca'],
  ['rabat', 'ma', '', 'rabat'],
  ['tunis', 'tn', '', 'tunis'],
  ['abuja', 'ng', '', 'abuja'],
  ['accra', 'gh', '', 'accra'],
  ['kigali', 'rw', '', 'kigali'],
  ['kampala', 'ug', '', 'kampala'],
  ['addis-ababa', 'et', '', 'addis ababa'],
  ['durban', 'za', '', 'durban'],
  ['pretoria', 'za', '', 'pretoria'],
  // Asia and Pacific
  ['kolkata', 'in', '', 'kolkata|calcutta'],
  ['ahmedabad', 'in', '', 'ahmedabad'],
  ['jaipur', 'in', '', 'jaipur'],
  ['kochi', 'in', '', 'kochi|cochin'],
  ['coimbatore', 'in', '', 'coimbatore'],
  ['chandigarh', 'in', '', 'chandigarh|mohali'],
  ['indore', 'in', '', 'indore'],
  ['trivandrum', 'in', '', 'thiruvananthapuram|trivandrum'],
  ['bhubaneswar', 'in', '', 'bhubaneswar'],
  ['nagpur', 'in', '', 'nagpur'],
  ['mysore', 'in', '', 'mysore|mysuru'],
  ['karachi', 'pk', '', 'karachi'],
  ['lahore', 'pk', '', 'lahore'],
  ['islamabad', 'pk', '', 'islamabad|rawalpindi'],
  ['dhaka', 'bd', '', 'dhaka'],
  ['colombo', 'lk', '', 'colombo'],
  ['kathmandu', 'np', '', 'kathmandu'],
  ['kyoto', 'jp', '', 'kyoto'],
  ['fukuoka', 'jp', '', 'fukuoka'],
  ['busan', 'kr', '', 'busan'],
  ['hangzhou', 'cn', '', 'hangzhou'],
  ['guangzhou', 'cn', '', 'guangzhou'],
  ['chengdu', 'cn', '', 'chengdu'],
  ['taichung', 'tw', '', 'taichung|hsinchu'],
  ['cebu', 'ph', '', 'cebu'],
  ['penang', 'my', '', 'penang'],
  ['da-nang', 'vn', '', 'da nang'],
  ['bandung', 'id', '', 'bandung'],
  ['canberra', 'au', '', 'canberra'],
  ['adelaide', 'au', '', 'adelaide'],
  ['gold-coast', 'au', '', 'gold coast'],
  ['christchurch', 'nz', '', 'christchurch'],
  // Latin America
  ['monterrey', 'mx', '', 'monterrey'],
  ['tijuana', 'mx', '', 'tijuana'],
  ['queretaro', 'mx', '', 'queretaro'],
  ['montevideo', 'uy', '', 'montevideo'],
  ['lima', 'pe', '', 'lima'],
  ['quito', 'ec', '', 'quito|guayaquil'],
  ['caracas', 've', '', 'caracas'],
  ['panama-city', 'pa', '', 'panama city'],
  ['guatemala-city', 'gt', '', 'guatemala city'],
  ['santo-domingo', 'do', '', 'santo domingo'],
  ['belo-horizonte', 'br', '', 'belo horizonte'],
  ['curitiba', 'br', '', 'curitiba'],
  ['porto-alegre', 'br', '', 'porto alegre'],
  ['recife', 'br', '', 'recife'],
  ['florianopolis', 'br', '', 'florianopolis'],
  ['brasilia', 'br', '', 'brasilia'],
  ['campinas', 'br', '', 'campinas'],
  ['barranquilla', 'co', '', 'barranquilla'],
  ['rosario', 'ar', '', 'rosario'],
  ['asuncion', 'py', '', 'asuncion'],
];

/** Country names the matcher adds: names in the country's own language (and German, French), and more countries. */
const MATCH_COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ['de', 'deutschland|deutschlands|bundesrepublik deutschland|allemagne|alemania|germania|bundesweit'],
  ['at', 'osterreich|oesterreich|osterreichs|autriche'],
  ['ch', 'schweiz|der schweiz|suisse|svizzera|confoederatio helvetica'],
  ['fr', 'frankreich|francia'],
  ['es', 'spanien|espagne|spagna'],
  ['it', 'italien|italie'],
  ['nl', 'nederland|niederlande|pays bas'],
  ['be', 'belgie|belgique|belgien'],
  ['lu', 'luxemburg'],
  ['gb', 'grossbritannien|vereinigtes konigreich|royaume uni|reino unido'],
  ['ie', 'irland|irlande|eire'],
  ['pl', 'polska|polen|pologne'],
  ['cz', 'cesko|ceska republika|tschechien'],
  ['hu', 'magyarorszag|ungarn'],
  ['ro', 'rumanien|roumanie'],
  ['se', 'sverige|schweden|suede'],
  ['no', 'norge|norwegen|norvege'],
  ['dk', 'danmark|danemark|daenemark'],
  ['fi', 'suomi|finnland|finlande'],
  ['gr', 'ellada|griechenland|grece'],
  ['pt', 'portugual'],
  ['hr', 'hrvatska|kroatien'],
  ['si', 'slovenija|slowenien'],
  ['sk', 'slovensko|slowakei'],
  ['ee', 'eesti|estland'],
  ['lt', 'lietuva|litauen'],
  ['lv', 'latvija|lettland'],
  ['ua', 'ukraina'],
  ['tr', 'turkei'],
  ['mx', 'mejico'],
  ['br', 'brasilien'],
  ['jp', 'nippon|japan'],
  ['in', 'bharat|indien|inde'],
  ['cn', 'prc|mainland china|peoples republic of china'],
  ['kr', 'korea republic'],
  ['al', 'albania'],
  ['ba', 'bosnia|bosnia and herzegovina'],
  ['mk', 'north macedonia|macedonia'],
  ['me', 'montenegro'],
  ['xk', 'kosovo'],
  ['by', 'belarus'],
  ['am', 'armenia'],
  ['az', 'azerbaijan'],
  ['kz', 'kazakhstan'],
  ['uz', 'uzbekistan'],
  ['jo', 'jordan'],
  ['lb', 'lebanon'],
  ['kw', 'kuwait'],
  ['bh', 'bahrain'],
  ['om', 'oman'],
  ['dz', 'algeria'],
  ['sn', 'senegal'],
  ['tz', 'tanzania'],
  ['cm', 'cameroon'],
  ['ci', 'ivory coast|cote d ivoire|cote divoire'],
  ['zm', 'zambia'],
  ['zw', 'zimbabwe'],
  ['bw', 'botswana'],
  ['mu', 'mauritius'],
  ['kh', 'cambodia'],
  ['mm', 'myanmar'],
  ['mn', 'mongolia'],
  ['sv', 'el salvador'],
  ['hn', 'honduras'],
  ['ni', 'nicaragua'],
  ['jm', 'jamaica'],
  ['tt', 'trinidad and tobago|trinidad'],
];

// Members of the countries above in the base regions.
const MATCH_EUROPE = 'al ba mk me xk by';
const MATCH_MIDDLE_EAST = 'am az jo lb kw bh om';
const MATCH_AFRICA = 'dz sn tz cm ci zm zw bw mu';
const MATCH_LATAM = 'sv hn ni jm tt';
const MATCH_APAC = 'kh mm mn kz uz';

/** Region id -> extra members; regions the matcher adds: id -> [aliases, members]. */
const MATCH_REGION_EXTRA: Readonly<Record<string, string>> = {
  europe: MATCH_EUROPE,
  emea: `${MATCH_EUROPE} ${MATCH_MIDDLE_EAST} ${MATCH_AFRICA}`,
  'middle-east': MATCH_MIDDLE_EAST,
  africa: MATCH_AFRICA,
  latam: MATCH_LATAM,
  americas: MATCH_LATAM,
  apac: MATCH_APAC,
};
const MATCH_REGIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['europe', 'europa', ''],
  ['cee', 'cee|eastern europe|central europe|central and eastern europe|central eastern europe', 'pl cz sk hu ro bg hr si rs ee lv lt ua md al ba mk me xk by'],
  ['world', 'weltweit|monde|mundo|world|all countries|any country', ''],
];

/** Words in a location that name no place, beyond LOCATION_NOISE: eligibility, German and French filler. */
const MATCH_NOISE: ReadonlySet<string> = new Set(
  (
    'wide all citizen citizens resident residents residency authorized authorised authorization authorisation ' +
    'permit permits visa sponsorship legally right rights eligibility applicants people nationals national ' +
    'telecommute telework homeoffice home office required requirement ideally strongly considered welcome also ' +
    'with at on for by around of to ok possible preference prefer day days week weeks month per times ' +
    'innerhalb aus von der die das und oder ganz mobil mobiles arbeiten moglich standort ort vor ' +
    'teletravail en et ou partout depuis dans sede remoto'
  ).split(' '),
);

/** Words that turn a location around ("Remote (outside the US)"): such an alternative is not trusted to name where. */
const NEGATION_WORDS: ReadonlySet<string> = new Set(['outside', 'except', 'excluding', 'ausser', 'hors', 'sauf']);

interface MatchCity {
  country: string;
  /** Its own state first, then others its metro reaches; empty when unknown. */
  states: readonly string[];
}

const MATCH_CITY_INFO: ReadonlyMap<string, MatchCity> = buildMatchCities();
const MATCH_ALIASES: ReadonlyMap<string, PlaceAlias> = buildMatchAliases();
const MATCH_STATE_CODES: ReadonlyMap<string, PlaceAlias> = buildMatchStateCodes();
const MATCH_MAX_ALIAS_WORDS = Math.max(MAX_ALIAS_WORDS, ...[...MATCH_ALIASES.keys()].map((name) => name.split(' ').length));
const MATCH_REGION_MEMBERS: ReadonlyMap<string, ReadonlySet<string>> = buildMatchRegionMembers();
const STATE_COUNTRY: ReadonlyMap<string, string> = new Map([...MATCH_ALIASES.values(), ...MATCH_STATE_CODES.values()].filter((a) => a.kind === 'state').map((a) => [a.id, a.country!]));

function buildMatchCities(): Map<string, MatchCity> {
  const map = new Map<string, MatchCity>();
  for (const [id, country] of CITIES) {
    const states = (METRO_STATES[id] ?? '').split('|').filter(Boolean);
    map.set(id, { country: country ?? DEFAULT_CITY_COUNTRY[id] ?? '', states });
  }
  for (const [id, country, states] of MATCH_CITIES) {
    if (!map.has(id)) map.set(id, { country, states: states.split('|').filter(Boolean) });
  }
  return map;
}

function buildMatchAliases(): Map<string, PlaceAlias> {
  const map = new Map(ALIASES);
  const add = (names: string, alias: PlaceAlias, override = false): void => {
    for (const name of names.split('|')) if (override || !map.has(name)) map.set(name, alias);
  };
  for (const [id, country, , names] of MATCH_CITIES) add(names, { kind: 'city', id, country });
  // The UK's nations are states here (dedupe reads them as the UK): "in Scotland" is not London.
  for (const [id, country, names] of MATCH_STATES) add(names, { kind: 'state', id, country }, true);
  for (const [code, names] of MATCH_COUNTRIES) add(names, { kind: 'country', id: code, country: code });
  for (const [id, names] of MATCH_REGIONS) add(names, { kind: 'region', id, country: null });
  return map;
}

function buildMatchStateCodes(): Map<string, PlaceAlias> {
  const map = new Map(STATE_CODES);
  for (const [id, country, , code] of MATCH_STATES) if (code && !map.has(code)) map.set(code, { kind: 'state', id, country });
  return map;
}

function buildMatchRegionMembers(): Map<string, ReadonlySet<string>> {
  const map = new Map<string, Set<string>>();
  for (const [id, members] of REGION_MEMBERS) map.set(id, new Set(members));
  for (const [id, extra] of Object.entries(MATCH_REGION_EXTRA)) for (const c of extra.split(' ')) map.get(id)!.add(c);
  for (const [id, , members] of MATCH_REGIONS) {
    if (!map.has(id)) map.set(id, new Set(members.split(' ').filter(Boolean)));
  }
  return map;
}

// ----- the hierarchy

const WORLD: GeoPlace = { id: 'world', kind: 'world', within: new Set(['world']) };
const geoCache = new Map<string, GeoPlace>();

function regionGeo(region: string): GeoPlace {
  if (region === 'world') return WORLD;
  return cachedGeo(`region:${region}`, () => {
    const members = MATCH_REGION_MEMBERS.get(region) ?? new Set<string>();
    const within = new Set([`region:${region}`, 'world']);
    for (const [other, others] of MATCH_REGION_MEMBERS) {
      if (other !== 'world' && members.size > 0 && [...members].every((c) => others.has(c))) within.add(`region:${other}`);
    }
    return { id: `region:${region}`, kind: 'region', within };
  });
}

function countryGeo(country: string): GeoPlace {
  return cachedGeo(`country:${country}`, () => {
    const within = new Set([`country:${country}`, 'world']);
    for (const [region, members] of MATCH_REGION_MEMBERS) if (members.has(country)) within.add(`region:${region}`);
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
    const info = MATCH_CITY_INFO.get(city);
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

// ----- reading location texts

interface MatchHit {
  alias: PlaceAlias;
  /** The capitals it was read from, for a two-letter code ("IN", "DE"); null otherwise. */
  code: string | null;
}

function scanMatchPlaces(words: readonly Word[]): { covered: boolean[]; hits: MatchHit[] } {
  const covered = words.map(() => false);
  const hits: MatchHit[] = [];
  for (let i = 0; i < words.length; ) {
    let hit = singleWordMatchPlace(words[i]!);
    let length = hit ? 1 : 0;
    let phrase = words[i]!.lower;
    for (let n = 2; n <= MATCH_MAX_ALIAS_WORDS && i + n <= words.length; n++) {
      phrase += ` ${words[i + n - 1]!.lower}`;
      const longer = MATCH_ALIASES.get(phrase);
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

function singleWordMatchPlace(word: Word): MatchHit | undefined {
  if (word.lower.length !== 2) {
    const alias = MATCH_ALIASES.get(word.lower);
    return alias && { alias, code: null };
  }
  const capitals = word.raw === word.raw.toUpperCase();
  const code = capitals ? MATCH_STATE_CODES.get(word.raw) : undefined;
  if (code) return { alias: code, code: word.raw };
  const alias = capitals || word.lower === 'us' || word.lower === 'uk' || word.lower === 'eu' ? MATCH_ALIASES.get(word.lower) : undefined;
  return alias && { alias, code: null };
}

const locateCache = new Map<string, readonly LocatedAlternative[]>();

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
    const scan = scanMatchPlaces(words);
    hits.push(...scan.hits);
    const rest: string[] = [];
    for (const [k, w] of words.entries()) {
      if (scan.covered[k]) continue;
      if (NEGATION_WORDS.has(w.lower)) negated = true;
      if (w.lower.length > 1 && !LOCATION_NOISE.has(w.lower) && !MATCH_NOISE.has(w.lower) && !/\d/.test(w.lower)) rest.push(w.lower);
    }
    if (rest.length > 0) unknown.push(rest.join(' '));
  }
  const trimmed = text.trim();
  if (negated) return { text: trimmed, places: [], unknownWords: unknown.length > 0 ? unknown : ['?'] };

  const cities = hits.filter((h) => h.alias.kind === 'city');
  const cityCountries = new Set(cities.map((h) => MATCH_CITY_INFO.get(h.alias.id)?.country ?? h.alias.country ?? ''));
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
    } else if (alias.kind === 'country') countries.add(alias.id);
    else if (alias.kind === 'region') regions.add(alias.id);
  }
  // "Anywhere in Europe" is Europe.
  if (regions.size > 1) regions.delete('world');
  // "Washington, DC" is the capital, not Washington State.
  if (cities.some((h) => h.alias.id === 'washington-dc')) states.delete('us-washington');
  for (const state of states) countries.add(STATE_COUNTRY.get(state) ?? state.slice(0, 2));

  const places: GeoPlace[] = [];
  for (const { alias } of cities) {
    const info = MATCH_CITY_INFO.get(alias.id);
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
    const parents =
      states.size > 0
        ? [...states].map(stateGeo)
        : countries.size > 0
          ? [...countries].map(countryGeo)
          : [...regions].map(regionGeo);
    const words = unknown.join(' ');
    for (const parent of parents) places.push(words && parent !== WORLD ? unknownGeo(words, parent) : parent);
    if (parents.length > 0) unknown.length = 0;
  } else unknown.length = 0;
  return { text: trimmed, places: uniqueGeos(places), unknownWords: unknown };
}

function uniqueGeos(places: GeoPlace[]): GeoPlace[] {
  const seen = new Set<string>();
  return places.filter((p) => !seen.has(p.id) && seen.add(p.id));
}
