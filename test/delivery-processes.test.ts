/**
 * Delivery across real processes on one SQLite file (the CLI, as cron and a user run it): three
 * overlapping `run --once`, and a kill -9 after the SMTP server accepted an email but before the
 * process recorded it. Local feed server, SMTP sink and Slack stub; nothing mocked.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { runCli, spawnCli } from './helpers/cli.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-procs-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    title: `Orbit ${i + 1}: Senior Machine Learning Engineer`,
    link: `https://jobs.example.test/orbit-${i + 1}`,
    guid: `orbit-${i + 1}`,
    descriptionHtml: `<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>`,
    pubDate: new Date(Date.now() - 3_600_000),
  }));

/** Which orbit-N jobs a text (an email, a Slack payload) lists. */
const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)/g)].map((m) => Number(m[1])))];

/** How many times each job 1..n appears in a list of per-message job lists. */
function timesEach(lists: number[][], n: number): number[] {
  const counts = Array.from({ length: n }, () => 0);
  for (const list of lists) for (const j of list) counts[j - 1]! += 1;
  return counts;
}

function writeConfig(name: string, feedUrl: string, channels: string, notify: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `database: ${path.join(tmp, `${name}.db`)}
http:
  port: 0
feeds:
  - name: board
    url: ${feedUrl}
channels:
${channels}
smtp:
  url: \${SMTP_URL}
  from: "jobalert <alerts@example.com>"
rules:
  - name: ml
    title: [ML engineer]
    notify: [${notify}]
`,
  );
  return file;
}

test('three overlapping run --once on one database deliver each of 300 alerts exactly once', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(100)) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig(
      'three',
      feeds.url('/jobs.rss'),
      // The bot gets one message per job (flood guard off); the hook the default guard: ONE summary.
      `  bot: { type: slack, token: xoxb-e2e, channel: "#jobs", api_url: "${slack.apiUrl}", summary_after: 1000 }
  hook: { type: slack, webhook_url: "${slack.webhookUrl}" }
  mail: { type: email, to: [me@example.com] }`,
      'bot, hook, mail',
    );
    const env = { SMTP_URL: smtp.url, JOBALERT_LOG_LEVEL: 'info' };
    // Started together, as when a cron run overlaps another: all poll the same feed (one stores
    // the jobs, the others find them known), then all deliver from the same outbox.
    const runs = await Promise.all([1, 2, 3].map(() => runCli(['run', '--once', '--config', config], env, 120_000)));
    for (const r of runs) assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}${r.stdout.slice(-2000)}`);

    const ok = (kind: string) => slack.posts.filter((p) => p.kind === kind && p.status === 200).map((p) => jobsIn(JSON.stringify(p.body)));
    const ones = Array.from({ length: 100 }, () => 1);
    assert.deepEqual(timesEach(ok('api'), 100), ones, 'each job posted once by the bot');
    const summaries = slack.posts.filter((p) => p.kind === 'webhook' && p.status === 200);
    assert.equal(summaries.length, 1, 'one summary for the 100 jobs, sent once');
    assert.match(String(summaries[0]!.body.text), /^\*100 new jobs match "ml"\* — first 10:/);
    assert.deepEqual(timesEach(smtp.messages.map((m) => jobsIn(m.text ?? '')), 100), ones, 'each job in exactly one email');
    assert.ok(smtp.messages.every((m) => jobsIn(m.text ?? '').length <= 50), 'at most 50 jobs per email');
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('kill -9 after the SMTP server accepted an email: the next run resends only that message, with the same Message-ID', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(120)) } });
  let victim: ChildProcess | null = null;
  // The second message is accepted (stored) and then its sender killed before the server answers:
  // the process never learns it was delivered.
  const smtp = await startSmtpSink({
    onMessage: async (_mail, index) => {
      if (index !== 1 || !victim) return;
      victim.kill('SIGKILL');
      await new Promise((r) => victim!.once('close', r));
    },
  });
  try {
    const config = writeConfig('killed', feeds.url('/jobs.rss'), '  mail: { type: email, to: [me@example.com] }', 'mail');
    const env = { SMTP_URL: smtp.url, JOBALERT_LOG_LEVEL: 'info' };
    victim = spawnCli(['run', '--once', '--config', config], env);
    const code = await new Promise<number | null>((r) => victim!.once('close', (c, signal) => r(signal ? -1 : c)));
    assert.equal(code, -1, 'the first run was killed');
    assert.equal(smtp.messages.length, 2);
    victim = null;

    const rerun = await runCli(['run', '--once', '--config', config], env);
    assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout.slice(-2000));

    const [first, inFlight, resent, last, ...more] = smtp.messages;
    assert.equal(more.length, 0, '4 messages in all: 3 batches, one of them twice');
    assert.equal(resent!.messageId, inFlight!.messageId, 'the resent batch carries the Message-ID of the one in flight');
    assert.deepEqual(jobsIn(resent!.text ?? ''), jobsIn(inFlight!.text ?? ''), 'the same jobs');
    assert.equal(new Set([first, inFlight, last].map((m) => m!.messageId)).size, 3);
    assert.deepEqual([first, inFlight, last].map((m) => jobsIn(m!.text ?? '').length), [50, 50, 20], '120 jobs as 3 messages');
    assert.deepEqual(timesEach([first, inFlight, last].map((m) => jobsIn(m!.text ?? '')), 120), Array.from({ length: 120 }, () => 1), 'nothing lost');
  } finally {
    victim?.kill('SIGKILL');
    await Promise.all([feeds.close(), smtp.close()]);
  }
});
