/**
 * `jobalert migrate --to postgres://...`: an SQLite database built by really running the pipeline
 * (`run --once` against local feed, SMTP and channel servers, so it holds jobs, sightings, outbox
 * rows sent, pending, failed and waiting for a digest, and feed state), copied into a real
 * PostgreSQL server; then both stores must answer the same, a `run --once` on PostgreSQL must send
 * nothing already sent and poll the feeds conditionally, and a refused or failed migrate must leave
 * the target as it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { logLines, runCli } from './helpers/cli.js';
import { markdownToHtml, rssFeed, startFeedServer, type FeedServer } from './helpers/feed-server.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { startChannelStubs, type ChannelStubs } from './helpers/channel-stubs.js';
import { startPostgres, type PgServer } from './support/postgres.js';
import { openSqliteStore, openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { openDatabase } from '../src/store/db.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { copySqliteToPg, TargetNotEmptyError, COPIED_TABLES } from '../src/store/pg/copy-sqlite.js';
import { migratePg } from '../src/store/pg/migrations.js';
import { createPgPool } from '../src/store/pg/pool.js';
import { migrateCommand, type MigrateOptions } from '../src/commands/migrate.js';
import { CommandError } from '../src/commands/exit.js';

const NOW = new Date();
const SEED = fs.readFileSync(path.join(import.meta.dirname, 'fixtures', 'seed-posting.txt'), 'utf8');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

const ML = {
  title: 'Nomad Health: Senior Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253?utm_source=rss',
  guid: 'remotewlb-136253',
  // A real posting (mojibake included): long enough for a content fingerprint.
  descriptionHtml: `<p>Fully remote (US).</p>${markdownToHtml(SEED)}`,
  pubDate: hoursAgo(3),
  region: 'Remote',
};
const STAFF = {
  title: 'Lattice Labs: Staff Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/staff-machine-learning-engineer-136300',
  descriptionHtml: '<p>Remote (US). Ranking models.</p><p>Salary: $190,000 - $230,000 per year.</p>',
  pubDate: hoursAgo(5),
  region: 'Remote - US',
};
const OFFICE = {
  title: 'Acme Robotics: Office Manager',
  link: 'https://www.remotewlb.com/apply/office-manager-136311',
  descriptionHtml: '<p>On-site in Austin, TX.</p>',
  pubDate: hoursAgo(7),
  region: 'Austin, TX',
};
// The same job on a second board (another id, the same link): a second sighting, not a new job.
const ML_MIRROR = { ...ML, guid: 'mirror-9001', link: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253?ref=mirror' };
const PRINCIPAL = {
  title: 'Orbit AI: Principal ML Engineer',
  link: 'https://jobs.mirror.example/orbit-principal-ml',
  descriptionHtml: '<p>Remote, worldwide.</p><p>Salary: $240,000 - $300,000 per year.</p>',
  pubDate: hoursAgo(2),
  region: 'Anywhere',
};

let server: PgServer;
let feeds: FeedServer;
let smtp: SmtpSink;
let stubs: ChannelStubs;
let tmp: string;
/** The SQLite database the pipeline built (copied per test, never changed). */
let template: string;
/** What the first run printed and logged. */
let firstRun: { stdout: string; stderr: string };

before(async () => {
  server = await startPostgres();
  feeds = await startFeedServer({
    '/remotewlb.rss': { kind: 'feed', body: rssFeed('remotewlb', [ML, STAFF, OFFICE]) },
    '/mirror.rss': { kind: 'feed', body: rssFeed('mirror', [ML_MIRROR, PRINCIPAL]) },
    '/broken.rss': { kind: 'status', status: 500, body: 'upstream down' },
  });
  smtp = await startSmtpSink();
  stubs = await startChannelStubs();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-migrate-'));
  template = path.join(tmp, 'template.db');
  // The webhook is down for a while (retried later: pending), Discord refuses the token (failed).
  stubs.failNext('webhook', 100, { status: 503, body: 'maintenance' });
  stubs.failNext('discord', 100, { status: 403, body: { message: 'Missing Access', code: 50001 } });
  const run = await runCli(['run', '--once', '--config', writeConfig('build', template)]);
  // Exit 2: a feed failed and alerts are not all delivered yet; that is the state wanted.
  assert.equal(run.code, 2, run.stderr + run.stdout);
  firstRun = run;
});

