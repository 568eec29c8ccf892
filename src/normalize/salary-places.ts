/**
 * Places, as salary extraction needs them: which country (and so which currency) a location or a
 * band label names, and which metro area, so a per-location band can be matched to the posting's
 * location. A deliberately small gazetteer: countries, their common abbreviations, US states and
 * Canadian provinces after a comma ("Austin, TX", "Calgary, AB"), Australian state codes, and the
 * cities job postings name most. A place it does not know is simply not used.
 */

/** What a piece of text says about where a job is. */
export interface Places {
  /** ISO 3166 alpha-2 country codes ("US", "CA", "GB"); "EU" for Europe as a whole. */
  countries: Set<string>;
  /** Metro areas ("sf", "nyc", "london"): the unit a per-location band is written for. */
  metros: Set<string>;
  /** The text says remote ("Remote US", "Anywhere"). */
  remote: boolean;
}

/** The currency a country pays in. Europe as a whole ("Remote (Europe)") is taken to mean EUR. */
const COUNTRY_CURRENCY: Readonly<Record<string, string>> = {
  US: 'USD', CA: 'CAD', AU: 'AUD', NZ: 'NZD', SG: 'SGD', HK: 'HKD', GB: 'GBP', CH: 'CHF', SE: 'SEK', NO: 'NOK',
  DK: 'DKK', PL: 'PLN', IN: 'INR', JP: 'JPY', BR: 'BRL', MX: 'MXN', ZA: 'ZAR',
  EU: 'EUR', DE: 'EUR', FR: 'EUR', NL: 'EUR', IE: 'EUR', ES: 'EUR', IT: 'EUR', PT: 'EUR', AT: 'EUR', BE: 'EUR',
  FI: 'EUR', GR: 'EUR', LU: 'EUR', EE: 'EUR', LV: 'EUR', LT: 'EUR', SK: 'EUR', SI: 'EUR', HR: 'EUR', MT: 'EUR', CY: 'EUR',
};

/**
 * Countries whose own currency is written with a plain "$". Mexico is left out on purpose: US
 * companies hiring there usually quote US dollars with the same sign.
 */
const DOLLAR_COUNTRIES = new Set(['US', 'CA', 'AU', 'NZ', 'SG', 'HK']);

