import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock, Posting, StoredJob } from '../src/core/types.js';
import { collect } from './helpers/collect.js';
import { openDatabase } from '../src/store/db.js';
import { dedupeKeys } from '../src/dedupe/job-key.js';
import { MIGRATIONS, migrate } from '../src/store/migrations.js';
import { JOBS_BY_FINGERPRINT_SQL } from '../src/store/jobs.js';
import { createStore } from '../src/store/store.js';
import { ALERT_DESCRIPTION_CHARS } from '../src/store/outbox.js';
import type { AlertIntent, Store } from '../src/store/store.js';

const DAY = 24 * 60 * 60 * 1000;

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-store-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let dbCount = 0;
function dbPath(): string {
  return path.join(tmp, `run-${++dbCount}`, 'data', 'jobalert.db');
}

/** A clock the test moves by hand. */
function manualClock(start = '2025-03-01T12:00:00.000Z'): Clock & { advance(ms: number): void } {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

function openStore(file = dbPath(), clock: Clock = manualClock()): Store {
  return createStore(openDatabase(file), clock);
}

function posting(overrides: Partial<Posting> = {}): Posting {
  const sourceId = overrides.sourceId ?? 'guid-1';
  return {
    feed: 'remotewlb',
    sourceId,
    url: `https://jobs.example.com/${sourceId}?utm_source=rss`,
    canonicalUrl: `https://jobs.example.com/${sourceId}`,
    title: 'Senior Machine Learning Engineer',
    company: 'Nomad Health',
    location: 'Remote (US)',
    description: "Nomad's ML team is hiring. 💰 $135k–$180k",
    published: new Date('2025-03-01T09:00:00.000Z'),
    salary: { min: 135000, max: 180000, currency: 'USD', period: 'year' },
    annualMin: 135000,
    annualMax: 180000,
    arrangement: 'remote',
    remoteRegions: ['US'],
    seniority: 'senior',
    role: 'ml engineer',
    tags: ['ml', 'python'],
    ...overrides,
  };
}

/**
 * A posting of ANOTHER job than posting()'s: same shape, its own company. Postings of one company
 * and title under different ids are one job (a re-post), so tests that need several jobs use this.
 */
function otherJob(sourceId: string, overrides: Partial<Posting> = {}): Posting {
  return posting({ sourceId, company: `Company ${sourceId}`, ...overrides });
}

function alertTo(...channels: string[]): (job: StoredJob) => AlertIntent[] {
  return (job) => channels.map((channel) => ({ rule: 'remote-senior-ml', channel, reasons: [`title: ${job.title}`] }));
}

const noAlerts = (): AlertIntent[] => [];

function rawCount(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('openDatabase()', () => {
  test('creates the parent directory, enables WAL and foreign keys, sets user_version', () => {
    const file = dbPath();

    const db = openDatabase(file);

    assert.ok(fs.existsSync(file));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    db.close();
  });

  test('migrate() is idempotent, on the same connection and on reopen', () => {
    const file = dbPath();
    const db = openDatabase(file);

    migrate(db);
    migrate(db);
    db.close();
    const again = openDatabase(file);

    assert.equal(again.pragma('user_version', { simple: true }), MIGRATIONS.length);
    const tables = again
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    assert.deepEqual(tables, ['feeds', 'job_fingerprints', 'jobs', 'outbox', 'postings']);
    again.close();
  });

  test('accepts :memory:', async () => {
    const store = createStore(openDatabase(':memory:'), manualClock());

    const result = await store.ingest([posting()], alertTo('me'));

    assert.equal(result.inserted, 1);
    await store.close();
  });

  test('refuses a database written by a newer jobalert, and leaves it untouched', () => {
    const file = dbPath();
    openDatabase(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();

    const n = MIGRATIONS.length;
    assert.throws(() => openDatabase(file), new RegExp(`schema version ${n + 1}, newer than this jobalert understands \\(${n}\\)`));
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), MIGRATIONS.length + 1);
    check.close();
  });

  test('data persists across close and reopen', async () => {
    const file = dbPath();
    const first = openStore(file);
    await first.ingest([posting()], alertTo('me'));
    await first.recordFeedSuccess('remotewlb', { etag: '"v1"', lastModified: null, nextCheckAt: null });
    await first.close();

    const second = openStore(file);

    assert.equal((await second.findJobByUrl('https://jobs.example.com/guid-1'))?.title, 'Senior Machine Learning Engineer');
    assert.equal((await second.getFeedState('remotewlb'))?.etag, '"v1"');
    assert.deepEqual(await second.countAlerts(), { pending: 1, sent: 0, failed: 0 });
    const again = await second.ingest([posting()], alertTo('me'));
    assert.deepEqual([again.inserted, again.unchanged, again.alertsQueued], [0, 1, 0]);
    await second.close();
  });
});

describe('ingest()', () => {
  test('a new posting becomes a job with its outbox rows', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    const seen: StoredJob[] = [];

    const result = await store.ingest([posting()], (job) => {
      seen.push(job);
      return alertTo('ml-slack', 'me')(job);
    });

    assert.deepEqual(
      { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, alertsQueued: result.alertsQueued },
      { inserted: 1, updated: 0, unchanged: 0, alertsQueued: 2 },
    );
    assert.equal(seen.length, 1);
    const job = result.newJobs[0]!;
    assert.deepEqual(seen[0], job);
    assert.equal(typeof job.id, 'number');
    assert.equal(job.feed, 'remotewlb');
    assert.equal(job.sourceId, 'guid-1');
    assert.equal(job.url, 'https://jobs.example.com/guid-1?utm_source=rss');
    assert.equal(job.canonicalUrl, 'https://jobs.example.com/guid-1');
    assert.deepEqual(job.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.deepEqual(job.firstSeen, clock.now());
    assert.deepEqual(job.urls, ['https://jobs.example.com/guid-1?utm_source=rss']);
    assert.deepEqual(job.feeds, ['remotewlb']);
    const due = await store.dueAlerts(clock.now());
    assert.deepEqual(
      due.map((a) => [a.rule, a.channel, a.job.id, a.reasons, a.attempts]),
      [
        ['remote-senior-ml', 'ml-slack', job.id, ['title: Senior Machine Learning Engineer'], 0],
        ['remote-senior-ml', 'me', job.id, ['title: Senior Machine Learning Engineer'], 0],
      ],
    );
    await store.close();
  });

  test('the same batch again is unchanged: no decide call, no new outbox rows', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    const batch = [otherJob('a'), otherJob('b')];
    await store.ingest(batch, alertTo('me'));
    clock.advance(15 * 60_000);
    let decided = 0;

    const result = await store.ingest(batch, (job) => {
      decided++;
      return alertTo('me')(job);
    });

    assert.deepEqual([result.inserted, result.updated, result.unchanged, result.alertsQueued], [0, 0, 2, 0]);
    assert.deepEqual(result.newJobs, []);
    assert.equal(decided, 0);
    assert.deepEqual(await store.countAlerts(), { pending: 2, sent: 0, failed: 0 });
    const job = (await store.findJobByUrl('https://jobs.example.com/a'))!;
    assert.deepEqual(job.lastSeen, clock.now());
    assert.notDeepEqual(job.firstSeen, job.lastSeen);
    await store.close();
  });

  test('an edit under the same (feed, source id) updates the job and never re-alerts', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    await store.ingest([posting({ salary: null, annualMin: null, annualMax: null })], alertTo('me'));
    clock.advance(60_000);

    const result = await store.ingest(
      [posting({ title: 'Staff Machine Learning Engineer', seniority: 'staff' })],
      alertTo('me', 'ml-slack'),
    );

    assert.deepEqual([result.inserted, result.updated, result.unchanged, result.alertsQueued], [0, 1, 0, 0]);
    const job = (await store.findJobByUrl('https://jobs.example.com/guid-1'))!;
    assert.equal(job.title, 'Staff Machine Learning Engineer');
    assert.equal(job.seniority, 'staff');
    assert.deepEqual(job.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.equal(job.annualMax, 180000);
    assert.deepEqual(job.lastSeen, clock.now());
    assert.deepEqual(await store.countAlerts(), { pending: 1, sent: 0, failed: 0 });
    await store.close();
  });

  test('the same canonical URL from another feed is a sighting of the same job, not a new alert', async () => {
    const store = openStore();
    const first = (await store.ingest([posting()], alertTo('me'))).newJobs[0]!;
    const mirror = posting({
      feed: 'mirror',
      sourceId: 'mirror-991',
      url: 'https://JOBS.example.com/guid-1?ref=mirror#apply',
      canonicalUrl: 'https://jobs.example.com/guid-1',
      title: 'Sr. ML Engineer',
    });

    const result = await store.ingest([mirror], alertTo('me'));

    assert.deepEqual([result.inserted, result.updated, result.unchanged, result.alertsQueued], [0, 1, 0, 0]);
    const viaCanonical = (await store.findJobByUrl('https://jobs.example.com/guid-1'))!;
    const viaMirrorLink = (await store.findJobByUrl('https://JOBS.example.com/guid-1?ref=mirror#apply'))!;
    assert.equal(viaCanonical.id, first.id);
    assert.equal(viaMirrorLink.id, first.id);
    // The job keeps its first sighting's content and identity; the mirror only adds a link.
    assert.equal(viaCanonical.title, 'Senior Machine Learning Engineer');
    assert.equal(viaCanonical.feed, 'remotewlb');
    assert.deepEqual(viaCanonical.urls, [
      'https://jobs.example.com/guid-1?utm_source=rss',
      'https://JOBS.example.com/guid-1?ref=mirror#apply',
    ]);
    assert.deepEqual(viaCanonical.feeds, ['remotewlb', 'mirror']);
    const exported = await collect(store.exportJobs());
    assert.equal(exported.length, 1);
    assert.deepEqual(exported[0]!.feeds, ['remotewlb', 'mirror']);
    assert.deepEqual(await store.countAlerts(), { pending: 1, sent: 0, failed: 0 });
    await store.close();
  });

  test('two sightings that disagree do not flip the job on every poll', async () => {
    const store = openStore();
    const a = posting();
    const b = posting({ feed: 'mirror', sourceId: 'm-1', canonicalUrl: a.canonicalUrl, title: 'Sr. ML Engineer' });
    assert.equal((await store.ingest([a, b], alertTo('me'))).inserted, 1);

    const again = await store.ingest([a, b], alertTo('me'));

    assert.deepEqual([again.updated, again.unchanged], [0, 2]);
    await store.close();
  });

  test('two postings in one batch sharing a canonical URL are one job, decided once, with both links', async () => {
    const store = openStore();
    let decided = 0;

    const result = await store.ingest(
      [posting(), posting({
          feed: 'mirror',
          sourceId: 'x',
          url: 'https://jobs.example.com/guid-1?gh_src=abc',
          canonicalUrl: 'https://jobs.example.com/guid-1',
        })],
      (job) => {
        decided++;
        return alertTo('me')(job);
      },
    );

    assert.deepEqual([result.inserted, result.updated, result.alertsQueued, decided], [1, 1, 1, 1]);
    assert.deepEqual(result.newJobs[0]!.urls, [
      'https://jobs.example.com/guid-1?utm_source=rss',
      'https://jobs.example.com/guid-1?gh_src=abc',
    ]);
    assert.deepEqual(result.newJobs[0]!.feeds, ['remotewlb', 'mirror']);
    await store.close();
  });

  test('a feed repeating a source id within one batch yields one job', async () => {
    const store = openStore();

    const result = await store.ingest([posting(), posting()], alertTo('me'));

    assert.deepEqual([result.inserted, result.updated, result.unchanged, result.alertsQueued], [1, 0, 1, 1]);
    assert.deepEqual(result.newJobs[0]!.urls, ['https://jobs.example.com/guid-1?utm_source=rss']);
    await store.close();
  });

  test('a new link under the same (feed, source id) replaces the old one, without an alert', async () => {
    const store = openStore();
    await store.ingest([posting()], alertTo('me'));

    const moved = posting({ url: 'https://jobs.example.com/v2/guid-1', canonicalUrl: 'https://jobs.example.com/v2/guid-1' });
    const result = await store.ingest([moved], alertTo('me'));

    assert.deepEqual([result.updated, result.alertsQueued], [1, 0]);
    assert.equal(await store.findJobByUrl('https://jobs.example.com/guid-1'), null);
    assert.deepEqual((await store.findJobByUrl('https://jobs.example.com/v2/guid-1'))?.urls, ['https://jobs.example.com/v2/guid-1']);
    await store.close();
  });

  test('postings without a canonical URL are never merged on it', async () => {
    const store = openStore();

    // No company either, so the company + title match cannot apply.
    const result = await store.ingest(
      [posting({ sourceId: 'a', url: '', canonicalUrl: '', company: null }), posting({ sourceId: 'b', url: '', canonicalUrl: '', company: null })],
      noAlerts,
    );

    assert.equal(result.inserted, 2);
    assert.equal(await store.findJobByUrl(''), null);
    await store.close();
  });

  test('the intents of one job for one channel queue one row listing each rule once, with its reasons', async () => {
    const store = openStore();

    const result = await store.ingest([posting()], () => [
      { rule: 'r', channel: 'me', reasons: ['first', 'shared'] },
      { rule: 'r', channel: 'me', reasons: ['second'] },
      { rule: 'other', channel: 'me', reasons: ['shared'] },
      { rule: 'other', channel: 'team', reasons: [] },
    ]);

    assert.equal(result.alertsQueued, 2);
    const due = await store.dueAlerts(new Date('2100-01-01'));
    assert.deepEqual(
      due.map((a) => [a.channel, a.rule, a.reasons, a.matches]),
      [
        ['me', 'r, other', ['first', 'shared'], [{ rule: 'r', reasons: ['first', 'shared'] }, { rule: 'other', reasons: ['shared'] }]],
        ['team', 'other', [], [{ rule: 'other', reasons: [] }]],
      ],
    );
    assert.equal(due[0]!.job.description, posting().description, 'a short description is loaded whole (for the snippet)');
    await store.close();
  });

  test('an alert loads only the start of a long description, so a page of alerts stays small', async () => {
    const store = openStore();
    const description = `Début ${'é'.repeat(20_000)} fin`;
    await store.ingest([posting({ description })], () => [{ rule: 'r', channel: 'me', reasons: [] }]);
    const [alert] = await store.dueAlerts(new Date('2100-01-01'));
    assert.equal(alert!.job.description.length, ALERT_DESCRIPTION_CHARS);
    assert.ok(description.startsWith(alert!.job.description));
    assert.equal((await store.findJobByUrl(posting().url))!.description, description, 'the job itself keeps all of it');
    await store.close();
  });

  test('a decide() that throws rolls the whole batch back', async () => {
    const file = dbPath();
    const store = openStore(file);
    await store.ingest([posting({ sourceId: 'kept' })], alertTo('me'));
    let calls = 0;

    await assert.rejects(
      async () =>
        await store.ingest([otherJob('a'), otherJob('b'), posting({ sourceId: 'kept', title: 'Edited' })], (job) => {
          calls++;
          if (calls === 2) throw new Error('rule blew up');
          return alertTo('me')(job);
        }),
      /rule blew up/,
    );

    assert.equal(rawCount(file, 'jobs'), 1);
    assert.equal(rawCount(file, 'postings'), 1);
    assert.equal(rawCount(file, 'outbox'), 1);
    assert.equal((await store.findJobByUrl('https://jobs.example.com/kept'))!.title, 'Senior Machine Learning Engineer');
    const retried = await store.ingest([otherJob('a'), otherJob('b')], alertTo('me'));
    assert.deepEqual([retried.inserted, retried.alertsQueued], [2, 2]);
    await store.close();
  });

  test('fields round-trip, nulls and empty lists included', async () => {
    const store = openStore();
    const bare = posting({
      sourceId: 'bare',
      company: null,
      location: null,
      published: null,
      salary: { min: null, max: 60, currency: null, period: 'hour' },
      annualMin: null,
      annualMax: 124800,
      arrangement: 'unknown',
      remoteRegions: [],
      seniority: null,
      role: null,
      tags: [],
    });

    const job = (await store.ingest([bare], noAlerts)).newJobs[0]!;

    const { id, firstSeen, lastSeen, urls, feeds, links, ...rest } = job;
    assert.deepEqual(rest, bare);
    assert.deepEqual(links, [{ feed: bare.feed, url: bare.url }]);
    assert.equal((await store.ingest([bare], noAlerts)).unchanged, 1);
    await store.close();
  });
});

