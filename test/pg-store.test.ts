/**
 * The PostgreSQL store against a real server: the same calls give the same results as the SQLite
 * store (each scenario runs on both and the results are compared, ids aside), plus what only
 * several workers on one database can show: claims, leases and ingest racing each other.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Clock, Posting, RawPosting, StoredJob } from '../src/core/types.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { parseFeed } from '../src/sources/parse-feed.js';
import { openSqliteStore, openStore, sqliteConnectionOf } from '../src/store/open-store.js';
import { describeDatabase } from '../src/core/database-url.js';
import type { AlertIntent, IngestItem, Store } from '../src/store/store.js';
import { ALERT_DESCRIPTION_CHARS } from '../src/store/outbox.js';
import { migratePg } from '../src/store/pg/migrations.js';
import { createPgPool } from '../src/store/pg/pool.js';
import { createPgStore, PG_MIN_LOCK_WAIT_MS, type PgStore } from '../src/store/pg/pg-store.js';
import { MAX_KEY_LOCKS } from '../src/store/pg/pg-locks.js';
import { inTransaction } from '../src/store/pg/pg-sql.js';
import { startPostgres, type PgServer } from './support/postgres.js';

const DAY = 24 * 60 * 60 * 1000;
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

let server: PgServer;
const open: Store[] = [];

before(async () => {
  server = await startPostgres();
});

after(async () => {
  await Promise.allSettled(open.map((s) => s.close()));
  await server?.stop();
});

type ManualClock = Clock & { advance(ms: number): void; set(iso: string): void };

function manualClock(start = '2025-03-01T12:00:00.000Z'): ManualClock {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms), set: (iso) => void (t = Date.parse(iso)) };
}

/** A migrated fresh database; its URL. */
async function freshDatabase(): Promise<string> {
  const url = await server.createDatabase();
  const pool = createPgPool(url, { max: 1 });
  await migratePg(pool);
  await pool.end();
  return url;
}

/** A PostgreSQL store (its own pool) on the database at `url`. */
function pgStore(url: string, clock: Clock, max = 4): { store: PgStore; pool: pg.Pool } {
  const pool = createPgPool(url, { max });
  const store = createPgStore(pool, clock);
  open.push(store);
  return { store, pool };
}

/** A scenario: calls on a store, returning what they gave (compared between the two stores). */
type Script = (s: Store, clock: ManualClock) => Promise<unknown>;

/**
 * Runs the script on SQLite and on PostgreSQL, each from the same clock, and asserts both gave the
 * same results once ids are relabelled (PostgreSQL draws ids ahead, so its numbers may skip). Returns
 * the PostgreSQL results, for assertions of their own.
 */
async function parity<T>(script: (s: Store, clock: ManualClock) => Promise<T>, start?: string): Promise<T> {
  const sqliteClock = manualClock(start);
  const sqlite = openSqliteStore(':memory:', { clock: sqliteClock });
  let want: unknown;
  try {
    want = await script(sqlite, sqliteClock);
  } finally {
    await sqlite.close();
  }
  const pgClock = manualClock(start);
  const { store } = pgStore(await freshDatabase(), pgClock);
  const got = await script(store, pgClock);
  assert.deepEqual(relabel(got), relabel(want));
  return got;
}