after(async () => {
  await feeds?.close();
  await smtp?.close();
  await stubs?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A config on `database`: three feeds, alerts to the console, email, a webhook and Discord, and a daily digest. */
function writeConfig(name: string, database: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `database: ${database}
max_age: 14d
http:
  port: 0
fetch:
  timeout: 5s
feeds:
  - name: remotewlb
    url: ${feeds.url('/remotewlb.rss')}
  - name: mirror
    url: ${feeds.url('/mirror.rss')}
  - name: broken
    url: ${feeds.url('/broken.rss')}
channels:
  stdout:
    type: console
  me:
    type: email
    to: [me@example.com]
  daily:
    type: email
    to: [daily@example.com]
  hook:
    type: webhook
    url: ${stubs.webhookUrl}
    secret: ${stubs.webhookSecret}
  discord:
    type: discord
    webhook_url: ${stubs.discordUrl}
smtp:
  url: ${smtp.url}?requireTLS=false
  from: "jobalert <alerts@example.com>"
rules:
  - name: ml
    query: "remote senior+ ML engineer"
    notify: [stdout, me, hook, discord]
  - name: everything
    notify: [daily]
    digest: "0 9 * * *"
`,
  );
  return file;
}

/** A copy of the pipeline's database, for one test to change. */
function sqliteCopy(name: string): string {
  const file = path.join(tmp, `${name}.db`);
  const db = new Database(template, { readonly: true });
  try {
    db.exec(`VACUUM INTO '${file.replaceAll("'", "''")}'`);
  } finally {
    db.close();
  }
  return file;
}

/** Rows per copied table of the database at `url`. */
async function pgCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of COPIED_TABLES) {
      const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [t]);
      out[t] = exists.rows[0]!.t ? Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n) : 0;
    }
    return out;
  } finally {
    await client.end();
  }
}

const EMPTY = Object.fromEntries(COPIED_TABLES.map((t) => [t, 0]));

/** Everything a store says about its contents, through the Store interface, as of `now`. */
async function snapshot(store: Store, outboxIds: number[], now: Date): Promise<Record<string, unknown>> {
  const later = new Date(now.getTime() + 7 * 24 * 3_600_000);
  const jobs = [];
  for await (const job of store.exportJobs()) jobs.push(job);
  const feedStates = await store.listFeedStates();
  const known: Record<string, unknown> = {};
  for (const f of feedStates) known[f.name] = [...(await store.knownItems(f.name))].sort();
  return {
    jobs,
    feedStates,
    known,
    counts: await store.countAlerts(),
    alerts: await store.alertsById(outboxIds),
    dueNow: await store.dueAlerts(now),
    dueLater: await store.dueAlerts(later),
    claimed: await store.claimedAlerts(now),
    held: await store.countHeld(now),
    nextDue: await store.nextAlertDueAt(),
    dueChannels: await store.dueChannels(later),
    digestRows: await store.dueDigestRows(later, 'daily'),
    channelStates: await store.channelStates(now),
    failedByChannel: await store.failedByChannel(),
    byUrl: await store.findJobByUrl(ML.link),
  };
}

/** The value with NUL characters removed from every string in it (what the copy does). */
function withoutNul<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v)), (_k, v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) ? new Date(v) : v,
  ) as T;
}

