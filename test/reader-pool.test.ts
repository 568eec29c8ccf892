/**
 * The reader pool keeps one thread per core left by the main thread (one here) and starts another
 * only while a read runs long: a big feed must not stall the feeds behind it (feed-reader.ts STALL_MS).
 * Each feed's `begin` (its listing parsed, before anything is stored) is timed through the pool.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import type { FeedConfig } from '../src/config/schema.js';
import { createWorkerFeedReader, type FeedReader, type WorkerReaderOptions } from '../src/pipeline/feed-reader.js';
import type { PostingSink } from '../src/pipeline/read-feed.js';
import { rssFeed, startFeedServer, type FeedServer } from './helpers/feed-server.js';

let tmp: string;
let server: FeedServer;
const SMALL = 3;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pool-'));
  const item = (host: string, i: number) => ({
    title: `Senior Backend Engineer ${i} (Remote)`,
    link: `https://${host}.example/job/${i}`,
    descriptionHtml: `<p>Acme is hiring. ${'We build payment systems with Go and Postgres. '.repeat(35)}</p><p>Salary: $120,000 - $150,000 per year.</p>`,
    pubDate: new Date(),
  });
  // Seconds of parsing and normalizing: far past the stall time below.
  server = await startFeedServer({ '/big.rss': { kind: 'feed', body: Buffer.from(rssFeed('big', Array.from({ length: 2000 }, (_, i) => item('big', i)))) } });
  for (let f = 0; f < SMALL; f++) server.setRoute(`/small-${f}.rss`, { kind: 'feed', body: rssFeed(`small-${f}`, [item(`small${f}`, 0)]) });
});
after(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Polls the big feed and then the small ones through a pool made with `opts`; returns when each feed's listing was parsed.
async function beginTimes(name: string, opts: WorkerReaderOptions): Promise<Map<string, number>> {
  const pool = createWorkerFeedReader(opts);
  const begun = new Map<string, number>();
  const timed = (feed: FeedConfig, sink: PostingSink): PostingSink => ({
    begin(ids) {
      begun.set(feed.name, performance.now());
      sink.begin(ids);
    },
    take: (items) => sink.take(items),
  });
  const reader: FeedReader = {
    async reserve() {
      const slot = await pool.reserve();
      return { read: (feed, ctx, signal, skip, sink) => slot.read(feed, ctx, signal, skip, timed(feed, sink)), release: () => slot.release() };
    },
    read: (feed, ctx, signal, skip, sink) => pool.read(feed, ctx, signal, skip, timed(feed, sink)),
    close: () => pool.close(),
  };
  const feeds = ['big', ...Array.from({ length: SMALL }, (_, f) => `small-${f}`)].map((f) => `  - { name: ${f}, url: "${server.url(`/${f}.rss`)}" }`);
  const yaml = `database: ${path.join(tmp, `${name}.db`)}\nfetch:\n  max_body: 20MB\nfeeds:\n${feeds.join('\n')}\nchannels:\n  out: { type: console }\nrules:\n  - name: all\n    notify: [out]\n`;
  const config = parseConfigText(yaml, path.join(tmp, `${name}.yaml`), {});
  const app = await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), write: () => {}, reader });
  try {
    const outcomes = await app.pollAll();
    assert.deepEqual(outcomes.map((o) => o.status), ['ok', 'ok', 'ok', 'ok']);
  } finally {
    await app.close();
  }
  return begun;
}

test('a long read lets the feeds behind it start a thread of their own', async () => {
  // A small feed's read holds its thread until its postings are stored, after the big feed's: each
  // needs a thread of its own, so there are enough for all of them.
  const t = await beginTimes('elastic', { threads: 1, maxThreads: SMALL + 1, stallMs: 300 });
  for (let f = 0; f < SMALL; f++) assert.ok(t.get(`small-${f}`)! < t.get('big')!, `small-${f} was read before the big feed's listing was done`);
});

test('with no thread to spare, the feeds behind a long read wait for it (what the test above would see without the extra thread)', async () => {
  const t = await beginTimes('fixed', { threads: 1, maxThreads: 1 });
  for (let f = 0; f < SMALL; f++) assert.ok(t.get(`small-${f}`)! > t.get('big')!, `small-${f} waited for the big feed`);
});
