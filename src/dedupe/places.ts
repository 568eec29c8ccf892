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
