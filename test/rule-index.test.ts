/**
 * The rule index (src/match/rule-index.ts) must give exactly what the plain path gives: every rule
 * through matchPosting, reasonsOf for the matches. Compared byte for byte (rule names, every check,
 * reasons) over a generated corpus, the evaluation corpora, and hand-made rules of every shape the
 * index files differently or not at all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { RuleConfig } from '../src/config/schema.js';
import type { Posting } from '../src/core/types.js';
import { compileRules, type CompiledRule } from '../src/match/compile-rule.js';
import { DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { matchPosting, reasonsOf, type MatchContext } from '../src/match/match-posting.js';
import { createRuleIndex } from '../src/match/rule-index.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { loadCorpus, loadRuleSet, toRawPosting } from '../src/eval/corpus.js';
import { generatePostings, generateRules } from '../bench/match-corpus.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const CONTEXTS: Array<[string, MatchContext]> = [
  ['built-in rates, max_age 14d', { now: NOW, maxAgeMs: 14 * DAY, exchangeRates: { ...DEFAULT_EXCHANGE_RATES } }],
  // A config that overrides a few rates and lacks the rest (the per-currency fallback), no max_age.
  ['partial rates, no max_age', { now: NOW, maxAgeMs: 0, exchangeRates: { USD: 1, EUR: 1.05, XYZ: 0.5 } }],
];

/** What the plain path says, one line per match: rule, checks and reasons. */
function plain(postings: readonly Posting[], rules: readonly CompiledRule[], ctx: MatchContext): string[] {
  const out: string[] = [];
  postings.forEach((posting, i) => {
    for (const rule of rules) {
      const result = matchPosting(posting, rule, ctx);
      if (result.matched) out.push(JSON.stringify([i, rule.name, result, reasonsOf(result)]));
    }
  });
  return out;
}

/** The same through the index. */
function indexed(postings: readonly Posting[], rules: readonly CompiledRule[], ctx: MatchContext): string[] {
  const index = createRuleIndex(rules);
  const out: string[] = [];
  postings.forEach((posting, i) => {
    for (const m of index.match(posting, ctx)) out.push(JSON.stringify([i, m.rule.name, m.result, m.reasons]));
  });
  return out;
}

function assertSame(postings: readonly Posting[], rules: readonly CompiledRule[]): number {
  let matches = 0;
  for (const [label, ctx] of CONTEXTS) {
    const want = plain(postings, rules, ctx);
    const got = indexed(postings, rules, ctx);
    // Equal arrays, but first the first difference, readably.
    const at = want.findIndex((line, k) => got[k] !== line);
    if (at >= 0 || got.length !== want.length) assert.equal(got[at >= 0 ? at : want.length] ?? '(none)', want[at >= 0 ? at : want.length] ?? '(none)', label);
    assert.deepEqual(got, want, label);
    matches += want.length;
  }
  return matches;
}

function compile(rules: RuleConfig[]): CompiledRule[] {
  const { rules: compiled, issues } = compileRules(rules);
  assert.deepEqual(issues, []);
  return compiled;
}

function corpusPostings(dir: string): { postings: Posting[]; rules: RuleConfig[] } {
  const corpus = loadCorpus(dir);
  const { rules } = loadRuleSet(dir, corpus);
  return { postings: corpus.map((e) => normalizePosting(toRawPosting(e), e.feed, NOW)), rules };
}

function posting(fields: Partial<Posting>): Posting {
  return {
    feed: 'f',
    sourceId: 'id',
    url: 'https://jobs.example.com/1',
    canonicalUrl: 'https://jobs.example.com/1',
    title: 'Senior Machine Learning Engineer',
    company: 'Acme',
    location: 'Remote',
    description: 'We build things.',
    published: new Date(NOW.getTime() - DAY),
    salary: { min: 135_000, max: 180_000, currency: 'USD', period: 'year' },
    annualMin: 135_000,
    annualMax: 180_000,
    arrangement: 'remote',
    remoteRegions: [],
    seniority: 'senior',
    role: null,
    tags: [],
    ...fields,
  };
}

