/**
 * Delivery faults, in process with a controllable clock: SMTP refusing, Slack rate limiting,
 * permanent failures, and a restart between storing and sending. Real SQLite file, real local
 * SMTP server and Slack stub, real feed server.
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

const ITEMS = [1, 2, 3].map((n) => ({
  title: `Orbit ${n}: Senior Machine Learning Engineer`,
  link: `https://jobs.example.test/orbit-${n}`,
  descriptionHtml: `<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>`,
  pubDate: new Date(Date.now() - 3_600_000),
}));

async function setup(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-${name}-`));
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', ITEMS) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
  mail: { type: email, to: [me@example.com] }
  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "${slack.apiUrl}" }
  hook: { type: slack, webhook_url: "${slack.webhookUrl}" }
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
rules:
  - name: ml
    title: [ML engineer]
    notify: [mail, bot, hook]
`;
  const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  const clock = manualClock(new Date());
  const log = pino({ level: 'silent' });
  const open = () => createApp({ config, rules, log, clock });
  return {
    dir,
    smtp,
    slack,
    clock,
    open,
    async cleanup() {
      await Promise.all([feeds.close(), smtp.close(), slack.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const delivered = (posts: Array<{ kind: string; status: number }>, kind: string) => posts.filter((p) => p.kind === kind && p.status === 200).length;

test('SMTP refusing and Slack 429 keep alerts pending; a later try sends each exactly once', async () => {
  const s = await setup('transient');
  const app = await s.open();
  try {
    s.smtp.setFailure({ code: 451, message: 'Try again later' });
    s.slack.failNext('api', 1, { status: 429, headers: { 'retry-after': '2' }, body: { ok: false, error: 'ratelimited' } });
    s.slack.failNext('webhook', 1, { status: 503, body: 'service unavailable' });

    await app.pollAll();
    const first = await app.dispatch();

    assert.equal(first.sent, 0);
    assert.equal(first.retrying, 9);
    assert.equal(s.smtp.messages.length, 0);
    assert.equal(s.slack.posts.filter((p) => p.kind === 'api').length, 1, 'after a 429 the rest of the batch is not attempted');
    assert.deepEqual(await app.store.countAlerts(), { pending: 9, sent: 0, failed: 0 });

    const tooSoon = await app.dispatch();
    assert.equal(tooSoon.sent + tooSoon.retrying, 0, 'nothing is retried before its time');

    s.smtp.setFailure(null);
    s.clock.advance(10 * 60_000);
    const second = await app.dispatch();

    assert.equal(second.sent, 9);
    assert.equal(s.smtp.messages.length, 1, 'one email listing the three jobs');
    assert.match(s.smtp.messages[0]!.subject ?? '', /^Senior Machine Learning Engineer at Orbit \d and 2 more — ml$/);
    assert.equal(delivered(s.slack.posts, 'api'), 3);
    assert.equal(delivered(s.slack.posts, 'webhook'), 3);

    s.clock.advance(60 * 60_000);
    const third = await app.dispatch();
    assert.equal(third.sent + third.retrying + third.failed, 0, 'nothing sent twice');
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 9, failed: 0 });
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('permanent failures (SMTP 550, invalid Slack token) are marked failed and counted, others still go out', async () => {
  const s = await setup('permanent');
  const app = await s.open();
  try {
    s.smtp.setFailure({ code: 550, message: 'Mailbox unavailable' });
    s.slack.failNext('api', 1, { status: 200, body: { ok: false, error: 'invalid_auth' } });

    await app.pollAll();
    const result = await app.dispatch();

    assert.equal(result.sent, 5, 'webhook 3 + bot 2');
    assert.equal(result.failed, 4, 'email 3 + bot 1');
    const metrics = await app.metrics.registry!.getMetricsAsJSON();
    const failed = metrics.find((m) => m.name === 'jobalert_alerts_failed_total')!;
    const byChannel = Object.fromEntries(failed.values.map((v) => [v.labels.channel, v.value]));
    assert.deepEqual(byChannel, { mail: 3, bot: 1 });

    // The user fixes the mail server and asks for the failed alerts again (retry-failed).
    s.smtp.setFailure(null);
    assert.equal(await app.store.requeueFailed('mail'), 3);
    const again = await app.dispatch();
    assert.equal(again.sent, 3);
    assert.equal(s.smtp.messages.length, 1, 'one email with the three jobs');
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 8, failed: 1 });
  } finally {
    await app.close();
    await s.cleanup();
  }
});

test('alerts stored before a crash are sent after a restart, and only once', async () => {
  const s = await setup('restart');
  try {
    const before = await s.open();
    await before.pollAll();
    // The process dies here: postings and outbox rows are committed, nothing was sent.
    await before.close();

    const after = await s.open();
    const result = await after.dispatch();
    await after.pollAll();
    const again = await after.dispatch();
    await after.close();

    assert.equal(result.sent, 9);
    assert.equal(again.sent, 0);
    assert.equal(s.smtp.messages.length, 1);
    assert.equal(delivered(s.slack.posts, 'api'), 3);
  } finally {
    await s.cleanup();
  }
});

test('a Retry-After of a year holds the channel for an hour, not a year', async () => {
  const s = await setup('retry-after-cap');
  const app = await s.open();
  try {
    s.slack.failNext('webhook', 1, { status: 429, headers: { 'retry-after': '31536000' }, body: 'rate limited' });

    await app.pollAll();
    const first = await app.dispatch();
    assert.equal(first.sent, 6, 'email and the bot go out');
    assert.equal(first.retrying, 3);

    s.clock.advance(59 * 60_000);
    const early = await app.dispatch();
    assert.equal(early.sent + early.retrying, 0, 'the hour is honoured');

    s.clock.advance(2 * 60_000);
    const later = await app.dispatch();
    assert.equal(later.sent, 3, 'sent after an hour');
    assert.equal(delivered(s.slack.posts, 'webhook'), 3);
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 9, failed: 0 });
  } finally {
    await app.close();
    await s.cleanup();
  }
});
