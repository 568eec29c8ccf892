/**
 * `jobalert run --dry-run` on PostgreSQL, as a user runs it (the real CLI against a real server):
 * it works on a copy of the tables in a schema of its own, so the user's tables are exactly as they
 * were (compared row for row, sequences included), nothing is sent (a real SMTP server receives
 * nothing), the copy is gone at the end (also after Ctrl-C, and a dead dry run's leftover is dropped
 * by the next), and it prints the same would-be alerts as a dry run over an SQLite copy of the same data.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { logLines, runCli, spawnCli } from './helpers/cli.js';
import { rssFeed, startFeedServer, type FeedServer } from './helpers/feed-server.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';
import { startPostgres, type PgServer } from './support/postgres.js';

const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

const ML = {
  title: 'Nomad Health: Senior Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253',
  descriptionHtml: '<p>Fully remote (US). Build our ML platform.</p><p>Salary: $135,000 - $180,000 per year.</p>',
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
const LEAD = {
  title: 'Orbit: Lead Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/lead-machine-learning-engineer-136321',
  descriptionHtml: '<p>Remote (Canada or US). Search ranking.</p>',
  pubDate: hoursAgo(1),
  region: 'Remote',
};
const OFFICE = {
  title: 'Acme Robotics: Office Manager',
  link: 'https://www.remotewlb.com/apply/office-manager-136311',
  descriptionHtml: '<p>On-site in Austin, TX.</p>',
  pubDate: hoursAgo(7),
  region: 'Austin, TX',
};

let server: PgServer;
let feeds: FeedServer;
let smtp: SmtpSink;
let tmp: string;

before(async () => {
  server = await startPostgres();
  feeds = await startFeedServer({ '/remotewlb.rss': { kind: 'feed', body: rssFeed('remotewlb', [ML, OFFICE]) }, '/slow.rss': { kind: 'hang' } });
  smtp = await startSmtpSink();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-dry-run-'));
});

after(async () => {
  await smtp?.close();
  await feeds?.close();
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A config on `database` (a file, or ${PG_URL}), alerting ML jobs to the console and by email. */
function writeConfig(name: string, database: string, feedPath = '/remotewlb.rss'): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `database: ${database}
max_age: 14d
http:
  port: 0
fetch:
  timeout: 30s
feeds:
  - name: remotewlb
    url: ${feeds.url(feedPath)}
channels:
  stdout:
    type: console
  me:
    type: email
    to: [me@example.com]
smtp:
  url: ${smtp.url}?requireTLS=false
  from: "jobalert <alerts@example.com>"
rules:
  - name: ml
    query: "remote senior+ ML engineer"
    notify: [stdout, me]
`,
  );
  return file;
}

