/**
 * Every text path takes time in proportion to its input (issue 8, item 2): pathological strings
 * (bracket groups, deep nesting, long runs of one character, a single 1 MB word, many "<" and "&")
 * go through each normalize / dedupe / match entry point at two sizes, and doubling the input must
 * not do much more than double the time. Fields are cut to their limits where postings are built,
 * so a posting's path is measured from the raw posting (boundRawPosting) as the daemon runs it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawPosting } from '../src/core/types.js';
import { companyKey, dedupeKeys, titleKey } from '../src/dedupe/job-key.js';
import { shingles } from '../src/dedupe/fingerprint.js';
import { boundRawPosting, cutText, FIELD_LIMITS } from '../src/normalize/field-limits.js';
import { htmlToPlainText } from '../src/normalize/html-text.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { compileRule } from '../src/match/compile-rule.js';
import { matchPosting } from '../src/match/match-posting.js';
import { DEFAULT_EXCHANGE_RATES } from '../src/match/currency.js';
import { parseFeed } from '../src/sources/parse-feed.js';
import { xmlEscape } from './helpers/feed-server.js';

/** Strings of about n characters that have made text code slow somewhere. */
const PATHOLOGICAL: Record<string, (n: number) => string> = {
  'bracket groups': (n) => '[a](b)'.repeat(n / 6),
  'open parentheses': (n) => '('.repeat(n),
  'balanced nesting': (n) => `${'('.repeat(n / 2)}${')'.repeat(n / 2)}`,
  'mixed brackets': (n) => '[('.repeat(n / 2),
  spaces: (n) => `a${' '.repeat(n)}b`,
  'no-break spaces': (n) => `a${'\u00a0'.repeat(n)}b`,
  dots: (n) => '.'.repeat(n),
  digits: (n) => '1'.repeat(n),
  dollars: (n) => '$'.repeat(n),
  'dollar amounts': (n) => '$1 '.repeat(n / 3),
  'one word': (n) => 'a'.repeat(n),
  'less-than signs': (n) => '<'.repeat(n),
  'open tags': (n) => '<a '.repeat(n / 3),
  ampersands: (n) => '&'.repeat(n),
  'entity starts': (n) => '&amp'.repeat(n / 4),
  commas: (n) => ', '.repeat(n / 2),
  'spaced dashes': (n) => ' - '.repeat(n / 3),
  pipes: (n) => '|'.repeat(n),
  'at signs': (n) => 'a@'.repeat(n / 2),
  'numbers and commas': (n) => '1,'.repeat(n / 2),
  'remote words': (n) => 'remote '.repeat(n / 7),
  'places': (n) => 'New York, '.repeat(n / 10),
  mojibake: (n) => 'Ã©'.repeat(n / 2),
  'salary ranges': (n) => '$100k-$200k '.repeat(n / 12),
  'short lines': (n) => 'a\n'.repeat(n / 2),
  'label lines': (n) => 'Location: x\n'.repeat(n / 12),
};

const RULE = compileRule({ name: 'r', include_unknown_salary: false, query: 'remote senior ML engineer in Berlin >= $130k -crypto', companies_exclude: ['Acme'] }).rule!;
const CTX = { now: new Date('2026-11-20T08:00:00Z'), maxAgeMs: 14 * 86_400_000, exchangeRates: { ...DEFAULT_EXCHANGE_RATES } };

/** What the daemon does with one posting: bound, normalize, dedupe keys, fingerprint, match. */
function throughPipeline(fields: Partial<RawPosting>): void {
  const raw: RawPosting = { sourceId: 'x', url: 'https://example.com/x', title: 'Engineer', company: 'Acme', location: 'Berlin', description: 'Hello', published: CTX.now, ...fields };
  const posting = normalizePosting(boundRawPosting(raw).posting, 'f');
  dedupeKeys(posting);
  shingles(posting.description);
  matchPosting(posting, RULE, CTX);
}

/** Entry points, each given a pathological string of about n characters. */
const ENTRY_POINTS: Record<string, (s: string) => unknown> = {
  'posting title': (s) => throughPipeline({ title: s }),
  'posting company': (s) => throughPipeline({ company: s }),
  'posting location': (s) => throughPipeline({ location: s }),
  'posting description': (s) => throughPipeline({ description: s }),
  'posting tags and id': (s) => throughPipeline({ sourceId: s, tags: [s, s] }),
  'title key': (s) => titleKey(s, { company: 'Acme', location: 'Berlin' }),
  'company key': (s) => companyKey(s),
  'HTML to text': (s) => htmlToPlainText(s),
};

