/**
 * A poll of many feeds on one host prints no process warning (issue 9: a MaxListenersExceededWarning
 * was printed on every run with more than 10 feeds): 30 feeds on one local server, read in this
 * thread (every fetch in flight at once, queued behind the per-host limit) and in worker threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { inlineFeedReader } from '../src/pipeline/feed-reader.js';
import { rssFeed } from './helpers/feed-server.js';
import { startHttpServer } from './helpers/http-server.js';

const FEEDS = 30;

for (const where of ['this thread', 'worker threads'] as const) {
  test(`polling ${FEEDS} feeds on one host (read in ${where}) emits no process warning`, async (t) => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    t.after(() => void process.off('warning', onWarning));
    const server = await startHttpServer((req, res) => {
      const item = { title: `Senior Engineer ${req.url}`, link: `https://jobs.example.test${req.url}`, descriptionHtml: '<p>Remote.</p>', pubDate: new Date() };
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('board', [item]));
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-warnings-'));
    t.after(async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const feeds = Array.from({ length: FEEDS }, (_, i) => `  - name: board-${i}\n    url: ${server.url}/feed/${i}\n`).join('');
    const yaml = `database: ${path.join(dir, 'jobalert.db')}\nfeeds:\n${feeds}`;
    const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
    const app = await createApp({
      config,
      rules: compileRules(config.rules).rules,
      log: pino({ level: 'silent' }),
      ...(where === 'this thread' ? { reader: inlineFeedReader } : {}),
    });
    try {
      const outcomes = await app.pollAll();
      assert.deepEqual(outcomes.map((o) => o.status), Array(FEEDS).fill('ok'));
    } finally {
      await app.close();
    }
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.deepEqual(warnings.map((w) => `${w.name}: ${w.message}`), []);
  });
}
