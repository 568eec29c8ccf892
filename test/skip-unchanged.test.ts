/**
 * Skipping unchanged work (issue 9): a 200 repeating the last stored poll's body is a 304 in all but
 * name, and an item whose raw hash is stored is not converted, normalized or matched again. The
 * same multi-poll scenario runs against a real local HTTP server and a real SQLite file with the
 * skip paths on and off: the alerts (printed by a console channel), the outbox and the stored jobs
 * must be the same byte for byte.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import Database from 'better-sqlite3';
import { createApp, type App } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import type { Clock } from '../src/core/types.js';
import { compileRules } from '../src/match/compile-rule.js';
import { openDatabase } from '../src/store/db.js';
import { createStore } from '../src/store/store.js';
import { inlineFeedReader } from '../src/pipeline/feed-reader.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { rssFeed, type FixtureItem } from './helpers/feed-server.js';

const T0 = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

// ---------------------------------------------------------------------------------------------
// The feeds, poll by poll

function item(n: number, over: Partial<FixtureItem> = {}): FixtureItem {
  const titles = ['Senior Machine Learning Engineer', 'Staff Data Scientist', 'Senior ML Engineer, Ranking', 'Backend Engineer', 'Senior Machine Learning Engineer, Search'];
  return {
    title: `Orbit ${n}: ${titles[n % titles.length]}`,
    link: `https://jobs.example.test/orbit-${n}?utm_source=rss`,
    guid: `orbit-${n}`,
    descriptionHtml: `<p>Fully remote (US). We build <b>search</b> for ${n} customers.</p><p>Salary: $150,000 - $190,000 per year.</p>`,
    pubDate: at(-1 - (n % 3)),
    region: 'Remote - US',
    ...over,
  };
}

// One byte of pay changed: $150,000 -> $160,000.
const raisedPay = (n: number) => item(n, { descriptionHtml: item(n).descriptionHtml.replace('$150,000', '$160,000') });

/** A Greenhouse board (a JSON API: items hashed as the adapter gave them), one of its jobs cross-posted from the RSS board. */
function greenhouse(jobs: Array<{ id: number; title: string; pay?: string; link?: string }>): string {
  return JSON.stringify({
    jobs: jobs.map((j) => ({
      id: j.id,
      title: j.title,
      absolute_url: j.link ?? `https://boards.example.test/lumen/jobs/${j.id}`,
      company_name: 'Lumen',
      location: { name: 'Remote - US' },
      first_published: at(-2).toISOString(),
      content: `&lt;p&gt;Remote in the US. Compensation: ${j.pay ?? '$140,000 - $170,000'} per year.&lt;/p&gt;`,
    })),
  });
}

/** Per poll: the bodies of /board.rss and /lumen.json. Items change, disappear and come back. */
const POLLS: Array<{ rss: FixtureItem[]; gh: string }> = (() => {
  const ghJobs = [
    { id: 101, title: 'Senior Machine Learning Engineer' },
    { id: 102, title: 'Data Engineer' },
    // The same job as orbit-2 (same canonical URL): attached to it, never alerted twice.
    { id: 103, title: 'Senior ML Engineer, Ranking', link: 'https://jobs.example.test/orbit-2' },
  ];
  // Published 2.5 days after T0: too far ahead at first (its date unknown), believed from day 2 on.
  const future = item(9, { pubDate: at(2.5) });
  const base = [...[1, 2, 3, 4, 5].map((n) => item(n)), future];
  const edited = [item(1), raisedPay(2), item(4), item(5), item(6), future];
  const back = [item(1), item(2), item(3), item(4), item(5), item(6), future];
  // Two items under one guid (a feed bug): they take turns writing one sighting.
  const twins = [...back, { ...item(7), guid: 'orbit-twin' }, { ...item(8), guid: 'orbit-twin' }];
  return [
    { rss: base, gh: greenhouse(ghJobs) },
    { rss: base, gh: greenhouse(ghJobs) }, // nothing changed
    { rss: edited, gh: greenhouse([ghJobs[0]!, { ...ghJobs[1]!, pay: '$150,000 - $170,000' }, ghJobs[2]!]) }, // pay edits, 3 gone, 6 new
    { rss: edited, gh: greenhouse([ghJobs[0]!, { ...ghJobs[1]!, pay: '$150,000 - $170,000' }, ghJobs[2]!]) }, // nothing changed
    { rss: back, gh: greenhouse([ghJobs[0]!, ghJobs[2]!]) }, // 3 back as it was, 2 back to its old pay, 102 gone
    { rss: twins, gh: greenhouse(ghJobs) }, // twins; 102 back
    { rss: twins, gh: greenhouse(ghJobs) }, // nothing changed
    { rss: [...twins].reverse(), gh: greenhouse([...ghJobs].reverse()) }, // the same items in another order
  ];
})();

