/**
 * Big XML feeds are parsed a batch of items at a time (parse-feed.ts, issue 9 "Stream"): the
 * postings, skipped items, title and errors must be exactly those of parsing the whole document,
 * on every feed fixture, on generated big feeds of each format, and on documents built to trip a
 * splitter (CDATA, comments and PIs holding tags, a second channel, broken items).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { feedXml } from '../bench/corpus.js';
import { ParseError } from '../src/core/errors.js';
import { parseFeed, splitItems, type ParseChunking } from '../src/sources/parse-feed.js';

const BASE = 'https://jobs.example.test/board/';
// Batches of one item, of three, of a few characters (one item each, whatever the count), and the default.
const CHUNKINGS: ParseChunking[] = [{ items: 1, chars: Infinity }, { items: 3, chars: Infinity }, { items: 1000, chars: 10 }, { items: 250, chars: 1_000_000 }];

type Outcome = { ok: Awaited<ReturnType<typeof parseFeed>> } | { error: string };

async function outcome(text: string, chunking: ParseChunking | undefined, type: 'auto' | 'rss' | 'atom' | 'rdf' = 'auto'): Promise<Outcome> {
  try {
    return { ok: await parseFeed(text, { type, baseUrl: BASE, ...(chunking ? { chunking } : {}) }) };
  } catch (err) {
    assert.ok(err instanceof ParseError, `expected a ParseError, got ${String(err)}`);
    return { error: err.message };
  }
}

/** Asserts every chunking gives what the whole document gives; returns that. */
async function assertSameAsWhole(text: string, label: string): Promise<Outcome> {
  const whole = await outcome(text, 'whole');
  for (const chunking of [...CHUNKINGS, undefined]) {
    assert.deepStrictEqual(await outcome(text, chunking), whole, `${label}: ${JSON.stringify(chunking ?? 'default')} differs from the whole document`);
  }
  return whole;
}

test('every feed fixture parses the same in batches as whole', async () => {
  const dir = new URL('./fixtures/feeds/', import.meta.url);
  const names = fs.readdirSync(dir).filter((n) => !n.endsWith('.json'));
  assert.ok(names.length >= 10);
  for (const name of names) {
    const bytes = fs.readFileSync(new URL(name, dir));
    const text = name.startsWith('windows-1252') ? new TextDecoder('windows-1252').decode(bytes) : bytes.toString('utf8');
    await assertSameAsWhole(text, name);
  }
});

test('a generated 300-item RSS feed: same postings in batches, and batching really happened', async () => {
  const text = feedXml(3, -5, 294, { seed: 7, baseTime: Date.parse('2026-11-20T08:00:00Z') });
  const whole = await assertSameAsWhole(text, 'bench corpus');
  assert.ok('ok' in whole && whole.ok.postings.length === 300);
  assert.equal(splitItems(text)?.items.length, 300);
});

const atomEntry = (i: number) => `<entry>
  <id>urn:job:${i}</id><title type="html">Senior Engineer &amp; Lead ${i}</title>
  ${i % 4 === 0 ? `<link>https://jobs.example.test/${i}</link>` : `<link rel="alternate" href="https://jobs.example.test/${i}"/>`}
  <published>${i % 5 === 0 ? 'not a date' : '2026-11-19T10:00:00Z'}</published><updated>2026-11-19T11:00:00Z</updated>
  <author><name>Acme ${i}</name></author><category term="eng" label="Engineering"/>
  ${i % 3 === 0 ? `<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Remote <em>only</em>, $${100 + i},000 &nbsp;per year</div></content>` : `<summary>Berlin &mdash; hybrid</summary><content type="html">&lt;p&gt;Salary €${60 + i}k&lt;/p&gt;</content>`}
  <job:location xmlns:job="urn:jobs">Place ${i}</job:location>
