/**
 * Digests and quiet hours, in process with a controllable clock: a real SQLite file, a real local
 * SMTP server, the Slack stub and a feed server. A digest goes once, at its time, newest first;
 * nothing is sent when it is empty or before its time; a restart, a crash mid-send and a time
 * missed while down never send it twice (at most the one message in flight). Quiet hours hold a
 * channel's alerts and release them together, on the right instant across DST changes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { machineName } from '../src/pipeline/claim-owner.js';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';
import { startDaemon } from '../src/pipeline/daemon.js';
import { checkCommand } from '../src/commands/check.js';
import type { Clock } from '../src/core/types.js';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';

function manualClock(start: Date): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), set: (iso) => void (t = Date.parse(iso)), advance: (ms) => void (t += ms) };
}

/** n jobs, orbit-1 the newest (published an hour before `at`), each an hour older than the one before. */
const items = (n: number, at: Date, from = 1) =>
  Array.from({ length: n }, (_, i) => ({
    title: `Orbit ${from + i}: Senior Machine Learning Engineer`,
    link: `https://jobs.example.test/orbit-${from + i}`,
    descriptionHtml: `<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>`,
    pubDate: new Date(at.getTime() - (from + i) * 3_600_000),
  }));

/** The orbit-N jobs a text lists, in the order it lists them. */
const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)/g)].map((m) => Number(m[1])))];

interface SetupOptions {
  jobs?: number;
  /** Config lines under channels: (the feed and SMTP settings are added). */
  channels?: string;
  rules: string;
  timezone?: string;
  start: string;
}

