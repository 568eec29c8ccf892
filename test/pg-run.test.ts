/**
 * `jobalert run --once` on PostgreSQL, end to end as a user runs it: the real CLI (a child
 * process) with `database: postgres://...` and the password in PGPASSWORD or a ${VAR}, against a
 * real server started here, a local feed server, the console channel and a real SMTP server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { logLines, runCli } from './helpers/cli.js';
import { rssFeed, startFeedServer, type FeedServer } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startPostgres, type PgServer } from './support/postgres.js';

const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

const ML = {
  title: 'Nomad Health: Senior Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253?utm_source=rss',
  guid: 'remotewlb-136253',
  descriptionHtml: '<p>Fully remote (US). Build our ML platform.</p><p>Salary: $135,000 - $180,000 per year.</p>',
  pubDate: hoursAgo(3),
  region: 'Remote',
};
const DATA = {
  title: 'Lattice Labs: Staff Machine Learning Engineer',
  link: 'https://www.remotewlb.com/apply/staff-machine-learning-engineer-136300',
  descriptionHtml: '<p>Remote (US). Ranking models.</p><p>Salary: $190,000 - $230,000 per year.</p>',
  pubDate: hoursAgo(5),
  region: 'Remote - US',
};
const NOT_ML = {
  title: 'Acme Robotics: Office Manager',
  link: 'https://www.remotewlb.com/apply/office-manager-136311',
  descriptionHtml: '<p>On-site in Austin, TX.</p>',
  pubDate: hoursAgo(7),
  region: 'Austin, TX',
};

let server: PgServer;
let feeds: FeedServer;
let tmp: string;

before(async () => {
  server = await startPostgres();
  feeds = await startFeedServer({ '/remotewlb.rss': { kind: 'feed', body: rssFeed('remotewlb', [ML, DATA, NOT_ML]) } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-run-'));
});

after(async () => {
  await feeds?.close();
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A config on `database`, alerting ML jobs to the console and by email. */
function writeConfig(name: string, database: string, smtpUrl: string): string {
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
channels:
  stdout:
    type: console
  me:
    type: email
    to: [me@example.com]
smtp:
  url: ${smtpUrl}
  from: "jobalert <alerts@example.com>"
rules:
  - name: ml
    query: "remote senior+ ML engineer"
    notify: [stdout, me]
`,
  );
  return file;
}

test('run --once on PostgreSQL sends each alert once; a second run (password from ${VAR}) sends nothing new; check shows *** only', async () => {
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const smtp = await startSmtpSink();
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const smtpUrl = `${smtp.url}?requireTLS=false`;
    // Password from PGPASSWORD (the URL has none), then from a ${VAR} in the URL.
    const viaEnv = writeConfig('pgpassword', server.urlWithoutPassword(database), smtpUrl);
    const viaVar = writeConfig('var', `postgres://${server.user}:\${DB_PASSWORD}@${server.host}:${server.port}/${database}`, smtpUrl);
    const secret = server.password;

    const first = await runCli(['run', '--once', '--config', viaEnv], { PGPASSWORD: secret });
    assert.equal(first.code, 0, first.stderr + first.stdout);
    // Two ML jobs matched: each printed once on the console and mailed once.
    for (const title of ['Senior Machine Learning Engineer', 'Staff Machine Learning Engineer']) {
      assert.equal(first.stdout.split(title).length - 1, 1, `${title} printed once:\n${first.stdout}`);
    }
    assert.doesNotMatch(first.stdout, /Office Manager/);
    // One email lists both jobs (the email channel sends one message per batch).
    assert.equal(smtp.messages.length, 1, 'one email');
    for (const title of ['Senior Machine Learning Engineer', 'Staff Machine Learning Engineer']) assert.match(smtp.messages[0]!.text ?? '', new RegExp(title));
    const finished = logLines(first.stderr).find((l) => l.msg === 'Run finished');
    assert.ok(finished, first.stderr);
    assert.equal(finished.newJobs, 3);
    assert.equal(finished.sent, 4);
    assert.equal(finished.pending, 0);

    // What PostgreSQL holds: the jobs, and the outbox rows all sent.
    const jobs = await pool.query<{ n: string }>('SELECT count(*) AS n FROM jobs');
    assert.equal(Number(jobs.rows[0]!.n), 3);
    const outbox = await pool.query<{ channel: string; status: string; n: string }>('SELECT channel, status, count(*) AS n FROM outbox GROUP BY 1, 2 ORDER BY 1, 2');
    assert.deepEqual(outbox.rows.map((r) => [r.channel, r.status, Number(r.n)]), [['me', 'sent', 2], ['stdout', 'sent', 2]]);

    const second = await runCli(['run', '--once', '--config', viaVar], { DB_PASSWORD: secret });
    assert.equal(second.code, 0, second.stderr + second.stdout);
    assert.doesNotMatch(second.stdout, /Machine Learning Engineer/, 'nothing printed again');
    assert.equal(smtp.messages.length, 1, 'no email again');
    const again = logLines(second.stderr).find((l) => l.msg === 'Run finished');
    assert.equal(again?.newJobs, 0);
    assert.equal(again?.sent, 0);

    const check = await runCli(['check', '--config', viaVar], { DB_PASSWORD: secret });
    assert.equal(check.code, 0, check.stderr + check.stdout);
    assert.match(check.stdout, new RegExp(`^database: postgres://${server.user}:\\*\\*\\*@${server.host}:${server.port}/${database}, connected, schema up to date$`, 'm'));
    assert.match(check.stdout, /remotewlb .*\n\s+schedule: .*ok, last success/);
    const checkEnv = await runCli(['check', '--config', viaEnv], { PGPASSWORD: secret });
    assert.equal(checkEnv.code, 0, checkEnv.stderr + checkEnv.stdout);
    assert.match(checkEnv.stdout, new RegExp(`^database: postgres://${server.user}@${server.host}:${server.port}/${database}, connected`, 'm'));

    for (const [name, r] of Object.entries({ first, second, check, checkEnv })) {
      assert.ok(!(r.stdout + r.stderr).includes(secret), `the password leaked into the output of ${name}`);
    }
  } finally {
    await pool.end();
    await smtp.close();
  }
});

test('run --once with a wrong password: one line naming the database with ***, exit 2, the password not printed', async () => {
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const smtp = await startSmtpSink();
  try {
    const config = writeConfig('wrong', `postgres://${server.user}:\${DB_PASSWORD}@${server.host}:${server.port}/${database}`, `${smtp.url}?requireTLS=false`);
    const r = await runCli(['run', '--once', '--config', config], { DB_PASSWORD: 'not-the-password-42' });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`database postgres://${server.user}:\\*\\*\\*@${server.host}:${server.port}/${database} refused the login .*PGPASSWORD`));
    assert.ok(!(r.stdout + r.stderr).includes('not-the-password-42'));
    assert.equal(smtp.messages.length, 0);
  } finally {
    await smtp.close();
  }
});