function timeOf(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

// The faster of two runs: a busy machine slows single runs, a quadratic path slows them all.
function bestOf(fn: () => unknown): number {
  return Math.min(timeOf(fn), timeOf(fn));
}

const SMALL = 25_000;
const LARGE = 50_000;
// Doubling the input may cost up to three times as much (caches, GC), plus a fixed slack for timer noise.
const SLACK_MS = 40;

describe('text paths grow linearly with their input', () => {
  for (const [entry, fn] of Object.entries(ENTRY_POINTS)) {
    it(entry, () => {
      const slow: string[] = [];
      for (const [name, make] of Object.entries(PATHOLOGICAL)) {
        const small = make(SMALL);
        const large = make(LARGE);
        fn(small); // warm up: compiled regexes, memo tables
        const a = bestOf(() => fn(small));
        const b = bestOf(() => fn(large));
        if (b > 3 * a + SLACK_MS) slow.push(`${name}: ${Math.round(a)} ms at ${SMALL / 1000}k, ${Math.round(b)} ms at ${LARGE / 1000}k`);
      }
      assert.deepEqual(slow, []);
    });
  }

  it('the title key of a 160 KB title of bracket groups (16 s before) takes well under a second', () => {
    const title = '[a](b)'.repeat(160 * 1024 / 6);
    const took = bestOf(() => titleKey(title, { company: 'Acme' }));
    assert.ok(took < 1000, `took ${Math.round(took)} ms`);
  });

  it('a 1 MB single word through a posting', () => {
    const word = 'a'.repeat(1024 * 1024);
    const took = bestOf(() => throughPipeline({ title: word, company: word, location: word, description: word }));
    assert.ok(took < 1000, `took ${Math.round(took)} ms`);
  });
});

describe('field limits', () => {
  it('cuts long fields at a word, with an ellipsis, and says which', () => {
    const words = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const { posting, cut } = boundRawPosting({
      sourceId: 'id'.repeat(1000),
      url: 'https://example.com/x',
      title: words,
      company: 'Acme',
      location: 'Berlin',
      description: 'ok',
      published: null,
      tags: Array.from({ length: 80 }, (_, i) => `tag${i}`),
    });
    assert.deepEqual(cut.sort(), ['sourceId', 'tags', 'title']);
    assert.ok(posting.title.length <= FIELD_LIMITS.title);
    assert.match(posting.title, /^word0 word1 .* word\d+…$/);
    assert.equal(posting.company, 'Acme');
    assert.match(posting.sourceId, /^sha256:[0-9a-f]{64}$/);
    assert.equal(posting.tags!.length, FIELD_LIMITS.tags);
    // The same long id gives the same hash on every poll.
    assert.equal(boundRawPosting({ ...posting, sourceId: 'id'.repeat(1000) }).posting.sourceId, posting.sourceId);
  });

  it('cuts a description at a line break and never splits a surrogate pair', () => {
    const text = `${'line of text\n'.repeat(FIELD_LIMITS.description / 10)}`;
    const cutDescription = boundRawPosting({ sourceId: 'x', url: 'https://e.com', title: 't', company: null, location: null, description: text, published: null }).posting.description;
    assert.ok(cutDescription.length <= FIELD_LIMITS.description);
    assert.ok(cutDescription.endsWith('line of text…'));
    assert.equal(cutText('💰'.repeat(10), 6, ' '), '💰💰…');
  });

  it('refuses a link too long to open instead of cutting it into a broken one', () => {
    assert.throws(
      () => boundRawPosting({ sourceId: 'x', url: `https://e.com/${'a'.repeat(FIELD_LIMITS.url)}`, title: 't', company: null, location: null, description: '', published: null }),
      /link longer than/,
    );
  });

  it('a feed item with a 1 MB title becomes a posting with a title of at most the limit', async () => {
    const title = `Senior Engineer ${'x'.repeat(1024 * 1024)}`;
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>${xmlEscape(title)}</title><link>https://e.com/1</link><description>d</description></item></channel></rss>`;
    const feed = await parseFeed(body, { type: 'auto', baseUrl: 'https://e.com/' });
    assert.equal(feed.postings.length, 1);
    const { posting, cut } = boundRawPosting(feed.postings[0]!);
    assert.deepEqual(cut, ['title']);
    assert.ok(posting.title.startsWith('Senior Engineer') && posting.title.length <= FIELD_LIMITS.title);
  });
});

describe('deeply nested XML', () => {
  for (const kb of [160, 700]) {
    it(`is refused before parsing, quickly (${kb} KB; 10 s and over 120 s before)`, async () => {
      const depth = (kb * 1024) / 7;
      const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>t</title><link>https://e.com/1</link><description>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</description></item></channel></rss>`;
      const started = performance.now();
      await assert.rejects(parseFeed(body, { type: 'auto', baseUrl: 'https://e.com/' }), /nested deeper than 100 elements/);
      assert.ok(performance.now() - started < 1000);
    });
  }

  it('a feed with HTML nested a few dozen levels in its items still parses', async () => {
    const html = `${'<div>'.repeat(40)}Remote role${'</div>'.repeat(40)}`;
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Engineer</title><link>https://e.com/1</link><description>${html}</description></item></channel></rss>`;
    const feed = await parseFeed(body, { type: 'auto', baseUrl: 'https://e.com/' });
    assert.equal(feed.postings.length, 1);
    // Comments, CDATA and attributes holding ">" do not count as elements.
    const tricky = `<?xml version="1.0"?><!-- <a><a><a> --><rss version="2.0"><channel><title a=">">t</title><item><title>E</title><link>https://e.com/2</link><description><![CDATA[${'<p>'.repeat(500)}]]></description></item></channel></rss>`;
    assert.equal((await parseFeed(tricky, { type: 'auto', baseUrl: 'https://e.com/' })).postings.length, 1);
  });
});