test('the pipeline built the state to copy: jobs, a second sighting, outbox rows in every state, feed state', () => {
  const db = new Database(template, { readonly: true });
  try {
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    assert.equal(count('SELECT count(*) FROM jobs'), 4, firstRun.stderr);
    assert.equal(count('SELECT count(*) FROM postings'), 5);
    assert.ok(count('SELECT count(*) FROM job_fingerprints') > 0);
    const outbox = db.prepare("SELECT channel || ':' || status || ':' || (digest IS NOT NULL) AS k, count(*) AS n FROM outbox GROUP BY 1 ORDER BY 1").all();
    assert.deepEqual(outbox, [
      { k: 'daily:pending:1', n: 4 },
      { k: 'discord:failed:0', n: 3 },
      { k: 'hook:pending:0', n: 3 },
      { k: 'me:sent:0', n: 3 },
      { k: 'stdout:sent:0', n: 3 },
    ]);
    // The first 503 was an attempt; the channel's other alerts waited with it.
    assert.ok(count("SELECT max(attempts) FROM outbox WHERE channel = 'hook'") >= 1, 'the webhook was tried');
    const feedRows = db.prepare('SELECT name, etag IS NOT NULL AS etag, consecutive_errors FROM feeds ORDER BY name').all();
    assert.deepEqual(feedRows, [
      { name: 'broken', etag: 0, consecutive_errors: 1 },
      { name: 'mirror', etag: 1, consecutive_errors: 0 },
      { name: 'remotewlb', etag: 1, consecutive_errors: 0 },
    ]);
  } finally {
    db.close();
  }
});

