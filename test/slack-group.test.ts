/**
 * Slack grouping (issue 10): up to three jobs waiting for a Slack channel go one message each;
 * more go as grouped messages of up to ten jobs, after the `summary_after` flood guard has taken
 * its rules. A grouped message is claimed, sent and marked for all its jobs together, exactly once,
 * like an email batch. In process with a controllable clock: real SQLite file, real feed server,
 * the Slack-compatible stub.
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
import { startSlackStub, type SlackStubPost } from './helpers/slack-stub.js';

function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

const letters = 'abcdefghijklmnopqrstuvwxyz';

/** Jobs orbit-FROM.. orbit-(FROM+N-1), each at its own company so none is merged with another. */
function items(from: number, n: number, title = 'Senior Machine Learning Engineer') {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    return {
      title: `Orbit${letters[k % 26]}${letters[Math.floor(k / 26) % 26]} Labs: ${title}`,
      link: `https://jobs.example.test/orbit-${k}`,
      descriptionHtml: '<p>Orbit Labs builds satellites.</p><p>You will train models on telemetry. Fully remote (US). Salary $150,000 - $190,000 per year.</p>',
      pubDate: new Date(Date.now() - 3_600_000),
    };
  });
}

/** Which orbit-N jobs a message lists, in order of first mention. */
const jobsIn = (post: SlackStubPost) => [...new Set([...JSON.stringify(post.body.blocks).matchAll(/orbit-(\d+)\b/g)].map((m) => Number(m[1])))];
const ok = (posts: SlackStubPost[]) => posts.filter((p) => p.kind === 'api' && p.status === 200);
const header = (post: SlackStubPost): string | null => (post.body.blocks[0]?.type === 'header' ? post.body.blocks[0].text.text : null);

