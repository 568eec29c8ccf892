/**
 * Digests through the real CLI (`run --once`, as cron runs it): a digest not due yet is held and
 * the run exits 0; a digest whose time has passed goes out; a kill -9 after the SMTP server
 * accepted one of its emails resends only that email, with its Message-ID. Local feed server and
 * SMTP sink, a real SQLite file; nothing mocked.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { pino } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { runCli, spawnCli } from './helpers/cli.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-digest-procs-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const items = (n: number, at = Date.now()) =>
  Array.from({ length: n }, (_, i) => ({
    title: `Orbit ${i + 1}: Senior Machine Learning Engineer`,
    link: `https://jobs.example.test/orbit-${i + 1}`,
    guid: `orbit-${i + 1}`,
    descriptionHtml: `<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>`,
    pubDate: new Date(at - (i + 1) * 60_000),
  }));

const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)/g)].map((m) => Number(m[1])))];

function writeConfig(name: string, feedUrl: string, smtpUrl: string, digest: string): { file: string; text: string } {
  const file = path.join(tmp, `${name}.yaml`);
  const text = `database: ${path.join(tmp, `${name}.db`)}
http:
  port: 0
feeds:
  - name: board
    url: ${feedUrl}
channels:
  mail: { type: email, to: [me@example.com] }
smtp:
  url: ${smtpUrl}
  from: "jobalert <alerts@example.com>"
rules:
  - name: ml
    title: [ML engineer]
    digest: "${digest}"
    notify: [mail]
`;
  fs.writeFileSync(file, text);
  return { file, text };
}

test('run --once holds a digest not due yet: exit 0, nothing sent, the held jobs in its log line', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(3)) } });
  const smtp = await startSmtpSink();
  try {
    // New Year's Day at 09:00: not today (the tests never run then, and if they did it would be past).
    const { file } = writeConfig('held', feeds.url('/jobs.rss'), smtp.url, '0 9 1 1 *');
    const first = await runCli(['run', '--once', '--config', file], { JOBALERT_LOG_LEVEL: 'info' });
    assert.equal(first.code, 0, first.stderr + first.stdout.slice(-2000));
    assert.equal(smtp.messages.length, 0);
    assert.match(first.stdout, /"held":3/);
  } finally {
    await Promise.all([feeds.close(), smtp.close()]);
  }
});

test('kill -9 while a digest\'s emails go out: the next run resends only the one in flight, with the same Message-ID', async () => {
  const twoDaysAgo = Date.now() - 2 * 86_400_000;
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(120, twoDaysAgo)) } });
  let victim: ChildProcess | null = null;
  const smtp = await startSmtpSink({
    onMessage: async (_mail, index) => {
      if (index !== 1 || !victim) return;
      victim.kill('SIGKILL');
      await new Promise((r) => victim!.once('close', r));
    },
  });
  try {
    const { file, text } = writeConfig('killed', feeds.url('/jobs.rss'), smtp.url, '0 9 * * *');
    // The jobs were found two days ago: their digest time (the next 09:00 UTC after that) has passed.
    const config = parseConfigText(text, file, {});
    const app = await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), clock: { now: () => new Date(twoDaysAgo) } });
    await app.pollAll();
    assert.equal((await app.dispatch()).sent, 0);
    await app.close();

    const env = { JOBALERT_LOG_LEVEL: 'info' };
    victim = spawnCli(['run', '--once', '--config', file], env);
    const code = await new Promise<number | null>((r) => victim!.once('close', (c, signal) => r(signal ? -1 : c)));
    assert.equal(code, -1, 'the first run was killed');
    assert.equal(smtp.messages.length, 2);
    victim = null;

    const rerun = await runCli(['run', '--once', '--config', file], env);
    assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout.slice(-2000));
    const [first, inFlight, resent, last, ...more] = smtp.messages;
    assert.equal(more.length, 0, '4 messages in all: 3 emails of the digest, one of them twice');
    assert.equal(resent!.messageId, inFlight!.messageId);
    assert.deepEqual(jobsIn(resent!.text ?? ''), jobsIn(inFlight!.text ?? ''));
    for (const m of [first, inFlight, last]) assert.match(m!.subject ?? '', /^Digest: .* and \d+ more — ml$/);
    assert.deepEqual(jobsIn(first!.text ?? ''), Array.from({ length: 50 }, (_, i) => i + 1), 'newest first');
    const all = [first, inFlight, last].flatMap((m) => jobsIn(m!.text ?? '')).sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 120 }, (_, i) => i + 1), 'each job in exactly one of the three');
  } finally {
    victim?.kill('SIGKILL');
    await Promise.all([feeds.close(), smtp.close()]);
  }
});
