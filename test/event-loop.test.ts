/**
 * One hostile feed must not freeze the daemon (issue 8, item 2): hostile feeds are polled through
 * the real pipeline (createApp: fetch from a local server, parse and normalize in worker threads,
 * store in a real SQLite file) at the same time as 20 healthy feeds, while a 10 ms timer measures
 * how long the event loop is held. Every healthy feed must succeed and no block may exceed the bound.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp, type App } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createWorkerFeedReader, type FeedReader } from '../src/pipeline/feed-reader.js';
import type { PollOutcome } from '../src/pipeline/poll-feed.js';
import { rssFeed, startFeedServer, xmlEscape, type FeedServer, type Route } from './helpers/feed-server.js';

// The goal is 200 ms; the bound leaves room for a loaded 2-core CI machine. The figure measured is printed.
const MAX_BLOCK_MS = 400;
// fetch.max_body for the hostile feeds: 2 MB rather than the default 10 MB keeps the test short; a
// feed's work off the main thread grows with it, what the main thread does does not.
const MAX_BODY = 2 * 1024 * 1024;
const HEALTHY = 20;

const RSS_HEAD = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>hostile</title>';
const RSS_TAIL = '</channel></rss>';

function bracketTitleFeed(bytes: number): string {
  const title = '[a](b)'.repeat(Math.floor(bytes / 6));
  return `${RSS_HEAD}<item><title>${title}</title><link>https://hostile.example/1</link><description>x</description></item>${RSS_TAIL}`;
}

function deepXmlFeed(bytes: number): string {
  const depth = Math.floor(bytes / 7);
  return `${RSS_HEAD}<item><title>Engineer</title><link>https://hostile.example/2</link><description>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</description></item>${RSS_TAIL}`;
}

/** Many items with long pathological fields: every item is cut and normalized. */
function manyLongFieldsFeed(bytes: number): string {
  const items: string[] = [];
  for (let i = 0, size = 0; size < bytes - 30_000; i++) {
    const item = `<item><title>${xmlEscape(`Senior Engineer ${' - remote'.repeat(400)} ${i}`)}</title><link>https://hostile.example/long/${i}</link><description>${xmlEscape(`${'$1 (a) [b] '.repeat(2000)}`)}</description></item>`;
    items.push(item);
    size += item.length;
  }
  return `${RSS_HEAD}${items.join('')}${RSS_TAIL}`;
}

/** A large legitimate feed: `count` ordinary postings of about 2 KB each. */
function bigLegitimateFeed(count: number): string {
  return rssFeed(
    'big',
    Array.from({ length: count }, (_, i) => ({
      title: `Senior Backend Engineer ${i} (Remote)`,
      link: `https://big.example/job/${i}`,
      descriptionHtml: `<p>Acme is hiring. ${'We build payment systems with Go and Postgres. '.repeat(35)}</p><p>Salary: $120,000 - $150,000 per year. Location: Berlin, Germany</p>`,
      pubDate: new Date(),
    })),
  );
}

function healthyFeed(i: number): string {
  return rssFeed(
    `healthy-${i}`,
    Array.from({ length: 15 }, (_, k) => ({
      title: `Senior Machine Learning Engineer ${i}-${k}`,
      link: `https://healthy${i}.example/jobs/${k}`,
      descriptionHtml: '<p>Fully remote (US). Salary: $150,000 - $180,000 per year.</p>',
      pubDate: new Date(),
    })),
  );
}

/** Longest gap of a 10 ms interval beyond its period, and how many times it fired. */
function loopProbe(): { stop(): { maxBlockMs: number; ticks: number } } {
  let last = performance.now();
  let maxBlockMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - last - 10);
    last = now;
    ticks++;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return { maxBlockMs: Math.round(Math.max(maxBlockMs, performance.now() - last - 10)), ticks };
    },
  };
}

