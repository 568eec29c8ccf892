/**
 * `jobalert backtest` on PostgreSQL: the same jobs stored in SQLite and in PostgreSQL (through the
 * real stores, same clock) give the same report, byte for byte (text and --json), the database's
 * name aside; the read pages through the jobs and writes nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Clock, Posting } from '../src/core/types.js';
import { backtestCommand } from '../src/commands/backtest.js';
import { describeDatabase } from '../src/core/database-url.js';
import { loadCorpus, toRawPosting } from '../src/eval/corpus.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { openSqliteStore, openStore } from '../src/store/open-store.js';
import { countJobs, openDatabaseReadOnly, jobsFirstSeenSince } from '../src/store/read-only.js';
import { openPgReadOnlyStore } from '../src/store/pg/pg-read-only.js';
import type { Store } from '../src/store/store.js';
import { startPostgres, type PgServer } from './support/postgres.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const CORPUS = fileURLToPath(new URL('./fixtures/postings/', import.meta.url));
const ENV_URL = 'JOBALERT_TEST_BACKTEST_PG_URL';

const RULES = `rules:
  - name: remote-senior-ml
    query: "remote senior ML engineer >= $130k"
    exclude: [crypto]
  - name: data-in-europe
    query: "data engineer in Europe"
  - name: backend
    title: ["backend engineer", "software engineer"]
    seniority: [senior+]
    remote: true
    include_unknown_salary: true
    salary_min: 100000
`;

let server: PgServer;
let tmp: string;
let sqliteConfig: string;
let pgConfig: string;
let sqliteFile: string;
let pgUrl: string;
/** Jobs stored (in each database). */
let stored: number;

/**
 * The corpus, normalized, in batches first seen half a day apart over the 60 days before NOW; most
 * published two days before, so max_age lets them through, the rest with the corpus's own (older) date.
 */
function batches(): Array<{ at: number; postings: Posting[] }> {
  const postings = loadCorpus(CORPUS).map((e) => normalizePosting(toRawPosting(e), e.feed, NOW));
  const out: Array<{ at: number; postings: Posting[] }> = [];
  for (let i = 0; i < postings.length; i += 5) {
    const at = NOW.getTime() - 60 * DAY + out.length * (DAY / 2);
    out.push({ at, postings: postings.slice(i, i + 5).map((p, k) => (k === 4 ? p : { ...p, published: new Date(at - 2 * DAY) })) });
  }
  return out;
}

/**
 * The SQLite database's rows copied into the migrated PostgreSQL one, ids included, as
 * `migrate --to` copies: the same jobs under the same ids (two stores fed the same postings
 * number their jobs differently, PostgreSQL's sequences having gaps).
 */
async function copyRows(file: string, url: string): Promise<void> {
  const db = openDatabaseReadOnly(file)!;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of ['jobs', 'postings', 'job_fingerprints']) {
      for (const row of db.prepare(`SELECT * FROM ${table}${table === 'job_fingerprints' ? '' : ' ORDER BY id'}`).iterate() as IterableIterator<Record<string, unknown>>) {
        const cols = Object.keys(row);
        await client.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
      }
    }
  } finally {
    db.close();
    await client.end();
  }
}

async function fill(store: Store, t: { ms: number }, data: Array<{ at: number; postings: Posting[] }>): Promise<void> {
  try {
    for (const b of data) {
      t.ms = b.at;
      await store.ingest(b.postings, () => []);
    }
  } finally {
    await store.close();
  }
}

async function backtest(opts: Parameters<typeof backtestCommand>[0]): Promise<string> {
  let out = '';
  const code = await backtestCommand(opts, (s) => (out += s), () => NOW);
  assert.equal(code, 0);
  return out;
}

before(async () => {
  server = await startPostgres();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-backtest-'));
  const data = batches();
  const t = { ms: 0 };
  const clock: Clock = { now: () => new Date(t.ms) };
  sqliteFile = path.join(tmp, 'jobalert.db');
  await fill(openSqliteStore(sqliteFile, { clock }), t, data);
  // Fewer jobs than postings: the corpus holds duplicates, merged by dedupe.
  const db = openDatabaseReadOnly(sqliteFile)!;
  stored = countJobs(db, 0).all;
  db.close();
  pgUrl = await server.createDatabase();
  // Opened once to create the schema; the rows are SQLite's, copied.
  await (await openStore(pgUrl, { clock })).close();
  await copyRows(sqliteFile, pgUrl);
  sqliteConfig = path.join(tmp, 'sqlite.yaml');
  fs.writeFileSync(sqliteConfig, `database: ./jobalert.db\nmax_age: 14d\n${RULES}`);
  // The password comes from the environment, as the config requires.
  process.env[ENV_URL] = pgUrl;
  pgConfig = path.join(tmp, 'pg.yaml');
  fs.writeFileSync(pgConfig, `database: \${${ENV_URL}}\nmax_age: 14d\n${RULES}`);
});

