import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleConfig } from '../src/config/schema.js';
import type { MatchCheck, Posting } from '../src/core/types.js';
import { compileRule, type CompiledRule } from '../src/match/compile-rule.js';
import { convert, DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { formatMoney, formatSalary } from '../src/match/format-salary.js';
import { locatePlaces, resolvePlaceName } from '../src/places/places.js';
import { matchPosting, reasonsOf, titleLevels, type MatchContext } from '../src/match/match-posting.js';
import { distinctReasons } from '../src/match/reasons.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const CTX: MatchContext = { now: NOW, maxAgeMs: 14 * DAY, exchangeRates: { USD: 1, GBP: 1.25, EUR: 1.1 } };

/** The DESIGN.md seed posting, normalized; fields overridable per test. */
function posting(fields: Partial<Posting> = {}): Posting {
  return {
    feed: 'remotewlb',
    sourceId: 'wlb-136253',
    url: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253',
    canonicalUrl: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253',
    title: 'Senior Machine Learning Engineer',
    company: 'Nomad Health',
    location: 'Remote',
    description: "Own the delivery of high-impact machine learning projects using Nomad's historical data.",
    published: new Date(NOW.getTime() - 3 * 3_600_000),
    salary: { min: 135_000, max: 180_000, currency: 'USD', period: 'year' },
    annualMin: 135_000,
    annualMax: 180_000,
    arrangement: 'remote',
    remoteRegions: [],
    seniority: 'senior',
    role: 'ml engineer',
    tags: [],
    ...fields,
  };
}

function compile(fields: Partial<RuleConfig>): CompiledRule {
  const { rule, issues } = compileRule({ name: 'test', include_unknown_salary: false, ...fields });
  assert.deepEqual(issues, []);
  return rule!;
}

function check(p: Posting, fields: Partial<RuleConfig>, name: string): MatchCheck {
  const found = matchPosting(p, compile(fields), CTX).checks.find((c) => c.name === name);
  assert.ok(found, `no ${name} check`);
  return found;
}

function titleMatches(title: string, phrase: string): boolean {
  return check(posting({ title }), { title: [phrase] }, 'title').passed;
}

describe('title matching', () => {
  it('matchPosting() matches "ML engineer" in any word order and abbreviation', () => {
    assert.equal(titleMatches('Senior Machine Learning Engineer', 'ML engineer'), true);
    assert.equal(titleMatches('Engineer, Machine Learning', 'ML engineer'), true);
    assert.equal(titleMatches('Senior Machine Learning Engineer (Remote)', 'ML engineer'), true);
    assert.equal(titleMatches('Sr. MLE', 'ML engineer'), true);
    assert.equal(titleMatches('Machine Learning Engineers', 'MLE'), true);
  });

  it('matchPosting() rejects the two traps', () => {
    assert.equal(titleMatches('Machine Learning Scientist', 'ML engineer'), false);
    assert.equal(titleMatches('Senior Software Engineer', 'ML engineer'), false);
  });

  it('matchPosting() expands other abbreviations and keeps engineer apart from engineering', () => {
    assert.equal(titleMatches('SWE II, Payments', 'software engineer'), true);
    assert.equal(titleMatches('SDE III', 'software engineer'), true);
    assert.equal(titleMatches('Sr Backend Dev', 'senior back-end developer'), true);
    assert.equal(titleMatches('Engineering Manager, ML', 'ML engineer'), false);
  });

  it('matchPosting() matches a quoted phrase only as written', () => {
    assert.equal(titleMatches('Site Reliability Engineer', '"site reliability" engineer'), true);
    assert.equal(titleMatches('Reliability Engineer, Site Ops', '"site reliability" engineer'), false);
  });

  it('matchPosting() says which words a title lacks', () => {
    const c = check(posting({ title: 'Machine Learning Scientist' }), { title: ['ML engineer'] }, 'title');

    assert.equal(c.detail, 'title: Machine Learning Scientist, not ML engineer (no engineer)');
  });
});

describe('seniority, arrangement, salary', () => {
  it('matchPosting() fails a named level when the posting level is unknown', () => {
    assert.equal(check(posting({ seniority: null }), { seniority: ['senior'] }, 'seniority').passed, false);
    assert.equal(check(posting({ seniority: 'senior' }), { seniority: ['senior'] }, 'seniority').detail, 'senior');
  });

  it('matchPosting() treats senior+ as senior, staff, principal and lead', () => {
    for (const level of ['senior', 'staff', 'principal', 'lead'] as const) {
      assert.equal(check(posting({ seniority: level }), { seniority: ['senior+'] }, 'seniority').passed, true, level);
    }
    assert.equal(check(posting({ seniority: 'mid' }), { seniority: ['senior+'] }, 'seniority').passed, false);
    assert.equal(check(posting({ seniority: 'manager' }), { seniority: ['senior+'] }, 'seniority').passed, false);
  });

  it('matchPosting() matches remote incl. region-restricted remote, not hybrid', () => {
    const regional = check(posting({ remoteRegions: ['US'] }), { remote: true }, 'remote');

    assert.deepEqual([regional.passed, regional.detail], [true, 'remote (US)']);
    assert.equal(check(posting({ arrangement: 'hybrid' }), { remote: true }, 'remote').passed, false);
  });

  it('matchPosting() compares the annualized upper bound with the threshold', () => {
    const c = check(posting(), { salary_min: 130_000 }, 'salary');
    const upOnly = check(posting({ annualMin: 100_000, annualMax: null, salary: { min: 100_000, max: null, currency: 'USD', period: 'year' } }), { salary_min: 130_000 }, 'salary');

    assert.deepEqual([c.passed, c.detail], [true, '$180k/yr ≥ $130k']);
    assert.deepEqual([upOnly.passed, upOnly.detail], [false, '$100k/yr < $130k']);
  });

  it('matchPosting() converts a GBP salary into the rule currency and says so', () => {
    const gbp = posting({ salary: { min: 70_000, max: 85_000, currency: 'GBP', period: 'year' }, annualMin: 70_000, annualMax: 85_000 });
    const c = check(gbp, { salary_min: 100_000 }, 'salary');

    assert.deepEqual([c.passed, c.detail], [true, '$106.3k/yr ≥ $100k (≈ converted from £85k)']);
    assert.equal(check(gbp, { salary_min: 110_000 }, 'salary').passed, false);
  });

  it('matchPosting() never assumes the rule currency for a salary without one (issue 7)', () => {
    const p = posting({ salary: { min: 60, max: 75, currency: null, period: 'hour' }, annualMin: 124_800, annualMax: 156_000 });
    const c = check(p, { salary_min: 150_000 }, 'salary');

    assert.equal(c.passed, false);
    assert.equal(c.detail, '60–75/hour in an unknown currency — cannot compare with $150k');
  });

  it('matchPosting() fails "1.9M" in an unknown currency against ">= $130k", unless include_unknown_salary', () => {
    const p = posting({ salary: { min: 1_900_000, max: 1_900_000, currency: null, period: 'year' }, annualMin: 1_900_000, annualMax: 1_900_000 });
    const c = check(p, { salary_min: 130_000 }, 'salary');
    assert.deepEqual([c.passed, c.detail], [false, '1,900,000 in an unknown currency — cannot compare with $130k']);
    const included = check(p, { salary_min: 130_000, include_unknown_salary: true }, 'salary');
    assert.deepEqual([included.passed, included.detail], [true, '1,900,000 in an unknown currency (included)']);
  });

  it('matchPosting() converts koruna with the built-in rate', () => {
    const p = posting({ salary: { min: 1_900_000, max: 1_900_000, currency: 'CZK', period: 'year' }, annualMin: 1_900_000, annualMax: 1_900_000 });
    const c = check(p, { salary_min: 130_000 }, 'salary');
    assert.equal(c.passed, false);
    assert.equal(c.detail, '$87.4k/yr < $130k (≈ converted from CZK 1.9M)');
  });

  it('matchPosting() fails an unknown salary unless include_unknown_salary', () => {
    const p = posting({ salary: null, annualMin: null, annualMax: null });
    const included = check(p, { salary_min: 130_000, include_unknown_salary: true }, 'salary');

    assert.equal(check(p, { salary_min: 130_000 }, 'salary').passed, false);
    assert.deepEqual([included.passed, included.detail], [true, 'salary not stated (included)']);
  });
});

describe('location, exclusions, age', () => {
  it('matchPosting() treats US, USA, United States and U.S. alike', () => {
    for (const location of ['Austin, TX, USA', 'New York, United States', 'Remote (U.S. only)', 'Seattle, WA']) {
      assert.equal(check(posting({ location, arrangement: 'onsite' }), { location: ['US'] }, 'location').passed, true, location);
    }
    for (const location of ['Berlin, Germany', 'Bangalore, IN', 'Sydney, Australia']) {
      assert.equal(check(posting({ location, arrangement: 'onsite' }), { location: ['US'] }, 'location').passed, false, location);
    }
  });

  it('matchPosting() matches Europe against an EMEA remote region', () => {
    const c = check(posting({ location: 'Remote', remoteRegions: ['EMEA'] }), { location: ['Europe'] }, 'location');

    assert.deepEqual([c.passed, c.detail], [true, 'remote (EMEA) covers Europe']);
  });

  it('matchPosting() lets a worldwide remote posting match any location', () => {
    const c = check(posting({ location: 'Remote', remoteRegions: [] }), { location: ['US'] }, 'location');

    assert.deepEqual([c.passed, c.detail], [true, 'location: US (remote, no region restriction)']);
    assert.equal(check(posting({ location: 'Remote, London', remoteRegions: [] }), { location: ['US'] }, 'location').passed, false);
  });

  it('matchPosting() rejects an excluded word in the description and names it', () => {
    const p = posting({ description: 'We are a Web3 and crypto company.' });
    const c = check(p, { exclude: ['crypto', 'web3'] }, 'exclude');

    assert.deepEqual([c.passed, c.detail], [false, 'exclude: "Web3" in description']);
    assert.equal(check(posting({ description: 'cryptography experience' }), { exclude: ['crypto'] }, 'exclude').passed, true);
  });

  it('matchPosting() excludes companies ignoring case and Inc./LLC suffixes', () => {
    assert.equal(check(posting({ company: 'ACME Staffing, Inc.' }), { companies_exclude: ['Acme Staffing'] }, 'company').passed, false);
    assert.equal(check(posting({ company: 'Acme Staffing LLC' }), { companies_exclude: ['acme staffing inc'] }, 'company').passed, false);
    assert.equal(check(posting({ company: 'Acme Robotics' }), { companies_exclude: ['Acme Staffing'] }, 'company').passed, true);
  });

  it('matchPosting() fails postings older than max_age and passes unknown dates', () => {
    const old = matchPosting(posting({ published: new Date(NOW.getTime() - 20 * DAY) }), compile({}), CTX);
    const unknown = matchPosting(posting({ published: null }), compile({}), CTX);

    assert.equal(old.matched, false);
    assert.equal(old.checks.at(-1)!.detail, 'published 20 days ago, older than 14d');
    assert.equal(unknown.matched, true);
  });

  it('matchPosting() matches everything with an empty rule', () => {
    const result = matchPosting(posting({ title: 'Barista', arrangement: 'unknown', salary: null, annualMax: null, annualMin: null }), compile({}), CTX);

    assert.equal(result.matched, true);
    assert.deepEqual(result.checks.map((c) => c.name), ['max_age']);
  });
});

describe('location containment', () => {
  const onsite = (location: string | null, title = 'Data Engineer'): Posting => posting({ location, title, arrangement: 'onsite', remoteRegions: [] });
  const remote = (location: string | null, remoteRegions: string[]): Posting => posting({ location, arrangement: 'remote', remoteRegions });
  const where = (p: Posting, place: string): MatchCheck => check(p, { location: [place] }, 'location');

  it('matchPosting() matches a place inside the rule place: city in metro, state, country, region', () => {
    const inside: Array<[string, string]> = [
      ['Berlin, Berlin, Germany', 'Germany'],
      ['München, Bayern', 'Germany'],
      ['Köln', 'Deutschland'],
      ['London', 'UK'],
      ['Leeds, West Yorkshire', 'United Kingdom'],
      ['Bristol, England, United Kingdom', 'UK'],
      ['Edinburgh', 'Scotland'],
      ['Amsterdam, North Holland, Netherlands', 'Europe'],
      ['Dublin 2, Ireland', 'Europe'],
      ['London, UK', 'EU'],
      ['Paris, Île-de-France', 'EMEA'],
      ['Zürich', 'Schweiz'],
      ['Wien', 'Österreich'],
      ['Genève', 'Switzerland'],
      ['Madrid', 'España'],
      ['Bengaluru, Karnataka, India', 'India'],
      ['Mumbai, Maharashtra', 'India'],
      ['Bangalore, IN', 'India'],
      ['Berlin, DE', 'Germany'],
      ['Sydney NSW', 'APAC'],
      ['Toronto, Ontario', 'Canada'],
      ['Montréal, QC', 'North America'],
      ['Palo Alto, CA', 'California'],
      ['Plano, TX 75024', 'Texas'],
      ['Seattle, WA', 'Americas'],
      ['Brooklyn, NY 11201', 'New York'],
      ['Manhattan, New York, NY', 'New York'],
      ['NYC (Hybrid, 3 days a week)', 'New York'],
      ['Albany, NY', 'New York'],
      ['Leipzig, Germany', 'Germany'],
    ];
    for (const [location, place] of inside) assert.equal(where(onsite(location), place).passed, true, `${location} in ${place}`);
  });

  it('matchPosting() does not match a place outside the rule place, or wider than it for an onsite job', () => {
    const outside: Array<[string, string]> = [
      ['Toronto, ON', 'Europe'],
      ['London, UK', 'US'],
      ['London, Ontario', 'UK'],
      ['Bangalore, IN', 'US'],
      ['Istanbul', 'Germany'],
      ['Germany', 'Berlin'],
      ['Buffalo, NY', 'NYC'],
      ['Newark, NJ', 'New York'],
      ['Paris, TX', 'France'],
      ['Portland, ME', 'Oregon'],
      ['Cambridge, MA', 'UK'],
      ['Edinburgh', 'England'],
    ];
    for (const [location, place] of outside) assert.equal(where(onsite(location), place).passed, false, `${location} not in ${place}`);
  });

  it('matchPosting() says how a location matched', () => {
    assert.equal(where(onsite('Berlin, Germany'), 'Germany').detail, 'location: Berlin, Germany ⊂ Germany');
    assert.equal(where(onsite('Germany'), 'Germany').detail, 'location: Germany');
    assert.equal(where(onsite('NYC'), 'New York').detail, 'location: NYC = New York');
    assert.equal(where(onsite('Brooklyn, NY (Hybrid)'), 'US').detail, 'location: Brooklyn, NY ⊂ US');
    assert.equal(where(onsite('Toronto, ON'), 'Europe').detail, 'location: Toronto, ON, not Europe');
  });

  it('matchPosting() matches a remote job whose region contains the rule place or is inside it', () => {
    const cases: Array<[string[], string, string]> = [
      [['Europe'], 'Germany', 'remote (Europe) covers Germany'],
      [['Europe'], 'UK', 'remote (Europe) covers UK'],
      [['EMEA'], 'United Kingdom', 'remote (EMEA) covers United Kingdom'],
      [['Americas'], 'Canada', 'remote (Americas) covers Canada'],
      [['North America'], 'Canada', 'remote (North America) covers Canada'],
      [['US'], 'California', 'remote (US) covers California'],
      [['US', 'Canada'], 'British Columbia', 'remote (Canada) covers British Columbia'],
      [['Germany'], 'Europe', 'remote (Germany) ⊂ Europe'],
      [['UK'], 'EMEA', 'remote (UK) ⊂ EMEA'],
    ];
    for (const [regions, place, detail] of cases) {
      const c = where(remote(`Remote (${regions.join(' or ')})`, regions), place);
      assert.deepEqual([c.passed, c.detail], [true, detail], `${regions.join('/')} ~ ${place}`);
    }
  });

  it('matchPosting() does not match a remote job limited to a region apart from the rule place', () => {
    const cases: Array<[string[], string]> = [
      [['Canada'], 'New York'],
      [['US'], 'London'],
      [['LATAM'], 'US'],
      [['Europe'], 'Toronto'],
      [['UK'], 'Germany'],
      [['Germany'], 'UK'],
    ];
    for (const [regions, place] of cases) assert.equal(where(remote(`Remote - ${regions.join(', ')}`, regions), place).passed, false, `${regions} !~ ${place}`);
  });

  it('matchPosting() reads a remote job location as its region when no region was extracted', () => {
    const c = where(remote('USA', []), 'Texas');

    assert.deepEqual([c.passed, c.detail], [true, 'remote (USA) covers Texas']);
    assert.equal(where(remote('Remote innerhalb Deutschlands', []), 'Germany').passed, true);
    assert.equal(where(remote('Remote innerhalb Deutschlands', []), 'Europe').detail, 'remote (innerhalb Deutschlands) ⊂ Europe');
    assert.equal(where(remote('Remote innerhalb Deutschlands', []), 'UK').passed, false);
    assert.equal(where(remote('Remote (outside the US)', []), 'US').passed, false);
  });

  it('matchPosting() treats "Anywhere in the World" as remote with no region restriction', () => {
    const c = where(remote('Anywhere in the World', []), 'Germany');

    assert.deepEqual([c.passed, c.detail], [true, 'location: Germany (remote, no region restriction)']);
  });

  it('matchPosting() reads places from the title when the location field names none', () => {
    const header = posting({ title: 'Lumen Bank | Data Scientist | Brooklyn, NY (onsite) | $160k-$190k', company: 'Lumen Bank', location: null, arrangement: 'onsite' });
    const montreal = posting({ title: 'Quill | Backend Engineer | Montréal, QC (hybrid) | CA$120k', company: 'Quill', location: null, arrangement: 'hybrid' });

    assert.equal(where(header, 'New York').detail, 'location: Brooklyn, NY = New York (from the title)');
    assert.equal(where(header, 'London').passed, false);
    assert.equal(where(montreal, 'Canada').passed, true);
    assert.equal(where(montreal, 'California').passed, false);
    assert.equal(where(posting({ title: 'Backend Engineer (Wien)', location: 'Remote', arrangement: 'remote', remoteRegions: [] }), 'Austria').passed, true);
  });

  it('matchPosting() matches a place the gazetteer does not know by its words', () => {
    assert.equal(where(onsite('Springfield, IL'), 'Springfield').passed, true);
    assert.equal(where(onsite('Peoria, IL'), 'Springfield').passed, false);
  });

  it('resolvePlaceName() reads "New York" as the city and the state, "NYC" as the city', () => {
    assert.deepEqual(resolvePlaceName('New York')!.map((p) => p.id), ['city:nyc', 'state:us-new york']);
    assert.deepEqual(resolvePlaceName('NYC')!.map((p) => p.id), ['city:nyc']);
    assert.equal(resolvePlaceName('Springfield'), null);
    assert.deepEqual(resolvePlaceName('LA')!.map((p) => p.id), ['city:los-angeles']);
    assert.deepEqual(resolvePlaceName('ny')!.map((p) => p.id), ['city:nyc', 'state:us-new york']);
  });

  it('locatePlaces() resolves a city against the state or country written with it', () => {
    const ids = (text: string): string[] => locatePlaces(text).flatMap((a) => a.places.map((p) => p.id));

    assert.deepEqual(ids('Bangalore, IN'), ['city:bangalore']);
    assert.deepEqual(ids('London, ON'), ['?london@state:ca-on']);
    assert.deepEqual(ids('Washington, DC'), ['city:washington-dc']);
    assert.deepEqual(ids('Berlin, Germany or Remote (Europe)'), ['city:berlin', 'region:europe']);
    assert.deepEqual(ids('USA, Canada'), ['country:us', 'country:ca']);
  });

  it('locatePlaces() reads countries the curated table lacks from the package, with their region', () => {
    const ids = (text: string): string[] => locatePlaces(text).flatMap((a) => a.places.map((p) => p.id));

    assert.deepEqual(ids('Windhoek, Namibia'), ['?windhoek@country:na']);
    assert.deepEqual(ids('Luanda, Angola'), ['?luanda@country:ao']);
    assert.equal(where(onsite('Luanda, Angola'), 'Africa').passed, true);
    assert.equal(where(onsite('Tirana, Albania'), 'Europe').passed, true);
    assert.equal(where(onsite('Baghdad, Iraq'), 'APAC').passed, false);
  });

  it('locatePlaces() reads a bare ISO country code in capitals, after state codes', () => {
    const ids = (text: string): string[] => locatePlaces(text).flatMap((a) => a.places.map((p) => p.id));

    assert.deepEqual(ids('AE'), ['country:ae']);
    assert.deepEqual(ids('Paris, FR'), ['city:paris']);
    assert.deepEqual(ids('IN'), ['state:us-indiana']);
    assert.deepEqual(ids('Cape Town, SA'), ['city:cape-town']);
    assert.deepEqual(ids('Paris, TX'), ['?paris@state:us-texas']);
    assert.deepEqual(ids('fr'), []);
  });

  it('locatePlaces() keeps every area a list names, and a country only as the address of a state', () => {
    const ids = (text: string): string[] => locatePlaces(text).flatMap((a) => a.places.map((p) => p.id));

    assert.deepEqual(ids('Americas, Europe, Israel'), ['country:il', 'region:americas', 'region:europe']);
    assert.deepEqual(ids('Europe, UK, Germany, European timezones'), ['country:gb', 'country:de', 'region:europe']);
    assert.deepEqual(ids('Texas, USA'), ['state:us-texas']);
    assert.deepEqual(ids('Hamelin, Germany, Europe'), ['?hamelin@country:de', 'region:europe']);
    const remoteList = posting({ location: 'Americas, Europe, Israel', arrangement: 'remote', remoteRegions: [] });
    assert.equal(check(remoteList, { location: ['Spain'] }, 'location').passed, true);
    assert.equal(check(remoteList, { location: ['India'] }, 'location').passed, false);
  });

  it('locatePlaces() yields the place only from a location line that carries more', () => {
    const ids = (text: string): string[] => locatePlaces(text).flatMap((a) => a.places.map((p) => p.id));
    const words = (text: string): string[] => locatePlaces(text).flatMap((a) => a.unknownWords);

    assert.deepEqual(ids('Seattle, WA, USA · Type: Full-time · Workplace: Hybrid'), ['city:seattle']);
    assert.deepEqual(words('Seattle, WA, USA · Type: Full-time · Workplace: Hybrid'), []);
    assert.deepEqual(ids('Location: Berlin, Germany'), ['city:berlin']);
    assert.deepEqual(words('Berlin, Germany · Full-time · Contract'), []);
  });
});

describe('where the work happens (README)', () => {
  const at = (location: string | null, arrangement: Posting['arrangement'], remoteRegions: string[] = []): Posting =>
    posting({ location, arrangement, remoteRegions, title: 'Data Scientist' });
  const where = (p: Posting, place: string): MatchCheck => check(p, { location: [place] }, 'location');

  it('a city rule matches an office there, the office option of a remote job, or the stated place when the arrangement is unknown', () => {
    assert.equal(where(at('New York, NY', 'onsite'), 'New York').passed, true);
    assert.equal(where(at('Brooklyn, NY (Hybrid)', 'hybrid'), 'New York').passed, true);
    assert.equal(where(at('New York, NY', 'unknown'), 'New York').passed, true);
    const denver = where(at('Denver, CO or Remote (US)', 'remote', ['US']), 'Denver');
    assert.deepEqual([denver.passed, denver.detail], [true, 'location: Denver, CO = Denver (office option of a remote job)']);
    assert.equal(where(at('Columbus; Remote (US)', 'remote', ['US']), 'Columbus').passed, true);
    assert.equal(where(at('Springfield, IL or Remote', 'remote'), 'Springfield').passed, true);
  });

  it('a city rule never matches a remote-only job, whatever its region or HQ', () => {
    const us = where(at('Remote (US)', 'remote', ['US']), 'New York');
    assert.deepEqual([us.passed, us.detail], [false, 'location: Remote (US); US, remote only, no office in New York']);
    assert.equal(where(at('Remote', 'remote'), 'London').passed, false);
    assert.equal(where(at('Anywhere', 'remote'), 'Berlin').passed, false);
    assert.equal(where(at('New York, NY', 'remote', ['US']), 'New York').passed, false);
    assert.equal(where(at('Remote - New York', 'remote'), 'New York').passed, false);
    assert.equal(where(at('Remote (EMEA)', 'remote', ['EMEA']), 'Berlin').passed, false);
    assert.equal(where(at('Springfield, IL', 'remote'), 'Springfield').passed, false);
  });

  it('"or remote" adds the remote jobs open to the place, and keeps its offices', () => {
    const nyOrRemote = (p: Posting): MatchCheck => check(p, { location: ['New York', 'remote'] }, 'location');
    assert.equal(nyOrRemote(at('New York, NY', 'onsite')).passed, true);
    assert.equal(nyOrRemote(at('Brooklyn, NY (Hybrid)', 'hybrid')).passed, true);
    const us = nyOrRemote(at('Remote (US)', 'remote', ['US']));
    assert.deepEqual([us.passed, us.detail], [true, 'remote (US) covers New York (or remote)']);
    assert.equal(nyOrRemote(at('Anywhere', 'remote')).passed, true);
    assert.equal(nyOrRemote(at('Remote (India)', 'remote', ['India'])).passed, false, 'remote, but not open to New York');
    assert.equal(nyOrRemote(at('Berlin, Germany', 'onsite')).passed, false);
    assert.equal(check(at('Remote (India)', 'remote', ['India']), { location: ['remote'] }, 'location').passed, true);
    assert.equal(check(at('Berlin, Germany', 'onsite'), { location: ['remote'] }, 'location').passed, false);
    for (const query of ['data scientist in New York or remote', 'data scientist remote or in New York']) {
      const rule = compile({ query });
      assert.deepEqual([rule.locations, rule.arrangements], [['New York', 'remote'], null], query);
    }
  });

  it('a country or region rule matches places in it and remote jobs open to it, never remote jobs restricted elsewhere', () => {
    assert.equal(where(at('Berlin, Germany', 'onsite'), 'Europe').passed, true);
    assert.equal(where(at('Remote (EU)', 'remote', ['Europe']), 'Germany').passed, true);
    assert.equal(where(at('Remote (EU)', 'remote', ['Europe']), 'Europe').passed, true);
    const anywhere = where(at('Anywhere', 'remote'), 'Europe');
    assert.deepEqual([anywhere.passed, anywhere.detail], [true, 'location: Europe (remote, no region restriction)']);
    assert.equal(where(at('Remote (US)', 'remote', ['US']), 'US').passed, true);
    const usCanada = where(at('Remote (US & Canada)', 'remote', ['US', 'Canada']), 'Europe');
    assert.deepEqual([usCanada.passed, usCanada.detail], [false, 'location: Remote (US & Canada); US; Canada, not Europe']);
    assert.equal(where(at('Remote (US & Canada)', 'remote', ['US', 'Canada']), 'London').passed, false);
    assert.equal(where(at('Remote (US)', 'remote', ['US']), 'Germany').passed, false);
  });

  it('a rule naming a city and an area says both', () => {
    const c = check(at('Remote (US)', 'remote', ['US']), { location: ['London', 'Europe'] }, 'location');
    assert.deepEqual([c.passed, c.detail], [false, 'location: Remote (US); US, remote only, no office in London and not open to Europe']);
    assert.equal(check(at('Remote (US)', 'remote', ['US']), { location: ['New York', 'US'] }, 'location').passed, true);
  });
});

describe('levels, abbreviations', () => {
  it('matchPosting() matches a title hiring at several levels against any of them', () => {
    const junior = check(posting({ title: 'Frontend Engineer (Junior/Mid)', seniority: 'mid' }), { seniority: ['junior'] }, 'seniority');
    const both = posting({ title: 'Acme | Senior Data Engineer, Staff Data Engineer | Remote (US)', seniority: 'staff' });

    assert.deepEqual([junior.passed, junior.detail], [true, 'junior (of junior/mid)']);
    assert.equal(check(both, { seniority: ['senior'] }, 'seniority').passed, true);
    assert.equal(check(posting({ title: 'Mid-Senior Backend Developer', seniority: 'senior' }), { seniority: ['mid'] }, 'seniority').passed, true);
    assert.equal(check(posting({ title: 'Engineering Manager (Senior/Staff)', seniority: 'manager' }), { seniority: ['senior'] }, 'seniority').passed, false);
    assert.equal(check(posting({ title: 'Tech Lead / Senior Engineer', seniority: 'senior' }), { seniority: ['lead'] }, 'seniority').passed, false);
    assert.deepEqual(titleLevels('Senior, Staff, or Principal Engineer'), ['senior', 'staff', 'principal']);
    assert.deepEqual(titleLevels('Senior Engineer, Payments'), []);
  });

  it('matchPosting() reads MLOps as a word of its own and GenAI as AI', () => {
    // MLOps is another job to most seekers: a user who wants both lists both (issue 7).
    assert.equal(titleMatches('Senior MLOps Engineer', 'ML engineer'), false);
    for (const title of ['Senior MLOps Engineer', 'ML Ops Engineer', 'ML-Ops Engineer', 'Machine Learning Operations Engineer', 'Engineer, MLOps']) {
      assert.equal(titleMatches(title, 'MLOps engineer'), true, title);
      assert.equal(titleMatches(title, 'ML Ops engineer'), true, title);
      assert.equal(titleMatches(title, 'machine learning operations engineer'), true, title);
    }
    assert.equal(titleMatches('Machine Learning Engineer', 'MLOps engineer'), false);
    assert.equal(titleMatches('DevOps Engineer', 'MLOps engineer'), false);
    assert.equal(titleMatches('Machine Learning Engineer, Operations', 'ML engineer'), true);
    assert.equal(titleMatches('GenAI Engineer', 'AI engineer'), true);
    assert.equal(titleMatches('DevOps Engineer', 'ML engineer'), false);
  });
});

describe('the DESIGN.md example', () => {
  const rule = compile({ query: 'remote senior ML engineer >= $130k' });

  it('matchPosting() checks every condition in display order', () => {
    const result = matchPosting(posting({ remoteRegions: ['US'] }), rule, CTX);

    assert.equal(result.matched, true);
    assert.deepEqual(result.checks.map((c) => c.name), ['title', 'seniority', 'remote', 'salary', 'max_age']);
  });

  it('reasonsOf() gives the alert reasons', () => {
    const reasons = reasonsOf(matchPosting(posting(), rule, CTX));

    assert.deepEqual(reasons, ['senior', 'ML engineer', 'remote', '$180k/yr ≥ $130k']);
  });

  it('matchPosting() still evaluates every check when one fails', () => {
    const result = matchPosting(posting({ title: 'Machine Learning Scientist', arrangement: 'hybrid' }), rule, CTX);

    assert.equal(result.matched, false);
    assert.deepEqual(result.checks.map((c) => c.passed), [false, true, false, true, true]);
  });

  it('matchPosting() works on a hand-built rule without precompiled matchers', () => {
    const handBuilt: CompiledRule = { ...compile({ exclude: ['crypto'], location: ['US'] }) };

    assert.equal(matchPosting(posting({ description: 'crypto' }), handBuilt, CTX).matched, false);
  });
});

describe('salary formatting and currency', () => {
  it('formatSalary() renders ranges, open ends, hourly pay and unknown currency', () => {
    assert.equal(formatSalary({ min: 135_000, max: 180_000, currency: 'USD', period: 'year' }), '$135k–$180k / year');
    assert.equal(formatSalary({ min: 70_000, max: 85_000, currency: 'GBP', period: 'year' }), '£70k–£85k / year');
    assert.equal(formatSalary({ min: 60, max: 75, currency: 'USD', period: 'hour' }), '$60–$75 / hour');
    assert.equal(formatSalary({ min: null, max: 180_000, currency: 'USD', period: 'year' }), 'up to $180k / year');
    assert.equal(formatSalary({ min: 80_000, max: null, currency: 'EUR', period: 'year' }), 'from €80k / year');
    assert.equal(formatSalary({ min: 135_000, max: 180_000, currency: null, period: 'year' }), '135k–180k / year (currency unknown)');
  });

  it('formatMoney() keeps amounts short', () => {
    assert.equal(formatMoney(130_000, 'USD'), '$130k');
    assert.equal(formatMoney(62_500, 'EUR'), '€62.5k');
    assert.equal(formatMoney(75, 'USD'), '$75');
    assert.equal(formatMoney(12_000_000, 'JPY'), '¥12M');
    assert.equal(formatMoney(120_000, 'CHF'), 'CHF 120k');
  });

  it('convert() goes through USD and returns null for an unknown currency', () => {
    assert.equal(convert(100, 'GBP', 'USD', { USD: 1, GBP: 1.25 }), 125);
    assert.equal(convert(110, 'EUR', 'GBP', { EUR: 1.25, GBP: 1.375 }), 100);
    assert.equal(convert(100, 'XYZ', 'USD', DEFAULT_EXCHANGE_RATES), null);
    assert.equal(DEFAULT_EXCHANGE_RATES.USD, 1);
  });
});

describe('alert reasons say each thing once', () => {
  it('reasonsOf(): no reason restates the title, and none is contained in another', () => {
    const remoteUS = { arrangement: 'remote' as const, remoteRegions: ['US'], location: 'Remote (US)' };
    const cases: Array<[string, Partial<Posting>, Partial<RuleConfig>, string[]]> = [
      ['the DESIGN.md rule', {}, { query: 'remote senior ML engineer >= $130k' }, ['senior', 'ML engineer', 'remote', '$180k/yr ≥ $130k']],
      ['title only: the terms found, not the title', {}, { title: ['ML engineer'] }, ['ML engineer']],
      ['remote and in the same region: said once', remoteUS, { remote: true, location: ['US'] }, ['remote (US)']],
      ['remote, and a region the remote one covers: the fuller one, in the first place', remoteUS, { query: 'remote ML engineer in California' }, ['ML engineer', 'remote (US) covers California']],
      ['remote, and open everywhere', { location: 'Remote' }, { remote: true, location: ['Europe'] }, ['location: Europe (remote, no region restriction)']],
      ['the level of a title hiring at two', { title: 'Senior/Staff ML Engineer', seniority: 'staff' }, { query: 'senior ML engineer' }, ['senior (of senior/staff)', 'ML engineer']],
      [
        'a converted salary',
        { salary: { min: 100_000, max: 120_000, currency: 'GBP', period: 'year' }, annualMin: 100_000, annualMax: 120_000 },
        { query: 'ML engineer >= $130k' },
        ['ML engineer', '$150k/yr ≥ $130k (≈ converted from £120k)'],
      ],
      ['an office in the city', { arrangement: 'hybrid', location: 'Berlin, Germany', remoteRegions: [] }, { title: ['ML engineer'], location: ['Berlin'] }, ['ML engineer', 'location: Berlin, Germany = Berlin']],
    ];
    for (const [what, fields, rule, expected] of cases) {
      const p = posting(fields);
      const result = matchPosting(p, compile(rule), CTX);
      assert.equal(result.matched, true, `${what}: ${JSON.stringify(result.checks)}`);
      const reasons = reasonsOf(result);
      assert.deepEqual(reasons, expected, what);
      assert.ok(!reasons.some((r) => r.includes(p.title)), `${what}: a reason restates the title`);
    }
  });

  it('distinctReasons(): merges the reasons of several rules', () => {
    const cases: Array<[string[], string[]]> = [
      [['remote', 'ML engineer', 'senior', 'ML engineer', 'remote (US)'], ['remote (US)', 'ML engineer', 'senior']],
      [['remote (US)', '$180k/yr ≥ $130k', 'remote (US) covers California'], ['remote (US) covers California', '$180k/yr ≥ $130k']],
      [['$150k/yr ≥ $130k', '$150k/yr ≥ $130k (≈ converted from £120k)'], ['$150k/yr ≥ $130k (≈ converted from £120k)']],
      [['remote (US)', 'Remote – US'], ['remote (US)']],
      [['senior', 'senior (of senior/staff)'], ['senior (of senior/staff)']],
      [['$180k/yr ≥ $130k', '$180k/yr ≥ $150k'], ['$180k/yr ≥ $130k', '$180k/yr ≥ $150k']],
      [['hybrid', 'location: Berlin'], ['hybrid', 'location: Berlin']],
      [[], []],
    ];
    for (const [input, expected] of cases) assert.deepEqual(distinctReasons(input), expected, input.join(' | '));
  });
});
