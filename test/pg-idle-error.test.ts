/**
 * An idle pooled PostgreSQL connection ended under jobalert (server restart, an administrator's
 * pg_terminate_backend): one log line per connection lost, no password in it, no crash, and the
 * store goes on working on new connections. Real server, real app.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { inlineFeedReader } from '../src/pipeline/feed-reader.js';
import { createPgPool, idleErrorLine } from '../src/store/pg/pool.js';
import { startPostgres, type PgServer } from './support/postgres.js';

let server: PgServer;

before(async () => {
  server = await startPostgres();
});

after(async () => {
  await server?.stop();
});

/** Ends every idle connection jobalert holds to `database`; how many it ended. */
async function terminateIdle(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const res = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = $1 AND application_name = 'jobalert' AND state = 'idle') t`,
      [database],
    );
    return res.rows[0]!.n;
  } finally {
    await admin.end();
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('an idle connection ended by the server is logged once, without the password, and the store goes on', async () => {
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const dir = path.join(os.tmpdir(), 'jobalert-pg-idle');
  const config = parseConfigText('database: ${PG_URL}\nfeeds: []\n', path.join(dir, 'jobalert.yaml'), { PG_URL: url });
  const app = await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'info' }, sink), reader: inlineFeedReader });
  try {
    // Several connections in the pool, all idle afterwards.
    await Promise.all([app.store.ping(), app.store.ping(), app.store.ping()]);
    const ended = await terminateIdle(database);
    assert.ok(ended >= 1, 'the pool had idle connections');
    const lost = () => lines.filter((l) => l.includes('PostgreSQL connection lost while idle'));
    await until(() => lost().length >= ended, `${ended} log lines`);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(lost().length, ended, 'one line per connection lost');
    for (const line of lost()) {
      const entry = JSON.parse(line) as { level: number; database: string; code: string; error: string };
      assert.equal(entry.level, 40, 'a warning');
      assert.equal(entry.database, `postgres://postgres:***@127.0.0.1:${server.port}/${database}`);
      assert.equal(entry.code, '57P01', 'admin_shutdown');
      assert.match(entry.error, /terminating connection due to administrator command/);
    }
    assert.ok(!lines.some((l) => l.includes(server.password)), 'the password is never logged');
    // The pool opens new connections: the store still works.
    await app.store.ping();
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 0, failed: 0 });
    assert.equal((await app.health()).feeds.length, 0);
  } finally {
    await app.close();
  }
});

test('without a listener the pool says it on stderr, one line, and does not crash', async () => {
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const pool = createPgPool(url, { max: 2 });
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
    const ended = await terminateIdle(database);
    await until(() => written.length >= ended, 'stderr lines');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(written.length, ended);
    for (const line of written) {
      assert.match(line, /^PostgreSQL connection to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/t_\d+ lost while idle \(57P01: terminating connection due to administrator command\); a new one is opened when needed\n$/);
    }
    assert.equal((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1);
  } finally {
    process.stderr.write = write;
    await pool.end();
  }
});

test('the line folds a multi-line reason onto one line', () => {
  const err = Object.assign(new Error('server closed\n  the connection'), { code: '08006' });
  assert.equal(idleErrorLine(err, 'postgres://u:***@h/db'), 'PostgreSQL connection to postgres://u:***@h/db lost while idle (08006: server closed the connection); a new one is opened when needed');
});