/** Everything in the database's tables and the state of its sequences, to compare before and after. */
async function contents(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    const tables = await client.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    for (const { t } of tables.rows) {
      const rows = await client.query<{ n: number; digest: string | null }>(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS digest FROM ${t} x`);
      out[t] = `${rows.rows[0]!.n} rows ${rows.rows[0]!.digest}`;
    }
    const seqs = await client.query<{ s: string; v: string | null }>("SELECT sequencename AS s, last_value::text AS v FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1");
    for (const r of seqs.rows) out[`sequence ${r.s}`] = `${r.v}`;
    return out;
  } finally {
    await client.end();
  }
}

async function dryRunSchemas(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ s: string }>("SELECT nspname AS s FROM pg_namespace WHERE nspname LIKE 'jobalert\\_dry\\_run\\_%' ORDER BY 1");
    return res.rows.map((r) => r.s);
  } finally {
    await client.end();
  }
}

/** The would-be messages a dry run printed, sorted: channels are delivered to concurrently, so their order varies. */
function wouldSend(stdout: string): string[] {
  const messages = stdout.split(/(?=\[dry run: would send to )/).filter((m) => m.trim() !== '');
  assert.ok(messages.length > 0 && messages.every((m) => m.startsWith('[dry run: would send to ')), stdout);
  return messages.sort();
}

test('a dry run on PostgreSQL sends nothing, leaves every table as it was, and prints what a dry run over SQLite prints', async () => {
  const url = await server.createDatabase();
  const env = { PG_URL: url };
  const pgConfig = writeConfig('pg', '${PG_URL}');
  const sqliteConfig = writeConfig('sqlite', path.join(tmp, 'jobalert.db'));
  feeds.setRoute('/remotewlb.rss', { kind: 'feed', body: rssFeed('remotewlb', [ML, OFFICE]) });
  // The same history in both databases: one real run, which alerts the first ML job.
  for (const config of [pgConfig, sqliteConfig]) {
    const real = await runCli(['run', '--once', '--config', config], env);
    assert.equal(real.code, 0, real.stderr + real.stdout);
  }
  assert.equal(smtp.messages.length, 2, 'one email per real run');
  // Two new ML jobs since.
  feeds.setRoute('/remotewlb.rss', { kind: 'feed', body: rssFeed('remotewlb', [LEAD, ML, STAFF, OFFICE]) });

  const before = await contents(url);
  assert.match(before.jobs!, /^2 rows /);
  assert.match(before.outbox!, /^2 rows /);
  const dry = await runCli(['run', '--dry-run', '--config', pgConfig], env);
  assert.equal(dry.code, 0, dry.stderr + dry.stdout);
  const overSqlite = await runCli(['run', '--dry-run', '--config', sqliteConfig], env);
  assert.equal(overSqlite.code, 0, overSqlite.stderr + overSqlite.stdout);

  // What would be sent: the two new jobs, to both channels, as over SQLite.
  assert.deepEqual(wouldSend(dry.stdout), wouldSend(overSqlite.stdout));
  for (const title of ['Staff Machine Learning Engineer', 'Lead Machine Learning Engineer']) assert.match(dry.stdout, new RegExp(title));
  assert.doesNotMatch(dry.stdout, /Senior Machine Learning Engineer|Office Manager/, 'alerted before, or no match');
  assert.equal(dry.stdout.split('[dry run: would send to stdout (console)]').length - 1, 2);
  assert.equal(dry.stdout.split('[dry run: would send to me (email)]').length - 1, 1);
  const logs = logLines(dry.stderr);
  const started = logs.find((l) => l.msg?.toString().startsWith('Dry run: working on a copy of the database in a schema of its own'));
  assert.ok(started, dry.stderr);
  const copied = started.copied as Record<string, number>;
  assert.deepEqual([copied.jobs, copied.postings, copied.feeds, copied.outbox], [2, 2, 1, 2], JSON.stringify(copied));
  assert.equal(logs.find((l) => l.msg === 'Dry run finished: nothing was sent')?.wouldSend, 4, "alerts: two jobs to two channels");

  // Nothing sent, nothing written, no copy left.
  assert.equal(smtp.messages.length, 2, 'no email from the dry run');
  assert.deepEqual(await contents(url), before);
  assert.deepEqual(await dryRunSchemas(url), []);
  assert.ok(!(dry.stdout + dry.stderr).includes(server.password), 'the password is never printed');

  // Again: the same, since the first recorded nothing; then a real run sends exactly that.
  const again = await runCli(['run', '--dry-run', '--config', pgConfig], env);
  assert.deepEqual(wouldSend(again.stdout), wouldSend(dry.stdout));
  assert.deepEqual(await contents(url), before);
  const real = await runCli(['run', '--once', '--config', pgConfig], env);
  assert.equal(real.code, 0, real.stderr);
  for (const title of ['Staff Machine Learning Engineer', 'Lead Machine Learning Engineer']) assert.equal(real.stdout.split(title).length - 1, 1, real.stdout);
  assert.equal(logLines(real.stderr).find((l) => l.msg === 'Run finished')?.sent, 4);
  assert.equal(smtp.messages.length, 3);
});

test('a dry run on a database jobalert never used works, and leaves it empty', async () => {
  const url = await server.createDatabase();
  feeds.setRoute('/remotewlb.rss', { kind: 'feed', body: rssFeed('remotewlb', [ML, OFFICE]) });
  const dry = await runCli(['run', '--dry-run', '--config', writeConfig('empty', '${PG_URL}')], { PG_URL: url });
  assert.equal(dry.code, 0, dry.stderr + dry.stdout);
  assert.match(dry.stdout, /Senior Machine Learning Engineer/);
  assert.deepEqual(await contents(url), {}, 'no table was created in the real schema');
  assert.deepEqual(await dryRunSchemas(url), []);
});

test('the copy of a dry run that died is dropped by the next; a live one is left alone', async () => {
  const url = await server.createDatabase();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('CREATE SCHEMA jobalert_dry_run_000000dead00; CREATE TABLE jobalert_dry_run_000000dead00.jobs (id int)');
    await admin.query('CREATE SCHEMA jobalert_dry_run_0000000a1ive');
    // Held as a running dry run holds it.
    await admin.query("SELECT pg_advisory_lock(hashtextextended('jobalert_dry_run_0000000a1ive', 0))");
    const dry = await runCli(['run', '--dry-run', '--config', writeConfig('leftover', '${PG_URL}')], { PG_URL: url });
    assert.equal(dry.code, 0, dry.stderr + dry.stdout);
    assert.deepEqual(
      logLines(dry.stderr).filter((l) => l.msg === 'Dropped the copy a dry run that did not finish left behind').map((l) => l.schema),
      ['jobalert_dry_run_000000dead00'],
    );
    assert.deepEqual(await dryRunSchemas(url), ['jobalert_dry_run_0000000a1ive']);
  } finally {
    await admin.end();
  }
});

test('Ctrl-C during a dry run drops its copy before exiting', async () => {
  const url = await server.createDatabase();
  const child = spawnCli(['run', '--dry-run', '--config', writeConfig('slow', '${PG_URL}', '/slow.rss')], { PG_URL: url });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!stderr.includes('Dry run: working on a copy') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(stderr.includes('Dry run: working on a copy'), stderr);
  assert.equal((await dryRunSchemas(url)).length, 1, 'the copy exists while the dry run runs');
  // The feed never answers: the run is waiting on it.
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGINT');
  assert.equal(await exited, 2, stderr);
  assert.ok(logLines(stderr).some((l) => l.msg === 'Dry run interrupted: removing its copy of the database'), stderr);
  assert.deepEqual(await dryRunSchemas(url), []);
});
