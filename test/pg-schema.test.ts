import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { openDatabase } from '../src/store/db.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { MIGRATIONS_TABLE, PG_MIGRATIONS, SQLITE_VERSION, migratePg, pgSchemaVersion, type PgMigration } from '../src/store/pg/migrations.js';
import { createPgPool } from '../src/store/pg/pool.js';
import { describeDatabase, isPostgresUrl } from '../src/core/database-url.js';
import { startPostgres, type PgServer } from './support/postgres.js';
import { pgShape, sqliteShape, type SchemaShape } from './support/schema-shape.js';

let server: PgServer;
const pools: pg.Pool[] = [];

/** A pool on a fresh database, closed after the file's tests. */
async function freshPool(): Promise<pg.Pool> {
  const pool = createPgPool(await server.createDatabase());
  pools.push(pool);
  return pool;
}

before(async () => {
  server = await startPostgres();
  // Start-up cost, for the record in the test output (initdb dominates).
  console.log(`postgres test server (${server.binaries}): initdb ${server.timings.initdbMs} ms, start ${server.timings.startMs} ms`);
});

after(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

// SQLite declared type -> the PostgreSQL types that hold the same values.
const TYPE_TWINS: Record<string, string[]> = {
  INTEGER: ['bigint', 'integer'],
  REAL: ['double precision'],
  TEXT: ['text', 'jsonb'],
};
// Columns holding JSON text in SQLite: jsonb in PostgreSQL.
const JSON_COLUMNS = new Set(['jobs.remote_regions', 'jobs.tags', 'outbox.rules', 'outbox.reasons']);

/** Where two shapes differ, as readable lines (empty when they agree). */
function differences(sqlite: SchemaShape, postgres: SchemaShape): string[] {
  const out: string[] = [];
  const tables = new Set([...Object.keys(sqlite), ...Object.keys(postgres)]);
  for (const table of [...tables].sort()) {
    const s = sqlite[table];
    const p = postgres[table];
    if (!s || !p) {
      out.push(`table ${table}: only in ${s ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    const sNames = s.columns.map((c) => c.name).join(', ');
    const pNames = p.columns.map((c) => c.name).join(', ');
    if (sNames !== pNames) out.push(`table ${table}: columns differ\n  SQLite:     ${sNames}\n  PostgreSQL: ${pNames}`);
    for (const sc of s.columns) {
      const pc = p.columns.find((c) => c.name === sc.name);
      if (!pc) continue;
      const want = JSON_COLUMNS.has(`${table}.${sc.name}`) ? ['jsonb'] : (TYPE_TWINS[sc.type] ?? []).filter((t) => t !== 'jsonb');
      if (!want.includes(pc.type)) out.push(`${table}.${sc.name}: SQLite ${sc.type} but PostgreSQL ${pc.type} (expected ${want.join(' or ')})`);
      if (sc.notNull !== pc.notNull) out.push(`${table}.${sc.name}: NOT NULL in ${sc.notNull ? 'SQLite' : 'PostgreSQL'} only`);
    }
    for (const key of ['primaryKey', 'unique', 'foreignKeys', 'indexes'] as const) {
      if (JSON.stringify(s[key]) !== JSON.stringify(p[key])) out.push(`table ${table}: ${key} differ\n  SQLite:     ${JSON.stringify(s[key])}\n  PostgreSQL: ${JSON.stringify(p[key])}`);
    }
  }
  return out;
}

describe('PostgreSQL schema', () => {
  test('migratePg() creates every table on an empty database and records each step', async () => {
    const pool = await freshPool();
    assert.equal(await pgSchemaVersion(pool), 0);
    const result = await migratePg(pool);
    assert.deepEqual(result, { from: 0, to: PG_MIGRATIONS.length, applied: PG_MIGRATIONS.map((_, i) => i + 1) });
    assert.equal(await pgSchemaVersion(pool), PG_MIGRATIONS.length);
    const rows = await pool.query<{ version: number; name: string; applied_at: number }>(`SELECT version, name, applied_at FROM ${MIGRATIONS_TABLE} ORDER BY version`);
    assert.deepEqual(rows.rows.map((r) => r.version), PG_MIGRATIONS.map((_, i) => i + 1));
    assert.equal(typeof rows.rows[0]!.applied_at, 'number');
  });

  test('migratePg() a second time changes nothing', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    const before = await pgShape(pool);
    const again = await migratePg(pool);
    assert.deepEqual(again, { from: PG_MIGRATIONS.length, to: PG_MIGRATIONS.length, applied: [] });
    assert.deepEqual(await pgShape(pool), before);
    const count = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM ${MIGRATIONS_TABLE}`);
    assert.equal(count.rows[0]!.n, PG_MIGRATIONS.length);
  });

  test('migratePg() from six workers at once: every step runs once, none fails', async () => {
    const url = await server.createDatabase();
    const workers = Array.from({ length: 6 }, () => createPgPool(url, { max: 2 }));
    pools.push(...workers);
    const results = await Promise.all(workers.map((w) => migratePg(w)));
    const applied = results.flatMap((r) => r.applied).sort((a, b) => a - b);
    assert.deepEqual(applied, PG_MIGRATIONS.map((_, i) => i + 1));
    for (const r of results) assert.equal(r.to, PG_MIGRATIONS.length);
  });

  test('migratePg() from four workers with slow steps: each step runs exactly once, in order', async () => {
    const url = await server.createDatabase();
    const workers = Array.from({ length: 4 }, () => createPgPool(url, { max: 1 }));
    pools.push(...workers);
    // Each step sleeps while holding the lock, so the other workers queue on it mid-migration.
    const steps: PgMigration[] = [
      { name: 'log', up: 'CREATE TABLE step_log (step integer, at timestamptz DEFAULT clock_timestamp())' },
      ...[2, 3, 4].map((n) => ({ name: `step ${n}`, up: `SELECT pg_sleep(0.1); INSERT INTO step_log (step) VALUES (${n})` })),
      { name: 'step 5', up: async (client: pg.PoolClient) => void (await client.query('INSERT INTO step_log (step) VALUES (5)')) },
    ];
    const results = await Promise.all(workers.map((w) => migratePg(w, steps)));
    assert.deepEqual(results.flatMap((r) => r.applied).sort(), [1, 2, 3, 4, 5]);
    const log = await workers[0]!.query<{ step: number }>('SELECT step FROM step_log ORDER BY at');
    assert.deepEqual(log.rows.map((r) => r.step), [2, 3, 4, 5]);
  });

  test('a failing step is rolled back whole and leaves the version where it was', async () => {
    const pool = await freshPool();
    const steps: PgMigration[] = [
      { name: 'one', up: 'CREATE TABLE one (x integer)' },
      { name: 'two', up: 'CREATE TABLE two (x integer); INSERT INTO nowhere VALUES (1)' },
    ];
    await assert.rejects(migratePg(pool, steps), /nowhere/);
    assert.equal(await pgSchemaVersion(pool), 1);
    const two = await pool.query<{ t: string | null }>("SELECT to_regclass('two') AS t");
    assert.equal(two.rows[0]!.t, null);
  });

  test('a database migrated by a newer jobalert is refused with what to do', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    await pool.query(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, 'from the future', 0)`, [PG_MIGRATIONS.length + 1]);
    await assert.rejects(migratePg(pool), /schema version \d+, newer than this jobalert understands.*upgrade jobalert/);
  });

  test('the PostgreSQL schema has the tables, columns, keys and indexes of the SQLite schema after all its migrations', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    const db = openDatabase(':memory:');
    try {
      const diff = differences(sqliteShape(db), await pgShape(pool, [MIGRATIONS_TABLE]));
      assert.deepEqual(diff, [], `the schemas differ; a SQLite migration needs its twin in src/store/pg/migrations.ts:\n${diff.join('\n')}`);
    } finally {
      db.close();
    }
  });

  test('the PostgreSQL steps stand for every SQLite step, data-only ones included', () => {
    assert.equal(
      SQLITE_VERSION,
      MIGRATIONS.length,
      'src/store/migrations.ts has a step src/store/pg/migrations.ts does not account for: add its PostgreSQL twin (or note why none is needed) and raise SQLITE_VERSION',
    );
  });

  test('values read back as the SQLite store reads them: epoch ms and ids as numbers, JSON as text', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    const now = 1_764_766_000_123;
    const job = await pool.query<{ id: number }>(
      `INSERT INTO jobs (title, description, arrangement, remote_regions, tags, first_seen, last_seen, content_hash, salary_max)
       VALUES ('ML Engineer', 'd', 'remote', $1, $2, $3, $3, 'h', 180000.5) RETURNING id`,
      ['["US","CA"]', '[]', now],
    );
    const id = job.rows[0]!.id;
    assert.equal(typeof id, 'number');
    const band = 2 ** 53 - 1;
    await pool.query('INSERT INTO job_fingerprints (band_key, job_id) VALUES ($1, $2)', [band, id]);
    await pool.query(
      `INSERT INTO outbox (job_id, channel, rules, reasons, next_attempt_at, created_at) VALUES ($1, 'me', $2, $3, $4, $4)`,
      [id, '["remote-ml"]', '[["remote","senior"]]', now],
    );
    const row = (await pool.query('SELECT j.first_seen, j.remote_regions, j.salary_max, f.band_key, o.rules, o.reasons, o.status, o.attempts FROM jobs j JOIN job_fingerprints f ON f.job_id = j.id JOIN outbox o ON o.job_id = j.id')).rows[0];
    assert.equal(row.first_seen, now);
    assert.equal(row.band_key, band);
    assert.equal(row.salary_max, 180000.5);
    assert.deepEqual(JSON.parse(row.remote_regions), ['US', 'CA']);
    assert.equal(typeof row.rules, 'string');
    assert.deepEqual(JSON.parse(row.reasons), [['remote', 'senior']]);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 0);
    // outbox.rules is searchable per rule, as the Slack flood guard needs.
    const byRule = await pool.query("SELECT count(*) AS n FROM outbox WHERE rules ? 'remote-ml'");
    assert.equal(byRule.rows[0].n, 1);
  });

  test('the constraints hold: statuses, arrangements, JSON, one row per (job, channel), cascade on job delete', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    const { rows } = await pool.query<{ id: number }>("INSERT INTO jobs (title, description, arrangement, first_seen, last_seen, content_hash) VALUES ('t', 'd', 'onsite', 1, 1, 'h') RETURNING id");
    const id = rows[0]!.id;
    await assert.rejects(pool.query("INSERT INTO jobs (title, description, arrangement, first_seen, last_seen, content_hash) VALUES ('t', 'd', 'moon', 1, 1, 'h')"), /check constraint/);
    const outbox = "INSERT INTO outbox (job_id, channel, rules, reasons, status, next_attempt_at, created_at) VALUES ($1, 'me', $2, '[]', $3, 1, 1)";
    await assert.rejects(pool.query(outbox, [id, '["r"]', 'lost']), /check constraint/);
    await assert.rejects(pool.query(outbox, [id, 'not json', 'pending']), /invalid input syntax for type json/);
    await pool.query(outbox, [id, '["r"]', 'pending']);
    await assert.rejects(pool.query(outbox, [id, '["r"]', 'pending']), /duplicate key value violates unique constraint/);
    await pool.query("INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen) VALUES ($1, 'f', 's', 'u', 'u', 'h', 1, 1)", [id]);
    await pool.query('DELETE FROM jobs WHERE id = $1', [id]);
    const left = await pool.query('SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM postings) AS n');
    assert.equal(left.rows[0].n, 0);
  });

  test('an id copied from SQLite is kept, and the identity continues past it once moved on', async () => {
    const pool = await freshPool();
    await migratePg(pool);
    await pool.query("INSERT INTO jobs (id, title, description, arrangement, first_seen, last_seen, content_hash) VALUES (41, 't', 'd', 'remote', 1, 1, 'h')");
    await pool.query("SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT max(id) FROM jobs))");
    const next = await pool.query<{ id: number }>("INSERT INTO jobs (title, description, arrangement, first_seen, last_seen, content_hash) VALUES ('t', 'd', 'remote', 1, 1, 'h') RETURNING id");
    assert.equal(next.rows[0]!.id, 42);
  });
});

describe('createPgPool', () => {
  test('takes the password from PGPASSWORD when the URL has none', async () => {
    const url = await server.createDatabase();
    const bare = new URL(url);
    bare.password = '';
    const pool = createPgPool(bare.toString(), { env: { PGPASSWORD: server.password } });
    pools.push(pool);
    const res = await pool.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(res.rows[0]!.one, 1);
  });

  test('a wrong password fails without the password in the error', async () => {
    const wrong = new URL(server.url);
    wrong.password = 'not-the-password-1234';
    const pool = createPgPool(wrong.toString());
    pools.push(pool);
    const err = await pool.query('SELECT 1').then(
      () => assert.fail('connected with a wrong password'),
      (e: Error) => e,
    );
    assert.match(err.message, /password authentication failed/);
    assert.doesNotMatch(`${err.message} ${err.stack} ${JSON.stringify(err)}`, /not-the-password-1234/);
  });

  test('describeDatabase() prints the URL with the password as ***', () => {
    assert.equal(describeDatabase('postgres://jobalert:s3cr%40t@db.internal:5432/jobs?sslmode=require'), 'postgres://jobalert:***@db.internal:5432/jobs?sslmode=require');
    assert.equal(describeDatabase('postgresql://db.internal/jobs'), 'postgresql://db.internal/jobs');
    assert.equal(describeDatabase('postgres://u@h/db?password=hunter22'), 'postgres://u@h/db?password=***');
  });

  test('isPostgresUrl() tells a URL from an SQLite path; createPgPool() refuses anything else', () => {
    assert.equal(isPostgresUrl('postgres://h/db'), true);
    assert.equal(isPostgresUrl('POSTGRESQL://h/db'), true);
    assert.equal(isPostgresUrl('./data/jobalert.db'), false);
    assert.equal(isPostgresUrl('mysql://h/db'), false);
    assert.throws(() => createPgPool('mysql://u:pw-secret@h/db'), (e: Error) => e instanceof TypeError && !e.message.includes('pw-secret'));
  });
});
