/**
 * Feed health, in process on real SQLite files and real local servers: a failed feed is polled
 * again at start-up and by --once (issue 8 item 9), failing feeds show as failing in check,
 * /status, /readyz and /metrics and send one notice each way (item 10), and one process polls a
 * feed at a time (item 11, feed half).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { machineName } from '../src/pipeline/claim-owner.js';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp, type App } from '../src/app.js';
import type { Clock } from '../src/core/types.js';
import { ConfigError } from '../src/core/errors.js';
import { checkCommand } from '../src/commands/check.js';
import { startOpsServer } from '../src/ops/server.js';
import { isReady } from '../src/ops/health-report.js';
import { startDaemon } from '../src/pipeline/daemon.js';
import { renderSlackNotice } from '../src/notify/slack.js';
import { renderNoticeEmail } from '../src/notify/email.js';
import { rssFeed } from './helpers/feed-server.js';
import { startHttpServer } from './helpers/http-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { spawnCli, logLines } from './helpers/cli.js';

const ITEM = {
  title: 'Orbit: Senior Machine Learning Engineer',
  link: 'https://jobs.example.test/orbit-1',
  descriptionHtml: '<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>',
  pubDate: new Date(Date.now() - 3_600_000),
};

function manualClock(start = new Date()): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** A feed server whose answer per path can be switched: ok, 500, 429, or slow. */
async function switchableFeeds() {
  const modes = new Map<string, { kind: 'ok' | 'fail' | '429' | 'slow'; delayMs?: number }>();
  const hits = new Map<string, number>();
  const server = await startHttpServer(async (req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    const mode = modes.get(p) ?? { kind: 'ok' };
    if (mode.kind === 'fail') return res.writeHead(500).end('Internal Server Error');
    if (mode.kind === '429') return res.writeHead(429, { 'retry-after': '600' }).end('slow down');
    if (mode.kind === 'slow') await new Promise((r) => setTimeout(r, mode.delayMs ?? 1500));
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('board', [ITEM]));
  });
  return {
    url: (p: string) => `${server.url}${p}`,
    set: (p: string, kind: 'ok' | 'fail' | '429' | 'slow', delayMs?: number) => modes.set(p, { kind, ...(delayMs ? { delayMs } : {}) }),
    hits: (p: string) => hits.get(p) ?? 0,
    close: () => server.close(),
  };
}

function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-${name}-`));
}

function loadYaml(dir: string, yaml: string) {
  const file = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(file, yaml);
  const config = parseConfigText(yaml, file, {});
  const { rules } = compileRules(config.rules);
  return { config, rules, file };
}

async function openApp(dir: string, yaml: string, clock: Clock = manualClock(), extra: { write?: (s: string) => void } = {}): Promise<App> {
  const { config, rules } = loadYaml(dir, yaml);
  return await createApp({ config, rules, log: pino({ level: 'silent' }), clock, write: extra.write ?? (() => {}) });
}

function feedYaml(dir: string, feeds: Array<[string, string]>, extra = ''): string {
  return `database: ${path.join(dir, 'jobalert.db')}
http: { port: 0 }
fetch: { timeout: 5s }
feeds:
${feeds.map(([name, url]) => `  - name: ${name}\n    url: ${url}\n`).join('')}rules:
  - name: ml
    title: [ML engineer]