describe('outbox', () => {
  test('dueAlerts() returns due pending alerts oldest first, honouring next attempt, status and limit', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    await store.ingest([otherJob('a')], alertTo('c1', 'c2'));
    clock.advance(1000);
    await store.ingest([otherJob('b')], alertTo('c1'));
    const [a1, a2, b1] = await store.dueAlerts(clock.now());
    assert.ok(a1 && a2 && b1);
    assert.deepEqual([a1.job.sourceId, a2.job.sourceId, b1.job.sourceId], ['a', 'a', 'b']);

    await store.markRetry(a1.id, { error: 'Slack 429', nextAttemptAt: new Date(clock.now().getTime() + 60_000) });
    await store.markFailed(a2.id, 'invalid_auth');

    assert.deepEqual(
      (await store.dueAlerts(clock.now())).map((a) => a.id),
      [b1.id],
    );
    assert.deepEqual((await store.dueAlerts(new Date(clock.now().getTime() + 60_000))).map((a) => a.id), [a1.id, b1.id]);
    assert.deepEqual((await store.dueAlerts(new Date(clock.now().getTime() + 60_000), 1)).map((a) => a.id), [a1.id]);
    assert.deepEqual(await store.dueAlerts(new Date(clock.now().getTime() - 5000)), []);
    await store.close();
  });

  test('markRetry, markFailed and markSent count attempts and settle status', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    await store.ingest([posting()], alertTo('a', 'b', 'c'));
    const [a, b, c] = await store.dueAlerts(clock.now());
    assert.ok(a && b && c);
    assert.equal((await store.nextAlertDueAt())?.getTime(), clock.now().getTime());

    const retryAt = new Date(clock.now().getTime() + 30_000);
    await store.markRetry(a.id, { error: 'ETIMEDOUT', nextAttemptAt: retryAt });
    await store.markFailed(b.id, 'channel_not_found');
    await store.markSent([c.id]);

    assert.deepEqual(await store.countAlerts(), { pending: 1, sent: 1, failed: 1 });
    assert.deepEqual(await store.nextAlertDueAt(), retryAt);
    const retried = await store.dueAlerts(retryAt);
    assert.equal(retried.length, 1);
    assert.equal(retried[0]!.attempts, 1);
    await store.markRetry(a.id, { error: 'ETIMEDOUT', nextAttemptAt: retryAt });
    await store.markSent([a.id]);
    assert.deepEqual(await store.countAlerts(), { pending: 0, sent: 2, failed: 1 });
    assert.equal(await store.nextAlertDueAt(), null);
    // A late mark never moves a settled alert.
    await store.markRetry(b.id, { error: 'late', nextAttemptAt: retryAt });
    await store.markSent([b.id]);
    assert.deepEqual(await store.countAlerts(), { pending: 0, sent: 2, failed: 1 });
    await store.close();
  });

  test('the outbox columns hold what the dispatcher wrote', async () => {
    const clock = manualClock();
    const file = dbPath();
    const store = openStore(file, clock);
    await store.ingest([posting()], alertTo('a', 'b'));
    const [a, b] = await store.dueAlerts(clock.now());
    assert.ok(a && b);
    clock.advance(5000);

    await store.markRetry(a.id, { error: 'ETIMEDOUT', nextAttemptAt: new Date(clock.now().getTime() + 1000) });
    await store.markRetry(a.id, { error: 'ECONNRESET', nextAttemptAt: new Date(clock.now().getTime() + 2000) });
    await store.markSent([b.id]);

    await store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, status, attempts, last_error, next_attempt_at, sent_at FROM outbox ORDER BY id').all();
    db.close();
    const t = clock.now().getTime();
    assert.deepEqual(rows, [
      { id: a.id, status: 'pending', attempts: 2, last_error: 'ECONNRESET', next_attempt_at: t + 2000, sent_at: null },
      { id: b.id, status: 'sent', attempts: 1, last_error: null, next_attempt_at: t - 5000, sent_at: t },
    ]);
  });

  test('the outbox rejects an unknown status', async () => {
    const file = dbPath();
    const store = openStore(file);
    await store.ingest([posting()], alertTo('me'));
    await store.close();
    const db = openDatabase(file);

    assert.throws(() => db.prepare("UPDATE outbox SET status = 'lost'").run(), /CHECK constraint failed/);
    db.close();
  });
});