/** Ids replaced by their rank of first appearance, jobs and alerts apart, so two stores' results compare. */
function relabel(value: unknown): unknown {
  const jobs = new Map<number, string>();
  const alerts = new Map<number, string>();
  const label = (map: Map<number, string>, prefix: string, id: number): string => {
    if (!map.has(id)) map.set(id, `${prefix}${map.size + 1}`);
    return map.get(id)!;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    if (v === null || typeof v !== 'object' || v instanceof Date) return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = walk(x);
    if (typeof o.id === 'number') {
      if ('canonicalUrl' in o && 'firstSeen' in o) out.id = label(jobs, 'job', o.id);
      else if ('attempts' in o) out.id = label(alerts, 'alert', o.id);
    }
    // Ids given as plain lists: { alertIds: [...] } or { jobIds: [...] }.
    if (Array.isArray(o.alertIds)) out.alertIds = (o.alertIds as number[]).map((id) => label(alerts, 'alert', id));
    if (Array.isArray(o.jobIds)) out.jobIds = (o.jobIds as number[]).map((id) => label(jobs, 'job', id));
    return out;
  };
  return walk(value);
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

function otherJob(sourceId: string, overrides: Partial<Posting> = {}): Posting {
  return posting({ sourceId, company: `Company ${sourceId}`, ...overrides });
}

/** A posting as a feed delivers it, normalized as the pipeline does (dedupe.test.ts). */
function raw(feed: string, over: Partial<RawPosting> & { sourceId: string }): Posting {
  return normalizePosting(
    {
      url: `https://${feed}.example.com/jobs/${over.sourceId}`,
      title: 'Senior Backend Engineer',
      company: 'Acme',
      location: 'Berlin, Germany',
      description: 'Build and run our payment APIs.',
      published: new Date('2025-03-01T09:00:00.000Z'),
      ...over,
    },
    feed,
  );
}

/** Stores a posting, its re-post under another id, and reads back what each store kept. */
async function nulScript(s: Store, first: Posting, repost: Posting): Promise<unknown> {
  const a = await s.ingest([first], alertTo('me'));
  const again = await s.ingest([first], noAlerts);
  const b = await s.ingest([repost], alertTo('me'));
  const all: StoredJob[] = [];
  for await (const job of s.exportJobs()) all.push(job);
  return [a, again.unchanged, b, await s.knownItems('nulboard'), await s.findJobByUrl(first.url), all];
}

function alertTo(...channels: string[]): (job: StoredJob) => AlertIntent[] {
  return (job) => channels.map((channel) => ({ rule: 'remote-senior-ml', channel, reasons: [`title: ${job.title}`] }));
}

const noAlerts = (): AlertIntent[] => [];

/** Everything the store holds, as its reads show it. */
async function snapshot(s: Store, now: Date) {
  const jobs: StoredJob[] = [];
  for await (const job of s.exportJobs()) jobs.push(job);
  return {
    jobs,
    alerts: await s.alertsById((await s.dueAlerts(new Date('2200-01-01'))).map((a) => a.id)),
    counts: await s.countAlerts(),
    held: await s.countHeld(now),
    next: await s.nextAlertDueAt(),
    feeds: await s.listFeedStates(),
  };
}

describe('PostgreSQL store: ingest, as the SQLite store does it', () => {
  test('a new posting becomes a job with its outbox rows; the same batch again is unchanged', async () => {
    const got = await parity(async (s, clock) => {
      const first = await s.ingest([posting(), otherJob('b')], alertTo('ml-slack', 'me'));
      clock.advance(15 * 60_000);
      let decided = 0;
      const again = await s.ingest([posting(), otherJob('b')], (job) => (decided++, alertTo('me')(job)));
      return { first, again, decided, due: await s.dueAlerts(clock.now()), job: await s.findJobByUrl('https://jobs.example.com/guid-1') };
    });
    assert.deepEqual([got.first.inserted, got.first.alertsQueued, got.again.unchanged, got.decided], [2, 4, 2, 0]);
    assert.notDeepEqual(got.job!.firstSeen, got.job!.lastSeen);
    assert.equal(got.due[0]!.job.title, 'Senior Machine Learning Engineer');
  });

  test('edits, links, cross-posts by URL, sightings that disagree, repeated ids in one batch', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      out.push(await s.ingest([posting({ salary: null, annualMin: null, annualMax: null })], alertTo('me')));
      clock.advance(60_000);
      out.push(await s.ingest([posting({ title: 'Staff Machine Learning Engineer', seniority: 'staff' })], alertTo('me', 'ml-slack')));
      const mirror = posting({ feed: 'mirror', sourceId: 'mirror-991', url: 'https://JOBS.example.com/guid-1?ref=mirror#apply', title: 'Sr. ML Engineer' });
      out.push(await s.ingest([mirror], alertTo('me')));
      out.push(await s.ingest([posting({ title: 'Staff Machine Learning Engineer', seniority: 'staff' }), mirror], alertTo('me')));
      out.push(await s.findJobByUrl('https://JOBS.example.com/guid-1?ref=mirror#apply'));
      const moved = posting({ url: 'https://jobs.example.com/v2/guid-1', canonicalUrl: 'https://jobs.example.com/v2/guid-1', title: 'Staff Machine Learning Engineer', seniority: 'staff' });
      out.push(await s.ingest([moved], alertTo('me')));
      out.push(await s.findJobByUrl('https://jobs.example.com/guid-1'), await s.findJobByUrl('https://jobs.example.com/v2/guid-1'));
      // One batch: two postings sharing a URL, a repeated id, an edit of a job stored in the same batch.
      clock.advance(60_000);
      const a = otherJob('a');
      out.push(
        await s.ingest(
          [a, posting({ ...a, feed: 'mirror', sourceId: 'x', url: 'https://jobs.example.com/a?gh_src=abc' }), a, { ...a, title: 'Edited in the same poll' }, { ...a, url: 'https://jobs.example.com/a2', canonicalUrl: 'https://jobs.example.com/a2' }],
          alertTo('me'),
        ),
      );
      out.push(await s.findJobByUrl('https://jobs.example.com/a'), await s.findJobByUrl('https://jobs.example.com/a2'));
      out.push(await s.ingest([posting({ sourceId: 'n1', url: '', canonicalUrl: '', company: null }), posting({ sourceId: 'n2', url: '', canonicalUrl: '', company: null })], noAlerts));
      out.push(await s.findJobByUrl(''));
      out.push(await snapshot(s, clock.now()));
      return out;
    });
  });

  test('intents of one job for one channel are one row; digests wait; long descriptions are cut for alerts', async () => {
    const got = await parity(async (s, clock) => {
      const digestAt = clock.now().getTime() + DAY;
      const r = await s.ingest([posting(), otherJob('d', { description: `Début ${'é'.repeat(20_000)} fin` })], (job) => [
        { rule: 'r', channel: 'me', reasons: ['first', 'shared'] },
        { rule: 'r', channel: 'me', reasons: ['second'] },
        { rule: 'other', channel: 'me', reasons: ['shared'] },
        { rule: 'other', channel: 'team', reasons: [] },
        { rule: 'weekly', channel: 'digest', reasons: [job.title], digest: { at: digestAt + job.sourceId.length } },
        { rule: 'daily', channel: 'digest', reasons: [job.title], digest: { at: digestAt } },
      ]);
      return {
        r,
        due: await s.dueAlerts(new Date('2100-01-01')),
        held: await s.countHeld(clock.now()),
        digests: await s.dueDigestRows(new Date(digestAt), 'digest'),
        channels: [await s.dueChannels(clock.now()), await s.dueChannels(new Date(digestAt))],
      };
    });
    const cut = got.due.find((a) => a.job.sourceId === 'd')!;
    assert.equal(cut.job.description.length, ALERT_DESCRIPTION_CHARS);
    assert.equal(got.held, 2);
  });

  test('a decide() that throws rolls the whole batch back', async () => {
    await parity(async (s) => {
      await s.ingest([posting({ sourceId: 'kept' })], alertTo('me'));
      let calls = 0;
      const error = await s
        .ingest([otherJob('a'), otherJob('b'), posting({ sourceId: 'kept', title: 'Edited' })], (job) => {
          if (++calls === 2) throw new Error('rule blew up');
          return alertTo('me')(job);
        })
        .then(
          () => null,
          (err: Error) => err.message,
        );
      const after = await snapshot(s, new Date());
      const retried = await s.ingest([otherJob('a'), otherJob('b')], alertTo('me'));
      return { error, after, retried: [retried.inserted, retried.alertsQueued] };
    });
  });

  test('fields round-trip, nulls and empty lists included', async () => {
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
    const got = await parity(async (s) => [await s.ingest([bare], noAlerts), await s.ingest([bare], noAlerts)]);
    const { id, firstSeen, lastSeen, urls, feeds, links, ...rest } = got[0]!.newJobs[0]!;
    assert.deepEqual(rest, bare);
    assert.equal(got[1]!.unchanged, 1);
  });

  test('seen items: known raw hashes, a touch for a match, stale for a hash no longer stored', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      out.push(await s.ingest([{ ...otherJob('a'), rawHash: 'ha' }, { ...otherJob('b'), rawHash: 'hb' }, otherJob('c')], noAlerts));
      out.push(await s.knownItems('remotewlb'));
      clock.advance(60_000);
      const seen = (sourceId: string, rawHash: string): IngestItem => ({ seen: true, feed: 'remotewlb', sourceId, rawHash });
      out.push(await s.ingest([seen('a', 'ha'), seen('b', 'old'), seen('zz', 'hz'), seen('a', 'ha')], noAlerts));
      // The same content under a new raw form learns the hash; then a seen item matches it.
      out.push(await s.ingest([{ ...otherJob('c'), rawHash: 'hc' }, seen('c', 'hc')], noAlerts));
      out.push(await s.knownItems('remotewlb'));
      out.push(await snapshot(s, clock.now()));
      return out;
    });
  });
  test('NUL characters are stripped by normalize: both stores keep the same text, keys and hashes', async () => {
    const withNul = (n: number): Posting =>
      raw('nulboard', {
        sourceId: `n\u0000ul-${n}`,
        url: `https://nulboard.example.com/jobs/\u0000${n}`,
        title: 'Senior Data\u0000 Engineer',
        company: 'Ac\u0000me',
        location: 'Berlin\u0000, Germany',
        description: 'x\u0000y: build pipelines. \u0000$120k - $150k per year',
        tags: ['a\u0000'],
      });
    const nul = withNul(1);
    assert.ok(!JSON.stringify(nul).includes('\\u0000'), JSON.stringify(nul));
    assert.deepEqual([nul.title, nul.company, nul.sourceId, nul.tags], ['Senior Data Engineer', 'Acme', 'nul-1', ['a']]);
    // Stored keys and hashes, column for column, in each store.
    const sqliteKeys = (s: Store) => sqliteConnectionOf(s)!.prepare('SELECT content_hash, company_key, title_key FROM jobs ORDER BY id').all();
    const sqlite = openSqliteStore(':memory:', { clock: manualClock() });
    let want: unknown;
    let wantKeys: unknown;
    try {
      want = await nulScript(sqlite, nul, withNul(2));
      wantKeys = sqliteKeys(sqlite);
    } finally {
      await sqlite.close();
    }
    const { store, pool } = pgStore(await freshDatabase(), manualClock());
    assert.deepEqual(relabel(await nulScript(store, nul, withNul(2))), relabel(want));
    const pgKeys = (await pool.query('SELECT content_hash, company_key, title_key FROM jobs ORDER BY id')).rows;
    assert.deepEqual(pgKeys, wantKeys);
    assert.equal(pgKeys.length, 1, 'the re-post with another id is the same job on both');
  });
  test('what reaches the PostgreSQL store without normalize (errors, reasons, a typed URL) still loses its NUL rather than failing', async () => {
    const { store } = pgStore(await freshDatabase(), manualClock());
    const p = otherJob('plain');
    const first = await store.ingest([p], (job) => [{ rule: 'r', channel: 'me', reasons: [`title: ${job.title}\u0000`] }]);
    assert.deepEqual([first.inserted, first.alertsQueued], [1, 1]);
    assert.deepEqual((await store.dueAlerts(new Date('2100-01-01')))[0]!.reasons, [`title: ${p.title}`]);
    assert.equal((await store.findJobByUrl(`${p.canonicalUrl}\u0000`))?.id, first.newJobs[0]!.id);
    await store.recordFeedFailure('f', { error: 'bad\u0000byte', nextCheckAt: new Date() });
    assert.equal((await store.getFeedState('f'))!.lastError, 'badbyte');
  });
});