test('migrate copies everything: both stores answer the same, and a run on PostgreSQL sends nothing already sent and gets 304s', async () => {
  const file = sqliteCopy('main');
  // What PostgreSQL cannot hold (NUL in text and in JSON), and a claim of a dead process.
  const now = Date.now();
  {
    const db = new Database(file);
    db.prepare("UPDATE jobs SET company = 'Acme' || char(0) || ' Robotics', tags = json_array('a' || char(0) || 'b') WHERE title LIKE '%Office%'").run();
    db.prepare("UPDATE outbox SET claimed_by = 'dead-worker', claim_until = ? WHERE id = (SELECT min(id) FROM outbox WHERE channel = 'hook')").run(now + 3_600_000);
    db.close();
  }
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const viaVar = `postgres://${server.user}:\${DB_PASSWORD}@${server.host}:${server.port}/${database}`;

  const r = await runCli(['migrate', '--to', viaVar, '--from', file], { DB_PASSWORD: server.password });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.ok(!(r.stdout + r.stderr).includes(server.password), 'the password is never printed');
  const shown = `postgres://${server.user}:***@${server.host}:${server.port}/${database}`;
  assert.match(r.stdout, new RegExp(`^Copied ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(schema ${MIGRATIONS.length}\\) into ${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} in \\d+\\.\\d s, one transaction:$`, 'm'));
  assert.match(r.stdout, /^ {2}jobs {9} *4$/m);
  assert.match(r.stdout, /^ {2}sightings {4} *5$/m);
  assert.match(r.stdout, /^ {2}fingerprints +\d+$/m);
  assert.match(r.stdout, /^ {2}feeds {9} *3 {2}\(2 with ETag\/Last-Modified, 1 failing\)$/m);
  assert.match(r.stdout, /^ {2}outbox {7} *16 {2}\(7 pending, 6 sent, 3 failed; 4 of the pending wait for a digest\)$/m);
  assert.match(r.stdout, /^2 text values held NUL characters/m);
  assert.match(r.stdout, /^Next: set database: to /m);
  assert.match(r.stderr, /^warning: .* had 1 alert claim not lapsed yet: a jobalert may still be running on it/m);

  // The claim is not copied: the dead process would never release it.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const claims = await pool.query("SELECT count(*)::int AS n FROM outbox WHERE claimed_by IS NOT NULL OR claim_until IS NOT NULL");
    assert.equal(claims.rows[0].n, 0);
    const leases = await pool.query('SELECT count(*)::int AS n FROM feeds WHERE leased_by IS NOT NULL OR lease_until IS NOT NULL');
    assert.equal(leases.rows[0].n, 0);
    // The foreign keys (dropped for the copy, checked once at its end) are back as a fresh database has them.
    const fresh = await server.createDatabase();
    const freshPool = createPgPool(fresh, { max: 1 });
    try {
      await migratePg(freshPool);
      const fks = "SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def, convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1, 2";
      const want = (await freshPool.query(fks)).rows;
      assert.equal(want.length, 3);
      assert.deepEqual((await pool.query(fks)).rows, want);
    } finally {
      await freshPool.end();
    }
    // The next id drawn comes after the copied ones.
    for (const t of ['jobs', 'postings', 'outbox']) {
      const res = await pool.query(`SELECT (SELECT max(id) FROM ${t})::int AS max, nextval(pg_get_serial_sequence('${t}', 'id'))::int AS next`);
      assert.equal(res.rows[0].next, res.rows[0].max + 1, `${t} sequence`);
    }
  } finally {
    await pool.end();
  }

  // The same answers from both stores (the claim aside, which the copy drops on purpose).
  {
    const db = new Database(file);
    db.prepare('UPDATE outbox SET claimed_by = NULL, claim_until = NULL').run();
    db.close();
  }
  const sqlite = openSqliteStore(file);
  const pgStore = await openStore(url);
  try {
    const ids = (sqlite.db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all() as number[]);
    const at = new Date();
    const want = withoutNul(await snapshot(sqlite, ids, at));
    const got = await snapshot(pgStore, ids, at);
    for (const key of Object.keys(want)) assert.deepEqual(got[key], want[key], key);
    const office = (got.jobs as Array<{ title: string; company: string; tags: string[] }>).find((j) => /Office/.test(j.title))!;
    assert.equal(office.company, 'Acme Robotics');
    assert.deepEqual(office.tags, ['ab']);
  } finally {
    await sqlite.close();
    await pgStore.close();
  }

  // A run on PostgreSQL: nothing sent again, the feeds asked conditionally (their ETag copied) and answered 304.
  const mails = smtp.messages.length;
  const discordCalls = stubs.calls.filter((c) => c.service === 'discord').length;
  const hits = (p: string) => feeds.hits.get(p)?.length ?? 0;
  const before = { remotewlb: hits('/remotewlb.rss'), mirror: hits('/mirror.rss') };
  const run = await runCli(['run', '--once', '--config', writeConfig('pg', server.urlWithoutPassword(database))], { PGPASSWORD: server.password });
  assert.ok(run.code === 0 || run.code === 2, run.stderr + run.stdout);
  for (const title of ['Senior Machine Learning Engineer', 'Staff Machine Learning Engineer', 'Principal ML Engineer']) assert.ok(!run.stdout.includes(title), `${title} printed again`);
  assert.equal(smtp.messages.length, mails, 'no email again');
  assert.equal(stubs.calls.filter((c) => c.service === 'discord').length, discordCalls, 'a failed alert is not retried by itself');
  for (const [feed, n] of Object.entries(before)) {
    const seen = feeds.hits.get(`/${feed}.rss`)!.slice(n);
    assert.deepEqual(seen, [{ status: 304, conditional: true }], `${feed} polled conditionally`);
  }
  const finished = logLines(run.stdout + run.stderr).find((l) => l.msg === 'Run finished');
  assert.ok(finished, run.stderr);
  assert.equal(finished.newJobs, 0);

  // A second migrate into the now non-empty target is refused, and changes nothing.
  const held = await pgCounts(url);
  const again = await runCli(['migrate', '--to', server.urlWithoutPassword(database), '--from', file], { PGPASSWORD: server.password });
  assert.equal(again.code, 1, again.stderr + again.stdout);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, new RegExp(`^jobalert: postgres://${server.user}@${server.host}:${server.port}/${database} is not empty: it already holds 4 jobs, 5 sightings, \\d+ fingerprints, 3 feeds, 16 alerts\\. .*--replace`, 'm'));
  assert.equal(again.stderr.trim().split('\n').length, 1, 'one line');
  assert.deepEqual(await pgCounts(url), held);

  // --replace: what the target held is deleted and the copy put in its place, in one transaction.
  const replaced = await runCli(['migrate', '--to', server.urlWithoutPassword(database), '--from', file, '--replace'], { PGPASSWORD: server.password });
  assert.equal(replaced.code, 0, replaced.stderr + replaced.stdout);
  assert.match(replaced.stdout, /^Deleted what .* held \(--replace\): 4 jobs, 5 sightings, 3 feeds, 16 alerts\.$/m);
  assert.deepEqual(await pgCounts(url), held);
});

