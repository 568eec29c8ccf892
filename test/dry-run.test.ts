/**
 * `run --dry-run` shows exactly what a real run would send (issue 9): the same messages, grouped
 * the same way (the Slack flood guard's one summary, emails cut at max_jobs_per_email and
 * max_email_bytes), each printed once under its channel, and nothing sent or stored. Through the
 * real CLI, with a real SQLite file, a real SMTP server and the Slack stub; the real run that
 * follows is the reference.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { runCli, logLines } from './helpers/cli.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-dry-run-test-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** 25 ML engineers (rule ml, over the Slack flood guard's default 20) and 3 data engineers (rule data). */
const ITEMS = Array.from({ length: 28 }, (_, i) => ({
  title: `Orbit${'abcdefghijklmnopqrstuvwxyz'[i % 26]}${'abcdefghijklmnopqrstuvwxyz'[Math.floor(i / 26)]} Labs: ${i < 25 ? 'Senior Machine Learning Engineer' : 'Senior Data Engineer'}`,
  link: `https://jobs.example.test/orbit-${i + 1}`,
  descriptionHtml: '<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>',
  pubDate: new Date(Date.now() - 3_600_000),
}));

/** Which orbit-N jobs a message lists, in order of first mention. */
const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)\b/g)].map((m) => Number(m[1])))];

/** The dry run's printed messages: one per `[dry run: would send to CHANNEL (TYPE)]` header. */
function printedMessages(stdout: string): Array<{ channel: string; type: string; text: string }> {
  const parts = stdout.split(/^\[dry run: would send to (\S+) \((\w+)\)\]\n/m);
  const out: Array<{ channel: string; type: string; text: string }> = [];
  for (let i = 1; i + 2 < parts.length + 1; i += 3) out.push({ channel: parts[i]!, type: parts[i + 1]!, text: parts[i + 2] ?? '' });
  return out;
}

test('a dry run prints the messages a real run sends: one Slack summary for 25 jobs of a rule, emails split as they really are', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', ITEMS) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = path.join(tmp, 'jobalert.yaml');
    fs.writeFileSync(
      config,
      `database: ${path.join(tmp, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
  bot: { type: slack, token: xoxb-dry, channel: "#jobs", api_url: "${slack.apiUrl}" }
  batched: { type: email, to: [batched@example.com], max_jobs_per_email: 10, subject_prefix: "[jobs]" }
  capped: { type: email, to: [capped@example.com], max_email_bytes: 16KB }
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
rules:
  - { name: ml, title: [ML engineer], notify: [bot, batched, capped] }
  - { name: data, title: [data engineer], notify: [bot, batched, capped] }
`,
    );

    const dry = await runCli(['run', '--dry-run', '--config', config]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(smtp.messages.length + slack.posts.length, 0, 'a dry run sends nothing');
    const printed = printedMessages(dry.stdout);
    const dryLogs = logLines(dry.stderr).filter((l) => l.msg === 'Alert would be sent (dry run)');
    assert.equal(dryLogs.length, printed.length, 'one log line per printed message');

    const real = await runCli(['run', '--once', '--config', config]);
    assert.equal(real.code, 0, real.stderr);

    // Slack: the flood guard's one summary for rule ml (25 > summary_after 20), one message per data job.
    const dryBot = printed.filter((m) => m.channel === 'bot');
    const realBot = slack.posts.filter((p) => p.kind === 'api' && p.status === 200);
    assert.equal(realBot.length, 1 + 3);
    assert.equal(dryBot.length, realBot.length, `the dry run printed ${dryBot.length} Slack messages, a real run sends ${realBot.length}`);
    assert.match(dryBot[0]!.text, /^25 new jobs match "ml" — first 10:/);
    assert.match(dryBot[0]!.text, /…and 15 more/);
    assert.deepEqual(
      dryBot.map((m) => jobsIn(m.text)),
      realBot.map((p) => jobsIn(JSON.stringify(p.body.blocks))),
      'the same jobs in the same messages',
    );

    // Email: as many messages as a real run sends, each listing the same jobs, with the same subject.
    for (const [channel, to] of [
      ['batched', 'batched@example.com'],
      ['capped', 'capped@example.com'],
    ] as const) {
      const dryMail = printed.filter((m) => m.channel === channel);
      const realMail = smtp.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === to);
      assert.ok(realMail.length >= 2, `${channel}: the real run splits (${realMail.length} emails)`);
      assert.equal(dryMail.length, realMail.length, `${channel}: the dry run printed ${dryMail.length} emails, a real run sends ${realMail.length}`);
      assert.deepEqual(
        dryMail.map((m) => jobsIn(m.text)),
        realMail.map((m) => jobsIn(m.text ?? '')),
      );
      assert.deepEqual(
        dryMail.map((m) => /^Subject: (.*)$/m.exec(m.text)?.[1]),
        realMail.map((m) => m.subject),
      );
    }
    assert.deepEqual(
      smtp.messages.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === 'batched@example.com').map((m) => jobsIn(m.text ?? '').length),
      [10, 10, 8],
    );
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('a dry run prints a Slack grouped message as the one message a real run sends', async () => {
  const six = ITEMS.slice(0, 6);
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', six) } });
  const slack = await startSlackStub();
  const dir = fs.mkdtempSync(path.join(tmp, 'group-'));
  try {
    const config = path.join(dir, 'jobalert.yaml');
    fs.writeFileSync(
      config,
      `database: ${path.join(dir, 'jobalert.db')}
timezone: America/Los_Angeles
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
channels:
  bot: { type: slack, token: xoxb-dry, channel: "#jobs", api_url: "${slack.apiUrl}" }
rules:
  - { name: ml, title: [ML engineer], notify: [bot] }
`,
    );
    const dry = await runCli(['run', '--dry-run', '--config', config]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(slack.posts.length, 0);
    const printed = printedMessages(dry.stdout);
    assert.equal(printed.length, 1, dry.stdout);
    assert.match(printed[0]!.text, /^6 new jobs\n\n1\. /);

    const real = await runCli(['run', '--once', '--config', config]);
    assert.equal(real.code, 0, real.stderr);
    const posts = slack.posts.filter((p) => p.kind === 'api' && p.status === 200);
    assert.equal(posts.length, 1);
    assert.equal(posts[0]!.body.blocks[0].text.text, '6 new jobs');
    assert.deepEqual(jobsIn(printed[0]!.text), jobsIn(JSON.stringify(posts[0]!.body.blocks)));
    assert.deepEqual(jobsIn(printed[0]!.text), [1, 2, 3, 4, 5, 6]);
    // The same dates, in the config's time zone, in both.
    const date = /posted \d+ (?:min|h) ago · (\d{1,2} \w{3} \d{4})/;
    assert.equal(date.exec(printed[0]!.text)?.[1], date.exec(JSON.stringify(posts[0]!.body.blocks))?.[1]);
  } finally {
    await Promise.all([feeds.close(), slack.close()]);
  }
});
