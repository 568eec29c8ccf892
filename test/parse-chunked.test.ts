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
import { decodeBody } from '../src/http/charset.js';
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

/** The same read from the body's bytes (parse-feed.ts FeedBytes), as the feed adapter reads a big body. */
async function outcomeFromBytes(bytes: Buffer, contentType: string | null, chunking: ParseChunking | undefined): Promise<Outcome> {
  try {
    const body = { bytes, contentType, text: () => decodeBody(bytes, contentType) };
    return { ok: await parseFeed(body, { type: 'auto', baseUrl: BASE, bytesFrom: 0, ...(chunking ? { chunking } : {}) }) };
  } catch (err) {
    assert.ok(err instanceof ParseError, `expected a ParseError, got ${String(err)}`);
    return { error: err.message };
  }
}

/**
 * Asserts every chunking gives what the whole document gives, from the text and (given `bytes`,
 * the body the text was decoded from) from the bytes; returns that.
 */
async function assertSameAsWhole(text: string, label: string, bytes?: { body: Buffer; contentType: string | null }): Promise<Outcome> {
  const whole = await outcome(text, 'whole');
  // By default, the text's UTF-8 bytes, the charset said by the header (it wins over an XML declaration).
  bytes ??= { body: Buffer.from(text, 'utf8'), contentType: 'application/xml; charset=utf-8' };
  for (const chunking of [...CHUNKINGS, undefined]) {
    assert.deepStrictEqual(await outcome(text, chunking), whole, `${label}: ${JSON.stringify(chunking ?? 'default')} differs from the whole document`);
    if (bytes) {
      const fromBytes = await outcomeFromBytes(bytes.body, bytes.contentType, chunking);
      assert.deepStrictEqual(fromBytes, whole, `${label}: ${JSON.stringify(chunking ?? 'default')} from the bytes differs from the whole document`);
    }
  }
  return whole;
}

test('every feed fixture parses the same in batches as whole', async () => {
  const dir = new URL('./fixtures/feeds/', import.meta.url);
  const names = fs.readdirSync(dir).filter((n) => !n.endsWith('.json'));
  assert.ok(names.length >= 10);
  for (const name of names) {
    const bytes = fs.readFileSync(new URL(name, dir));
    const contentType = name.startsWith('windows-1252') ? 'application/xml; charset=windows-1252' : null;
    await assertSameAsWhole(decodeBody(bytes, contentType), name, { body: bytes, contentType });
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

test('read from its bytes, a feed gives what its decoded text gives, in every charset and on every refusal', async () => {
  const item = (i: number, title: string) =>
    `<item><title>${title} ${i}</title><link>https://jobs.example.test/${i}</link><guid>g-${i}</guid><description><![CDATA[<p>Pay: €${i}0,000 – ${title}</p>]]></description></item>`;
  const rss = (items: string, decl = '<?xml version="1.0" encoding="UTF-8"?>') => `${decl}<rss version="2.0"><channel><title>Zürich — jobs</title>${items}</channel></rss>`;
  // Multi-byte characters everywhere, right up to the item boundaries.
  const utf8 = rss(Array.from({ length: 12 }, (_, i) => item(i, i % 2 ? 'Ingénieur·e 🚀' : '数据工程师')).join('€'));
  const cases: Array<[string, Buffer, string | null]> = [
    ['utf-8, no header', Buffer.from(utf8, 'utf8'), null],
    ['utf-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(utf8, 'utf8')]), 'text/xml'],
    // windows-1252 by its declaration: 0x80 is €, 0x96 is –.
    ['windows-1252', Buffer.from(rss(Array.from({ length: 9 }, (_, i) => item(i, 'Café\x80')).join(''), '<?xml version="1.0" encoding="windows-1252"?>').replace(/€/g, '\x80').replace(/–/g, '\x96'), 'latin1'), null],
    // Not a charset whose bytes can be cut anywhere: read as text.
    ['utf-16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.replace('UTF-8', 'UTF-16'), 'utf16le')]), null],
    ['shift_jis by header', Buffer.from(rss(Array.from({ length: 5 }, (_, i) => item(i, 'Engineer')).join('')), 'latin1'), 'text/xml; charset=shift_jis'],
    ['an entity declaration', Buffer.from(`<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]>${rss(item(1, 'A'), '')}`), null],
    ['HTML', Buffer.from('<!doctype html><html><body>Careers</body></html>'), 'text/html'],
    ['not closed', Buffer.from(rss(item(1, 'A')).slice(0, -20)), null],
    ['atom with xhtml', Buffer.from(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>${Array.from({ length: 4 }, (_, i) => `<entry><id>e${i}</id><title>Job ${i}</title><link href="https://jobs.example.test/${i}"/><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Remote – €1</p></div></content></entry>`).join('')}</feed>`), null],
  ];
  for (const [label, body, contentType] of cases) {
    const text = decodeBody(body, contentType);
    const whole = await assertSameAsWhole(text, label, { body, contentType });
    if (label === 'utf-8, no header') assert.ok('ok' in whole && whole.ok.postings.length === 12 && whole.ok.postings[1]!.title.includes('🚀'), label);
  }
});