async function setup(name: string, opts: SetupOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-${name}-`));
  const file = path.join(dir, 'jobalert.db');
  const clock = manualClock(new Date(opts.start));
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(opts.jobs ?? 3, clock.now())) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  const yaml = `database: ${file}
timezone: ${opts.timezone ?? 'Europe/Berlin'}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
${
  opts.channels ??
  `  mail: { type: email, to: [me@example.com] }
  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "${slack.apiUrl}" }
  out: { type: console }`
}
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
rules:
${opts.rules}
`.replaceAll('SLACK_API', slack.apiUrl);
  const configFile = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(configFile, yaml);
  const config = parseConfigText(yaml, configFile, {});
  const { rules } = compileRules(config.rules);
  const printed: string[] = [];
  const log = pino({ level: 'silent' });
  const open = (claimOwner?: Parameters<typeof createApp>[0]['claimOwner']) =>
    createApp({ config, rules, log, clock, write: (t) => void printed.push(t), ...(claimOwner ? { claimOwner } : {}) });
  return {
    dir,
    file,
    configFile,
    feeds,
    smtp,
    slack,
    clock,
    printed,
    open,
    /** Successful Slack API posts. */
    slackPosts: () => slack.posts.filter((p) => p.kind === 'api' && p.status === 200),
    async cleanup() {
      await Promise.all([feeds.close(), smtp.close(), slack.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const DAILY = `  - name: daily-ml
    title: [ML engineer]
    digest: "0 9 * * 1-5"
    notify: [mail, bot, out]`;

// Monday 2 March 2026, 11:00 in Berlin (CET, UTC+1): the next weekday 09:00 is Tuesday's, 08:00 UTC.
const MONDAY = '2026-03-02T10:00:00.000Z';
const TUESDAY_9 = '2026-03-03T08:00:00.000Z';

test('a digest goes once, at its time: one email with every job and one Slack message, newest first, "and N more"', async () => {
  const s = await setup('digest-once', { jobs: 25, rules: DAILY, start: MONDAY });
  let app = await s.open();
  try {
    await app.pollAll();
    assert.equal((await app.dispatch()).sent, 0, 'nothing goes before the digest time');
    assert.equal(await app.store.countHeld(s.clock.now()), 75, '25 jobs held for each of 3 channels');
    assert.equal((await app.store.nextAlertDueAt())?.toISOString(), TUESDAY_9, 'the daemon wakes at the digest time');

    s.clock.set('2026-03-03T07:59:59.000Z');
    assert.equal((await app.dispatch()).sent, 0, 'not a second early');

    s.clock.set(TUESDAY_9);
    const r = await app.dispatch();
    assert.equal(r.sent, 75);
    const newestFirst = Array.from({ length: 25 }, (_, i) => i + 1);

    assert.equal(s.smtp.messages.length, 1, 'one email');
    const mail = s.smtp.messages[0]!;
    assert.match(mail.subject ?? '', /^Digest: Senior Machine Learning Engineer at Orbit \d+ and 24 more — daily-ml$/);
    assert.deepEqual(jobsIn(mail.text ?? ''), newestFirst, 'the email carries every job, newest first');

    const posts = s.slackPosts();
    assert.equal(posts.length, 1, 'one Slack message');
    const blocks = posts[0]!.body.blocks as Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }>;
    assert.ok(blocks.length <= 50, 'within the Block Kit limit');
    assert.match(blocks[0]!.text!.text, /^\*Digest: 25 new jobs for daily-ml\*$/);
    assert.deepEqual(jobsIn(JSON.stringify(blocks.slice(1, -1))), newestFirst.slice(0, 20), 'the 20 newest, newest first');
    assert.match(blocks[blocks.length - 1]!.elements![0]!.text, /^…and 5 more/);
    for (const b of blocks) if (b.text) assert.ok(b.text.text.length <= 3000);

    assert.equal(s.printed.length, 1, 'one console message');
    assert.match(s.printed[0]!, /^Digest: 25 new jobs for daily-ml:\n/);
    assert.match(s.printed[0]!, /…and 5 more/);

    s.clock.advance(3_600_000);
    assert.equal((await app.dispatch()).sent, 0, 'sent once');
    await app.close();
    app = await s.open();
    assert.equal((await app.dispatch()).sent, 0, 'not again after a restart');
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 75, failed: 0 });
    assert.equal(s.smtp.messages.length + s.slackPosts().length + s.printed.length, 3);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('a digest with nothing in it is not sent; jobs found after a digest wait for the next one', async () => {
  const s = await setup('digest-empty', { jobs: 2, rules: DAILY.replace('[ML engineer]', '[data scientist]'), start: MONDAY });
  const app = await s.open();
  try {
    await app.pollAll();
    s.clock.set(TUESDAY_9);
    assert.equal((await app.dispatch()).sent, 0);
    assert.equal(s.smtp.messages.length + s.slack.posts.length + s.printed.length, 0, 'no empty digest');
  } finally {
    await app.close();
    await s.cleanup();
  }

  const t = await setup('digest-next', { jobs: 2, rules: DAILY, start: MONDAY });
  const app2 = await t.open();
  try {
    await app2.pollAll();
    t.clock.set(TUESDAY_9);
    assert.equal((await app2.dispatch()).sent, 6);
    // Two more jobs a second after the digest: Wednesday's digest, not a second one on Tuesday.
    t.clock.advance(1000);
    t.feeds.setRoute('/jobs.rss', { kind: 'feed', body: rssFeed('board', [...items(2, new Date(MONDAY)), ...items(2, t.clock.now(), 3)]) });
    await app2.pollAll();
    assert.equal((await app2.dispatch()).sent, 0);
    assert.equal((await app2.store.nextAlertDueAt())?.toISOString(), '2026-03-04T08:00:00.000Z');
    t.clock.set('2026-03-04T08:00:00.000Z');
    assert.equal((await app2.dispatch()).sent, 6);
    assert.deepEqual(jobsIn(t.smtp.messages[1]!.text ?? ''), [3, 4]);
  } finally {
    await app2.close();
    await t.cleanup();
  }
});

test('a job matching a digest rule and an immediate rule on one channel goes at once, and not again in the digest', async () => {
  const rules = `${DAILY.replace('notify: [mail, bot, out]', 'notify: [out]')}
  - name: orbit-two-now
    title: [ML engineer]
    companies_exclude: [Orbit 1, Orbit 3]
    notify: [out]`;
  const s = await setup('digest-mixed', { jobs: 3, rules, start: MONDAY });
  const app = await s.open();
  try {
    await app.pollAll();
    assert.equal((await app.dispatch()).sent, 1);
    assert.equal(s.printed.length, 1);
    assert.deepEqual(jobsIn(s.printed[0]!), [2]);
    assert.match(s.printed[0]!, /daily-ml, orbit-two-now/, 'the alert names both rules');
    s.clock.set(TUESDAY_9);
    assert.equal((await app.dispatch()).sent, 2);
    assert.deepEqual(jobsIn(s.printed[1]!), [1, 3], 'the digest holds the other two');
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('digest times missed while down go out at start-up, as one message per channel, once', async () => {
  const s = await setup('digest-down', { jobs: 4, rules: DAILY, start: MONDAY });
  let app = await s.open();
  try {
    await app.pollAll();
    await app.close();
    // Down from Monday to Friday noon: Tuesday's to Friday's digest times all passed.
    s.clock.set('2026-03-06T11:00:00.000Z');
    app = await s.open();
    assert.equal((await app.dispatch()).sent, 12);
    assert.equal(s.smtp.messages.length, 1);
    assert.equal(s.slackPosts().length, 1);
    assert.equal(s.printed.length, 1);
    assert.equal((await app.dispatch()).sent, 0);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('a digest a dead process was sending is resent as the one message it was; nothing else twice', async () => {
  const s = await setup('digest-crash', { jobs: 120, rules: DAILY, start: MONDAY });
  const app = await s.open();
  const other = new Database(s.file);
  try {
    await app.pollAll();
    s.clock.set(TUESDAY_9);
    // A process of this host claimed the Slack digest and the second email's 50 jobs, sent them, and died before recording it.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const token = `${machineName()}:${deadPid}:dead01/1`;
    const lease = s.clock.now().getTime() + 5 * 60_000;
    other.prepare("UPDATE outbox SET claimed_by = ?, claim_until = ? WHERE channel = 'bot'").run(token, lease);
    const mailIds = other
      .prepare<[], { id: number }>(
        "SELECT o.id FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE o.channel = 'mail' ORDER BY coalesce(j.published, j.first_seen) DESC, o.id DESC LIMIT 50 OFFSET 50",
      )
      .all()
      .map((r) => r.id);
    other.prepare(`UPDATE outbox SET claimed_by = ?, claim_until = ? WHERE id IN (${mailIds.join(',')})`).run(`${token.slice(0, -1)}2`, lease);

    const r = await app.dispatch();
    assert.equal(r.sent, 360);
    const posts = s.slackPosts();
    assert.equal(posts.length, 1, 'the Slack digest resent as one message');
    assert.match(String(posts[0]!.body.text), /^\*Digest: 120 new jobs for daily-ml\*/);
    assert.deepEqual(jobsIn(JSON.stringify(posts[0]!.body.blocks)), Array.from({ length: 20 }, (_, i) => i + 1));

    const emails = s.smtp.messages.map((m) => jobsIn(m.text ?? ''));
    assert.equal(emails.length, 3);
    assert.deepEqual(emails[0], Array.from({ length: 50 }, (_, i) => 51 + i), 'the batch in flight first, as it was');
    assert.deepEqual(
      emails.flat().sort((a, b) => a - b),
      Array.from({ length: 120 }, (_, i) => i + 1),
      'each job in exactly one email',
    );
    assert.equal(s.printed.length, 1);
    assert.equal((await app.dispatch()).sent, 0);
  } finally {
    other.close();
    await app.close();
    await s.cleanup();
  }
});

test('a digest that fails transiently is retried as one digest (not cut up), and sent once', async () => {
  const s = await setup('digest-retry', { jobs: 30, rules: DAILY, start: MONDAY });
  const app = await s.open();
  try {
    await app.pollAll();
    s.clock.set(TUESDAY_9);
    s.smtp.setFailure({ code: 451, message: 'Try again later' });
    s.slack.failNext('api', 1, { status: 503, body: 'unavailable' });
    const first = await app.dispatch();
    assert.equal(first.retrying, 60);
    s.smtp.setFailure(null);
    s.clock.advance(15 * 60_000);
    assert.equal((await app.dispatch()).sent, 60);
    assert.equal(s.slackPosts().length, 1);
    assert.equal(s.smtp.messages.length, 1);
    assert.match(s.smtp.messages[0]!.subject ?? '', /^Digest: .* and 29 more/);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

const QUIET_CHANNELS = `  mail: { type: email, to: [me@example.com], quiet_hours: "22:00-07:00" }
  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "SLACK_API", quiet_hours: "22:00-07:00", summary_after: 3 }
  out: { type: console }`;
const NOW_RULE = `  - name: ml
    title: [ML engineer]
    notify: [mail, bot, out]`;

test('quiet hours hold a channel\'s alerts and send them together when they end (email: one batch; Slack: the flood guard)', async () => {
  // Saturday 28 March 2026, 23:00 in Berlin (CET); the night clocks go forward, so 07:00 is 05:00 UTC.
  const s = await setup('quiet', { jobs: 3, channels: QUIET_CHANNELS, rules: NOW_RULE, start: '2026-03-28T22:00:00.000Z' });
  const app = await s.open();
  try {
    await app.pollAll();
    assert.equal((await app.dispatch()).sent, 3, 'the console channel has no quiet hours');
    assert.equal(s.smtp.messages.length + s.slack.posts.length, 0);
    assert.equal((await app.store.nextAlertDueAt())?.toISOString(), '2026-03-29T05:00:00.000Z', '07:00 CEST');

    // More jobs at 03:30 (summer time already): held too.
    s.clock.set('2026-03-29T01:30:00.000Z');
    s.feeds.setRoute('/jobs.rss', { kind: 'feed', body: rssFeed('board', [...items(3, new Date('2026-03-28T22:00:00.000Z')), ...items(2, s.clock.now(), 4)]) });
    await app.pollAll();
    assert.equal((await app.dispatch()).sent, 2);
    assert.equal(s.smtp.messages.length + s.slack.posts.length, 0);
    assert.equal(await app.store.countHeld(s.clock.now()), 10);

    s.clock.set('2026-03-29T04:59:59.000Z');
    assert.equal((await app.dispatch()).sent, 0, 'still quiet at 06:59:59');
    s.clock.set('2026-03-29T05:00:00.000Z');
    assert.equal((await app.dispatch()).sent, 10);
    assert.equal(s.smtp.messages.length, 1, 'one email for the night');
    assert.deepEqual(jobsIn(s.smtp.messages[0]!.text ?? '').sort(), [1, 2, 3, 4, 5]);
    assert.equal(s.slackPosts().length, 1, 'five jobs of one rule: the Slack flood guard sends one summary');
    assert.match(String(s.slackPosts()[0]!.body.text), /^\*5 new jobs match "ml"\*/);
    assert.equal((await app.dispatch()).sent, 0);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('quiet hours across the New York fall-back night end at 07:00 EST; a retry due in the window waits for its end', async () => {
  // Saturday 31 October 2026, 23:00 EDT (UTC-4); 07:00 on Sunday is EST (UTC-5): 12:00 UTC.
  const s = await setup('quiet-ny', {
    jobs: 2,
    timezone: 'America/New_York',
    channels: `  mail: { type: email, to: [me@example.com], quiet_hours: "22:00-07:00" }`,
    rules: NOW_RULE.replace('[mail, bot, out]', '[mail]'),
    start: '2026-10-31T20:00:00.000Z',
  });
  const app = await s.open();
  try {
    await app.pollAll();
    // 16:00 EDT: not quiet, but the server refuses; the retry would fall in the night.
    s.smtp.setFailure({ code: 451, message: 'Try again later' });
    assert.equal((await app.dispatch()).retrying, 2);
    s.smtp.setFailure(null);
    s.clock.set('2026-11-01T03:00:00.000Z'); // 23:00 EDT
    assert.equal((await app.dispatch()).sent, 0);
    assert.equal((await app.store.nextAlertDueAt())?.toISOString(), '2026-11-01T12:00:00.000Z');
    s.clock.set('2026-11-01T06:30:00.000Z'); // 01:30 EST, the second time the clock reads it
    assert.equal((await app.dispatch()).sent, 0);
    s.clock.set('2026-11-01T12:00:00.000Z');
    assert.equal((await app.dispatch()).sent, 2);
    assert.equal(s.smtp.messages.length, 1);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('a digest time inside quiet hours waits for their end', async () => {
  const s = await setup('digest-quiet', {
    jobs: 2,
    channels: `  mail: { type: email, to: [me@example.com], quiet_hours: "22:00-07:00" }`,
    rules: `  - name: early
    title: [ML engineer]
    digest: "0 6 * * *"
    notify: [mail]`,
    start: MONDAY,
  });
  const app = await s.open();
  try {
    await app.pollAll();
    s.clock.set('2026-03-03T05:00:00.000Z'); // 06:00 Berlin
    assert.equal((await app.dispatch()).sent, 0);
    s.clock.set('2026-03-03T06:00:00.000Z'); // 07:00
    assert.equal((await app.dispatch()).sent, 2);
    assert.match(s.smtp.messages[0]!.subject ?? '', /^Digest: .* and 1 more/);
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('a per-rule timezone: the digest follows its own zone across its DST change', async () => {
  // Friday 6 March 2026; New York springs forward on Sunday 8 March.
  const s = await setup('digest-tz', {
    jobs: 1,
    channels: `  out: { type: console }`,
    rules: `  - name: ny
    title: [ML engineer]
    digest: "0 9 * * 1-5"
    timezone: America/New_York
    notify: [out]`,
    start: '2026-03-06T15:00:00.000Z',
  });
  const app = await s.open();
  try {
    await app.pollAll();
    // Monday 09:00 EDT (UTC-4), not 14:00 UTC as before the change.
    assert.equal((await app.store.nextAlertDueAt())?.toISOString(), '2026-03-09T13:00:00.000Z');
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('check shows each digest\'s next time, in its zone and in UTC, and each channel\'s quiet hours', async () => {
  const s = await setup('digest-check', {
    channels: QUIET_CHANNELS,
    rules: `${NOW_RULE}
