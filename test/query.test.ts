import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuleConfig } from '../src/config/schema.js';
import { compileRule, compileRules } from '../src/match/compile-rule.js';
import { parseQuery } from '../src/match/query.js';
import { titleWordWarnings } from '../src/match/title-typos.js';

function ruleOf(fields: Partial<RuleConfig>): RuleConfig {
  return { name: 'r', include_unknown_salary: false, ...fields };
}

describe('parseQuery() structured twins', () => {
  const cases: Array<[string, Partial<RuleConfig>]> = [
    ['remote senior ML engineer >= $130k', { title: ['ML engineer'], seniority: ['senior'], remote: true, salary_min: 130_000, currency: 'USD' }],
    ['staff or principal data engineer in Europe -crypto', { title: ['data engineer'], seniority: ['staff', 'principal'], location: ['Europe'], exclude: ['crypto'] }],
    ['senior+ backend engineer $150k+ no web3', { title: ['backend engineer'], seniority: ['senior+'], salary_min: 150_000, currency: 'USD', exclude: ['web3'] }],
    ['data scientist in New York over 120k', { title: ['data scientist'], location: ['New York'], salary_min: 120_000 }],
    ['hybrid product manager at least 130,000 USD', { title: ['product manager'], remote: 'hybrid', salary_min: 130_000, currency: 'USD' }],
    ['"site reliability" engineer remote excluding gambling', { title: ['"site reliability" engineer'], remote: true, exclude: ['gambling'] }],
    ['Sr. MLE ≥ €90k', { title: ['MLE'], seniority: ['senior'], salary_min: 90_000, currency: 'EUR' }],
    ['any remote jobs for a python dev, min 120k', { title: ['python dev'], remote: true, salary_min: 120_000 }],
    ['data scientist or ML engineer in US, Canada', { title: ['data scientist', 'ML engineer'], location: ['US', 'Canada'] }],
    ['tech lead not remote', { title: ['tech lead'], remote: false }],
    ['lead or staff engineer $75/hour', { title: ['engineer'], seniority: ['lead', 'staff'], salary_min: 156_000, currency: 'USD' }],
    // "or remote" is a place option (issue 7: a remote-only job is not in a city): the offices there,
    // and remote jobs open to the place; not the arrangement, which would drop the offices.
    ['data scientist in Berlin or remote', { title: ['data scientist'], location: ['Berlin', 'remote'] }],
    ['backend engineer remote or in Toronto', { title: ['backend engineer'], location: ['Toronto', 'remote'] }],
    ['data engineer in Leeds or Manchester, or remote >= £60k', { title: ['data engineer'], location: ['Leeds', 'Manchester', 'remote'], salary_min: 60_000, currency: 'GBP' }],
    // A place written without "in" is still a place, not a title word no title has (issue 7).
    ['senior ML engineer remote US', { title: ['ML engineer'], seniority: ['senior'], remote: true, location: ['US'] }],
    ['data scientist NYC over 120k', { title: ['data scientist'], salary_min: 120_000, location: ['NYC'] }],
    ['data scientist New York', { title: ['data scientist'], location: ['New York'] }],
    ['remote ML engineer United States', { title: ['ML engineer'], remote: true, location: ['United States'] }],
    // Title words that are also place codes or names stay title words.
    ['PA in Texas', { title: ['PA'], location: ['Texas'] }],
    ['go developer', { title: ['go developer'] }],
    ['new grad engineer', { title: ['new grad engineer'] }],
    // A currency and period after the amount.
    ['ML engineer >= 130k USD/year', { title: ['ML engineer'], salary_min: 130_000, currency: 'USD' }],
    ['ML engineer >= 60 EUR/hour', { title: ['ML engineer'], salary_min: 124_800, currency: 'EUR' }],
    // MLOps is a role word of its own, however written.
    ['senior MLOps engineer', { title: ['MLOps engineer'], seniority: ['senior'] }],
    ['ML Ops engineer or ML engineer', { title: ['ML Ops engineer', 'ML engineer'] }],
  ];
  for (const [query, expected] of cases) {
    it(`parseQuery() compiles "${query}"`, () => {
      const { rule, issues } = parseQuery(query);

      assert.deepEqual(issues, []);
      assert.deepEqual(rule, expected);
    });
  }
});