${extra}`;
}

async function captureCheck(file: string, now?: Date): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await checkCommand({ config: file }, (s) => (out += s), now ? () => now : undefined);
  return { code, out };
}

// ---------------------------------------------------------------------------------------------
// Item 9: a failed feed is polled again

test('a restart or --once polls a feed whatever backoff is stored; the next scheduled tick of the daemon still backs off', async () => {
  const dir = tmpDir('restart-poll');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['board', feeds.url('/a.rss')]]);
    feeds.set('/a.rss', 'fail');
    const first = await openApp(dir, yaml);
    for (let i = 0; i < 5; i++) await first.pollFeed(first.config.feeds[0]!);
    const stored = (await first.store.getFeedState('board'))!;
    assert.equal(stored.consecutiveErrors, 5);
    assert.ok(stored.nextCheckAt! > new Date(Date.now() + 10 * 60_000), 'backing off for a while');
    await first.close();

    feeds.set('/a.rss', 'ok');
    const before = feeds.hits('/a.rss');
    const again = await openApp(dir, yaml);
    const outcomes = await again.pollAll();
    assert.equal(outcomes[0]!.status, 'ok', 'the fixed feed is polled at once (--once)');
    assert.equal(feeds.hits('/a.rss'), before + 1);
    assert.equal((await again.store.getFeedState('board'))!.consecutiveErrors, 0);
    await again.close();
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the daemon polls a backing-off feed at start-up, then skips its ticks until the backoff is over', async () => {
  const dir = tmpDir('daemon-start');
  const feeds = await switchableFeeds();
  try {
    const yaml = `database: ${path.join(dir, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/a.rss')}
    schedule: "* * * * * *"
`;
    feeds.set('/a.rss', 'fail');
    const first = await openApp(dir, yaml);
    for (let i = 0; i < 4; i++) await first.pollFeed(first.config.feeds[0]!);
    await first.close();

    const app = await openApp(dir, yaml, { now: () => new Date() });
    const daemon = startDaemon(app, { maxJitterMs: 0 });
    await new Promise((r) => setTimeout(r, 3500));
    await daemon.stop();
    await app.close();
    // 4 before; 1 at start-up; the per-second ticks after it wait out the (8 min) backoff.
    assert.equal(feeds.hits('/a.rss'), 5);
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a changed feed URL starts from a clean state: errors, backoff and validators of the old URL are dropped", async () => {
  const dir = tmpDir('url-change');
  const feeds = await switchableFeeds();
  try {
    feeds.set('/old.rss', 'fail');
    const old = await openApp(dir, feedYaml(dir, [['board', feeds.url('/old.rss')]]));
    for (let i = 0; i < 3; i++) await old.pollFeed(old.config.feeds[0]!);
    await old.close();

    const fixedYaml = feedYaml(dir, [['board', feeds.url('/new.rss')]]);
    const { file } = loadYaml(dir, fixedYaml);
    const check = await captureCheck(file);
    assert.match(check.out, /config changed since: the next start polls it afresh/);
    assert.equal(check.code, 0, 'errors of the old URL do not make the new one failing');

    const fixed = await openApp(dir, fixedYaml);
    const state = (await fixed.store.getFeedState('board'))!;
    assert.equal(state.consecutiveErrors, 0);
    assert.equal(state.nextCheckAt, null);
    assert.equal(state.url, feeds.url('/new.rss'));
    feeds.set('/new.rss', 'fail');
    await fixed.pollFeed(fixed.config.feeds[0]!);
    await fixed.close();
    // Only the schedule changed: the same feed, its state is kept.
    const rescheduled = await openApp(dir, fixedYaml.replace(`url: ${feeds.url('/new.rss')}`, `url: ${feeds.url('/new.rss')}\n    schedule: "5 * * * *"`));
    assert.equal((await rescheduled.store.getFeedState('board'))!.consecutiveErrors, 1);
    await rescheduled.close();
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a server's Retry-After still holds a feed back at start-up; check says so and when the next poll is", async () => {
  const dir = tmpDir('retry-after');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['board', feeds.url('/a.rss')]]);
    feeds.set('/a.rss', '429');
    const app = await openApp(dir, yaml, { now: () => new Date() });
    await app.pollAll();
    await app.close();
    const again = await openApp(dir, yaml, { now: () => new Date() });
    const [outcome] = await again.pollAll();
    await again.close();
    assert.equal(outcome!.status, 'held');
    assert.equal(feeds.hits('/a.rss'), 1);
    const check = await captureCheck(path.join(dir, 'jobalert.yaml'));
    assert.match(check.out, /as its server asked \(Retry-After\)/);
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('check prints the real next poll: in the future, after the backoff, on a schedule tick', async () => {
  const dir = tmpDir('next-poll');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['board', feeds.url('/a.rss')]]).replace('fetch: { timeout: 5s }', 'fetch: { timeout: 5s }\nschedule: "*/15 * * * *"');
    feeds.set('/a.rss', 'fail');
    // Three failures two days ago: the stored next check (at most 6 h later) is long past.
    const clock = manualClock(new Date(Date.now() - 2 * 86_400_000));
    const app = await openApp(dir, yaml, clock);
    for (let i = 0; i < 3; i++) await app.pollFeed(app.config.feeds[0]!);
    await app.close();

    const now = new Date();
    const { out, code } = await captureCheck(path.join(dir, 'jobalert.yaml'), now);
    // "(now)" when the next quarter hour is under a minute away (a run at 21:59:58 hit it).
    const m = /next scheduled poll (\S+) \((?:in \d+ min|now)\)/.exec(out);
    assert.ok(m, out);
    const next = new Date(m[1]!);
    assert.ok(next > now && next.getTime() - now.getTime() <= 15 * 60_000, `${next.toISOString()} is the next quarter hour after ${now.toISOString()}`);
    assert.equal(next.getUTCMinutes() % 15, 0);
    assert.equal(code, 3);

    // Backing off now: the next poll is the first tick after the backoff ends.
    const recent = await openApp(dir, yaml, { now: () => now });
    await recent.pollFeed(recent.config.feeds[0]!);
    const until = (await recent.store.getFeedState('board'))!.nextCheckAt!;
    await recent.close();
    const later = await captureCheck(path.join(dir, 'jobalert.yaml'), now);
    const n = /next scheduled poll (\S+) .*backing off; a restart or run --once polls it at once/.exec(later.out);
    assert.ok(n, later.out);
    assert.ok(new Date(n[1]!) >= until && new Date(n[1]!).getTime() - until.getTime() <= 15 * 60_000);
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Item 10: failing feeds look failing

test('check: a FAILING summary naming each feed, its error and since when, channel delivery state, exit 3', async () => {
  const dir = tmpDir('check-failing');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['a', feeds.url('/a.rss')], ['b', feeds.url('/b.rss')]], '    notify: [mail]\nchannels:\n  mail: { type: email, to: [me@example.com] }\nsmtp: { url: "smtp://127.0.0.1:1", from: "a@example.com" }\n');
    const app = await openApp(dir, yaml);
    const { out: fresh, code: freshCode } = await captureCheck(path.join(dir, 'jobalert.yaml'));
    assert.equal(freshCode, 0, fresh);
    assert.match(fresh, /health: OK/);

    await app.pollAll();
    feeds.set('/a.rss', 'fail');
    feeds.set('/b.rss', 'fail');
    await app.pollAll();
    // The alert of the first poll could not be delivered: make it given up, as the dispatcher does.
    app.db.prepare("UPDATE outbox SET status = 'failed', last_error = 'SMTP delivery failed (535): auth failed'").run();
    await app.close();

    const { out, code } = await captureCheck(path.join(dir, 'jobalert.yaml'));
    assert.equal(code, 3, out);
    assert.match(out, /- a \[auto\][^\n]*\n\s+schedule: [^\n]*FAILING: 1 error, last: HTTP 500[^\n]*; failing since \d{4}-/);
    assert.match(out, /delivery: FAILING: 0 pending, 1 failed; last error: SMTP delivery failed \(535\): auth failed; after fixing it, jobalert retry-failed --channel mail/);
    assert.match(out, /\nFAILING: 2 of 2 feeds failing \(a, b\); 1 channel not delivering \(mail\)\n$/);
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('/readyz is 503 and /status lists the failing feeds while every feed fails; /healthz stays 200; metrics have a series per feed from the start', async () => {
  const dir = tmpDir('status');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['a', feeds.url('/a.rss')], ['b', feeds.url('/b.rss')]]);
    feeds.set('/a.rss', 'fail');
    feeds.set('/b.rss', 'fail');
    const first = await openApp(dir, yaml);
    for (let i = 0; i < 2; i++) await first.pollAll();
    await first.close();

    // A restart: nothing polled yet, the stored state is what the gauges and /status show.
    const app = await openApp(dir, yaml);
    const metrics = await app.metrics.registry!.metrics();
    assert.match(metrics, /jobalert_feed_consecutive_errors\{feed="a"\} 2/);
    assert.match(metrics, /jobalert_feed_up\{feed="b"\} 0/);

    const server = await startOpsServer('127.0.0.1', 0, {
      registry: app.metrics.registry!,
      healthy: async () => true,
      status: () => app.health(),
      ready: (r) => isReady(r),
    });
    try {
      const base = `http://127.0.0.1:${server.port}`;
      assert.equal((await fetch(`${base}/healthz`)).status, 200);
      const readyz = await fetch(`${base}/readyz`);
      assert.equal(readyz.status, 503);
      const status = (await (await fetch(`${base}/status`)).json()) as any;
      assert.equal(status.status, 'not ready');
      assert.deepEqual(
        status.feeds.map((f: any) => [f.name, f.status, f.consecutiveErrors, f.lastError.replace(/: GET .*/, '')]),
        [
          ['a', 'failing', 2, 'HTTP 500 Internal Server Error'],
          ['b', 'failing', 2, 'HTTP 500 Internal Server Error'],
        ],
      );
      assert.ok(status.feeds[0].failingSince && status.feeds[0].nextPollAt);

      feeds.set('/a.rss', 'ok');
      await app.pollAll();
      assert.equal((await fetch(`${base}/readyz`)).status, 200, 'one feed works again: ready');
      assert.match(await app.metrics.registry!.metrics(), /jobalert_feed_up\{feed="a"\} 1/);
    } finally {
      await server.close();
      await app.close();
    }
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('health notices: one "failing" message after 3 failures (not again while failing, not after a restart), one "recovered"', async () => {
  const dir = tmpDir('notices');
  const feeds = await switchableFeeds();
  const slack = await startSlackStub();
  const smtp = await startSmtpSink();
  try {
    const yaml = `${feedYaml(dir, [['board', feeds.url('/a.rss')]])}channels:
  ops: { type: slack, webhook_url: "${slack.webhookUrl}" }
  mail: { type: email, to: [ops@example.com], subject_prefix: "[jobs]" }
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
health:
  notify: [ops, mail]
`;
    feeds.set('/a.rss', 'fail');
    const app = await openApp(dir, yaml);
    for (let i = 0; i < 2; i++) await app.pollAll();
    await app.close();
    assert.equal(slack.posts.length, 0, 'two failures: no message yet');

    const again = await openApp(dir, yaml);
    await again.pollAll(); // the third
    await again.pollAll();
    await again.pollAll();
    await again.close();
    assert.equal(slack.posts.length, 1);
    assert.equal(smtp.messages.length, 1);
    assert.match(slack.posts[0]!.body.text, /jobalert: feed board is failing/);
    assert.match(smtp.messages[0]!.subject ?? '', /^\[jobs\] jobalert: feed board is failing$/);
    assert.match(smtp.messages[0]!.text ?? '', /failed 3 polls in a row since \d{4}-.*\nLast error: HTTP 500/);

    const restarted = await openApp(dir, yaml);
    await restarted.pollAll();
    assert.equal(slack.posts.length, 1, 'still failing after a restart: no second message');
    feeds.set('/a.rss', 'ok');
    await restarted.pollAll();
    await restarted.pollAll();
    await restarted.close();
    assert.equal(slack.posts.length, 2);
    assert.equal(smtp.messages.length, 2);
    assert.match(slack.posts[1]!.body.text, /jobalert: feed board recovered/);

    // A channel that cannot take the notice: logged and dropped, polling goes on.
    feeds.set('/a.rss', 'fail');
    slack.failNext('webhook', 5, { status: 500, body: 'oops' });
    const failing = await openApp(dir, yaml);
    for (let i = 0; i < 3; i++) assert.equal((await failing.pollAll())[0]!.status, 'error');
    await failing.close();
    assert.equal(smtp.messages.length, 3, 'the other channel still got it');
  } finally {
    await Promise.all([feeds.close(), slack.close(), smtp.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('notices are escaped for Slack and mail: a hostile error text cannot mention, link or add headers', () => {
  const hostile = 'HTTP 500 <!channel> <https://evil.example|click> @here *bold*\r\nBcc: victim@example.com';
  const slack = renderSlackNotice('jobalert: feed x\r\nis failing <!here>', hostile);
  const all = JSON.stringify(slack);
  assert.doesNotMatch(all, /<!channel>|<!here>|<https:/);
  assert.match(all, /&lt;!channel&gt;/);
  assert.match(all, /@\u200dhere/);
  const mail = renderNoticeEmail('feed x\r\nBcc: victim@example.com', hostile, '[jobs]');
  assert.doesNotMatch(mail.subject, /[\r\n]/);
  assert.doesNotMatch(mail.html, /<!channel>|<https:/);
});

test('config: health.notify must name channels, after_failures is a positive count', () => {
  const dir = tmpDir('health-config');
  try {
    const base = `feeds: []\nchannels:\n  ops: { type: console }\n`;
    assert.throws(() => parseConfigText(`${base}health:\n  notify: [opz]\n`, path.join(dir, 'c.yaml'), {}), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /c\.yaml:5:\d+: health\.notify\[0\]: unknown channel "opz" \(did you mean "ops"\?\)/);
      return true;
    });
    assert.throws(() => parseConfigText(`${base}health:\n  after_failures: 0\n`, path.join(dir, 'c.yaml'), {}), /health\.after_failures/);
    const ok = parseConfigText(`${base}health:\n  notify: ops\n`, path.join(dir, 'c.yaml'), {});
    assert.deepEqual(ok.health, { notify: ['ops'], after_failures: 3 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Item 11, feed half: one process polls a feed at a time

test('two apps on one database: a feed is fetched once; an expired lease of a dead process is taken over', async () => {
  const dir = tmpDir('lease');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['board', feeds.url('/a.rss')]]);
    feeds.set('/a.rss', 'slow', 1000);
    const a = await openApp(dir, yaml, { now: () => new Date() });
    const b = await openApp(dir, yaml, { now: () => new Date() });
    const [ra, rb] = await Promise.all([a.pollAll(), b.pollAll()]);
    assert.equal(feeds.hits('/a.rss'), 1, 'fetched once');
    assert.deepEqual([ra[0]!.status, rb[0]!.status].sort(), ['leased', 'ok']);
    assert.equal((await a.store.getFeedState('board'))!.leasedBy, null, 'released after the poll');

    // A process killed mid-poll leaves its lease; once it expires, the feed is polled again.
    a.db.prepare("UPDATE feeds SET leased_by = 'dead-host:1:x', lease_until = ? WHERE name = 'board'").run(Date.now() + 60_000);
    assert.equal((await b.pollAll())[0]!.status, 'leased');
    a.db.prepare("UPDATE feeds SET lease_until = ? WHERE name = 'board'").run(Date.now() - 1);
    feeds.set('/a.rss', 'ok');
    // Polled (fetched) again; the body is the one stored before, so it reads as not modified.
    assert.equal((await b.pollAll())[0]!.status, 'not_modified');
    assert.equal(feeds.hits('/a.rss'), 2);
    await Promise.all([a.close(), b.close()]);
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a lease left by a process gone from this host is taken over at once; another host's is waited out", async () => {
  const dir = tmpDir('lease-gone');
  const feeds = await switchableFeeds();
  try {
    const yaml = feedYaml(dir, [['board', feeds.url('/a.rss')]]);
    const app = await openApp(dir, yaml, { now: () => new Date() });
    // A pid that ran on this host and is gone (reaped): what a kill -9 mid-poll leaves behind.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const lease = (owner: string) => app.db.prepare("UPDATE feeds SET leased_by = ?, lease_until = ? WHERE name = 'board'").run(owner, Date.now() + 60_000);
    await app.pollAll();
    lease(`other-host:${deadPid}:abc123/1`);
    assert.equal((await app.pollAll())[0]!.status, 'leased', "another host's lease is left to lapse");
    lease(`${machineName()}:${deadPid}:abc123/1`);
    assert.equal((await app.pollAll())[0]!.status, 'not_modified', 'polled at once');
    assert.equal(feeds.hits('/a.rss'), 2);
    assert.equal((await app.store.getFeedState('board'))!.leasedBy, null, 'and released after the poll');
    await app.close();
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('three `run --once` processes at once on one database fetch a feed once', async () => {
  const dir = tmpDir('lease-procs');
  const feeds = await switchableFeeds();
  try {
    // Slow enough that all three have started (tsx start-up) while the first still fetches.
    feeds.set('/a.rss', 'slow', 8000);
    const { file } = loadYaml(dir, feedYaml(dir, [['board', feeds.url('/a.rss')]]).replace('timeout: 5s', 'timeout: 20s'));
    // The file exists first, so the three race on polling the feed, not on creating the file.
    new Database(path.join(dir, 'jobalert.db')).close();
    const runs = [0, 1, 2].map(() => {
      const child = spawnCli(['run', '--once', '--config', file]);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
    });
    const results = await Promise.all(runs);
    assert.equal(feeds.hits('/a.rss'), 1, results.map((r) => r.out).join('\n----\n'));
    const skipped = results.filter((r) => logLines(r.out).some((l) => l.msg === 'Feed is being polled by another process; skipped'));
    assert.equal(skipped.length, 2);
    const polled = results.filter((r) => logLines(r.out).some((l) => l.msg === 'Feed polled'));
    assert.equal(polled.length, 1, 'the one that fetched stored the result');
  } finally {
    await feeds.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