describe('feed state', () => {
  /** The state fields a plain success/failure leaves empty (identity, hold, lease, health flag). */
  const NO_EXTRA = { holdUntil: null, url: null, configHash: null, failingSince: null, alertedAt: null, leaseUntil: null, leasedBy: null, bodyHash: null, firstPollAt: null, backlog: null };

  test('success, failure and backoff fields round-trip', async () => {
    const clock = manualClock();
    const file = dbPath();
    const store = openStore(file, clock);
    assert.equal(await store.getFeedState('acme'), null);

    const nextCheck = new Date(clock.now().getTime() + 15 * 60_000);
    await store.recordFeedSuccess('acme', { etag: 'W/"abc"', lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT', nextCheckAt: nextCheck });
    const successAt = clock.now();
    assert.deepEqual(await store.getFeedState('acme'), {
      name: 'acme',
      etag: 'W/"abc"',
      lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT',
      lastSuccessAt: successAt,
      lastAttemptAt: successAt,
      consecutiveErrors: 0,
      lastError: null,
      nextCheckAt: nextCheck,
      ...NO_EXTRA,
    });

    clock.advance(60_000);
    const backoff1 = new Date(clock.now().getTime() + 120_000);
    const failedAt = clock.now();
    const afterOne = await store.recordFeedFailure('acme', { error: 'HTTP 503', nextCheckAt: backoff1 });
    clock.advance(120_000);
    const backoff2 = new Date(clock.now().getTime() + 240_000);
    const afterTwo = await store.recordFeedFailure('acme', { error: 'ECONNREFUSED', nextCheckAt: backoff2 });

    assert.equal(afterOne.consecutiveErrors, 1);
    assert.deepEqual(afterTwo, {
      name: 'acme',
      etag: 'W/"abc"',
      lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT',
      lastSuccessAt: successAt,
      lastAttemptAt: clock.now(),
      consecutiveErrors: 2,
      lastError: 'ECONNREFUSED',
      nextCheckAt: backoff2,
      ...NO_EXTRA,
      failingSince: failedAt,
    });
    await store.close();

    const reopened = openStore(file, clock);
    assert.deepEqual(await reopened.getFeedState('acme'), afterTwo);
    clock.advance(1000);
    await reopened.recordFeedSuccess('acme', { etag: null, lastModified: null, nextCheckAt: null });
    assert.deepEqual(await reopened.getFeedState('acme'), {
      name: 'acme',
      etag: null,
      lastModified: null,
      lastSuccessAt: clock.now(),
      lastAttemptAt: clock.now(),
      consecutiveErrors: 0,
      lastError: null,
      nextCheckAt: null,
      ...NO_EXTRA,
    });
    await reopened.close();
  });

  test('a first-ever failure creates the state; listFeedStates() lists every feed by name', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    await store.recordFeedSuccess('zeta', { etag: null, lastModified: null, nextCheckAt: null });

    const state = await store.recordFeedFailure('alpha', { error: 'HTTP 404', nextCheckAt: clock.now() });

    assert.deepEqual(state, {
      name: 'alpha',
      etag: null,
      lastModified: null,
      lastSuccessAt: null,
      lastAttemptAt: clock.now(),
      consecutiveErrors: 1,
      lastError: 'HTTP 404',
      nextCheckAt: clock.now(),
      ...NO_EXTRA,
      failingSince: clock.now(),
    });
    assert.deepEqual(
      (await store.listFeedStates()).map((s) => s.name),
      ['alpha', 'zeta'],
    );
    await store.close();
  });
});

describe('dedupe in the store: live ids, re-posts, fingerprints', () => {
  const seed = fs.readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8');

  test('a new id listed next to the old one is a second job; once the old id is gone, a new id is a re-post', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    const decided: StoredJob[] = [];
    const decide = (job: StoredJob): AlertIntent[] => (decided.push(job), []);
    const a1 = posting({ sourceId: 'a1' });
    const a2 = posting({ sourceId: 'a2' });
    const a3 = posting({ sourceId: 'a3' });

    await store.ingest([a1], decide);
    clock.advance(DAY);
    const both = await store.ingest([a1, a2], decide);
    clock.advance(DAY);
    const repost = await store.ingest([a2, a3], decide);

    assert.deepEqual([both.inserted, both.unchanged], [1, 1], 'a2 is listed beside a1: another opening');
    assert.deepEqual([repost.inserted, repost.updated, repost.unchanged], [0, 1, 1], 'a3 replaces a1, which left the feed');
    assert.equal(decided.length, 2);
    assert.deepEqual((await store.findJobByUrl(a3.url))!.urls, [a1.url, a3.url]);
    assert.deepEqual((await store.findJobByUrl(a2.url))!.urls, [a2.url]);
    await store.close();
  });

  test('two ids of one feed in one poll stay two jobs; a cross-post attaches to the one at its place', async () => {
    const store = openStore();
    const berlin = posting({ sourceId: 'b-1', location: 'Berlin, Germany', arrangement: 'hybrid', remoteRegions: [] });
    const munich = posting({ sourceId: 'm-1', location: 'Germany', arrangement: 'hybrid', remoteRegions: [] });
    const first = await store.ingest([berlin, munich], noAlerts);
    const elsewhere = await store.ingest([{ ...berlin, feed: 'other', sourceId: 'x-1', url: 'https://other.example/x-1', canonicalUrl: 'https://other.example/x-1' }], noAlerts);

    assert.deepEqual([first.inserted, elsewhere.inserted, elsewhere.updated], [2, 0, 1]);
    assert.deepEqual((await store.findJobByUrl(berlin.url))!.feeds, ['remotewlb', 'other']);
    assert.deepEqual((await store.findJobByUrl(munich.url))!.feeds, ['remotewlb']);
    await store.close();
  });

  test('migration 3 backfills fingerprints of an existing database file; a company-less mirror then finds its job by index', async () => {
    const file = dbPath();
    const old = databaseAtVersion(file, 2);
    const t = Date.parse('2025-03-01T12:00:00.000Z');
    old.prepare(
      `INSERT INTO jobs (title, company, location, description, arrangement, remote_regions, first_seen, last_seen, content_hash, company_key, title_key)
       VALUES ('Senior Machine Learning Engineer', 'Nomad Health', 'Remote', ?, 'remote', '[]', ?, ?, 'h', 'nomadhealth', 'engineer learning machine senior')`,
    ).run(seed, t, t);
    old.prepare(
      `INSERT INTO jobs (title, company, location, description, arrangement, remote_regions, first_seen, last_seen, content_hash, company_key, title_key)
       VALUES ('Intern', 'Acme', 'Remote', 'Short text.', 'remote', '[]', ?, ?, 'h', 'acme', 'intern')`,
    ).run(t, t);
    old.prepare(
      `INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen)
       VALUES (1, 'remotewlb', 'old-1', 'https://old.example/1', 'https://old.example/1', 'h', ?, ?)`,
    ).run(t, t);
    old.close();

    const db = openDatabase(file);
    const bands = db.prepare('SELECT job_id, count(*) AS n FROM job_fingerprints GROUP BY job_id').all();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${JOBS_BY_FINGERPRINT_SQL}`).all('[1,2]', 0) as Array<{ detail: string }>;
    db.close();

    assert.deepEqual(bands, [{ job_id: 1, n: 8 }], 'eight bands for the seed; none for a text too short');
    const detail = plan.map((p) => p.detail).join('\n');
    assert.match(detail, /SEARCH job_fingerprints USING PRIMARY KEY \(band_key=\?\)/);
    assert.match(detail, /SEARCH jobs USING INTEGER PRIMARY KEY/);
    assert.doesNotMatch(detail, /SCAN (jobs|job_fingerprints)/);
    const clock = manualClock('2025-03-02T12:00:00.000Z');
    const store = openStore(file, clock);
    const mirror = posting({
      feed: 'mirror',
      sourceId: 'm-1',
      url: 'https://mirror.example/m-1',
      canonicalUrl: 'https://mirror.example/m-1',
      company: null,
      location: 'Remote',
      remoteRegions: [],
      description: seed,
      published: clock.now(),
    });
    const result = await store.ingest([mirror], noAlerts);
    assert.deepEqual([result.inserted, result.updated], [0, 1]);
    assert.equal((await store.findJobByUrl(mirror.url))!.id, 1);
    await store.close();
  });

  test('migration 4 recomputes every stored dedupe key (and the fingerprints that carry it) with the current code', () => {
    const file = dbPath();
    const old = databaseAtVersion(file, 3);
    const t = Date.parse('2025-03-01T12:00:00.000Z');
    // Keys as an older jobalert computed them: they no longer equal what a re-post computes.
    old.prepare(
      `INSERT INTO jobs (title, company, location, description, arrangement, remote_regions, first_seen, last_seen, content_hash, company_key, title_key)
       VALUES ('Senior Machine Learning Engineer - NY', 'Nomad Health, Inc.', 'New York, NY', ?, 'hybrid', '[]', ?, ?, 'h', 'stale', 'stale')`,
    ).run(seed, t, t);
    old.close();

    const db = openDatabase(file);
    const row = db.prepare('SELECT title, company, location, company_key, title_key FROM jobs').get() as { title: string; company: string; location: string; company_key: string; title_key: string };
    const bands = db.prepare('SELECT count(*) AS n FROM job_fingerprints').get() as { n: number };
    db.close();

    const want = dedupeKeys(row);
    assert.deepEqual([row.company_key, row.title_key], [want.companyKey, want.titleKey]);
    assert.notEqual(row.title_key, 'stale');
    assert.equal(bands.n, 8);
  });

  test('an edit rewrites the job\'s fingerprint: the old text no longer finds it', async () => {
    const file = dbPath();
    const clock = manualClock();
    const store = openStore(file, clock);
    const first = posting({ sourceId: 'g-1', description: seed });
    await store.ingest([first], noAlerts);
    const before = rawCount(file, 'job_fingerprints');
    clock.advance(DAY);
    await store.ingest([{ ...first, description: 'Filled: this job is no longer open.' }], noAlerts);

    assert.equal(before, 8);
    assert.equal(rawCount(file, 'job_fingerprints'), 0);
    await store.close();
  });
});

describe('exportJobs()', () => {
  test('streams every job by first_seen, with all fields', async () => {
    const clock = manualClock();
    const store = openStore(dbPath(), clock);
    for (let i = 0; i < 250; i++) {
      await store.ingest([posting({ sourceId: `job-${i}`, title: `Engineer ${i}` })], noAlerts);
      clock.advance(1000);
    }
    await store.ingest([posting({ feed: 'mirror', sourceId: 'm', url: 'https://jobs.example.com/job-0', canonicalUrl: 'https://jobs.example.com/job-0' })], noAlerts);

    const it = store.exportJobs()[Symbol.asyncIterator]();
    const first = await it.next();

    assert.equal(first.done, false);
    const job = first.value as StoredJob;
    assert.equal(job.title, 'Engineer 0');
    assert.deepEqual(job.feeds, ['remotewlb', 'mirror']);
    assert.deepEqual(job.urls, ['https://jobs.example.com/job-0?utm_source=rss', 'https://jobs.example.com/job-0']);
    assert.deepEqual(job.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.deepEqual(job.remoteRegions, ['US']);
    assert.deepEqual(job.tags, ['ml', 'python']);
    assert.deepEqual(job.published, new Date('2025-03-01T09:00:00.000Z'));
    await it.return?.();
    const all = await collect(store.exportJobs());
    assert.equal(all.length, 250);
    assert.deepEqual(
      all.slice(0, 3).map((j) => j.title),
      ['Engineer 0', 'Engineer 1', 'Engineer 2'],
    );
    const times = all.map((j) => j.firstSeen.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
    // The early return above released the statement, so writes work again.
    assert.equal((await store.ingest([posting({ sourceId: 'late' })], noAlerts)).inserted, 1);
    await store.close();
  });
});

/** A database file as a jobalert that knew only the first `version` migrations left it. */
function databaseAtVersion(file: string, version: number): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.exec(MIGRATIONS[0] as string);
  for (const step of MIGRATIONS.slice(1, version)) (step as (d: Database.Database) => void)(db);
  db.pragma(`user_version = ${version}`);
  return db;
}