interface Variant {
  /** The skip paths on. */
  skip: boolean;
  /** Each poll's body carries the poll's number, so no whole body ever repeats (only items do). */
  stamp: boolean;
  /** The server sends ETags and answers a matching conditional request with 304. */
  etag: boolean;
  /** Read feeds in worker threads (the daemon's way) rather than inline. */
  workers?: boolean;
  /**
   * The RSS board between 600 items that never change: several parse batches, so the skip variant
   * streams it (read-feed.ts) while the reference reads it whole. From the third poll a repost of
   * orbit-4 under a new guid comes first, and orbit-4 itself in a later batch: listed side by side,
   * they must stay two jobs, as when the whole listing is known before the first is stored.
   */
  big?: boolean;
  /** Bodies at least this big are packed as they are received (createApp packBodiesFrom). */
  packFrom?: number;
}

const FILLER = Array.from({ length: 600 }, (_, k) => item(1000 + k));
const REPOST = { ...item(4), guid: 'orbit-4-repost', link: 'https://jobs.example.test/orbit-4-new', pubDate: at(0.5) };

function bigListing(poll: number, rss: FixtureItem[]): FixtureItem[] {
  return [...(poll >= 2 ? [REPOST] : []), ...FILLER.slice(0, 300), ...rss, ...FILLER.slice(300)];
}