describe('PostgreSQL store: dedupe, as the SQLite store does it', () => {
  test('live ids and re-posts: a new id beside the old is a second job; once the old is gone, a re-post', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      const decided: string[] = [];
      const decide = (job: StoredJob): AlertIntent[] => (decided.push(job.sourceId), []);
      out.push(await s.ingest([posting({ sourceId: 'a1' })], decide));
      clock.advance(DAY);
      out.push(await s.ingest([posting({ sourceId: 'a1' }), posting({ sourceId: 'a2' })], decide));
      clock.advance(DAY);
      out.push(await s.ingest([posting({ sourceId: 'a2' }), posting({ sourceId: 'a3' })], decide));
      const berlin = posting({ sourceId: 'b-1', location: 'Berlin, Germany', arrangement: 'hybrid', remoteRegions: [], title: 'Data Engineer' });
      const munich = posting({ sourceId: 'm-1', location: 'Germany', arrangement: 'hybrid', remoteRegions: [], title: 'Data Engineer' });
      out.push(await s.ingest([berlin, munich], decide));
      out.push(await s.ingest([{ ...berlin, feed: 'other', sourceId: 'x-1', url: 'https://other.example/x-1', canonicalUrl: 'https://other.example/x-1' }], decide));
      out.push(decided, await snapshot(s, clock.now()));
      return out;
    });
  });

  test('re-posts within and beyond 30 days, the window from last seen, near misses, places, levels', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      const decide = (job: StoredJob): AlertIntent[] => [{ rule: 'r', channel: 'me', reasons: [`title: ${job.title}`] }];
      out.push(await s.ingest([raw('acme', { sourceId: 'acme-1', description: 'Pay: $150,000 - $180,000 per year.' })], decide));
      clock.advance(14 * DAY);
      out.push(await s.ingest([raw('acme', { sourceId: 'acme-2', description: 'Pay: $160,000 - $190,000 per year.', published: new Date(clock.now().getTime() - 3600_000) })], decide));
      out.push(await s.ingest([raw('aggregator', { sourceId: 'x', description: 'No pay stated.', published: clock.now() })], decide));
      clock.advance(45 * DAY);
      out.push(await s.ingest([raw('acme', { sourceId: 'acme-9', published: clock.now() })], decide));
      clock.advance(40 * DAY);
      out.push(await s.ingest([raw('acme', { sourceId: 'acme-9', published: clock.now() })], decide));
      clock.advance(5 * DAY);
      out.push(await s.ingest([raw('acme', { sourceId: 'acme-10', published: clock.now() })], decide));
      const p = (feed: string, sourceId: string, over: Partial<RawPosting> = {}) => raw(feed, { sourceId, published: clock.now(), ...over });
      out.push(
        await s.ingest(
          [
            p('a', '1', { title: 'Senior Frontend Engineer' }),
            p('b', '2', { title: 'Senior Frontend Engineer', location: 'Toronto, ON, Canada' }),
            p('c', '3', { title: 'Staff Frontend Engineer' }),
            p('d', '4', { title: 'Senior Frontend Engineer', company: 'Globex' }),
            p('e', '5', { title: 'Frontend Engineer' }),
            p('f', '6', { title: 'Frontend Engineer II' }),
            p('g', '7', { title: 'Senior Frontend Engineer', location: 'Berlin' }),
            p('h', '8', { company: null, title: 'Senior Data Engineer' }),
            p('i', '9', { company: null, title: 'Senior Data Engineer' }),
            p('j', '10', { company: null, title: 'Data Developer', url: 'https://h.example.com/jobs/8?utm_source=c' }),
            p('k', '11', { company: null, title: 'Data Developer', url: 'https://h.example.com/jobs/8' }),
            p('l', '12', { title: 'Platform Engineer', location: 'Remote - US' }),
            p('m', '13', { title: 'Platform Engineer', location: 'United States (Remote)' }),
            p('n', '14', { title: 'Platform Engineer', location: 'Remote - Canada' }),
            { ...p('o', '15', { title: 'Platform Engineer', location: 'Remote - US' }), seniority: 'staff' },
          ],
          decide,
        ),
      );
      out.push(await snapshot(s, clock.now()));
      return out;
    });
  });

  test('never merge two jobs: side-by-side ids, stated terms that differ; one side unstated still merges', async () => {
    await parity(async (s) => {
      const out: unknown[] = [];
      const decide = (): AlertIntent[] => [{ rule: 'r', channel: 'me', reasons: [] }];
      out.push(
        await s.ingest(
          [
            raw('yassir', { sourceId: '580bb8db', title: 'Data Engineer (Mid/Senior)', company: 'Yassir', location: 'Algeria (West); Algeria (East); Algiers, Algeria', tags: ['Full-time'] }),
            raw('yassir', { sourceId: 'aee14e46', title: 'Mid/Senior Data Engineer', company: 'Yassir', location: 'Tunis, Tunisia; Sousse; Tunisia', tags: ['Full-time'] }),
            raw('impact', { sourceId: '8463934002', title: 'Technical Services Engineer III', company: 'impact.com', location: 'Cape Town' }),
            raw('impact', { sourceId: '8338043002', title: 'Technical Services Engineer III', company: 'impact.com', location: 'Remote', description: 'The base salary range for this role is $80,000 - $100,000 per year.' }),
          ],
          decide,
        ),
      );
      const apart: Array<[Partial<RawPosting>, Partial<RawPosting>]> = [
        [{ title: 'Senior Backend Engineer (Contract)' }, { tags: ['Full-time'] }],
        [{ description: 'Rate: $90 - $110 per hour.', title: 'Rust Engineer' }, { description: 'Salary: $150,000 - $180,000 per year.', title: 'Rust Engineer' }],
        [{ location: 'Seattle, WA, USA', title: 'Go Engineer' }, { location: 'Berlin, Germany', title: 'Go Engineer' }],
        [{ company: 'Acme AB', location: 'Stockholm, Sweden', title: 'QA Engineer' }, { company: 'Acme Inc.', location: null, title: 'QA Engineer' }],
      ];
      for (const [i, [a, b]] of apart.entries()) {
        out.push(await s.ingest([raw('board-a', { sourceId: `a-${i}`, ...a }), raw('board-b', { sourceId: `b-${i}`, ...b })], decide));
      }
      out.push(
        await s.ingest(
          [
            raw('board-a', { sourceId: 'u-1', title: 'SRE', tags: ['Full-time'], description: 'Salary: €60,000 - €75,000 per year.' }),
            raw('board-b', { sourceId: 'u-2', title: 'SRE', company: 'Acme GmbH', description: 'Salary: €70,000 - €80,000 per year.' }),
            raw('board-c', { sourceId: 'u-3', title: 'SRE', description: 'No pay stated here.' }),
          ],
          decide,
        ),
      );
      out.push(await snapshot(s, new Date()));
      return out;
    });
  });

  for (const order of ['original first', 'mirror first'] as const) {
    test(`fingerprints: the seed posting and its company-less mojibake mirror are one job (${order}); other texts stay apart`, async () => {
      const seedClean = fs.readFileSync(path.join(FIXTURES, 'seed-posting.clean.txt'), 'utf8').split('\n').slice(1).join('\n');
      const seedMojibake = fs.readFileSync(path.join(FIXTURES, 'seed-posting.txt'), 'utf8').split('\n').slice(1).join('\n');
      const original = (over: Partial<RawPosting> = {}) =>
        raw('remotewlb', { sourceId: 'remotewlb-136253', url: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253', title: 'Senior Machine Learning Engineer', company: 'Nomad Health', location: 'Remote', description: seedClean, ...over });
      const mirror = (over: Partial<RawPosting> = {}) =>
        raw('mirror', { sourceId: 'mirror-1', url: 'https://jobs.mirror.example/j/1', title: 'Senior Machine Learning Engineer', company: null, location: 'Remote', description: seedMojibake, ...over });
      const got = await parity(async (s, clock) => {
        const out: unknown[] = [];
        const [first, second] = order === 'original first' ? [original(), mirror()] : [mirror(), original()];
        out.push(await s.ingest([first], alertTo('me')));
        clock.advance(3600_000);
        out.push(await s.ingest([second], alertTo('me')));
        out.push(await s.findJobByUrl(original().url));
        const blurb = seedClean.slice(seedClean.indexOf("Don't meet every single requirement"));
        out.push(
          await s.ingest(
            [
              mirror({ sourceId: 'm-1', url: 'https://jobs.mirror.example/j/11', title: 'Staff Machine Learning Engineer' }),
              mirror({ sourceId: 'm-2', url: 'https://jobs.mirror.example/j/12', description: `As a Senior Machine Learning Engineer on the fraud team you will build anomaly detection for payments, own the feature store, and run the on-call rotation for model serving.\n\n${blurb}` }),
              mirror({ sourceId: 'm-3', url: 'https://jobs.mirror.example/j/13', description: seedClean.replaceAll('$135,000 to $180,000', '$60 to $80 per hour') }),
            ],
            alertTo('me'),
          ),
        );
        // An edit rewrites the job's fingerprint: the old text no longer finds it.
        clock.advance(DAY);
        out.push(await s.ingest([{ ...original(), description: 'Filled: this job is no longer open.' }], noAlerts));
        out.push(await s.ingest([mirror({ sourceId: 'm-4', url: 'https://jobs.mirror.example/j/14' })], noAlerts));
        out.push(await snapshot(s, clock.now()));
        return out;
      });
      const job = got[2] as StoredJob;
      assert.equal(job.company, 'Nomad Health', 'a job first seen without a company learns it');
      assert.equal(job.urls.length, 2);
    });
  }

  test('the seed posting, its mojibake cross-post and a third board, from real feed files, polled twice', async () => {
    const seed = fs.readFileSync(path.join(FIXTURES, 'seed-posting.txt'), 'utf8');
    const mirrorXml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>mirror</title><link>https://jobs.mirror.example/</link>
<item><title>Senior Machine Learning Engineer at Nomad Health â€“ Remote (US)</title>
<link>https://jobs.mirror.example/j/88412?utm_source=feed&amp;ref=rss</link><guid isPermaLink="false">mirror-88412</guid>
<pubDate>Fri, 22 Nov 2024 08:30:00 GMT</pubDate><description><![CDATA[${seed}]]></description></item>
</channel></rss>`;
    const poll = async (feed: string, xml: string) =>
      (await parseFeed(xml, { type: 'auto', baseUrl: `https://${feed}.example/` })).postings.map((r) => normalizePosting(r, feed));
    const polls = [
      await poll('remotewlb', fs.readFileSync(path.join(FIXTURES, 'feeds/seed-mojibake.rss'), 'utf8')),
      await poll('mirror', mirrorXml),
      await poll('remotive', fs.readFileSync(path.join(FIXTURES, 'feeds/remotive.rss'), 'utf8')),
    ];
    const got = await parity(async (s, clock) => {
      const out: unknown[] = [];
      for (const round of [1, 2]) {
        for (const p of polls) {
          out.push(await s.ingest(p, alertTo('me')));
          clock.advance(3600_000 * round);
        }
      }
      out.push(await snapshot(s, clock.now()));
      return out;
    }, '2024-11-21T13:00:00.000Z');
    assert.deepEqual((got.slice(0, 3) as Array<{ inserted: number }>).map((r) => r.inserted), [2, 0, 1]);
  });

  test('random polls of overlapping feeds: the same jobs, sightings, times and alerts as SQLite after every poll', async () => {
    // A small world of postings (cross-posts, re-posts, edits, seen items) polled in random order.
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const titles = ['Senior Backend Engineer', 'Data Scientist', 'Staff Platform Engineer', 'ML Engineer'];
    const companies = ['Acme', 'Globex', null];
    const feeds = ['a', 'b', 'c'];
    const script: Array<{ advance: number; items: IngestItem[] }> = [];
    for (let poll = 0; poll < 40; poll++) {
      const feed = feeds[rand(3)]!;
      const items: IngestItem[] = [];
      for (let i = 0, n = 1 + rand(12); i < n; i++) {
        const k = rand(16);
        const title = titles[k % 4]!;
        const company = companies[Math.floor(k / 4) % 3] ?? null;
        if (rand(5) === 0) {
          items.push({ seen: true, feed, sourceId: `s${k}`, rawHash: `r${k}-${rand(2)}` });
          continue;
        }
        const p = raw(feed, {
          sourceId: `s${k}`,
          url: `https://${rand(3) === 0 ? 'shared' : feed}.example.com/jobs/${k}`,
          title,
          company,
          location: ['Berlin, Germany', 'Remote', 'Paris, France'][rand(3)]!,
          description: rand(4) === 0 ? `Edited text ${rand(3)} for ${title}.` : `The ${title} role at ${company ?? 'a company'}: build things.`,
          published: new Date(Date.parse('2025-03-01T09:00:00.000Z') + poll * DAY),
        });
        items.push({ ...p, rawHash: `r${k}-${rand(2)}` });
      }
      script.push({ advance: rand(4) * DAY, items });
    }
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      for (const step of script) {
        clock.advance(step.advance);
        out.push(await s.ingest(step.items, (job) => (job.title.length % 2 ? alertTo('me')(job) : alertTo('me', 'team')(job))));
        out.push(await s.knownItems(step.items[0]!.feed));
      }
      out.push(await snapshot(s, clock.now()));
      return out;
    });
  });
});