after(async () => {
  delete process.env[ENV_URL];
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backtest on PostgreSQL', () => {
  it('reports what it reports on SQLite for the same jobs, byte for byte, text and --json', async () => {
    const shownPg = describeDatabase(pgUrl);
    assert.ok(!shownPg.includes(server.password));
    let compared = 0;
    for (const rule of ['remote-senior-ml', 'data-in-europe', 'backend']) {
      for (const since of ['30d', '90d', '2026-11-15']) {
        for (const json of [false, true]) {
          const want = await backtest({ rule, since, json, config: sqliteConfig });
          const got = await backtest({ rule, since, json, config: pgConfig });
          assert.ok(got.includes(shownPg), 'the report names the database, password hidden');
          assert.ok(!got.includes(server.password));
          const sqliteName = json ? JSON.stringify(sqliteFile) : sqliteFile;
          const pgName = json ? JSON.stringify(shownPg) : shownPg;
          assert.equal(got.replace(pgName, 'DB'), want.replace(sqliteName, 'DB'), `${rule} --since ${since}${json ? ' --json' : ''}`);
          compared++;
        }
      }
    }
    assert.equal(compared, 18);
    // Not a comparison of two empty reports: the rules match some jobs and miss others.
    const report = JSON.parse(await backtest({ rule: 'remote-senior-ml', since: '90d', json: true, config: pgConfig })) as { jobs: number; matched: number; near_misses: { count: number } };
    assert.equal(report.jobs, stored);
    assert.ok(report.matched > 0 && report.near_misses.count > 0, JSON.stringify(report).slice(0, 300));
    const query = await backtest({ query: 'senior ML engineer', since: '90d', config: pgConfig });
    assert.equal(query.replace(shownPg, 'DB'), (await backtest({ query: 'senior ML engineer', since: '90d', config: sqliteConfig })).replace(sqliteFile, 'DB'));
  });

  it('streams the jobs in pages, in the order and shape SQLite reads them', async () => {
    const db = openDatabaseReadOnly(sqliteFile)!;
    const since = NOW.getTime() - 40 * DAY;
    const want = [...jobsFirstSeenSince(db, since)];
    db.close();
    const store = (await openPgReadOnlyStore(pgUrl, 7))!;
    const pages: number[] = [];
    const got = [];
    try {
      for await (const page of store.jobsFirstSeenSince(since)) {
        pages.push(page.length);
        got.push(...page);
      }
      assert.deepEqual(await store.countJobs(since), { since: want.length, all: stored });
    } finally {
      await store.close();
    }
    assert.ok(want.length > 20);
    assert.ok(pages.every((n) => n <= 7) && pages.length === Math.ceil(want.length / 7), pages.join(','));
    assert.deepEqual(got, want);
  });

  it('writes nothing: a database jobalert never used stays empty; the read holds one connection in one transaction', async () => {
    const empty = await server.createDatabase();
    process.env[ENV_URL] = empty;
    try {
      await assert.rejects(() => backtest({ rule: 'backend', config: pgConfig }), /no database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/t_\d+ yet/);
    } finally {
      process.env[ENV_URL] = pgUrl;
    }
    const client = new pg.Client({ connectionString: empty });
    await client.connect();
    try {
      const tables = await client.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
      assert.equal(tables.rows[0].n, 0, 'no schema was created');
    } finally {
      await client.end();
    }
    const store = (await openPgReadOnlyStore(pgUrl, 7))!;
    try {
      await store.countJobs(0);
      const activity = new pg.Client({ connectionString: pgUrl });
      await activity.connect();
      try {
        const res = await activity.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'jobalert' AND state = 'idle in transaction'");
        assert.equal(res.rows[0].n, 1, 'one connection, in its read transaction');
      } finally {
        await activity.end();
      }
    } finally {
      await store.close();
    }
  });
});