async function startBoard(): Promise<TestServer & { state: { poll: number; stamp: boolean; etag: boolean; big: boolean; boardRequests: number } }> {
  const state = { poll: 0, stamp: false, etag: false, big: false, boardRequests: 0 };
  const server = await startHttpServer((req, res) => {
    const url = req.url ?? '/';
    const poll = POLLS[state.poll]!;
    let body: string;
    let type: string;
    if (url.startsWith('/board.rss')) {
      state.boardRequests++;
      body = rssFeed('board', state.big ? bigListing(state.poll, poll.rss) : poll.rss);
      if (state.stamp) body = body.replace('<description>Remote jobs</description>', `<description>Remote jobs, poll ${state.poll}</description>`);
      type = 'application/rss+xml; charset=utf-8';
    } else if (url.startsWith('/lumen.json')) {
      body = state.stamp ? poll.gh.replace(/^\{/, `{"poll":${state.poll},`) : poll.gh;
      type = 'application/json';
    } else return void res.writeHead(404).end();
    const headers: Record<string, string> = { 'content-type': type };
    if (state.etag) {
      const etag = `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end();
    }
    res.writeHead(200, headers).end(body);
  });
  // The handler reads `state` on every request: the test sets the poll and the server's manners on it.
  return Object.assign(server, { state });
}

function configFor(dir: string, base: string) {
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
max_age: 14d
feeds:
  - name: board
    url: ${base}/board.rss
  - name: lumen
    type: greenhouse
    board: lumen
    url: ${base}/lumen.json
channels:
  out: { type: console }
rules:
  - name: ml
    query: "remote senior ML engineer >= $155k"
    notify: [out]
  - name: everything
    notify: [out]
`;
  return parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
}

/** What a scenario printed, and what the database held after each poll (an edit undone later must still match). */
interface Outcome {
  printed: string[];
  /** Requests for the RSS board, over all polls. */
  boardRequests: number;
  /** Per feed, the items recorded as seen without being read again. */
  seen: Record<string, number>;
  statuses: string[][];
  /** The board's stored body hash after each poll (a packed body is hashed by its bytes' own hash). */
  boardHashes: unknown[];
  jobs: unknown[][];
  postings: unknown[][];
  fingerprints: unknown[][];
  outbox: unknown[][];
  feeds: unknown[][];
}

/** Runs every poll of POLLS (a day apart, each followed by delivery) and returns what was printed and stored. */
async function runScenario(v: Variant): Promise<Outcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-skip-'));
  const board = await startBoard();
  board.state.stamp = v.stamp;
  board.state.etag = v.etag;
  board.state.big = v.big ?? false;
  const config = configFor(dir, board.url);
  const clock = manualClock(T0);
  const printed: string[] = [];
  const seen: Record<string, number> = {};
  const log = pino({ level: 'info' }, {
    write(line: string) {
      const entry = JSON.parse(line) as { msg: string; feed: string; seen?: number };
      if (entry.msg === 'Feed polled') seen[entry.feed] = (seen[entry.feed] ?? 0) + (entry.seen ?? 0);
    },
  });
  const app: App = await createApp({
    config,
    rules: compileRules(config.rules).rules,
    log,
    clock,
    write: (text) => printed.push(text),
    skipUnchanged: v.skip,
    ...(v.workers ? {} : { reader: inlineFeedReader }),
    ...(v.packFrom !== undefined ? { packBodiesFrom: v.packFrom } : {}),
  });
  const out: Outcome = { printed, boardRequests: 0, seen, statuses: [], boardHashes: [], jobs: [], postings: [], fingerprints: [], outbox: [], feeds: [] };
  try {
    for (let p = 0; p < POLLS.length; p++) {
      board.state.poll = p;
      out.statuses.push((await app.pollAll()).map((o) => o.status));
      await app.dispatch();
      const tables = dump(app.db);
      for (const t of TABLES) out[t].push(tables[t]);
      out.boardHashes.push(app.db.prepare("SELECT body_hash FROM feeds WHERE name = 'board'").pluck().get());
      clock.advance(DAY);
    }
    out.boardRequests = board.state.boardRequests;
    return out;
  } finally {
    await app.close();
    await board.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const TABLES = ['jobs', 'postings', 'fingerprints', 'outbox', 'feeds'] as const;

function dump(db: Database.Database): Record<(typeof TABLES)[number], unknown[]> {
  const rows = (sql: string) => db.prepare(sql).all();
  return {
    jobs: rows('SELECT * FROM jobs ORDER BY id'),
    // raw_hash is what differs by design (only its presence is the skip path's business).
    postings: rows('SELECT id, job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen FROM postings ORDER BY id'),
    fingerprints: rows('SELECT * FROM job_fingerprints ORDER BY job_id, band_key'),
    outbox: rows('SELECT id, rules, job_id, channel, status, reasons, attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox ORDER BY id'),
    feeds: rows(`SELECT name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at,
      backlog_at, backlog_postings, backlog_new, backlog_alerted, backlog_old FROM feeds ORDER BY name`),
  };
}

const withoutLastSeen = (polls: unknown[][]) => polls.map((rows) => rows.map((r) => ({ ...(r as Record<string, unknown>), last_seen: null })));

test('the same alerts, outbox and jobs with and without the skip paths, over polls that change, drop and bring back items', async () => {
  // Bodies never repeat whole: only the item-level skip can apply, and everything must be equal.
  const full = await runScenario({ skip: false, stamp: true, etag: false });
  const items = await runScenario({ skip: true, stamp: true, etag: false, workers: true });
  assert.ok(full.printed.length > 5, 'the scenario alerts');
  assert.deepEqual(full.seen, { board: 0, lumen: 0 });
  assert.ok(items.seen.board! > 10 && items.seen.lumen! > 5, `items were skipped: ${JSON.stringify(items.seen)}`);
  assert.deepEqual(items.printed, full.printed, 'the same alerts, byte for byte');
  assert.deepEqual(items.statuses, full.statuses);
  for (const table of TABLES) assert.deepEqual(items[table], full[table], table);

  // Bodies repeat whole on the "nothing changed" polls: those are 304s in all but name.
  const fullSame = await runScenario({ skip: false, stamp: false, etag: false });
  const skipSame = await runScenario({ skip: true, stamp: false, etag: false, workers: true });
  const with304 = await runScenario({ skip: true, stamp: false, etag: true });
  assert.deepEqual(fullSame.printed, full.printed, 'the stamp changes nothing but the bodies');
  assert.deepEqual(skipSame.printed, full.printed, 'the same alerts, byte for byte');
  assert.deepEqual(with304.printed, full.printed);
  assert.deepEqual(skipSame.outbox, fullSame.outbox);
  assert.deepEqual(skipSame.fingerprints, fullSame.fingerprints);
  assert.deepEqual(skipSame.feeds, fullSame.feeds, 'the same validators and backlog as when read in full');
  // Only the sighting times differ: an unchanged body, like a 304, records no sighting ...
  assert.deepEqual(withoutLastSeen(skipSame.jobs), withoutLastSeen(fullSame.jobs));
  assert.deepEqual(withoutLastSeen(skipSame.postings), withoutLastSeen(fullSame.postings));
  // ... exactly as a server answering 304 leaves them.
  assert.deepEqual(skipSame.jobs, with304.jobs);
  assert.deepEqual(skipSame.postings, with304.postings);
  assert.deepEqual(skipSame.outbox, with304.outbox);
  const unchangedPolls = [1, 3, 6];
  for (const p of unchangedPolls) assert.deepEqual(skipSame.statuses[p], ['not_modified', 'not_modified'], `poll ${p} repeats the one before`);
  for (const p of unchangedPolls) assert.deepEqual(fullSame.statuses[p], ['ok', 'ok']);
});

test('an item whose pay changed by one byte is normalized again and its job updated; an unchanged one is only seen', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-skip-edit-'));
  const board = await startBoard();
  const config = configFor(dir, board.url);
  const clock = manualClock(T0);
  const logs: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const app = await createApp({ config, rules: compileRules(config.rules).rules, log, clock, write: () => {}, reader: inlineFeedReader });
  const job = (guid: string) =>
    app.db
      .prepare<[string], { salary_min: number; annual_min: number; description: string; raw_hash: string | null; last_seen: number }>(
        `SELECT j.salary_min, j.annual_min, j.description, p.raw_hash, p.last_seen FROM postings p JOIN jobs j ON j.id = p.job_id
         WHERE p.feed = 'board' AND p.source_id = ?`,
      )
      .get(guid)!;
  try {
    board.state.poll = 0;
    await app.pollAll();
    const before = job('orbit-2');
    assert.equal(before.salary_min, 150_000);
    assert.ok(before.raw_hash, 'the raw hash is stored with the sighting');

    clock.advance(DAY);
    board.state.poll = 2; // orbit-2's description: $150,000 -> $160,000
    logs.length = 0;
    await app.pollAll();
    const after = job('orbit-2');
    assert.equal(after.salary_min, 160_000, 'the changed item was normalized again');
    assert.equal(after.annual_min, 160_000);
    assert.match(after.description, /\$160,000/);
    assert.notEqual(after.raw_hash, before.raw_hash);
    assert.equal(job('orbit-1').last_seen, clock.now().getTime(), 'an unchanged item is seen (live) in this poll');
    const polled = logs.find((l) => l.msg === 'Feed polled' && l.feed === 'board')!;
    // orbit-1, 4 and 5 as they were; orbit-2 edited; orbit-6 new; orbit-9, dated too far ahead to be
    // believed yet, is read in full until it is.
    assert.equal(polled.seen, 3);
    assert.equal(polled.updated, 1);
    assert.equal(polled.inserted, 1);
    assert.equal(job('orbit-9').raw_hash, null);
  } finally {
    await app.close();
    await board.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a poll whose postings could not be stored keeps the old body hash: the same body is read in full next time', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-skip-locked-'));
  const board = await startBoard();
  const config = configFor(dir, board.url);
  const app = await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), write: () => {}, reader: inlineFeedReader });
  const locker = new Database(path.join(dir, 'jobalert.db'));
  try {
    const feed = config.feeds[0]!;
    board.state.poll = 0;
    assert.equal((await app.pollFeed(feed)).status, 'ok');
    const stored = (await app.store.getFeedState('board'))!.bodyHash;
    assert.ok(stored);

    board.state.poll = 2;
    locker.exec('BEGIN IMMEDIATE; UPDATE feeds SET last_error = last_error;');
    assert.equal((await app.pollFeed(feed)).status, 'error');
    locker.exec('COMMIT');
    assert.equal((await app.store.getFeedState('board'))!.bodyHash, stored, 'the body hash was not stored without its postings');

    const next = await app.pollFeed(feed);
    assert.equal(next.status, 'ok', 'the same body again is read, not skipped');
    assert.equal(next.status === 'ok' ? next.inserted : 0, 1, 'orbit-6 stored');
    assert.notEqual((await app.store.getFeedState('board'))!.bodyHash, stored);
    assert.equal((await app.pollFeed(feed)).status, 'not_modified', 'and skipped once stored');
  } finally {
    if (locker.inTransaction) locker.exec('ROLLBACK');
    locker.close();
    await app.close();
    await board.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a seen item whose sighting changed in the database since the poll read the hashes is not recorded (stale)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-skip-stale-'));
  const db = openDatabase(path.join(dir, 'jobalert.db'));
  const store = createStore(db, { now: () => T0 });
  try {
    const posting = {
      feed: 'board', sourceId: 'g1', url: 'https://x.test/1', canonicalUrl: 'https://x.test/1', title: 'Senior Data Engineer', company: 'Acme',
      location: null, description: 'Build pipelines.', published: null, salary: null, annualMin: null, annualMax: null,
      arrangement: 'unknown' as const, remoteRegions: [], seniority: 'senior' as const, role: null, tags: [], rawHash: 'h1',
    };
    await store.ingest([posting], () => []);
    assert.deepEqual(await store.knownItems('board'), new Map([['h1', 'g1']]));
    const seen = await store.ingest([{ seen: true, feed: 'board', sourceId: 'g1', rawHash: 'h1' }], () => []);
    assert.deepEqual([seen.unchanged, seen.stale], [1, 0]);
    // Another process stored another version of the item meanwhile.
    await store.ingest([{ ...posting, description: 'Build pipelines, in Go.', rawHash: 'h2' }], () => []);
    const stale = await store.ingest([{ seen: true, feed: 'board', sourceId: 'g1', rawHash: 'h1' }], () => []);
    assert.deepEqual([stale.unchanged, stale.stale], [0, 1]);
    const gone = await store.ingest([{ seen: true, feed: 'board', sourceId: 'nope', rawHash: 'h1' }], () => []);
    assert.equal(gone.stale, 1);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a feed's first poll says in the log and in `check` how much backlog it took in and how much of it alerted", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-backlog-'));
  const now = new Date();
  // Six postings: four published before max_age (14 days), two within it.
  const items = [1, 2, 3, 4, 5, 6].map((n) => item(n, { pubDate: new Date(now.getTime() - (n <= 4 ? 20 + n : n) * DAY) }));
  const server = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('big', items)));
  const file = path.join(dir, 'jobalert.yaml');
  const yaml = (query: string) => `database: ${path.join(dir, 'jobalert.db')}
max_age: 14d
feeds:
  - name: big
    url: ${server.url}/big.rss${query}
channels:
  out: { type: console }
rules:
  - name: everything
    notify: [out]
`;
  const logs: Array<{ msg: string; feed?: string }> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { msg: string }) });
  const open = async (query: string) => {
    fs.writeFileSync(file, yaml(query));
    const config = parseConfigText(yaml(query), file, {});
    return await createApp({ config, rules: compileRules(config.rules).rules, log, write: () => {}, reader: inlineFeedReader });
  };
  const firstPollLines = () => logs.filter((l) => l.msg.startsWith('First poll of feed')).map((l) => l.msg);
  try {
    let app = await open('');
    await app.pollAll();
    await app.pollAll();
    await app.close();
    assert.deepEqual(firstPollLines(), ['First poll of feed big: 6 postings taken in, 2 alerted (older than max_age: 4 not alerted)'], 'said once');

    const printed: string[] = [];
    const { checkCommand } = await import('../src/commands/check.js');
    await checkCommand({ config: file }, (s) => void printed.push(s), () => now);
    assert.match(printed.join(''), /\n {4}first poll \S+ \(now\): 6 postings taken in, 2 alerted \(older than max_age: 4 not alerted\)\n/);

    // Another address is another feed: its first poll is a first poll again.
    logs.length = 0;
    app = await open('?page=all');
    await app.pollAll();
    await app.close();
    assert.deepEqual(firstPollLines(), ['First poll of feed big: 6 postings taken in, 0 alerted (older than max_age: 0 not alerted); 6 already stored (seen before under this name or on another feed)']);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a feed of several parse batches, stored a batch at a time while it is read, gives what reading it whole gives', async () => {
  const whole = await runScenario({ skip: false, stamp: true, etag: false, big: true });
  const streamed = await runScenario({ skip: true, stamp: true, etag: false, workers: true, big: true });
  // The same, each body packed as it is received and read from its blocks in the reader thread.
  const packed = await runScenario({ skip: true, stamp: true, etag: false, workers: true, big: true, packFrom: 64 * 1024 });
  assert.ok(whole.printed.length > 5, 'the scenario alerts');
  // A packed body is hashed by its bytes' own hash: a different stored hash on every poll shows each was packed.
  assert.ok(packed.boardHashes.every((h, p) => typeof h === 'string' && h !== streamed.boardHashes[p]), 'every board body was packed');
  assert.deepEqual(packed.printed, whole.printed, 'packed: the same alerts, byte for byte');
  assert.deepEqual(packed.statuses, whole.statuses);
  for (const table of TABLES) assert.deepEqual(packed[table], whole[table], `packed: ${table}`);
  assert.ok(streamed.seen.board! > 1000, `items were skipped: ${JSON.stringify(streamed.seen)}`);
  // Two passes over one body: the feed is fetched once a poll.
  assert.equal(streamed.boardRequests, POLLS.length);
  assert.deepEqual(streamed.printed, whole.printed, 'the same alerts, byte for byte');
  assert.deepEqual(streamed.statuses, whole.statuses);
  for (const table of TABLES) assert.deepEqual(streamed[table], whole[table], table);
  // The repost and orbit-4, listed side by side, are two jobs.
  const last = whole.postings.at(-1) as Array<{ source_id: string; job_id: number }>;
  const jobOf = (id: string) => last.find((p) => p.source_id === id)?.job_id;
  assert.ok(jobOf('orbit-4-repost') !== undefined && jobOf('orbit-4') !== undefined);
  assert.notEqual(jobOf('orbit-4-repost'), jobOf('orbit-4'));
});