test('a failure midway (the connection killed after the jobs are written) leaves the target empty', async () => {
  const file = sqliteCopy('killed');
  const url = await server.createDatabase();
  const pool = createPgPool(url, { max: 1, applicationName: 'migrate-under-test' });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const db = openDatabase(file);
  try {
    await migratePg(pool);
    const seen: string[] = [];
    await assert.rejects(
      copySqliteToPg(db, pool, {
        onBatch: async (table) => {
          seen.push(table);
          if (table !== 'postings') return;
          const killed = await admin.query("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'migrate-under-test'");
          assert.equal(killed.rows.length, 1);
        },
      }),
      /terminat|Connection|closed/i,
    );
    assert.deepEqual(seen, ['jobs', 'postings']);
    assert.ok(!db.inTransaction, 'the SQLite read transaction is ended');
  } finally {
    db.close();
    await pool.end();
    await admin.end();
  }
  assert.deepEqual(await pgCounts(url), EMPTY);
});

test('a row PostgreSQL refuses (the outbox, copied last) stops migrate with exit 2: nothing copied, the jobs written before rolled back', async () => {
  const file = sqliteCopy('bad-row');
  {
    const db = new Database(file);
    db.prepare("UPDATE outbox SET reasons = 'not json' WHERE id = (SELECT max(id) FROM outbox)").run();
    db.close();
  }
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const r = await runCli(['migrate', '--to', server.urlWithoutPassword(database), '--from', file], { PGPASSWORD: server.password });
  assert.equal(r.code, 2, r.stderr + r.stdout);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^jobalert: outbox\.reasons holds text that is not JSON .*; nothing was copied \(the transaction was rolled back\)$/m);
  assert.deepEqual(await pgCounts(url), EMPTY);
});

test('the library refuses a non-empty target with TargetNotEmptyError, naming what it holds', async () => {
  const file = sqliteCopy('lib');
  const url = await server.createDatabase();
  const pool = createPgPool(url, { max: 1 });
  const db = openDatabase(file);
  try {
    await migratePg(pool);
    await pool.query("INSERT INTO feeds (name, consecutive_errors) VALUES ('someone-elses', 0)");
    await assert.rejects(copySqliteToPg(db, pool), (err: unknown) => err instanceof TargetNotEmptyError && err.message === 'it already holds 1 feed');
  } finally {
    db.close();
    await pool.end();
  }
  assert.deepEqual(await pgCounts(url), { ...EMPTY, feeds: 1 });
});