/** Place names, case-insensitive: name -> [country, metro or null]. */
const NAMES: ReadonlyArray<readonly [string, string, string | null]> = [
  // United States
  ['united states', 'US', null], ['united states of america', 'US', null],
  ['new york', 'US', 'nyc'], ['new york city', 'US', 'nyc'], ['brooklyn', 'US', 'nyc'], ['manhattan', 'US', 'nyc'],
  ['queens', 'US', 'nyc'], ['jersey city', 'US', 'nyc'],
  ['san francisco', 'US', 'sf'], ['south san francisco', 'US', 'sf'], ['bay area', 'US', 'sf'], ['sf bay area', 'US', 'sf'],
  ['silicon valley', 'US', 'sf'], ['palo alto', 'US', 'sf'], ['mountain view', 'US', 'sf'], ['menlo park', 'US', 'sf'],
  ['sunnyvale', 'US', 'sf'], ['san jose', 'US', 'sf'], ['oakland', 'US', 'sf'], ['redwood city', 'US', 'sf'],
  ['san mateo', 'US', 'sf'], ['berkeley', 'US', 'sf'],
  ['seattle', 'US', 'seattle'], ['bellevue', 'US', 'seattle'], ['redmond', 'US', 'seattle'], ['kirkland', 'US', 'seattle'],
  ['los angeles', 'US', 'la'], ['santa monica', 'US', 'la'], ['boston', 'US', 'boston'], ['somerville', 'US', 'boston'],
  ['chicago', 'US', 'chicago'], ['austin', 'US', 'austin'], ['denver', 'US', 'denver'], ['boulder', 'US', 'denver'],
  ['atlanta', 'US', 'atlanta'], ['miami', 'US', 'miami'], ['washington, dc', 'US', 'dc'], ['washington dc', 'US', 'dc'],
  ['washington, d.c.', 'US', 'dc'], ['pittsburgh', 'US', 'pittsburgh'], ['philadelphia', 'US', 'philadelphia'],
  ['dallas', 'US', 'dallas'], ['houston', 'US', 'houston'], ['san diego', 'US', 'san diego'], ['phoenix', 'US', 'phoenix'],
  ['salt lake city', 'US', 'salt lake city'], ['minneapolis', 'US', 'minneapolis'], ['detroit', 'US', 'detroit'],
  ['columbus', 'US', 'columbus'], ['nashville', 'US', 'nashville'], ['raleigh', 'US', 'raleigh'],
  ['charlotte', 'US', 'charlotte'], ['baltimore', 'US', 'baltimore'], ['st. louis', 'US', 'st louis'],
  ['portland', 'US', 'portland'], ['sacramento', 'US', 'sacramento'], ['las vegas', 'US', 'las vegas'],
  ['new mexico', 'US', null], ['new jersey', 'US', null], ['new england', 'US', null], ['california', 'US', null],
  ['texas', 'US', null], ['massachusetts', 'US', null], ['colorado', 'US', null], ['illinois', 'US', null],
  ['florida', 'US', null], ['pennsylvania', 'US', null], ['ohio', 'US', null], ['michigan', 'US', null],
  ['minnesota', 'US', null], ['north carolina', 'US', null], ['virginia', 'US', null], ['utah', 'US', null],
  ['arizona', 'US', null], ['tennessee', 'US', null], ['oregon', 'US', null], ['maryland', 'US', null],
  // Canada
  ['canada', 'CA', null], ['toronto', 'CA', 'toronto'], ['vancouver', 'CA', 'vancouver'], ['montreal', 'CA', 'montreal'],
  ['montréal', 'CA', 'montreal'], ['ottawa', 'CA', 'ottawa'], ['calgary', 'CA', 'calgary'], ['edmonton', 'CA', 'edmonton'],
  ['waterloo', 'CA', 'waterloo'], ['kitchener', 'CA', 'waterloo'], ['winnipeg', 'CA', 'winnipeg'], ['halifax', 'CA', 'halifax'],
  ['mississauga', 'CA', 'toronto'], ['markham', 'CA', 'toronto'], ['burnaby', 'CA', 'vancouver'], ['quebec city', 'CA', 'quebec city'],
  ['ontario', 'CA', null], ['british columbia', 'CA', null], ['alberta', 'CA', null], ['quebec', 'CA', null],
  ['québec', 'CA', null], ['nova scotia', 'CA', null], ['manitoba', 'CA', null], ['saskatchewan', 'CA', null],
  // Australia, New Zealand, Asia
  ['australia', 'AU', null], ['sydney', 'AU', 'sydney'], ['melbourne', 'AU', 'melbourne'], ['brisbane', 'AU', 'brisbane'],
  ['perth', 'AU', 'perth'], ['adelaide', 'AU', 'adelaide'], ['canberra', 'AU', 'canberra'], ['hobart', 'AU', 'hobart'],
  ['gold coast', 'AU', 'gold coast'], ['new south wales', 'AU', null], ['queensland', 'AU', null],
  ['new zealand', 'NZ', null], ['auckland', 'NZ', 'auckland'], ['wellington', 'NZ', 'wellington'],
  ['christchurch', 'NZ', 'christchurch'], ['singapore', 'SG', 'singapore'], ['hong kong', 'HK', 'hong kong'],
  ['india', 'IN', null], ['bengaluru', 'IN', 'bengaluru'], ['bangalore', 'IN', 'bengaluru'], ['mumbai', 'IN', 'mumbai'],
  ['pune', 'IN', 'pune'], ['hyderabad', 'IN', 'hyderabad'], ['chennai', 'IN', 'chennai'], ['delhi', 'IN', 'delhi'],
  ['new delhi', 'IN', 'delhi'], ['gurugram', 'IN', 'delhi'], ['gurgaon', 'IN', 'delhi'], ['noida', 'IN', 'delhi'],
  ['kolkata', 'IN', 'kolkata'], ['ahmedabad', 'IN', 'ahmedabad'], ['kochi', 'IN', 'kochi'], ['karnataka', 'IN', null],
  ['maharashtra', 'IN', null], ['japan', 'JP', null], ['tokyo', 'JP', 'tokyo'], ['osaka', 'JP', 'osaka'],
  ['kyoto', 'JP', 'kyoto'],
  // United Kingdom
  ['united kingdom', 'GB', null], ['great britain', 'GB', null], ['britain', 'GB', null], ['england', 'GB', null],
  ['scotland', 'GB', null], ['wales', 'GB', null], ['northern ireland', 'GB', null], ['london', 'GB', 'london'],
  ['manchester', 'GB', 'manchester'], ['edinburgh', 'GB', 'edinburgh'], ['glasgow', 'GB', 'glasgow'],
  ['bristol', 'GB', 'bristol'], ['leeds', 'GB', 'leeds'], ['birmingham', 'GB', 'birmingham'],
  ['liverpool', 'GB', 'liverpool'], ['sheffield', 'GB', 'sheffield'], ['nottingham', 'GB', 'nottingham'],
  ['belfast', 'GB', 'belfast'], ['cardiff', 'GB', 'cardiff'], ['oxford', 'GB', 'oxford'], ['brighton', 'GB', 'brighton'],
  // Europe
  ['europe', 'EU', null], ['european union', 'EU', null],
  ['germany', 'DE', null], ['deutschland', 'DE', null], ['berlin', 'DE', 'berlin'], ['munich', 'DE', 'munich'],
  ['münchen', 'DE', 'munich'], ['hamburg', 'DE', 'hamburg'], ['frankfurt', 'DE', 'frankfurt'], ['cologne', 'DE', 'cologne'],
  ['köln', 'DE', 'cologne'], ['stuttgart', 'DE', 'stuttgart'], ['düsseldorf', 'DE', 'dusseldorf'], ['leipzig', 'DE', 'leipzig'],
  ['france', 'FR', null], ['paris', 'FR', 'paris'], ['lyon', 'FR', 'lyon'], ['marseille', 'FR', 'marseille'],
  ['toulouse', 'FR', 'toulouse'], ['bordeaux', 'FR', 'bordeaux'], ['nantes', 'FR', 'nantes'], ['lille', 'FR', 'lille'],
  ['netherlands', 'NL', null], ['the netherlands', 'NL', null], ['amsterdam', 'NL', 'amsterdam'], ['rotterdam', 'NL', 'rotterdam'],
  ['utrecht', 'NL', 'utrecht'], ['eindhoven', 'NL', 'eindhoven'], ['the hague', 'NL', 'the hague'],
  ['ireland', 'IE', null], ['dublin', 'IE', 'dublin'], ['cork', 'IE', 'cork'], ['spain', 'ES', null], ['madrid', 'ES', 'madrid'],
  ['barcelona', 'ES', 'barcelona'], ['valencia', 'ES', 'valencia'], ['italy', 'IT', null], ['milan', 'IT', 'milan'],
  ['milano', 'IT', 'milan'], ['rome', 'IT', 'rome'], ['roma', 'IT', 'rome'], ['portugal', 'PT', null], ['lisbon', 'PT', 'lisbon'],
  ['lisboa', 'PT', 'lisbon'], ['porto', 'PT', 'porto'], ['austria', 'AT', null], ['vienna', 'AT', 'vienna'], ['wien', 'AT', 'vienna'],
  ['belgium', 'BE', null], ['brussels', 'BE', 'brussels'], ['bruxelles', 'BE', 'brussels'], ['antwerp', 'BE', 'antwerp'],
  ['finland', 'FI', null], ['helsinki', 'FI', 'helsinki'], ['greece', 'GR', null], ['athens', 'GR', 'athens'],
  ['luxembourg', 'LU', 'luxembourg'], ['estonia', 'EE', null], ['tallinn', 'EE', 'tallinn'], ['latvia', 'LV', null],
  ['riga', 'LV', 'riga'], ['lithuania', 'LT', null], ['vilnius', 'LT', 'vilnius'], ['slovakia', 'SK', null],
  ['slovenia', 'SI', null], ['croatia', 'HR', null], ['malta', 'MT', null], ['cyprus', 'CY', null],
  ['switzerland', 'CH', null], ['zurich', 'CH', 'zurich'], ['zürich', 'CH', 'zurich'], ['geneva', 'CH', 'geneva'],
  ['genève', 'CH', 'geneva'], ['basel', 'CH', 'basel'], ['lausanne', 'CH', 'lausanne'], ['bern', 'CH', 'bern'], ['zug', 'CH', 'zug'],
  ['sweden', 'SE', null], ['stockholm', 'SE', 'stockholm'], ['gothenburg', 'SE', 'gothenburg'], ['göteborg', 'SE', 'gothenburg'],
  ['malmö', 'SE', 'malmo'], ['norway', 'NO', null], ['oslo', 'NO', 'oslo'], ['bergen', 'NO', 'bergen'],
  ['denmark', 'DK', null], ['copenhagen', 'DK', 'copenhagen'], ['københavn', 'DK', 'copenhagen'], ['aarhus', 'DK', 'aarhus'],
  ['poland', 'PL', null], ['warsaw', 'PL', 'warsaw'], ['warszawa', 'PL', 'warsaw'], ['kraków', 'PL', 'krakow'],
  ['krakow', 'PL', 'krakow'], ['wrocław', 'PL', 'wroclaw'], ['wroclaw', 'PL', 'wroclaw'],
  // South Africa
  ['south africa', 'ZA', null], ['cape town', 'ZA', 'cape town'], ['johannesburg', 'ZA', 'johannesburg'],
  ['joburg', 'ZA', 'johannesburg'], ['sandton', 'ZA', 'johannesburg'], ['midrand', 'ZA', 'johannesburg'],
  ['pretoria', 'ZA', 'pretoria'], ['centurion', 'ZA', 'pretoria'], ['durban', 'ZA', 'durban'], ['stellenbosch', 'ZA', 'cape town'],
  ['gauteng', 'ZA', null], ['western cape', 'ZA', null],
  // Latin America
  ['brazil', 'BR', null], ['brasil', 'BR', null], ['são paulo', 'BR', 'sao paulo'], ['sao paulo', 'BR', 'sao paulo'],
  ['rio de janeiro', 'BR', 'rio'], ['mexico', 'MX', null], ['méxico', 'MX', null], ['mexico city', 'MX', 'mexico city'],
  ['ciudad de méxico', 'MX', 'mexico city'], ['guadalajara', 'MX', 'guadalajara'], ['monterrey', 'MX', 'monterrey'],
];