describe('parseQuery() reports what it did not understand', () => {
  const cases: Array<[string, string]> = [
    ['ML engineer $$$', 'did not understand "$$$"'],
    ['ML engineer >=', 'did not understand ">=" (expected an amount such as ">= $130k")'],
    ['data scientist in', 'did not understand "in" (expected a place, such as "in Europe")'],
    ['engineer or', 'did not understand "or"'],
    ['engineer at Google', 'did not understand "at"'],
    ['"site reliability engineer', 'unclosed quote'],
    ['engineer over 120', '"120" is too low for a yearly salary (did you mean "120k"?)'],
    ['engineer (remote)', 'did not understand "(remote)"'],
    ['ML engineer USD/year', 'did not understand "USD/year" (a currency or pay period goes right after an amount'],
    ['ML engineer EUR', 'did not understand "EUR"'],
  ];
  for (const [query, expected] of cases) {
    it(`parseQuery() names the word in "${query}"`, () => {
      const { issues } = parseQuery(query);

      assert.equal(issues.length, 1, issues.join('\n'));
      assert.ok(issues[0]!.includes(expected), issues[0]);
    });
  }
});

describe('compileRule()', () => {
  it('compileRule() compiles a query into expanded conditions', () => {
    const { rule, issues } = compileRule(ruleOf({ query: 'senior+ remote ML engineer >= $130k -crypto', notify: ['me'] }));

    assert.deepEqual(issues, []);
    assert.ok(rule);
    assert.deepEqual(rule.seniority, ['senior', 'staff', 'principal', 'lead']);
    assert.deepEqual(rule.arrangements, ['remote']);
    assert.deepEqual(rule.salaryMin, { amount: 130_000, currency: 'USD' });
    assert.deepEqual(rule.exclude, ['crypto']);
    assert.deepEqual(rule.notify, ['me']);
    assert.deepEqual(rule.titleAny!.map((p) => p.map((t) => t.tokens)), [[['machine', 'learning'], ['engineer']]]);
    assert.equal(rule.source.query, 'senior+ remote ML engineer >= $130k -crypto');
  });

  it('compileRule() maps remote: false to hybrid and onsite', () => {
    assert.deepEqual(compileRule(ruleOf({ remote: false })).rule!.arrangements, ['hybrid', 'onsite']);
  });

  it('compileRule() intersects a query with structured keys', () => {
    const { rule, issues } = compileRule(
      ruleOf({ query: 'senior+ ML engineer in US', seniority: ['staff', 'junior'], title: ['platform', 'infra'], location: ['US', 'Canada'], salary_min: 100_000 }),
    );

    assert.deepEqual(issues, []);
    assert.deepEqual(rule!.seniority, ['staff']);
    assert.deepEqual(rule!.locations, ['US']);
    assert.deepEqual(rule!.salaryMin, { amount: 100_000, currency: 'USD' });
    assert.deepEqual(
      rule!.titleAny!.map((p) => p.map((t) => t.text).join(' ')),
      ['ML engineer platform', 'ML engineer infra'],
    );
  });

  it('compileRule() keeps the narrower of two nested places when intersecting', () => {
    const narrower = compileRule(ruleOf({ query: 'ML engineer in Europe', location: ['Germany', 'Canada'] }));
    const cityInRegion = compileRule(ruleOf({ query: 'data engineer in Berlin', location: ['EMEA'] }));

    assert.deepEqual(narrower.issues, []);
    assert.deepEqual(narrower.rule!.locations, ['Germany']);
    assert.deepEqual(cityInRegion.rule!.locations, ['Berlin']);
    assert.equal(compileRule(ruleOf({ query: 'ML engineer in Europe', location: ['Canada'] })).issues[0]!.key, 'location');
  });

  it('compileRule() resolves each place once, at compile time', () => {
    const { rule } = compileRule(ruleOf({ location: ['Deutschland', 'New York', 'Springfield'] }));

    assert.deepEqual(
      rule!.prepared!.places.map((p) => p.readings?.map((r) => r.id) ?? null),
      [['country:de'], ['city:nyc', 'state:us-new york'], null],
    );
  });

  it('compileRule() reports an empty intersection and returns no rule', () => {
    const { rule, issues } = compileRule(ruleOf({ query: 'junior engineer', seniority: ['senior+'] }));

    assert.equal(rule, null);
    assert.equal(issues[0]!.key, 'seniority');
  });

  it('compileRule() reports query words it did not understand under key "query"', () => {
    const { rule, issues } = compileRule(ruleOf({ name: 'bad', query: 'remote ML engineer >=' }));

    assert.equal(rule, null);
    assert.deepEqual(issues, [{ rule: 'bad', key: 'query', message: 'did not understand ">=" (expected an amount such as ">= $130k")' }]);
  });

  it('compileRule() rejects a currency without an exchange rate unless config adds one', () => {
    assert.equal(compileRule(ruleOf({ salary_min: 100_000, currency: 'XYZ' })).issues[0]!.key, 'currency');
    assert.deepEqual(compileRule(ruleOf({ salary_min: 100_000, currency: 'XYZ' }), { exchangeRates: { XYZ: 0.5 } }).issues, []);
  });

  it('compileRule() prints as plain JSON', () => {
    const json = JSON.parse(JSON.stringify(compileRule(ruleOf({ exclude: ['crypto'] })).rule)) as Record<string, unknown>;

    assert.equal('prepared' in json, false);
    assert.deepEqual(json.exclude, ['crypto']);
  });

  it('compileRules() keeps the good rules and reports duplicate names', () => {
    const { rules, issues } = compileRules([ruleOf({ name: 'a' }), ruleOf({ name: 'a' }), ruleOf({ name: 'b', query: '$$$' })]);

    assert.deepEqual(rules.map((r) => r.name), ['a', 'a']);
    assert.deepEqual(issues.map((i) => `${i.rule}.${i.key}`), ['a.name', 'b.query']);
  });
});