let tmp: string;
let server: FeedServer;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-loop-'));
  const routes: Record<string, Route> = {};
  for (let i = 0; i < HEALTHY; i++) routes[`/healthy-${i}.rss`] = { kind: 'feed', body: healthyFeed(i) };
  server = await startFeedServer(routes);
});
after(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

let appCount = 0;
async function openApp(hostile: Record<string, string>, opts: { reader?: FeedReader; maxBody?: number } = {}): Promise<App> {
  const name = `app-${appCount++}`;
  const feeds: string[] = [];
  for (const [feed, body] of Object.entries(hostile)) {
    // Bytes, not a string: the feed server lives in this process, and encoding a 10 MB string for each
    // request (its ETag, the response) is time the loop probe would blame on jobalert.
    server.setRoute(`/${feed}.rss`, { kind: 'feed', body: Buffer.from(body) });
    feeds.push(`  - { name: ${feed}, url: "${server.url(`/${feed}.rss`)}" }`);
  }
  for (let i = 0; i < HEALTHY; i++) feeds.push(`  - { name: healthy-${i}, url: "${server.url(`/healthy-${i}.rss`)}" }`);
  const yaml = `database: ${path.join(tmp, `${name}.db`)}
fetch:
  timeout: 5s
  max_body: ${opts.maxBody ?? MAX_BODY}b
feeds:
${feeds.join('\n')}
channels:
  out: { type: console }
rules:
  - name: ml
    query: "remote senior ML engineer"
    notify: [out]
`;
  const config = parseConfigText(yaml, path.join(tmp, `${name}.yaml`), {});
  return await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), write: () => {}, ...(opts.reader ? { reader: opts.reader } : {}) });
}

/** Polls every feed of the app once, measuring the event loop meanwhile. */
async function pollMeasured(app: App): Promise<{ outcomes: PollOutcome[]; maxBlockMs: number; ticks: number; ms: number }> {
  const probe = loopProbe();
  const started = performance.now();
  const outcomes = await app.pollAll();
  const ms = Math.round(performance.now() - started);
  return { outcomes, ms, ...probe.stop() };
}

/**
 * The longest block of a poll, measured once more on a fresh app when the first reading is over the
 * bound: a loaded 2-core machine can deschedule this process for a moment, a real freeze repeats.
 */
async function confirmedBlockMs(first: number, hostile: Record<string, string>, opts: { maxBody?: number } = {}): Promise<number> {
  if (first < MAX_BLOCK_MS) return first;
  const app = await openApp(hostile, opts);
  try {
    const m = await pollMeasured(app);
    console.log(`# re-measured after ${first} ms: longest event-loop block ${m.maxBlockMs} ms`);
    return Math.min(first, m.maxBlockMs);
  } finally {
    await app.close();
  }
}

function outcome(outcomes: PollOutcome[], feed: string): PollOutcome {
  return outcomes.find((o) => o.feed === feed)!;
}

function assertHealthyFeedsOk(outcomes: PollOutcome[]): void {
  const failed = outcomes.filter((o) => o.feed.startsWith('healthy-') && o.status !== 'ok');
  assert.deepEqual(failed, []);
  const inserted = outcomes.filter((o) => o.feed.startsWith('healthy-')).reduce((n, o) => n + (o.status === 'ok' ? o.inserted : 0), 0);
  assert.equal(inserted, HEALTHY * 15);
}