/** Abbreviations, case-sensitive (so "us" and "sf" in prose are not places). */
const CODES: ReadonlyArray<readonly [string, string, string | null]> = [
  ['US', 'US', null], ['USA', 'US', null], ['U.S.', 'US', null], ['U.S.A.', 'US', null], ['NYC', 'US', 'nyc'], ['SF', 'US', 'sf'],
  ['UK', 'GB', null], ['U.K.', 'GB', null], ['EU', 'EU', null], ['NZ', 'NZ', null],
  ['NSW', 'AU', null], ['VIC', 'AU', null], ['QLD', 'AU', null], ['TAS', 'AU', null],
];

const US_STATE_CODES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
const CA_PROVINCE_CODES = 'ON|BC|AB|QC|MB|SK|NS|NB|NL|PE|PEI';

function alternation(words: readonly string[]): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|');
}

const NAME_INDEX = new Map(NAMES.map(([name, country, metro]) => [name, { country, metro }]));
const CODE_INDEX = new Map(CODES.map(([code, country, metro]) => [code, { country, metro }]));
const NAME_RE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation(NAMES.map(([n]) => n))})(?![\\p{L}\\p{N}])`, 'giu');
const CODE_RE = new RegExp(`(?<![\\p{L}\\p{N}.])(?:${alternation(CODES.map(([c]) => c))})(?![\\p{L}\\p{N}])`, 'gu');
/** "Austin, TX", "Calgary, AB": a state or province code right after a comma. */
const REGION_CODE_RE = new RegExp(`,\\s*(?:(${US_STATE_CODES})|(${CA_PROVINCE_CODES}))(?![\\p{L}\\p{N}])`, 'gu');
const REMOTE_RE = /\b(?:remote|anywhere|distributed|work\s+from\s+home|wfh|télétravail|homeoffice)\b/i;

/** The places a piece of text (a location field, a band label) names. */
export function placesIn(text: string): Places {
  const places: Places = { countries: new Set(), metros: new Set(), remote: REMOTE_RE.test(text) };
  for (const m of text.matchAll(NAME_RE)) {
    const entry = NAME_INDEX.get(m[0].toLowerCase().replace(/\s+/g, ' '));
    if (!entry) continue;
    places.countries.add(entry.country);
    if (entry.metro) places.metros.add(entry.metro);
  }
  for (const m of text.matchAll(CODE_RE)) {
    const entry = CODE_INDEX.get(m[0]);
    if (!entry) continue;
    places.countries.add(entry.country);
    if (entry.metro) places.metros.add(entry.metro);
  }
  for (const m of text.matchAll(REGION_CODE_RE)) places.countries.add(m[1] ? 'US' : 'CA');
  return places;
}

/** The text with every place name it knows blanked out ("All other US locations" -> "All other    locations"). */
export function withoutPlaces(text: string): string {
  return text.replace(NAME_RE, (m) => ' '.repeat(m.length)).replace(CODE_RE, (m) => ' '.repeat(m.length));
}

/** True when the text names no place at all. */
export function namesNoPlace(places: Places): boolean {
  return places.countries.size === 0 && places.metros.size === 0;
}

/**
 * The currency of the places named, when they agree on one ("Toronto, ON" -> CAD; "Berlin or
 * Munich" -> EUR); null when they name none or several ("US or Canada"). Europe as a whole is a
 * region, not a country: it stands for the euro only when no country is named ("Remote (in USA,
 * also in Europe for sales roles)" -> USD).
 */
export function currencyOfPlaces(places: Places): string | null {
  const countries = [...places.countries];
  const named = countries.some((c) => c !== 'EU') ? countries.filter((c) => c !== 'EU') : countries;
  const currencies = new Set(named.map((c) => COUNTRY_CURRENCY[c]).filter((c): c is string => !!c));
  return currencies.size === 1 ? [...currencies][0]! : null;
}

/**
 * What a plain "$" means in these places: the dollar of the one dollar-country named ("Sydney
 * NSW" -> AUD, "Toronto or Berlin" -> CAD); null when none or several are named ("US or Canada").
 */
export function dollarOfPlaces(places: Places): string | null {
  const dollars = new Set([...places.countries].filter((c) => DOLLAR_COUNTRIES.has(c)).map((c) => COUNTRY_CURRENCY[c]!));
  return dollars.size === 1 ? [...dollars][0]! : null;
}

/**
 * How well a band's label ("San Francisco Bay Area:", "Remote (US)", "for candidates in Canada")
 * fits the posting's location: 3 the same metro area, 2 both remote in a compatible country,
 * 1 a country-wide label ("All other US locations") for a location in that country, 0 no fit.
 */
export function bandFit(label: Places, location: Places): number {
  for (const metro of label.metros) if (location.metros.has(metro)) return 3;
  const sharesCountry = [...label.countries].some((c) => location.countries.has(c));
  if (label.remote && location.remote && (sharesCountry || label.countries.size === 0 || location.countries.size === 0)) return 2;
  if (label.metros.size === 0 && sharesCountry) return 1;
  return 0;
}