describe('PostgreSQL store: outbox and feed state, as the SQLite store does it', () => {
  test('due, retry, failed, sent, requeue, counts and the next due time', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      await s.ingest([otherJob('a')], alertTo('c1', 'c2'));
      clock.advance(1000);
      await s.ingest([otherJob('b')], alertTo('c1', 'c3'));
      const [a1, a2, b1, b3] = await s.dueAlerts(clock.now());
      out.push(await s.nextAlertDueAt());
      await s.markRetry(a1!.id, { error: 'Slack 429', nextAttemptAt: new Date(clock.now().getTime() + 60_000) });
      await s.markFailed(a2!.id, 'invalid_auth');
      out.push(await s.dueAlerts(clock.now()), await s.dueAlerts(new Date(clock.now().getTime() + 60_000), 1), await s.nextAlertDueAt());
      await s.markSent([b1!.id, b1!.id]);
      await s.markRetry(b1!.id, { error: 'late', nextAttemptAt: clock.now() });
      await s.recordOutcomes([
        { id: b3!.id, status: 'retry', error: 'ETIMEDOUT', nextAttemptAt: new Date(clock.now().getTime() + 5000) },
        { id: a1!.id, status: 'failed', error: 'gone' },
      ]);
      await s.recordOutcomes([
        { id: b3!.id, status: 'retry', error: 'again', nextAttemptAt: clock.now() },
        { id: b3!.id, status: 'sent' },
        { id: b3!.id, status: 'failed', error: 'too late' },
      ]);
      out.push(await s.countAlerts(), await s.alertsById([b3!.id, a1!.id, a2!.id]));
      clock.advance(1000);
      out.push(await s.requeueFailed('c2'), await s.countAlerts(), await s.requeueFailed(null), await s.dueAlerts(clock.now()));
      return out;
    });
  });

  test('claims: tokens, claimed and left-behind rows, take-over, holds, defers, per-rule counts, pages', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      for (const id of ['a', 'b', 'c', 'd', 'e']) {
        await s.ingest([otherJob(id)], (job) => [
          { rule: id < 'c' ? 'ml' : 'data', channel: 'slack', reasons: [] },
          { rule: 'all', channel: 'slack', reasons: ['x'] },
        ]);
        clock.advance(10);
      }
      const now = clock.now();
      const due = await s.dueAlerts(now);
      const ids = due.map((a) => a.id);
      out.push({ alertIds: await s.claimAlerts({ ids: ids.slice(0, 2), by: 'w1:1', until: new Date(now.getTime() + 1000), now }) });
      out.push({ alertIds: await s.claimAlerts({ ids, by: 'w2:1', until: new Date(now.getTime() + 2000), now }) });
      out.push({ alertIds: await s.claimAlerts({ ids, by: 'w3:1', until: new Date(now.getTime() + 2000), now }) });
      out.push(await s.claimTokens(now), await s.claimedAlerts(now), await s.leftBehindAlerts(now, ['w1:1']));
      out.push({ alertIds: await s.claimAlerts({ ids, by: 'w3:2', until: new Date(now.getTime() + 3000), now, takeOver: ['w1:1'] }) });
      const later = new Date(now.getTime() + 2500);
      out.push(await s.leftBehindAlerts(later, []), await s.claimTokens(later), await s.nextAlertDueAt());
      await s.recordOutcomes([{ id: ids[0]!, status: 'sent' }]);
      clock.advance(5000);
      await s.ingest([otherJob('f'), otherJob('g')], () => [{ rule: 'ml', channel: 'slack', reasons: [] }, { rule: 'ml', channel: 'mail', reasons: [] }]);
      const t = clock.now();
      out.push(await s.dueChannels(t), await s.countDue(t, 'slack'), await s.dueRuleCounts(t, 'slack'), await s.dueOfRule(t, 'slack', 'ml'));
      const page1 = await s.dueAlerts(t, 1, { channel: 'slack' });
      const page2 = await s.dueAlerts(t, 5, { channel: 'slack', after: { createdAt: page1[0]!.createdAt.getTime(), id: page1[0]!.id } });
      out.push(page1, page2);
      out.push(await s.deferChannel('mail', t, new Date(t.getTime() + 60_000), 'rate limited'), await s.dueAlerts(t));
      out.push(await s.holdChannel('slack', t, new Date(t.getTime() + 3600_000)), await s.countHeld(t), await s.dueAlerts(t), await s.nextAlertDueAt());
      return out;
    });
  });

  test('feed state: success, failure, identity, leases, health flags', async () => {
    await parity(async (s, clock) => {
      const out: unknown[] = [];
      out.push(await s.getFeedState('acme'));
      await s.recordFeedSuccess('acme', { etag: 'W/"abc"', lastModified: 'Sat, 01 Mar 2025 11:00:00 GMT', nextCheckAt: new Date(clock.now().getTime() + 900_000), bodyHash: 'b1', backlog: { postings: 10, newJobs: 8, alerted: 2, old: 1 } });
      clock.advance(60_000);
      out.push(await s.recordFeedFailure('acme', { error: 'HTTP 503', nextCheckAt: new Date(clock.now().getTime() + 120_000), holdUntil: new Date(clock.now().getTime() + 30_000) }));
      out.push(await s.recordFeedFailure('acme', { error: 'ECONNREFUSED', nextCheckAt: new Date(clock.now().getTime() + 240_000) }));
      out.push(await s.markFeedAlerted('acme'), await s.markFeedAlerted('acme'), await s.clearFeedAlerted('acme'), await s.clearFeedAlerted('acme'));
      await s.recordFeedSuccess('acme', { etag: null, lastModified: null, nextCheckAt: null, backlog: { postings: 99, newJobs: 99, alerted: 99, old: 99 } });
      out.push(await s.getFeedState('acme'));
      out.push(await s.recordFeedFailure('Zeta', { error: 'HTTP 404', nextCheckAt: clock.now() }));
      out.push(await s.syncFeedIdentity('acme', { url: 'https://a/1', configHash: 'h1' }), await s.syncFeedIdentity('acme', { url: 'https://a/2', configHash: 'h1' }));
      out.push(await s.syncFeedIdentity('acme', { url: 'https://a/3', configHash: 'h2' }), await s.syncFeedIdentity('new', { url: 'https://n', configHash: 'h' }));
      out.push(await s.acquireFeedLease('acme', 'w1', 60_000), await s.acquireFeedLease('acme', 'w2', 60_000), await s.acquireFeedLease('acme', 'w1', 60_000));
      out.push(await s.acquireFeedLease('fresh', 'w2', 1000));
      // A holder named as gone is taken over before its lease lapses; naming another one takes nothing.
      out.push(await s.acquireFeedLease('fresh', 'w3', 1000, 'w1'), await s.acquireFeedLease('fresh', 'w3', 1000, 'w2'), await s.getFeedState('fresh'));
      // Renewed only by its holder: w1's lease of acme runs 60 s from the renewal, w2's call changes nothing.
      clock.advance(30_000);
      out.push(await s.renewFeedLease('acme', 'w1', 60_000), await s.renewFeedLease('acme', 'w2', 60_000), await s.renewFeedLease('nosuch', 'w1', 60_000));
      clock.advance(30_001);
      const refused = await s.acquireFeedLease('acme', 'w2', 60_000);
      assert.equal(refused.ok, false, 'the renewed lease has not lapsed where the first one would have');
      out.push(refused);
      clock.advance(30_000);
      await s.releaseFeedLease('acme', 'w1');
      out.push(await s.getFeedState('acme'));
      await s.releaseFeedLease('acme', 'w2');
      out.push(await s.listFeedStates());
      return out;
    });
  });

  test('delivery health per channel: the same rows as the SQLite queries', async () => {
    const got = await parity(async (s, clock) => {
      await s.ingest([otherJob('a'), otherJob('b'), otherJob('c')], alertTo('slack', 'mail', 'Zulu'));
      const due = await s.dueAlerts(clock.now());
      await s.markRetry(due[0]!.id, { error: 'Slack 429', nextAttemptAt: new Date(clock.now().getTime() + 1000) });
      await s.markFailed(due[1]!.id, 'invalid_auth');
      await s.markSent([due[2]!.id]);
      await s.holdChannel('mail', clock.now(), new Date(clock.now().getTime() + 3600_000));
      return [await s.channelStates(clock.now()), await s.failedByChannel()];
    });
    assert.ok((got[0] as unknown[]).length > 0, 'the scenario leaves channels to report');
  });

  test('ping, location, and the failing notice\'s time that clearFeedAlerted returns', async () => {
    const got = await parity(async (s, clock) => {
      await s.ping();
      await s.recordFeedFailure('acme', { error: 'HTTP 503', nextCheckAt: clock.now() });
      const marked = clock.now();
      const claimed = await s.markFeedAlerted('acme');
      clock.advance(90_000);
      return { claimed, cleared: await s.clearFeedAlerted('acme'), again: await s.clearFeedAlerted('acme'), never: await s.clearFeedAlerted('unknown'), marked };
    });
    assert.deepEqual(got.cleared, got.marked, 'the time the notice was sent, not the time it was cleared');
    const url = await freshDatabase();
    const store = await openStore(url);
    open.push(store);
    await store.ping();
    assert.equal(store.location, describeDatabase(url));
    assert.match(store.location, /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/t_\d+$/);
    // No server there: ping rejects (what /healthz turns into a 503).
    const dead = createPgStore(createPgPool('postgres://nobody@127.0.0.1:1/none', { connectionTimeoutMs: 2000 }), manualClock());
    open.push(dead);
    await assert.rejects(dead.ping(), /ECONNREFUSED/);
  });

  test('exportJobs() streams every job by first_seen across pages; findJobByUrl by canonical or exact URL', async () => {
    const got = await parity(async (s, clock) => {
      for (let i = 0; i < 250; i++) {
        await s.ingest([otherJob(`job-${i}`, { title: `Engineer ${i}` })], noAlerts);
        clock.advance(i % 3 === 0 ? 0 : 1000);
      }
      await s.ingest([posting({ feed: 'mirror', sourceId: 'm', url: 'https://jobs.example.com/job-0', canonicalUrl: 'https://jobs.example.com/job-0', company: 'Company job-0' })], noAlerts);
      const all: StoredJob[] = [];
      for await (const job of s.exportJobs()) all.push(job);
      return { all, byExact: await s.findJobByUrl('https://jobs.example.com/job-7?utm_source=rss') };
    });
    assert.equal(got.all.length, 250);
    assert.deepEqual(got.all[0]!.feeds, ['remotewlb', 'mirror']);
  });
});