test('the source is the config\'s database: by default; an older SQLite schema is upgraded first, as run does', async () => {
  // A database of schema 8 (before digests): built by running the first eight steps.
  const file = path.join(tmp, 'old.db');
  const db = new Database(file);
  for (let step = 0; step < 8; step++) {
    const m = MIGRATIONS[step]!;
    if (typeof m === 'string') db.exec(m);
    else m(db);
    db.pragma(`user_version = ${step + 1}`);
  }
  db.prepare(`INSERT INTO jobs (id, title, description, arrangement, first_seen, last_seen, content_hash) VALUES (7, 'Senior ML Engineer', 'x', 'remote', 1, 1, 'h')`).run();
  db.prepare(`INSERT INTO outbox (id, job_id, channel, rules, reasons, status, next_attempt_at, created_at) VALUES (3, 7, 'me', '["ml"]', '[["remote"]]', 'pending', 1, 1)`).run();
  db.close();
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const config = writeConfig('old', file);
  const r = await runCli(['migrate', '--to', server.urlWithoutPassword(database), '--config', config], { PGPASSWORD: server.password });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, new RegExp(`^Upgraded .*old\\.db from schema 8 to ${MIGRATIONS.length} first \\(as run does\\)\\.$`, 'm'));
  assert.match(r.stdout, /^ {2}jobs +1$/m);
  assert.match(r.stdout, /^ {2}outbox +1 {2}\(1 pending, 0 sent, 0 failed\)$/m);
  // Copied ids kept; a new row gets the next one.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query("INSERT INTO outbox (job_id, channel, rules, reasons, next_attempt_at, created_at) VALUES (7, 'other', '[]', '[]', 1, 1) RETURNING id");
    assert.equal(Number(res.rows[0].id), 4);
  } finally {
    await client.end();
  }
});

test('migrate refuses a password written in --to (it would show in ps): one line pointing to PGPASSWORD, exit 1, the password not printed', async () => {
  const file = sqliteCopy('refusals');
  const r = await runCli(['migrate', '--to', `postgres://postgres:hunter2secret@${server.host}:${server.port}/postgres`, '--from', file]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^jobalert: --to has a password written in it, which every user of this machine can read \(ps\) .*PGPASSWORD.*\$\{VAR\}/m);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.ok(!r.stderr.includes('hunter2secret'));
});

test('migrate refuses, before connecting: ?password= in --to, an unset ${VAR}, a missing source (not created), a target or a source that is not what it should be', async () => {
  const file = sqliteCopy('refusals-2');
  const base = `${server.host}:${server.port}/postgres`;
  const refusal = async (opts: MigrateOptions, env: NodeJS.ProcessEnv = {}): Promise<string> => {
    try {
      await migrateCommand(opts, { out: () => assert.fail('nothing printed'), err: () => {}, env });
    } catch (err) {
      assert.ok(err instanceof CommandError, String(err));
      assert.equal(err.exitCode, 1, err.message);
      return err.message;
    }
    return assert.fail('refused');
  };
  assert.match(await refusal({ to: `postgresql://postgres@${base}?password=hunter2secret`, from: file }), /^--to has a password written in it/);
  assert.match(await refusal({ to: `postgres://postgres:\${NOT_SET_PW}@${base}`, from: file }), /^--to: environment variable NOT_SET_PW is not set$/);
  assert.match(await refusal({ to: './other.db', from: file }), /^--to needs a postgres:\/\/ URL/);
  assert.match(await refusal({ to: `mysql://root@${base}`, from: file }), /^--to needs a postgres:\/\/ URL .*, got a mysql:/);
  const nope = path.join(tmp, 'nope.db');
  assert.match(await refusal({ to: `postgres://postgres@${base}`, from: nope }), /^no SQLite database at .*nope\.db \(--from\); nothing to copy$/);
  assert.ok(!fs.existsSync(nope), 'no file created');
  assert.match(await refusal({ to: `postgres://postgres@${base}`, from: `postgres://postgres@${base}` }), /^--from is postgres:\/\/postgres@.*, not an SQLite file/);
  const config = writeConfig('on-pg', `postgres://postgres@${base}`);
  assert.match(await refusal({ to: `postgres://postgres@${base}`, config }), /^the config's database: is postgres:\/\/.*, not an SQLite file; name the SQLite file to copy with --from FILE$/);
  const empty = path.join(tmp, 'empty.db');
  new Database(empty).close();
  assert.match(await refusal({ to: `postgres://postgres@${base}`, from: empty }), /is not a jobalert database/);
});
