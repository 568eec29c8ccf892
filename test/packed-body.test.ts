import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { pino } from 'pino';
import type { FeedConfig } from '../src/config/schema.js';
import type { FetchResult } from '../src/http/fetcher.js';
import { readFeed, type FeedRead } from '../src/pipeline/read-feed.js';
import { PackedBody } from '../src/sources/packed-body.js';
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

async function read(body: Buffer, skip: { stream?: boolean; packFrom?: number }): Promise<{ result: FeedRead; postings: IngestItem[] }> {
  const res: FetchResult = { notModified: false, status: 200, url: FEED.url!, body, text: body.toString('utf8'), contentType: 'application/rss+xml; charset=utf-8', etag: null, lastModified: null };
  const ctx = { fetch: async () => res, log: pino({ level: 'silent' }), now: new Date(Date.UTC(2026, 11, 2)), etag: null, lastModified: null };
  const postings: IngestItem[] = [];
  const result = await readFeed(FEED, ctx, skip, res, { begin() {}, take: async (items) => void postings.push(...items) });
  return { result, postings };
}

test('a big feed kept compressed between its two passes gives what reading it whole gives', async () => {
  const body = bigFeed();
  assert.ok(body.length > 1024 * 1024 + 100_000);
  const whole = await read(body, { stream: false });
  const packed = await read(body, { packFrom: 0 });
  const unpacked = await read(body, { packFrom: Infinity });
  assert.equal(whole.postings.length, 600);
  assert.deepEqual(packed.postings, whole.postings);
  assert.deepEqual(unpacked.postings, whole.postings);
  assert.deepEqual(packed.result, unpacked.result);
  assert.match(JSON.stringify(packed.postings[599]), /Ingénieure logiciel senior 599/);
});
