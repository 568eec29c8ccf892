/**
 * Delivery at scale (issue 9), in process with a controllable clock, a real SQLite file, a real
 * local SMTP server (with a size limit, as a relay has) and the local Slack stub: many rules on
 * the same jobs make one outbox row and one message per (job, channel); emails stay under
 * max_email_bytes and a relay's 552 splits rather than fails; a Slack channel gets one summary
 * for a rule with more than summary_after jobs at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';
import type { Clock } from '../src/core/types.js';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';

function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** n distinct jobs; `title(i)` may make some of them match other rules. */
const items = (n: number, title: (i: number) => string = () => 'Senior Machine Learning Engineer') =>
  Array.from({ length: n }, (_, i) => ({
    title: `Orbit${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'abcdefghijklmnopqrstuvwxyz'[Math.floor(i / 26) % 26]} Labs: ${title(i)}`,
    link: `https://jobs.example.test/orbit-${i + 1}`,
    descriptionHtml: `<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p><p>${'A long description nobody renders. '.repeat(200)}</p>`,
    pubDate: new Date(Date.now() - 3_600_000),
  }));

/** Which orbit-N jobs a text (an email, a Slack payload) lists. */
const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function setup(name: string, opts: { items: ReturnType<typeof items>; rules: string; channels: string; smtpSize?: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-${name}-`));
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', opts.items) } });
  const smtp = await startSmtpSink(opts.smtpSize ? { size: opts.smtpSize } : {});
  const slack = await startSlackStub();
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
${opts.channels.replaceAll('SLACK_API', slack.apiUrl)}
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
rules:
${opts.rules}`;
  const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  const clock = manualClock(new Date());
  const logs: Array<Record<string, any>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const app = await createApp({ config, rules, log, clock });
  return {
    app,
    smtp,
    slack,
    clock,
    logs,
    async cleanup() {
      await app.close();
      await Promise.all([feeds.close(), smtp.close(), slack.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('200 rules matching the same 30 jobs: 30 outbox rows per channel, messages per job (or group of jobs) per channel, not per rule, one log line per message', async () => {
  const rules = Array.from({ length: 200 }, (_, i) => `  - { name: ml-${i}, title: [ML engineer], notify: [mail, bot] }\n`).join('');
  const s = await setup('many-rules', { items: items(30), rules, channels: '  mail: { type: email, to: [me@example.com] }\n  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "SLACK_API", summary_after: 100 }\n' });
  try {
    const polled = await s.app.pollAll();
    assert.equal(polled[0]!.status === 'ok' ? polled[0]!.alertsQueued : -1, 60);
    assert.equal(s.app.db.prepare('SELECT count(*) FROM outbox').pluck().get(), 60, 'rows <= jobs x channels, not rules x jobs x channels (12,000)');
    const rulesListed = s.app.db.prepare("SELECT json_array_length(rules) FROM outbox WHERE channel = 'bot' LIMIT 1").pluck().get();
    assert.equal(rulesListed, 200, 'each row lists every rule that matched');

    const r = await s.app.dispatch();
    assert.equal(r.sent, 60);
    assert.equal(s.smtp.messages.length, 1, 'one email listing the 30 jobs');
    assert.deepEqual(jobsIn(s.smtp.messages[0]!.text ?? ''), range(30));
    const posts = s.slack.posts.filter((p) => p.kind === 'api' && p.status === 200);
    // 30 jobs waiting (under summary_after 100, over 3): grouped messages of ten, not one per rule.
    assert.equal(posts.length, 3, 'three grouped Slack messages of ten jobs, not one per rule');
    assert.deepEqual(posts.map((p) => jobsIn(JSON.stringify(p.body)).length), [10, 10, 10]);
    assert.deepEqual(posts.flatMap((p) => jobsIn(JSON.stringify(p.body))).sort((a, b) => a - b), range(30));
    assert.match(String(posts[0]!.body.text), /rule: ml-0, ml-1, ml-2, ml-3, ml-4 and 195 more$/m, 'the 200 rules named, the first five by name');
    assert.match(s.smtp.messages[0]!.text ?? '', /^30 new jobs\n/);
    assert.match(s.smtp.messages[0]!.text ?? '', /for rules ml-0, ml-1, ml-2, ml-3, ml-4 and 195 more\./);
    const sentLines = s.logs.filter((l) => l.msg === 'Alert sent');
    assert.equal(sentLines.length, 4, 'one line per message: 1 email + 3 Slack messages');
    assert.equal((await s.app.dispatch()).sent, 0, 'nothing twice');
  } finally {
    await s.cleanup();
  }
});

test('an email batch bigger than max_email_bytes goes as several emails, each under the cap, each job once', async () => {
  const s = await setup('size-cap', {
    items: items(50),
    rules: '  - { name: ml, title: [ML engineer], notify: [mail] }\n',
    channels: '  mail: { type: email, to: [me@example.com], max_email_bytes: 64KB }\n',
  });
  try {
    await s.app.pollAll();
    const r = await s.app.dispatch();
    assert.equal(r.sent, 50);
    assert.ok(s.smtp.messages.length >= 2, `${s.smtp.messages.length} emails`);
    for (const size of s.smtp.sizes) assert.ok(size <= 64 * 1024, `an email of ${size} bytes`);
    assert.deepEqual(s.smtp.messages.flatMap((m) => jobsIn(m.text ?? '')).sort((a, b) => a - b), range(50));
    // Each email but the last says how many follow.
    const counts = s.smtp.messages.map((m) => jobsIn(m.text ?? '').length);
    assert.match(s.smtp.messages[0]!.text ?? '', new RegExp(`^${counts[0]} new jobs\\n${50 - counts[0]!} more new jobs follow in further emails\\.`));
    assert.doesNotMatch(s.smtp.messages.at(-1)!.text ?? '', /follow in/);
    assert.match(s.smtp.messages[0]!.html || '', /more new jobs follow in further emails/);
    assert.equal(s.logs.filter((l) => l.msg === 'Alert sent').length, s.smtp.messages.length, 'one log line per email');
  } finally {
    await s.cleanup();
  }
});

test('a relay refusing an email as too large (552 5.3.4): split in halves and retried, nothing failed, nothing twice', async () => {
  // A relay limit of 24 KB under a channel cap of 1 MB: 50 jobs (~100 KB) must be halved a few times.
  const s = await setup('relay-552', {
    items: items(50),
    rules: '  - { name: ml, title: [ML engineer], notify: [mail] }\n',
    channels: '  mail: { type: email, to: [me@example.com] }\n',
    smtpSize: 24 * 1024,
  });
  try {
    await s.app.pollAll();
    const r = await s.app.dispatch();
    assert.deepEqual([r.sent, r.retrying, r.failed], [50, 0, 0]);
    assert.ok(s.smtp.refusedForSize >= 1, 'the relay did refuse');
    for (const size of s.smtp.sizes) assert.ok(size <= 24 * 1024);
    assert.deepEqual(s.smtp.messages.flatMap((m) => jobsIn(m.text ?? '')).sort((a, b) => a - b), range(50), 'each job exactly once');
    assert.deepEqual(await s.app.store.countAlerts(), { pending: 0, sent: 50, failed: 0 });
  } finally {
    await s.cleanup();
  }
});

test('a relay limit below one job: sent as plain text alone; below that, failed with a clear error', async () => {
  // Measured: one job's email is over 4 KB with its HTML part (the page template), under 1 KB as plain text alone.
  const tight = await setup('relay-text-only', {
    items: items(2),
    rules: '  - { name: ml, title: [ML engineer], notify: [mail] }\n',
    channels: '  mail: { type: email, to: [me@example.com] }\n',
    smtpSize: 4 * 1024,
  });
  try {
    await tight.app.pollAll();
    const r = await tight.app.dispatch();
    assert.deepEqual([r.sent, r.failed], [2, 0]);
    assert.equal(tight.smtp.messages.length, 2);
    for (const m of tight.smtp.messages) {
      assert.equal(m.html, false, 'no HTML part');
      assert.equal(jobsIn(m.text ?? '').length, 1);
    }
  } finally {
    await tight.cleanup();
  }
  const tiny = await setup('relay-tiny', {
    items: items(2),
    rules: '  - { name: ml, title: [ML engineer], notify: [mail] }\n',
    channels: '  mail: { type: email, to: [me@example.com] }\n',
    smtpSize: 600,
  });
  try {
    await tiny.app.pollAll();
    const r = await tiny.app.dispatch();
    assert.deepEqual([r.sent, r.retrying, r.failed], [0, 0, 2]);
    const errors = tiny.app.db.prepare("SELECT DISTINCT last_error FROM outbox WHERE status = 'failed'").pluck().all() as string[];
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /refuses even a one-job email, as plain text, as too large .*552.*raise its message size limit/);
  } finally {
    await tiny.cleanup();
  }
});

test('Slack flood guard: 37 jobs of one rule go as one summary (titles linked and escaped), a rule with 5 gets one grouped message', async () => {
  // Jobs 1-37 are ML engineers (rule remote-ml); 38-42 data engineers (rule data); job 3 is both.
  const list = items(42, (i) => (i < 37 ? 'Senior Machine Learning Engineer' : 'Senior Data Engineer'));
  list[2]!.title = 'Orbitcz Labs: Senior Machine Learning Engineer & Data Engineer <!channel> *now*';
  const s = await setup('flood', {
    items: list,
    rules: '  - { name: remote-ml, title: [ML engineer], notify: [bot, hook] }\n  - { name: data, title: [data engineer], notify: [bot, hook] }\n',
    channels: '  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "SLACK_API" }\n  hook: { type: slack, webhook_url: "http://127.0.0.1:1/unused", summary_after: 100 }\n',
  });
  try {
    // The hook channel is unreachable and keeps its alerts pending; the bot is what is checked.
    await s.app.pollAll();
    const r = await s.app.dispatch();
    const bot = s.slack.posts.filter((p) => p.kind === 'api');
    assert.equal(bot.length, 1 + 1, 'one summary for remote-ml, one grouped message for the five data jobs');
    const summary = bot[0]!.body;
    assert.match(String(summary.text), /^\*37 new jobs match "remote-ml"\* — first 10:/);
    assert.deepEqual(jobsIn(JSON.stringify(summary.blocks)), range(10));
    assert.match(String(summary.text), /…and 27 more/);
    const third = (summary.blocks as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? '').find((t) => t.includes('orbit-3'))!;
    assert.match(third, /^• \*<https:\/\/jobs\.example\.test\/orbit-3\|/);
    assert.doesNotMatch(JSON.stringify(summary), /<!channel>/, 'no mention from a posting');
    assert.match(third, /&amp; Data Engineer &lt;!channel&gt;/);
    // Job 3 went in the summary; the data rule's grouped message lists the other five.
    assert.deepEqual(bot.slice(1).flatMap((p) => jobsIn(JSON.stringify(p.body))), [38, 39, 40, 41, 42]);
    assert.equal(s.app.db.prepare("SELECT count(*) FROM outbox WHERE channel = 'bot' AND status = 'sent'").pluck().get(), 42, 'the summary marked its 37 rows sent');
    assert.equal(r.sent, 42);
    assert.equal(s.logs.filter((l) => l.msg === 'Alert sent' && l.channel === 'bot').length, 2, 'one log line per message');
    s.clock.advance(3_600_000);
    await s.app.dispatch();
    assert.equal(s.slack.posts.filter((p) => p.kind === 'api').length, 2, 'nothing twice');
  } finally {
    await s.cleanup();
  }
});

test('summary_after and max_email_bytes: a bad value is an error naming file, line and key', () => {
  const load = (channel: string) =>
    parseConfigText(`database: x.db\nfeeds: []\nsmtp: { url: "smtp://127.0.0.1:25", from: a@example.com }\nchannels:\n${channel}\n`, '/etc/jobalert.yaml', {});
  assert.throws(() => load('  s: { type: slack, webhook_url: "http://127.0.0.1/x", summary_after: -1 }'), /\/etc\/jobalert\.yaml:5:\d+: channels\.s\.summary_after: expected a whole number of jobs \(0 or more\)/);
  assert.throws(() => load('  s: { type: slack, token: x, channel: "#c", summary_after: 2.5 }'), /jobalert\.yaml:5:\d+: channels\.s\.summary_after: expected a whole number/);
  assert.throws(() => load('  m: { type: email, to: [me@example.com], max_email_bytes: 1KB }'), /jobalert\.yaml:5:\d+: channels\.m\.max_email_bytes: expected a size from 16KB to 100MB/);
  assert.throws(() => load('  m: { type: email, to: [me@example.com], max_email_bytes: lots }'), /channels\.m\.max_email_bytes: expected a size such as "1MB"/);
  assert.throws(() => load('  m: { type: email, to: [me@example.com], max_email_byte: 1MB }'), /unknown key "max_email_byte" \(did you mean "max_email_bytes"\?\)/);
  const ok = load('  m: { type: email, to: [me@example.com], max_email_bytes: 2MB }\n  s: { type: slack, webhook_url: "http://127.0.0.1/x", summary_after: 0 }');
  assert.equal((ok.channels.m as { max_email_bytes?: number }).max_email_bytes, 2 * 1024 * 1024);
  assert.equal((ok.channels.s as { summary_after?: number }).summary_after, 0);
});