test('titleWordWarnings() flags a title word one letter off a common one, and leaves real words alone', () => {
  const warningsFor = (query: string) => titleWordWarnings(compileRule({ name: 'q', query, include_unknown_salary: false }).rule!);

  assert.equal(warningsFor('remote senior ML enginer >= $130k').length, 1);
  assert.match(warningsFor('remote senior ML enginer >= $130k')[0]!, /"enginer".*did you mean "engineer"/);
  assert.match(warningsFor('data scintist in Berlin')[0]!, /did you mean "scientist"/);
  for (const fine of ['remote senior ML engineer >= $130k', 'Solidity developer', 'Kubernetes platform engineer', 'growth marketer', 'salesforce developer', '"site relability" engineer']) {
    assert.deepEqual(warningsFor(fine), [], fine);
  }
});

test('titleWordWarnings() names a title word no job title uses, from a query or from title:', () => {
  const warningsOf = (rule: Partial<RuleConfig>) => titleWordWarnings(compileRule(ruleOf(rule)).rule!);

  assert.deepEqual(warningsOf({ query: 'ML engineer blorf' }), [
    'title word "blorf" is not a word seen in job titles, so only titles containing it will match (check the spelling; a place goes after "in", a salary after ">=")',
  ]);
  assert.match(warningsOf({ title: ['ML engineer', 'data scientist zorp'] }).join('\n'), /"zorp" is not a word seen in job titles/);
  // Rare real title words, plurals, abbreviations, numbers and MLOps are words of titles.
  for (const fine of ['Actuary', 'Sommelier', 'senior actuaries', 'SRE', 'MLOps engineer', 'ML Ops engineer', 'Software Engineer II', 'web3 developer', 'C++ developer', 'Salesforce developer']) {
    assert.deepEqual(warningsOf({ title: [fine] }), [], fine);
  }
});

test('an MLOps rule and an ML rule compile to different words', () => {
  const tokens = (title: string) => compileRule(ruleOf({ title: [title] })).rule!.titleAny![0]!.flatMap((t) => t.tokens);

  assert.deepEqual(tokens('MLOps engineer'), tokens('ML-Ops engineer'));
  assert.deepEqual(tokens('MLOps engineer'), tokens('machine learning operations engineer'));
  assert.notDeepEqual(tokens('MLOps engineer'), tokens('ML engineer'));
});