async function setup(name: string, feed: ReturnType<typeof items>, channel = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-slack-group-${name}-`));
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', feed) } });
  const slack = await startSlackStub();
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "${slack.apiUrl}"${channel} }
rules:
  - { name: ml, title: [ML engineer], notify: [bot] }
  - { name: data, title: [data engineer], notify: [bot] }
`;
  const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  const clock = manualClock(new Date());
  const app = await createApp({ config, rules, log: pino({ level: 'silent' }), clock });
  /** Every outbox row: status and attempts, by job URL. */
  const rows = () =>
    app.db
      .prepare("SELECT p.url AS url, o.status AS status, o.attempts AS attempts FROM outbox o JOIN postings p ON p.job_id = o.job_id ORDER BY o.id")
      .all() as Array<{ url: string; status: string; attempts: number }>;
  return {
    app,
    slack,
    clock,
    rows,
    setFeed: (next: ReturnType<typeof items>) => feeds.setRoute('/jobs.rss', { kind: 'feed', body: rssFeed('board', next) }),
    async cleanup() {
      await app.close();
      await Promise.all([feeds.close(), slack.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('three jobs go one message each; five go as one grouped message; every job is marked sent exactly once', async () => {
  const s = await setup('threshold', items(1, 3));
  try {
    await s.app.pollAll();
    assert.equal((await s.app.dispatch()).sent, 3);
    const singles = ok(s.slack.posts);
    assert.equal(singles.length, 3, 'at most three waiting: one message each');
    assert.deepEqual(singles.map(jobsIn), [[1], [2], [3]]);
    assert.ok(singles.every((p) => header(p) === null));

    s.setFeed([...items(1, 3), ...items(4, 5)]);
    await s.app.pollAll();
    const result = await s.app.dispatch();
    assert.deepEqual([result.sent, result.retrying, result.failed], [5, 0, 0]);
    const posts = ok(s.slack.posts);
    assert.equal(posts.length, 4, 'five waiting: one grouped message');
    const group = posts[3]!;
    assert.equal(header(group), '5 new jobs');
    assert.deepEqual(jobsIn(group), [4, 5, 6, 7, 8]);
    assert.equal(JSON.stringify(group.body.blocks).match(/You will train models on telemetry\./g)?.length, 5, 'each job with its snippet');
    for (const p of s.slack.posts) assert.ok(!JSON.stringify(p.body).includes('button'), 'no button in any message');

    assert.equal((await s.app.dispatch()).sent, 0, 'nothing twice');
    assert.equal(ok(s.slack.posts).length, 4);
    assert.deepEqual(
      s.rows().map((r) => [r.status, r.attempts]),
      Array.from({ length: 8 }, () => ['sent', 1]),
    );
  } finally {
    await s.cleanup();
  }
});

test('twelve jobs go as two even groups; the flood guard takes a rule over summary_after first, and the rest are grouped', async () => {
  const twelve = await setup('even', items(1, 12));
  try {
    await twelve.app.pollAll();
    assert.equal((await twelve.app.dispatch()).sent, 12);
    assert.deepEqual(ok(twelve.slack.posts).map(jobsIn), [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
  } finally {
    await twelve.cleanup();
  }

  // 25 ML engineers (over the default summary_after of 20) and 5 data engineers.
  const mixed = await setup('flood', [...items(1, 25), ...items(26, 5, 'Senior Data Engineer')]);
  try {
    await mixed.app.pollAll();
    assert.equal((await mixed.app.dispatch()).sent, 30);
    const posts = ok(mixed.slack.posts);
    assert.equal(posts.length, 2);
    assert.match(String(posts[0]!.body.text), /^\*25 new jobs match "ml"\* — first 10:/);
    assert.equal(header(posts[1]!), '5 new jobs');
    assert.deepEqual(jobsIn(posts[1]!), [26, 27, 28, 29, 30]);
    assert.ok(mixed.rows().every((r) => r.status === 'sent' && r.attempts === 1));
  } finally {
    await mixed.cleanup();
  }

  // With the flood guard at 2, a rule of 3 jobs is summarized; what is left (3) goes one by one.
  const low = await setup('low', [...items(1, 3), ...items(4, 3, 'Senior Data Engineer')], ', summary_after: 2');
  try {
    await low.app.pollAll();
    await low.app.dispatch();
    const posts = ok(low.slack.posts);
    assert.equal(posts.length, 2, 'one summary per rule over summary_after');
    assert.ok(posts.every((p) => /^\*3 new jobs match/.test(String(p.body.text))));
  } finally {
    await low.cleanup();
  }
});

test('a grouped message that fails is retried, or given up, for all its jobs together; the retry sends them once, in one message', async () => {
  const s = await setup('retry', items(1, 5));
  try {
    await s.app.pollAll();
    s.slack.failNext('api', 1, { status: 429, headers: { 'retry-after': '2' }, body: { ok: false, error: 'ratelimited' } });
    const first = await s.app.dispatch();
    assert.deepEqual([first.sent, first.retrying, first.failed], [0, 5, 0]);
    assert.equal(s.slack.posts.length, 1, 'one attempt for the group');
    assert.deepEqual(s.rows().map((r) => [r.status, r.attempts]), Array.from({ length: 5 }, () => ['pending', 1]));

    s.clock.advance(10 * 60_000);
    const second = await s.app.dispatch();
    assert.equal(second.sent, 5);
    const posts = ok(s.slack.posts);
    assert.equal(posts.length, 1);
    assert.deepEqual(jobsIn(posts[0]!), [1, 2, 3, 4, 5]);
    assert.deepEqual(s.rows().map((r) => [r.status, r.attempts]), Array.from({ length: 5 }, () => ['sent', 2]));
    s.clock.advance(60 * 60_000);
    assert.equal((await s.app.dispatch()).sent, 0);
  } finally {
    await s.cleanup();
  }

  const bad = await setup('permanent', items(1, 5));
  try {
    await bad.app.pollAll();
    bad.slack.failNext('api', 1, { status: 200, body: { ok: false, error: 'channel_not_found' } });
    const result = await bad.app.dispatch();
    assert.deepEqual([result.sent, result.retrying, result.failed], [0, 0, 5]);
    assert.equal(bad.slack.posts.length, 1);
    assert.deepEqual(bad.rows().map((r) => r.status), ['failed', 'failed', 'failed', 'failed', 'failed']);
  } finally {
    await bad.cleanup();
  }
});

test('a grouped message left behind by a process that stopped goes again as the same one message', async () => {
  const s = await setup('left-behind', items(1, 5));
  try {
    await s.app.pollAll();
    // Another host claimed the five as one group and never marked them; its lease lapses.
    const now = s.clock.now();
    const ids = (s.app.db.prepare('SELECT id FROM outbox ORDER BY id').pluck().all() as number[]);
    assert.deepEqual(await s.app.store.claimAlerts({ ids, by: 'elsewhere:4242:abc/1', until: new Date(now.getTime() + 1000), now }), ids);
    assert.equal((await s.app.dispatch()).sent, 0, 'held by a live claim');
    s.clock.advance(2000);
    assert.equal((await s.app.dispatch()).sent, 5);
    const posts = ok(s.slack.posts);
    assert.equal(posts.length, 1);
    assert.equal(header(posts[0]!), '5 new jobs');
    assert.deepEqual(jobsIn(posts[0]!), [1, 2, 3, 4, 5]);
    assert.ok(s.rows().every((r) => r.status === 'sent' && r.attempts === 1));
  } finally {
    await s.cleanup();
  }
});