describe('hostile feeds polled beside 20 healthy ones', () => {
  const cases: Array<{ name: string; feeds: Record<string, string>; check(outcomes: PollOutcome[]): void }> = [
    {
      name: 'a 160 KB title of bracket groups',
      feeds: { brackets: bracketTitleFeed(160 * 1024) },
      check: (o) => assert.equal(outcome(o, 'brackets').status, 'ok'),
    },
    {
      name: '160 KB and 700 KB of nested XML',
      feeds: { deep160: deepXmlFeed(160 * 1024), deep700: deepXmlFeed(700 * 1024) },
      check: (o) => {
        for (const feed of ['deep160', 'deep700']) {
          const r = outcome(o, feed);
          assert.equal(r.status, 'error');
          assert.match((r as { error: string }).error, /nested deeper than 100 elements/);
        }
      },
    },
    {
      name: 'max_body-sized inputs: a bracket title, nested XML, items of long pathological fields',
      feeds: { maxBrackets: bracketTitleFeed(MAX_BODY - 500), maxDeep: deepXmlFeed(MAX_BODY - 500), maxLong: manyLongFieldsFeed(MAX_BODY) },
      check: (o) => {
        assert.equal(outcome(o, 'maxBrackets').status, 'ok');
        assert.equal(outcome(o, 'maxDeep').status, 'error');
        assert.equal(outcome(o, 'maxLong').status, 'ok');
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: healthy feeds all succeed and the event loop is never held ${MAX_BLOCK_MS} ms`, async () => {
      const app = await openApp(c.feeds);
      try {
        const m = await pollMeasured(app);
        console.log(`# ${c.name}: longest event-loop block ${m.maxBlockMs} ms, poll ${m.ms} ms, ${m.ticks} timer ticks`);
        assertHealthyFeedsOk(m.outcomes);
        c.check(m.outcomes);
        const blockMs = await confirmedBlockMs(m.maxBlockMs, c.feeds);
        assert.ok(blockMs < MAX_BLOCK_MS, `event loop held for ${blockMs} ms`);
        // The /healthz-like timer kept firing: at least one tick per 50 ms of the poll on average.
        assert.ok(m.ticks >= m.ms / 50, `${m.ticks} ticks in ${m.ms} ms`);
      } finally {
        await app.close();
      }
    });
  }

  it('a large legitimate feed (2,000 postings, 4 MB) is stored whole without holding the loop', async () => {
    const app = await openApp({ big: bigLegitimateFeed(2000) }, { maxBody: 10 * 1024 * 1024 });
    try {
      const m = await pollMeasured(app);
      console.log(`# 2,000-posting feed: longest event-loop block ${m.maxBlockMs} ms, poll ${m.ms} ms`);
      assertHealthyFeedsOk(m.outcomes);
      const big = outcome(m.outcomes, 'big');
      assert.equal(big.status, 'ok');
      assert.equal((big as { inserted: number }).inserted, 2000);
      const blockMs = await confirmedBlockMs(m.maxBlockMs, { big: bigLegitimateFeed(2000) }, { maxBody: 10 * 1024 * 1024 });
      assert.ok(blockMs < MAX_BLOCK_MS, `event loop held for ${blockMs} ms`);
      // Polled again (changed, so not a 304): every posting is known, nothing new.
      server.setRoute('/big.rss', { kind: 'feed', body: Buffer.from(bigLegitimateFeed(2000).replace('<title>big</title>', '<title>big, again</title>')) });
      const again = outcome(await app.pollAll(), 'big');
      assert.equal(again.status, 'ok');
      assert.deepEqual([(again as { inserted: number }).inserted], [0]);
    } finally {
      await app.close();
    }
  });

  it('a feed that takes longer than its CPU budget fails with a clear error; the others do not wait for it', async () => {
    const app = await openApp({ slow: bigLegitimateFeed(2000) }, { reader: createWorkerFeedReader({ budgetMs: 1000 }), maxBody: 10 * 1024 * 1024 });
    try {
      const m = await pollMeasured(app);
      const slow = outcome(m.outcomes, 'slow');
      assert.equal(slow.status, 'error');
      assert.equal((slow as { error: string }).error, 'feed took longer than 1 s to parse; stopped');
      assertHealthyFeedsOk(m.outcomes);
      assert.equal((await app.store.getFeedState('slow'))?.lastError, 'feed took longer than 1 s to parse; stopped');
    } finally {
      await app.close();
    }
  });
});
