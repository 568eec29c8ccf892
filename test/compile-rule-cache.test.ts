/**
 * Compilation keeps per-text tables (title phrases, places, exclusion sources, token classes of the
 * query being parsed) so 10,000 rules compile fast (issue 9). Rules that share a text must still
 * come out as if compiled alone: equal, but owning their arrays, so changing one changes no other.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, compileRules } from '../src/match/compile-rule.js';
import { parseQuery } from '../src/match/query.js';
import { compileTitlePhrase } from '../src/match/title-terms.js';

const QUERY = 'remote senior ML engineer or "site reliability" engineer in Berlin or remote >= $130k -crypto no web3';

describe('compile tables', () => {
  it('two rules with the same query are equal and share no array, term, place or regex', () => {
    const { rules, issues } = compileRules([
      { name: 'a', query: QUERY, include_unknown_salary: false },
      { name: 'b', query: QUERY, include_unknown_salary: false },
    ]);
    assert.deepEqual(issues, []);
    const [a, b] = rules;
    assert.ok(a && b);
    assert.deepEqual({ ...a, name: 'b' }, b);
    assert.notEqual(a.titleAny, b.titleAny);
    a.titleAny!.forEach((phrase, i) => {
      assert.notEqual(phrase, b.titleAny![i]);
      phrase.forEach((term, j) => {
        assert.notEqual(term, b.titleAny![i]![j]);
        assert.notEqual(term.tokens, b.titleAny![i]![j]!.tokens);
      });
    });
    assert.notEqual(a.locations, b.locations);
    assert.notEqual(a.exclude, b.exclude);
    const pa = a.prepared!;
    const pb = b.prepared!;
    assert.deepEqual(pa.places, pb.places);
    pa.places.forEach((place, i) => {
      assert.notEqual(place, pb.places[i]);
      assert.notEqual(place.tokens, pb.places[i]!.tokens);
      if (place.readings) assert.notEqual(place.readings, pb.places[i]!.readings);
    });
    assert.notEqual(pa.excludePattern, pb.excludePattern);
    assert.equal(String(pa.excludePattern), String(pb.excludePattern));
  });

  it('changing a compiled rule does not change the next compile of the same text', () => {
    const first = compileRule({ name: 'a', query: QUERY, include_unknown_salary: false }).rule!;
    const fresh = JSON.stringify(first);
    const places = JSON.stringify(first.prepared!.places);
    first.titleAny![0]![0]!.tokens.push('blorf');
    first.titleAny![0]!.pop();
    first.prepared!.places[0]!.tokens.length = 0;
    first.prepared!.places[0]!.readings?.pop();
    const again = compileRule({ name: 'a', query: QUERY, include_unknown_salary: false }).rule!;
    assert.equal(JSON.stringify(again), fresh);
    assert.equal(JSON.stringify(again.prepared!.places), places);

    const phrase = compileTitlePhrase('ML engineer');
    phrase.terms[0]!.tokens.push('blorf');
    phrase.terms.pop();
    assert.deepEqual(compileTitlePhrase('ML engineer').terms, [
      { text: 'ML', tokens: ['machine', 'learning'], exact: false },
      { text: 'engineer', tokens: ['engineer'], exact: false },
    ]);
  });

  it('parseQuery() gives the same answer whatever was parsed before', () => {
    const queries = [QUERY, 'lead or staff data scientist NYC', 'tech lead', 'at least 120,000 USD hybrid', 'ML engineer USD/year', QUERY];
    const alone = queries.map((q) => JSON.stringify(parseQuery(q)));
    const interleaved = [...queries].reverse().map((q) => JSON.stringify(parseQuery(q))).reverse();
    assert.deepEqual(interleaved, alone);
    assert.equal(alone[0], alone[alone.length - 1]);
  });
});
