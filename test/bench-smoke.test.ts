/**
 * Keeps the end-to-end bench from rotting (it is not run by npm test): its corpus is deterministic
 * and stable when a feed grows, its server answers 200, 304 and ignores validators when told, its
 * SMTP sink takes real mail, and a real `jobalert run --once` reads two of its feeds. The workers
 * part runs whole at a tiny size (two feeds of five items, one and two daemons on PostgreSQL).
 * No timing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { feedXml, itemXml } from '../bench/corpus.js';
import { startCorpusServer } from '../bench/corpus-server.js';
import { jobsInSubject, startSmtpCounter, subjectOf } from '../bench/smtp-counter.js';
import { selectedParts } from '../bench/run.js';
import { runWorkersBench } from '../bench/workers.bench.js';
import { runCli } from './helpers/cli.js';

const OPTS = { seed: 42, baseTime: Date.now() - 3600_000 };

test('bench corpus: same bytes for the same seed, items unchanged when newer ones are added', () => {
  assert.equal(feedXml(1, 0, 9, OPTS), feedXml(1, 0, 9, OPTS));
  assert.notEqual(itemXml(1, 3, OPTS), itemXml(2, 3, OPTS));
  const grown = feedXml(1, -10, 9, OPTS);
  for (let i = 0; i < 10; i++) assert.ok(grown.includes(itemXml(1, i, OPTS)));
  assert.ok(itemXml(0, 0, OPTS).length > 3000, 'items carry realistic HTML descriptions');
});

test('bench runner: --only picks parts and refuses unknown ones', () => {
  assert.deepEqual(selectedParts(undefined), ['store', 'match', 'e2e'], 'the workers part is opt-in');
  assert.deepEqual(selectedParts(['e2e,store']), ['store', 'e2e']);
  assert.deepEqual(selectedParts(['workers']), ['workers']);
  assert.throws(() => selectedParts(['nope']), /--only/);
});

test('bench smoke: jobalert run --once on two served feeds, then 304s, then 200s with nothing new', async (t) => {
  const server = await startCorpusServer({ ...OPTS, feeds: 2, items: 5 });
  const sink = await startSmtpCounter();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-bench-smoke-'));
  t.after(async () => {
    await server.close();
    await sink.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const config = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(
    config,
    `database: ${path.join(dir, 'jobalert.db')}\nfeeds:\n  - name: board-0\n    url: ${server.url(0)}\n  - name: board-1\n    url: ${server.url(1)}\n` +
      `channels:\n  mail:\n    type: email\n    to: bench@example.com\n` +
      `smtp:\n  url: smtp://127.0.0.1:${sink.port}\n  from: "jobalert <jobalert@example.com>"\n` +
      `rules:\n  - name: everything\n    notify: mail\n`,
  );
  const cold = await runCli(['run', '--once', '--config', config], {}, 120_000);
  assert.equal(cold.code, 0, cold.stderr);
  assert.equal(server.counts[200], 2);
  assert.ok(sink.messages >= 1, 'the alerts reached the sink');
  const mailed = sink.messages;

  const steady = await runCli(['run', '--once', '--config', config], {}, 120_000);
  assert.equal(steady.code, 0, steady.stderr);
  assert.equal(server.counts[304], 2);

  server.setMode('ignore-validators');
  const unchanged = await runCli(['run', '--once', '--config', config], {}, 120_000);
  assert.equal(unchanged.code, 0, unchanged.stderr);
  assert.equal(server.counts[200], 4);
  assert.equal(sink.messages, mailed, 'nothing new, nothing sent');
  assert.doesNotMatch(cold.stderr + steady.stderr + unchanged.stderr, /MaxListenersExceededWarning/);
});

test('bench sink: alerts per email are read from the Subject, encoded or not', () => {
  const head = 'From: a@example.com\r\nSubject: =?UTF-8?Q?Senior_Engineer_at_Acme_and_49_more_=E2=80=94_every?=\r\n =?UTF-8?Q?thing?=\r\nTo: b@example.com\r\n\r\nbody';
  assert.equal(subjectOf(head), 'Senior Engineer at Acme and 49 more — everything');
  assert.equal(jobsInSubject(subjectOf(head)), 50);
  assert.equal(jobsInSubject('Senior Engineer at Acme and 3 more'), 4);
  assert.equal(jobsInSubject('Senior Engineer at Acme — everything'), 1);
});

test('bench workers: one and two daemons on PostgreSQL store every posting and deliver every alert once', async () => {
  const lines: string[] = [];
  const samples = await runWorkersBench({
    runs: 1,
    scale: 0.01,
    items: 5,
    workers: [1, 2],
    warmup: false,
    command: [process.execPath, '--import', import.meta.resolve('tsx'), path.join(import.meta.dirname, '../src/cli.ts')],
    timeoutMs: 120_000,
    write: (line) => lines.push(line),
  });
  assert.deepEqual(samples.map((s) => s.workers), [1, 2]);
  for (const s of samples) {
    assert.equal(s.postings, 10, `${s.workers} workers: every posting stored`);
    assert.equal(s.alerts, 10, `${s.workers} workers: every alert reached the sink`);
    assert.equal(s.sentInDb, 10);
    assert.equal(s.fetched200, 2, `${s.workers} workers: each feed read in full once (the other worker gets a 304)`);
    assert.equal(s.split.length, s.workers);
    assert.equal(s.split.reduce((a, b) => a + b, 0), 2, 'the feeds read, counted from the workers\' logs');
    assert.ok(s.ingestMs > 0 && s.wallMs >= s.deliverMs);
  }
  assert.ok(lines.some((l) => /^\| workers \| postings\/s \| alerts\/s \| wall/.test(l)), lines.join('\n'));
});
