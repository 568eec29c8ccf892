import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleConfig } from '../src/config/schema.js';
import type { MatchCheck, Posting } from '../src/core/types.js';
import { compileRule, type CompiledRule } from '../src/match/compile-rule.js';
import { convert, DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { formatMoney, formatSalary } from '../src/match/format-salary.js';
import { matchPosting, reasonsOf, type MatchContext } from '../src/match/match-posting.js';

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

  it('matchPosting() assumes the rule currency for a salary without one', () => {
    const p = posting({ salary: { min: 60, max: 75, currency: null, period: 'hour' }, annualMin: 124_800, annualMax: 156_000 });
    const c = check(p, { salary_min: 150_000 }, 'salary');

    assert.equal(c.passed, true);
    assert.equal(c.detail, '$156k/yr ≥ $150k (annualized from $75/hour; currency not stated, assumed USD)');
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

    assert.deepEqual([c.passed, c.detail], [true, 'location: Europe (remote: EMEA)']);
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

describe('the DESIGN.md example', () => {
  const rule = compile({ query: 'remote senior ML engineer >= $130k' });

  it('matchPosting() checks every condition in display order', () => {
    const result = matchPosting(posting({ remoteRegions: ['US'] }), rule, CTX);

    assert.equal(result.matched, true);
    assert.deepEqual(result.checks.map((c) => c.name), ['title', 'seniority', 'remote', 'salary', 'max_age']);
  });

  it('reasonsOf() gives the alert reasons', () => {
    const reasons = reasonsOf(matchPosting(posting(), rule, CTX));

    assert.deepEqual(reasons, ['title: Senior Machine Learning Engineer ~ senior, ML engineer', 'remote', '$180k/yr ≥ $130k']);
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
    assert.equal(formatSalary({ min: 135_000, max: 180_000, currency: null, period: 'year' }), '135k–180k / year');
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