describe('rule index', () => {
  it('matches a generated corpus exactly as the plain path: rules, checks and reasons', () => {
    const rules = compileRules(generateRules(700, 11)).rules;
    const postings = generatePostings(350, NOW, 12);
    const matches = assertSame(postings, rules);
    assert.ok(matches > 500, `only ${matches} matches: the comparison would prove little`);
  });

  it('leaves most rules untried (the point of it)', () => {
    const rules = compileRules(generateRules(2000, 13)).rules;
    const index = createRuleIndex(rules);
    let tried = 0;
    const postings = generatePostings(200, NOW, 14);
    for (const p of postings) {
      index.match(p, CONTEXTS[0]![1]);
      tried += index.lastCandidates();
    }
    assert.ok(tried < (rules.length * postings.length) / 5, `${tried} of ${rules.length * postings.length} pairs tried`);
  });

  for (const dir of ['postings', 'postings-holdout']) {
    it(`matches the evaluation corpus test/fixtures/${dir} exactly as the plain path, with its rules and generated ones`, () => {
      const { postings, rules } = corpusPostings(path.join('test/fixtures', dir));
      assertSame(postings, compile(rules));
      assertSame(postings, compileRules(generateRules(400, 15)).rules);
    });
  }

  it('keeps every rule shape the index cannot key on a title word: each still matches where the plain path does', () => {
    const rules = compile([
      { name: 'no-conditions', include_unknown_salary: false },
      { name: 'exclude-only', exclude: ['crypto', 'web3*', '"security clearance"', 'café', 'node.js', 'C++'], include_unknown_salary: false },
      { name: 'company-only', companies_exclude: ['Globex Inc.'], include_unknown_salary: false },
      { name: 'place-only', location: ['Berlin'], include_unknown_salary: false },
      { name: 'remote-or-place', query: 'in Berlin or remote', include_unknown_salary: false },
      { name: 'seniority-only', seniority: ['senior+'], include_unknown_salary: false },
      { name: 'remote-only', remote: true, include_unknown_salary: false },
      { name: 'not-remote', query: 'not remote', include_unknown_salary: false },
      { name: 'salary-usd', salary_min: 150_000, include_unknown_salary: false },
      { name: 'salary-eur', salary_min: 100_000, currency: 'EUR', include_unknown_salary: false },
      { name: 'salary-or-unknown', salary_min: 200_000, include_unknown_salary: true },
      { name: 'empty-title-list', title: [], include_unknown_salary: false },
      { name: 'quoted', query: '"machine learning" engineer', include_unknown_salary: false },
      { name: 'quoted-only', title: ['"Senior Machine"'], include_unknown_salary: false },
      { name: 'or-group', query: 'data scientist or ML engineer or "site reliability"', include_unknown_salary: false },
      { name: 'mlops', query: 'ML ops engineer', include_unknown_salary: false },
      { name: 'abbreviation', query: 'MLE', include_unknown_salary: false },
      { name: 'plural', title: ['engineers'], include_unknown_salary: false },
    ]);
    // A hand-built rule without precompiled matchers, whose one phrase has no words: it matches every title.
    const handBuilt: CompiledRule = { ...rules[0]!, name: 'hand-built', titleAny: [[]], exclude: ['scam'], prepared: undefined };
    const all = [...rules, handBuilt];
    const postings: Posting[] = [
      posting({}),
      posting({ title: 'Sr. MLE', arrangement: 'hybrid', location: 'Berlin, Germany' }),
      posting({ title: 'Senior MLOps Engineer', description: 'We use Node.js and C++.' }),
      posting({ title: 'Machine Learning Engineers', description: 'Crypto and WEB3 startups.' }),
      posting({ title: 'Data Scientist', company: 'Globex, Inc', salary: null, annualMin: null, annualMax: null }),
      posting({ title: 'Site Reliability Engineer', salary: { min: 90_000, max: 120_000, currency: 'EUR', period: 'year' }, annualMin: 90_000, annualMax: 120_000 }),
      posting({ title: 'Engineer', salary: { min: 1_900_000, max: null, currency: null, period: 'year' }, annualMin: 1_900_000, annualMax: null }),
      posting({ title: 'Engineer', salary: { min: 150, max: null, currency: 'XYZ', period: 'hour' }, annualMin: 312_000, annualMax: null }),
      posting({ title: 'Barista', arrangement: 'unknown', seniority: null, location: null, published: null }),
      posting({ title: 'Senior/Staff Engineer (Junior/Mid)', seniority: 'staff', arrangement: 'onsite', location: 'Denver, CO or Remote (US)' }),
      posting({ title: 'Old posting', published: new Date(NOW.getTime() - 30 * DAY) }),
      posting({ title: 'Café lead', description: 'CAFÉ culture; Security   Clearance required' }),
      // Letters that a case-insensitive Unicode regex matches to ASCII: the long s (s) and the Kelvin sign (k).
      posting({ title: 'Engineer', description: 'No ſcam, we promise. Our \u212A8s stack. Cryptography is fine.' }),
    ];
    assertSame(postings, all);
    const stats = createRuleIndex(all).stats();
    assert.ok(stats.always > 0 && stats.byArrangement > 0 && stats.bySalary > 0 && stats.byTitleWord > 0, JSON.stringify(stats));
  });

  it('keeps location answers per "where" only: postings alike but for the title, company, arrangement or regions', () => {
    // The index reuses a location answer for postings with the same arrangement, location and
    // remote regions, and, when the location names no place, the same title and company.
    const rules = compile([
      { name: 'berlin', location: ['Berlin'], include_unknown_salary: false },
      { name: 'london-or-remote', query: 'in London or remote', include_unknown_salary: false },
      { name: 'europe', location: ['Europe'], include_unknown_salary: false },
      { name: 'us', location: ['US'], include_unknown_salary: false },
    ]);
    const postings: Posting[] = [
      posting({ location: 'Remote', title: 'Backend Engineer (Berlin)' }),
      posting({ location: 'Remote', title: 'Backend Engineer (London)' }),
      posting({ location: 'Remote', title: 'Backend Engineer' }),
      posting({ location: null, title: 'Acme | Data Scientist | Berlin, Germany', company: 'Acme' }),
      posting({ location: null, title: 'Acme | Data Scientist | Berlin, Germany', company: 'Berlin, Germany' }),
      posting({ location: null, title: 'Acme | Data Scientist | Berlin, Germany', arrangement: 'onsite' }),
      posting({ location: 'Berlin, Germany', arrangement: 'onsite', title: 'Engineer (London)' }),
      posting({ location: 'Berlin, Germany', arrangement: 'remote' }),
      posting({ location: 'Berlin, Germany', arrangement: 'hybrid' }),
      posting({ location: 'Remote', remoteRegions: ['US'] }),
      posting({ location: 'Remote', remoteRegions: ['EMEA'] }),
      posting({ location: 'Remote', remoteRegions: [] }),
      posting({ location: 'Denver, CO or Remote (US)', remoteRegions: ['US'] }),
      posting({ location: 'Denver, CO or Remote (US)', remoteRegions: ['US'], arrangement: 'onsite' }),
    ];
    // Twice over, so the second pass meets every "where" again.
    assert.ok(assertSame([...postings, ...postings], rules) > 10);
  });

  it('still excludes words written with a long s or a Kelvin sign, which a case-insensitive Unicode regex matches', () => {
    const rules = compile([
      { name: 'no-scam', exclude: ['scam'], include_unknown_salary: false },
      { name: 'no-k8s', exclude: ['k8s'], include_unknown_salary: false },
    ]);
    const index = createRuleIndex(rules);
    const ctx = CONTEXTS[0]![1];
    const names = (description: string): string[] => index.match(posting({ description }), ctx).map((m) => m.rule.name);
    assert.deepEqual(names('a \u017fcam'), ['no-k8s']);
    assert.deepEqual(names('our \u212A8S cluster'), ['no-scam']);
    assert.deepEqual(names('nothing here'), ['no-scam', 'no-k8s']);
  });

  it('knows the characters besides ASCII that a case-insensitive Unicode regex matches to an ASCII letter or digit', () => {
    // PreparedPosting.mayContain searches an exclusion's key word with the exclusion regex's own
    // flags (iu), so these are found as the regex finds them (see the test above); a search by
    // lower-casing would have to fold the long s by hand.
    const asciiAlnum = /^[a-z0-9]$/iu;
    const others: string[] = [];
    for (let code = 0x80; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCodePoint(code);
      if (asciiAlnum.test(ch)) others.push(`U+${code.toString(16)} -> ${ch.toLowerCase()}`);
    }
    assert.deepEqual(others, ['U+17f -> \u017f', 'U+212a -> k']);
  });
});
