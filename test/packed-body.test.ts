import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pino } from 'pino';
import type { FeedConfig } from '../src/config/schema.js';
import type { FetchResult } from '../src/http/fetcher.js';
import { readFeed, type FeedRead } from '../src/pipeline/read-feed.js';
import { PackedBody } from '../src/http/packed-body.js';
import { decodeBody } from '../src/http/charset.js';
import type { IngestItem } from '../src/store/store.js';
import { rssFeed } from './helpers/feed-server.js';

test('a packed body reads back any byte range, within and across its blocks', () => {
  // Text-like bytes compress; random ones do not: both come back the same.
  const text = Buffer.from('<item><title>Ingénieur · 5 000 € </title></item>\n'.repeat(60_000));
  for (const bytes of [text, randomBytes(2_500_000)]) {
    const packed = PackedBody.pack(bytes);
    assert.equal(packed.length, bytes.length);
    const MB = 1024 * 1024;
    for (const [s, e] of [[0, 10], [MB - 5, MB + 5], [10, 2 * MB + 3], [MB, MB], [bytes.length - 7, bytes.length + 100], [0, bytes.length]] as const) {
      assert.ok(packed.read(s, e).equals(bytes.subarray(s, e)), `[${s}, ${e})`);
    }
  }
  assert.ok(PackedBody.pack(text).packedBytes < text.length / 5, 'XML-like text is held at a fraction of its size');
});

// A plain feed of about 1.4 MB: read from its bytes (over 1 MB), in several batches, over two 1 MB blocks once packed.
const FEED: FeedConfig = { name: 'big', url: 'https://big.example/feed.xml', type: 'rss' } as FeedConfig;
function bigFeed(): Buffer {
  const items = Array.from({ length: 600 }, (_, i) => ({
    title: `Ingénieure logiciel senior ${i} (Remote)`,
    link: `https://big.example/jobs/${i}`,
    descriptionHtml: `<p>Équipe paiements, ${'Go, Postgres et Kafka · '.repeat(80)}</p><p>Salaire : 70 000 € – 85 000 € par an. Lieu : Paris, France.</p>`,
    pubDate: new Date(Date.UTC(2026, 11, 1, 0, i)),
  }));
  return Buffer.from(rssFeed('big', items));
}

async function read(original: Buffer, opts: { stream?: boolean; packed?: boolean; contentType?: string }): Promise<{ result: FeedRead; postings: IngestItem[] }> {
  // Its own bytes, as each fetch has: what a read learns of a body is kept by its bytes.
  const body = Buffer.from(original);
  const packed = opts.packed ? PackedBody.pack(body) : undefined;
  const contentType = opts.contentType ?? 'application/rss+xml; charset=utf-8';
  const res: FetchResult = { notModified: false, status: 200, url: FEED.url!, body, ...(packed ? { packed } : {}), text: decodeBody(body, contentType), contentType, etag: null, lastModified: null };
  const ctx = { fetch: async () => res, log: pino({ level: 'silent' }), now: new Date(Date.UTC(2026, 11, 2)), etag: null, lastModified: null };
  const postings: IngestItem[] = [];
  const skip = opts.stream === undefined ? {} : { stream: opts.stream };
  const result = await readFeed(FEED, ctx, skip, res, { begin() {}, take: async (items) => void postings.push(...items) });
  return { result, postings };
}

test('a big feed kept packed gives what reading it whole, or from its bytes, gives', async () => {
  const body = bigFeed();
  assert.ok(body.length > 1024 * 1024 + 100_000);
  const whole = await read(body, { stream: false });
  const packed = await read(body, { packed: true });
  const unpacked = await read(body, {});
  assert.equal(whole.postings.length, 600);
  assert.deepEqual(packed.postings, whole.postings);
  assert.deepEqual(unpacked.postings, whole.postings);
  // The body hash differs by design: a packed body is hashed by its bytes' own hash (item-hash.ts).
  assert.deepEqual({ ...packed.result, bodyHash: null }, { ...unpacked.result, bodyHash: null });
  assert.match(JSON.stringify(packed.postings[599]), /Ingénieure logiciel senior 599/);
});

test('a packed body decodes as the whole body would: BOM, undeclared charset told by bytes across block ends, UTF-16', async () => {
  // No XML declaration: nothing but the bytes says the charset.
  const body = Buffer.from(bigFeed().toString('utf8').replace(/^<\?xml[^>]*>/, ''));
  const cases: Array<[string, Buffer, string]> = [
    // A UTF-8 BOM, and a charset named by nothing: the bytes (valid UTF-8 over every block) decide.
    ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]), 'application/rss+xml'],
    ['undeclared UTF-8', body, 'application/rss+xml'],
    // windows-1252: one byte per character (not valid UTF-8 anywhere), "€" and "–" as 0x80 and 0x96.
    ['undeclared windows-1252', Buffer.from(body.toString('utf8').replace(/€/g, '\x80').replace(/–/g, '\x96'), 'latin1'), 'application/xml'],
    // UTF-16 cannot be read in pieces: read whole, the same postings.
    ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body.toString('utf8'), 'utf16le')]), 'application/xml'],
  ];
  const reference = (await read(body, { stream: false })).postings;
  for (const [name, bytes, contentType] of cases) {
    const packed = await read(bytes, { packed: true, contentType });
    assert.deepEqual(packed.postings, reference, name);
  }
});

test('undeclared UTF-8 whose multi-byte characters straddle block ends is still told from windows-1252', async () => {
  // "é" (2 bytes) and "€" (3 bytes) placed so that some fall across a 1 MB block end.
  const items = Array.from({ length: 4000 }, (_, i) => ({
    title: `Développeur ${i} — 5 000 € (Remote)`,
    link: `https://big.example/jobs/${i}`,
    descriptionHtml: `<p>${'é€'.repeat(37 + (i % 5))} ${'€'.repeat(200)}</p>`,
    pubDate: new Date(Date.UTC(2026, 11, 1, 0, i % 60)),
  }));
  const body = Buffer.from(rssFeed('big', items).replace(/^<\?xml[^>]*>/, ''));
  const MB = 1024 * 1024;
  const cut = (k: number) => (body[k * MB]! & 0xc0) === 0x80;
  assert.ok([1, 2, 3].some(cut), 'a block end falls inside a character');
  const packed = await read(body, { packed: true, contentType: 'application/xml' });
  const whole = await read(body, { stream: false, contentType: 'application/xml' });
  assert.deepEqual(packed.postings, whole.postings);
  assert.match(JSON.stringify(packed.postings[3999]), /Développeur 3999 — 5 000 €/);
});