describe('PostgreSQL store: several workers on one database', () => {
  test('two workers claiming the same rows at once never both get one', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const w1 = pgStore(url, clock).store;
    const w2 = pgStore(url, clock).store;
    const batch = Array.from({ length: 300 }, (_, i) => otherJob(`c-${i}`));
    await w1.ingest(batch, alertTo('slack'));
    const now = clock.now();
    const ids = (await w1.dueAlerts(now)).map((a) => a.id);
    assert.equal(ids.length, 300);
    // Many small claims from both sides, racing on overlapping slices.
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const store = i % 2 ? w1 : w2;
        const slice = ids.slice((i * 20) % 280, ((i * 20) % 280) + 60);
        return store.claimAlerts({ ids: slice, by: `w${i % 2}:${i}`, until: new Date(now.getTime() + 60_000), now });
      }),
    );
    const claimed = claims.flat();
    assert.equal(new Set(claimed).size, claimed.length, 'a row claimed twice');
    const rows = await w1.claimedAlerts(now);
    for (const [i, got] of claims.entries()) {
      for (const id of got) assert.equal(rows.find((r) => r.id === id)?.claimedBy, `w${i % 2}:${i}`);
    }
    // Once the first claims lapsed, all at once on all the rows: exactly one wins each.
    const all = await Promise.all([w1, w2, w1, w2].map((s, i) => s.claimAlerts({ ids, by: `all:${i}`, until: new Date(now.getTime() + 120_000), now: new Date(now.getTime() + 60_000) })));
    assert.deepEqual(all.flat().sort((a, b) => a - b), ids);
  });

  test('a row locked by another worker is skipped, not waited for', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const { store, pool } = pgStore(url, clock);
    await store.ingest([otherJob('a'), otherJob('b')], alertTo('slack'));
    const now = clock.now();
    const [a, b] = await store.dueAlerts(now);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM outbox WHERE id = $1 FOR UPDATE', [a!.id]);
      const started = Date.now();
      const got = await store.claimAlerts({ ids: [a!.id, b!.id], by: 'w2', until: new Date(now.getTime() + 1000), now });
      assert.deepEqual(got, [b!.id]);
      assert.ok(Date.now() - started < 2000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  test('two workers taking the same feed lease at once: one wins; a lapsed lease is taken over', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const w1 = pgStore(url, clock).store;
    const w2 = pgStore(url, clock).store;
    for (let i = 0; i < 20; i++) {
      const feed = `feed-${i}`;
      // Half the feeds exist already (the upsert's update path), half are new (its insert path).
      if (i % 2) await w1.recordFeedSuccess(feed, { etag: null, lastModified: null, nextCheckAt: null });
      const results = await Promise.all([w1.acquireFeedLease(feed, 'w1', 60_000), w2.acquireFeedLease(feed, 'w2', 60_000), w1.acquireFeedLease(feed, 'w3', 60_000)]);
      assert.equal(results.filter((r) => r.ok).length, 1, `${feed}: ${JSON.stringify(results)}`);
      const winner = (await w1.getFeedState(feed))!.leasedBy;
      for (const r of results) if (!r.ok) assert.equal(r.leasedBy, winner);
    }
    clock.advance(60_000);
    const taken = await w2.acquireFeedLease('feed-0', 'w9', 60_000);
    assert.deepEqual(taken, { ok: true });
    assert.equal((await w1.getFeedState('feed-0'))!.leasedBy, 'w9');
  });

  test('the same posting ingested by two workers at once: one job, one alert', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const w1 = pgStore(url, clock).store;
    const w2 = pgStore(url, clock).store;
    // decide() waits inside the first transaction, holding it open: without the locks the second
    // would not see the first's uncommitted job and would store its own.
    const slowDecide = (ms: number) => async (job: StoredJob) => {
      await new Promise((r) => setTimeout(r, ms));
      return alertTo('me')(job);
    };
    const cases: Array<[string, Posting, Posting]> = [
      ['the same (feed, source id)', otherJob('same'), otherJob('same')],
      ['the same URL from two feeds', otherJob('url'), otherJob('url', { feed: 'mirror', sourceId: 'm-url', url: 'https://jobs.example.com/url?ref=m' })],
      ['the same company and title from two feeds', otherJob('key'), otherJob('key', { feed: 'mirror', sourceId: 'm-key', url: 'https://mirror.example/key', canonicalUrl: 'https://mirror.example/key' })],
    ];
    for (const [name, a, b] of cases) {
      const results = await Promise.all([w1.ingest([a], slowDecide(150)), (async () => (await new Promise((r) => setTimeout(r, 30)), w2.ingest([b], slowDecide(0))))()]);
      assert.deepEqual(results.map((r) => r.inserted).sort(), [0, 1], name);
      assert.equal(results.reduce((n, r) => n + r.alertsQueued, 0), 1, name);
      const job = await w1.findJobByUrl(b.url);
      assert.ok(job, name);
      assert.equal(job.id, (await w1.findJobByUrl(a.url))!.id, name);
    }
    assert.deepEqual(await w1.countAlerts(), { pending: 3, sent: 0, failed: 0 });
  });

  test('three workers ingesting overlapping cross-posts at once: every job stored and alerted once', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const workers = [pgStore(url, clock).store, pgStore(url, clock).store, pgStore(url, clock).store];
    const feeds = ['a', 'b', 'c'];
    // Each feed carries the same 40 jobs (by URL or by company and title), in its own order.
    const pollOf = (feed: string, round: number): Posting[] =>
      Array.from({ length: 40 }, (_, i) => {
        const k = (i * (feeds.indexOf(feed) + 1) * 7 + round) % 40;
        return otherJob(`${feed}-${k}`, {
          feed,
          company: `Company ${k}`,
          title: `Engineer ${k}`,
          url: k % 2 ? `https://shared.example/${k}` : `https://${feed}.example/${k}`,
          canonicalUrl: k % 2 ? `https://shared.example/${k}` : `https://${feed}.example/${k}`,
        });
      });
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        workers.map(async (w, i) => {
          const poll = pollOf(feeds[(i + round) % 3]!, round);
          // Slices of different sizes, as a worker's adaptive slicing makes them.
          for (let at = 0; at < poll.length; at += 7 + i * 5) await w.ingest(poll.slice(at, at + 7 + i * 5), alertTo('me', 'team'));
        }),
      );
      clock.advance(60_000);
    }
    const jobs: StoredJob[] = [];
    for await (const job of workers[0]!.exportJobs()) jobs.push(job);
    assert.equal(jobs.length, 40);
    for (const job of jobs) assert.deepEqual([...job.feeds].sort(), ['a', 'b', 'c'], job.title);
    assert.deepEqual(await workers[0]!.countAlerts(), { pending: 80, sent: 0, failed: 0 });
  });

  test('two pollers clearing the same failing notice at once: one gets its time, the other null', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const w1 = pgStore(url, clock).store;
    const w2 = pgStore(url, clock).store;
    for (let round = 0; round < 20; round++) {
      await w1.recordFeedFailure('acme', { error: 'HTTP 503', nextCheckAt: clock.now() });
      assert.equal(await w1.markFeedAlerted('acme'), true);
      const at = clock.now();
      clock.advance(1000);
      const results = await Promise.all([w1.clearFeedAlerted('acme'), w2.clearFeedAlerted('acme'), w1.clearFeedAlerted('acme')]);
      assert.deepEqual(results.filter((r) => r !== null), [at], `round ${round}: ${JSON.stringify(results)}`);
    }
  });

  test('setLockWait: a statement waiting for a lock fails with 55P03 after it, on every connection, never before the floor', async () => {
    const url = await freshDatabase();
    const { store } = pgStore(url, manualClock(), 3);
    const feeds = ['a', 'b', 'c'];
    for (const feed of feeds) await store.recordFeedSuccess(feed, { etag: null, lastModified: null, nextCheckAt: null });
    // Another connection holds the feeds' rows; three writes at once (three connections) wait, each
    // for one row (several waiters on ONE row queue behind each other, each wait timed on its own).
    const holder = createPgPool(url, { max: 1 });
    const client = await holder.connect();
    const waits = async (): Promise<number[]> =>
      Promise.all(feeds.map(async (feed) => {
        const started = Date.now();
        await assert.rejects(store.markFeedAlerted(feed), (err: Error & { code?: string }) => err.code === '55P03');
        return Date.now() - started;
      }));
    try {
      await client.query('BEGIN; SELECT 1 FROM feeds FOR UPDATE');
      // The daemon's brief SQLite wait is raised to the floor: a PostgreSQL wait holds no event loop.
      await store.setLockWait(100);
      for (const ms of await waits()) assert.ok(ms >= PG_MIN_LOCK_WAIT_MS - 50 && ms < PG_MIN_LOCK_WAIT_MS + 2000, `waited ${ms} ms`);
      // A longer wait reaches the connections already open (idle now) as well.
      await store.setLockWait(PG_MIN_LOCK_WAIT_MS + 1500);
      for (const ms of await waits()) assert.ok(ms >= PG_MIN_LOCK_WAIT_MS + 1450 && ms < PG_MIN_LOCK_WAIT_MS + 3500, `waited ${ms} ms`);
      await client.query('ROLLBACK');
      assert.deepEqual(await Promise.all(feeds.map((f) => store.markFeedAlerted(f))), [true, true, true], 'the connections that timed out still work');
    } finally {
      client.release();
      await holder.end();
    }
  });

  test('a transaction the server aborts for a deadlock is run again', async () => {
    const url = await freshDatabase();
    const pool = createPgPool(url, { max: 4 });
    try {
      await pool.query("CREATE TABLE t (id int PRIMARY KEY, n int); INSERT INTO t VALUES (1, 0), (2, 0)");
      let attempts = 0;
      // Each locks one row, waits for the other to lock the other row, then wants it: a deadlock.
      let arrived = 0;
      const barrier = async (): Promise<void> => {
        arrived++;
        while (arrived % 2 !== 0) await new Promise((r) => setTimeout(r, 5));
      };
      const crossed = (first: number, second: number) =>
        inTransaction(pool, async (client) => {
          attempts++;
          await client.query('UPDATE t SET n = n + 1 WHERE id = $1', [first]);
          if (attempts <= 2) await barrier();
          await client.query('UPDATE t SET n = n + 1 WHERE id = $1', [second]);
        });
      await Promise.all([crossed(1, 2), crossed(2, 1)]);
      assert.equal(attempts, 3, 'one of the two ran again');
      const rows = await pool.query<{ n: number }>('SELECT n FROM t ORDER BY id');
      assert.deepEqual(rows.rows.map((r) => r.n), [2, 2]);
    } finally {
      await pool.end();
    }
  });

  test('a database whose default isolation is REPEATABLE READ still gets one job from two racing workers', async () => {
    const url = await freshDatabase();
    const admin = createPgPool(url, { max: 1 });
    await admin.query(`ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_isolation = 'repeatable read'`);
    await admin.end();
    const clock = manualClock();
    const w1 = pgStore(url, clock).store;
    const w2 = pgStore(url, clock).store;
    const slow = async (job: StoredJob) => (await new Promise((r) => setTimeout(r, 150)), alertTo('me')(job));
    const a = otherJob('rr');
    const b = otherJob('rr', { feed: 'mirror', sourceId: 'm-rr', url: 'https://mirror.example/rr', canonicalUrl: 'https://mirror.example/rr' });
    const results = await Promise.all([w1.ingest([a], slow), (async () => (await new Promise((r) => setTimeout(r, 30)), w2.ingest([b], slow)))()]);
    assert.deepEqual(results.map((r) => r.inserted).sort(), [0, 1]);
    assert.deepEqual(await w1.countAlerts(), { pending: 1, sent: 0, failed: 0 });
  });

  test('a batch with more keys than the lock budget locks the whole ingest, and still agrees with SQLite', async () => {
    const many = Array.from({ length: MAX_KEY_LOCKS }, (_, i) => otherJob(`big-${i}`, { title: `Role ${i}` }));
    const got = await parity(async (s) => [await s.ingest(many, alertTo('me')), await s.ingest(many.slice(0, 5), alertTo('me'))]);
    assert.equal(got[0]!.inserted, MAX_KEY_LOCKS);
  });

  test('round trips: 250 new postings, then the same 250 again, take a handful of statements each', async () => {
    const url = await freshDatabase();
    const clock = manualClock();
    const { store, pool } = pgStore(url, clock);
    let statements = 0;
    // Counting the statements every client of this pool runs.
    pool.on('acquire', (client) => {
      const c = client as pg.PoolClient & { counted?: boolean };
      if (c.counted) return;
      c.counted = true;
      const q = c.query.bind(c) as (...a: unknown[]) => unknown;
      (c as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => (statements++, q(...a));
    });
    const batch = Array.from({ length: 250 }, (_, i) => ({ ...otherJob(`r-${i}`, { title: `Role ${i % 50}` }), rawHash: `h${i}` }));
    statements = 0;
    await store.ingest(batch.slice(0, 100), alertTo('me'));
    const firstSlice = statements;
    statements = 0;
    await store.ingest(batch.slice(100), alertTo('me'));
    const newOnes = statements;
    clock.advance(60_000);
    statements = 0;
    const again = await store.ingest(batch, alertTo('me'));
    const knownOnes = statements;
    statements = 0;
    const seen = await store.ingest(batch.map((p): IngestItem => ({ seen: true, feed: p.feed, sourceId: p.sourceId, rawHash: p.rawHash })), alertTo('me'));
    const seenOnes = statements;
    assert.deepEqual([again.unchanged, seen.unchanged], [250, 250]);
    console.log(`statements per ingest: 100 new ${firstSlice}, 150 new ${newOnes}, 250 unchanged ${knownOnes}, 250 seen ${seenOnes}`);
    assert.ok(firstSlice <= 12 && newOnes <= 12, `${firstSlice}, ${newOnes}`);
    assert.ok(knownOnes <= 8 && seenOnes <= 8, `${knownOnes}, ${seenOnes}`);
  });
});