${DAILY.replace('notify: [mail, bot, out]', 'notify: [mail]')}
  - name: ny
    digest: "30 17 * * *"
    timezone: America/New_York
    notify: [out]`,
    start: MONDAY,
  });
  const app = await s.open();
  await app.pollAll();
  // Three jobs; dispatched at 23:30 in Berlin, the console gets them and the quiet channels hold them.
  s.clock.set('2026-03-02T22:30:00.000Z');
  assert.equal((await app.dispatch()).sent, 3);
  await app.close();
  try {
    let text = '';
    // Monday 2 March, 23:30 in Berlin: quiet.
    await checkCommand({ config: s.configFile }, (t) => void (text += t), () => new Date('2026-03-02T22:30:00.000Z'));
    assert.match(text, /\n      digest     0 9 \* \* 1-5 \(Europe\/Berlin\); next Tue, 3 Mar 2026, 09:00 Europe\/Berlin = 2026-03-03T08:00:00\.000Z \(in 9 h 30 min\)\n/);
    assert.match(text, /\n      digest     30 17 \* \* \* \(America\/New_York\); next Tue, 3 Mar 2026, 17:30 America\/New_York = 2026-03-03T22:30:00\.000Z \(in 24 h\)\n/);
    assert.match(text, /\n    quiet hours: 22:00-07:00 \(Europe\/Berlin\): alerts found then are held and sent when they end; quiet now, until 2026-03-03T06:00:00\.000Z \(in 7 h 30 min\)\n/);
    assert.doesNotMatch(text.split('\nrules')[1]!.split('  - daily-ml')[0]!, /digest/, 'a rule without digest shows none');
    assert.match(text, /\n  - mail: .*\n    quiet hours: .*\n    delivery: ok, 3 pending \(3 held for a digest or quiet hours\), 0 failed\n/);
    assert.match(text, /\n  - out: .*\n    delivery: ok, 0 pending, 0 failed\n/);
  } finally {
    await s.cleanup();
  }
});

test('the daemon wakes at the digest time and sends it, with no poll in between', async () => {
  // A clock running in real time, 1.5 s before Tuesday 09:00 in Berlin.
  const offset = Date.parse(TUESDAY_9) - 1500 - Date.now();
  const s = await setup('digest-daemon', { jobs: 2, channels: '  out: { type: console }', rules: DAILY.replace('[mail, bot, out]', '[out]'), start: MONDAY });
  const app = await s.open();
  let daemon: ReturnType<typeof startDaemon> | null = null;
  try {
    await app.pollAll();
    // The app reads this clock object: from here on it runs in real time.
    Object.assign(s.clock, { now: () => new Date(Date.now() + offset) });
    daemon = startDaemon(app, { maxJitterMs: 0, retryIntervalMs: 60_000 });
    for (let i = 0; i < 100 && s.printed.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.printed.length, 1, 'the digest went out');
    assert.match(s.printed[0]!, /^Digest: 2 new jobs for daily-ml/);
  } finally {
    await daemon?.stop();
    await app.close();
    await s.cleanup();
  }
});
