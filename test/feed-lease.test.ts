/**
 * A feed's poll lease over a poll's life: renewed while the poll runs (a poll longer than the lease
 * is never joined by a second poller, a dead poller's lease still lapses), and taken only when the
 * poll can start, so that two processes starting a tick together share its feeds. SQLite store,
 * real HTTP servers on 127.0.0.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import { systemClock } from '../src/core/types.js';
import { createFetcher } from '../src/http/fetcher.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createUnexportedMetrics } from '../src/ops/metrics.js';
import { createWorkerFeedReader } from '../src/pipeline/feed-reader.js';
import { pollFeed, type PollOutcome } from '../src/pipeline/poll-feed.js';
import { openSqliteStore } from '../src/store/open-store.js';
import { rssFeed } from './helpers/feed-server.js';
import { startHttpServer } from './helpers/http-server.js';

const item = (feed: string) => ({
  title: `Senior Machine Learning Engineer at ${feed}`,
  link: `https://jobs.example.test/${feed}`,
  guid: `${feed}-1`,
  descriptionHtml: '<p>Fully remote.</p>',
  pubDate: new Date(Date.now() - 3_600_000),
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a poll longer than its lease keeps it (renewed) and no one else polls the feed meanwhile; a dead poller\'s lease lapses', async () => {
  let requests = 0;
  const server = await startHttpServer(async (_req, res) => {
    requests++;
    await sleep(1200);
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('board', [item('board')]));
  });
  const store = openSqliteStore(':memory:', { clock: systemClock });
  try {
    const config = parseConfigText(`feeds:\n  - { name: board, url: "${server.url}/a.rss" }\n`, path.join(os.tmpdir(), 'lease.yaml'), {});
    const f = config.fetch;
    const ttlMs = 300;
    const poll = pollFeed(config.feeds[0]!, {
      fetcher: createFetcher({ timeoutMs: f.timeout, connectTimeoutMs: f.connect_timeout, maxBodyBytes: f.max_body, maxRedirects: f.max_redirects, perHost: f.per_host }),
      store,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      metrics: createUnexportedMetrics(),
      decide: () => [],
      lease: { owner: 'w1', ttlMs },
    });
    // Four lease times into the poll: without renewal the lease would have lapsed long ago.
    await sleep(4 * ttlMs);
    const other = await store.acquireFeedLease('board', 'w2', ttlMs);
    assert.equal(other.ok, false, 'still leased by the poll that runs');
    assert.equal(other.ok === false && other.leasedBy, 'w1');
    const outcome = await poll;
    assert.equal(outcome.status, 'ok');
    assert.equal(requests, 1);
    assert.equal((await store.getFeedState('board'))!.leasedBy, null, 'given back after the poll');

    // A poller killed mid-poll renews nothing: its lease lapses after its time and is taken.
    assert.equal((await store.acquireFeedLease('board', 'dead', ttlMs)).ok, true);
    assert.equal((await store.acquireFeedLease('board', 'w2', ttlMs)).ok, false);
    await sleep(ttlMs + 50);
    assert.equal((await store.acquireFeedLease('board', 'w2', ttlMs)).ok, true, 'lapsed');
  } finally {
    await store.close();
    await server.close();
  }
});

test('two processes starting a tick together on 6 feeds each poll some: a feed waiting for a reader slot is not leased', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-lease-share-'));
  const FEEDS = 6;
  // When each request came, who made it, and how many leases were held then.
  const seen: Array<{ feed: string; worker: string; leases: number }> = [];
  let db: ReturnType<typeof openSqliteStore> | null = null;
  const server = await startHttpServer(async (req, res) => {
    const feed = (req.url ?? '').slice(1, -'.rss'.length);
    const now = Date.now();
    const leases = (await db!.listFeedStates()).filter((s) => s.leasedBy && s.leaseUntil && s.leaseUntil.getTime() > now).length;
    seen.push({ feed, worker: String(req.headers['user-agent']), leases });
    await sleep(150);
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed(feed, [item(feed)]));
  });
  const apps: Awaited<ReturnType<typeof createApp>>[] = [];
  try {
    const feeds = Array.from({ length: FEEDS }, (_, f) => `  - { name: f${f}, url: "${server.url}/f${f}.rss" }`).join('\n');
    for (const worker of ['A', 'B']) {
      const yaml = `database: ${path.join(dir, 'jobalert.db')}\nhttp: { port: 0 }\nfetch: { timeout: 5s, user_agent: ${worker} }\nfeeds:\n${feeds}\nchannels:\n  out: { type: console }\nrules:\n  - name: all\n    notify: [out]\n`;
      const config = parseConfigText(yaml, path.join(dir, `${worker}.yaml`), {});
      // One reader slot each: a poll waits for it, as most of a tick's feeds do.
      apps.push(await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), write: () => {}, reader: createWorkerFeedReader({ threads: 1, maxThreads: 1 }) }));
    }
    db = openSqliteStore(path.join(dir, 'jobalert.db'), { clock: systemClock });
    const [a, b] = (await Promise.all(apps.map((app) => app.pollAll()))) as [PollOutcome[], PollOutcome[]];
    const polled = (outcomes: PollOutcome[]) => outcomes.filter((o) => o.status === 'ok').map((o) => o.feed);
    const [byA, byB] = [polled(a), polled(b)];
    const detail = JSON.stringify({ byA, byB, seen });
    assert.ok(byA.length > 0 && byB.length > 0, `both polled some feeds: ${detail}`);
    assert.deepEqual([...new Set([...byA, ...byB])].sort(), Array.from({ length: FEEDS }, (_, f) => `f${f}`), `every feed polled: ${detail}`);
    // One slot each: at most one lease per process at any request (were the leases taken as the
    // tick scheduled the polls, the first request would find all of one process's feeds leased).
    assert.ok(seen.every((s) => s.leases <= 2), `at most two leases held at once: ${detail}`);
    for (const o of [...a, ...b]) assert.ok(o.status === 'ok' || o.status === 'leased' || o.status === 'not_modified', JSON.stringify(o));
  } finally {
    await Promise.all(apps.map((app) => app.close()));
    await db?.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