</entry>`;

test('a generated Atom feed (xhtml content, bare links, bad dates) is the same in batches', async () => {
  const entries = Array.from({ length: 40 }, (_, i) => atomEntry(i)).join('\n<!-- <entry> in a comment --><?pi <entry>?>\n');
  const text = `<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Board &amp; co</title><link href="${BASE}"/>\n${entries}\n<rights>after the entries</rights></feed>`;
  const whole = await assertSameAsWhole(text, 'atom');
  assert.ok('ok' in whole && whole.ok.postings.length === 40 && whole.ok.title === 'Board & co');
});

test('a generated RSS 1.0 (RDF) feed is the same in batches', async () => {
  const items = Array.from(
    { length: 25 },
    (_, i) => `<item rdf:about="https://jobs.example.test/rdf/${i}"><title>Data Scientist ${i}</title><link>https://jobs.example.test/rdf/${i}</link><dc:date>2026-11-19</dc:date><dc:subject>ML</dc:subject><description>Remote (EU) &eacute;</description></item>`,
  ).join('\n');
  const text = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="x"><title>RDF board</title></channel>\n${items}\n</rdf:RDF>`;
  const whole = await assertSameAsWhole(text, 'rdf');
  assert.ok('ok' in whole && whole.ok.postings.length === 25);
});

const rssItem = (i: number, extra = '') =>
  `<item><title>Backend Engineer ${i}</title><link>https://jobs.example.test/r/${i}</link><guid>g-${i}</guid><pubDate>Thu, 19 Nov 2026 10:00:00 GMT</pubDate><description><![CDATA[<p>Remote. </item> not a tag here, nor <item> ${i}</p>]]></description>${extra}</item>`;
const rss = (body: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>\n${body}\n</channel></rss>`;

test('documents built to trip a splitter parse the same in batches as whole', async () => {
  const items = (n: number, from = 0) => Array.from({ length: n }, (_, i) => rssItem(from + i)).join('\n');
  const cases: Record<string, string> = {
    'items with skipped ones (no title, bad link)': rss(`${items(4)}<item><link>https://x.test/1</link></item><item><title>No link</title></item><item/>${items(4, 10)}`),
    'channel children between and after items': rss(`${items(3)}<image><url>https://x.test/i.png</url></image>${items(3, 5)}<ttl>60</ttl>`),
    'a second channel': `<rss version="2.0"><channel><title>One</title>${items(5)}</channel><channel><title>Two</title>${items(5, 50)}</channel></rss>`,
    'items directly under rss': `<rss version="0.91"><channel><title>C</title>${items(3)}</channel>${items(3, 9)}</rss>`,
    'nested item elements': rss(`${items(2)}<item><title>Outer</title><link>https://x.test/o</link><item><title>Inner</title></item></item>${items(2, 7)}`),
    'attributes holding > and <item>': rss(`${items(2)}<item data-x="a > b <item>"><title>Attr</title><link>https://x.test/a</link></item>${items(2, 4)}`),
    'a broken item (mismatched tag)': rss(`${items(3)}<item><title>Broken</titel><link>https://x.test/b</link></item>${items(3, 6)}`),
    'an unclosed item at the end': rss(`${items(4)}<item><title>Open</title>`).replace('</channel></rss>', ''),
    'an unescaped < in an item': rss(`${items(3)}<item><title>a < b</title><link>https://x.test/lt</link></item>${items(3, 6)}`),
    'bare ampersands and HTML entities': rss(`${items(2)}<item><title>AT&T &eacute;quipe &#146;</title><link>https://x.test/amp?a=1&b=2</link></item>${items(2, 3)}`),
    'text after the root': `${rss(items(6))}trailing junk`,
    'a CDATA marker inside a comment, bare ampersands after it': rss(`<!-- <![CDATA[ -->${items(2)}<item><title>R&D</title><link>https://x.test/rd</link></item>${items(2, 3)}<!-- ]]> -->`),
    'entities at the edges of items': rss(`&amp${items(2)}&nbsp;<item><title>&eacute;&</title><link>https://x.test/e?a&b</link></item>&${items(2, 3)}&#x41;`),
    'no channel title, items only': `<rss version="2.0"><channel>${items(5)}</channel></rss>`,
  };
  for (const [label, text] of Object.entries(cases)) await assertSameAsWhole(text, label);
  // The broken ones still fail, with the message of the whole document (its line and column).
  const broken = await outcome(cases['a broken item (mismatched tag)']!, undefined);
  assert.ok('error' in broken && /^invalid XML: Unexpected close tag \(line \d+, column \d+\)$/.test(broken.error), JSON.stringify(broken));
});

test('splitItems refuses what it cannot cut with certainty', () => {
  assert.equal(splitItems('<html><body><item/></body></html>'), null, 'unknown root');
  assert.equal(splitItems(rss('')), null, 'no items');
  assert.equal(splitItems(rss(`${rssItem(1)}<item><title>x</title>`)), null, 'unclosed');
  assert.equal(splitItems(rss(`${rssItem(1)}<item><b></i></item>`)), null, 'mismatched');
  const split = splitItems(rss(`${rssItem(1)}\n<ttl>5</ttl>\n${rssItem(2)}`))!;
  assert.equal(split.items.length, 2);
  assert.deepEqual(split.between, ['\n<ttl>5</ttl>\n']);
});
