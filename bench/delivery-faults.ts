/**
 * Re-runs issue 8's delivery faults against the real daemon and prints duplicates per channel
 * and the longest event-loop block:
 *   lock  — a second connection holds the write lock for LOCK_S seconds (default 30) while alerts are due;
 *   full  — the daemon's own connection gets SQLITE_FULL on every outbox write for FULL_S seconds (default 20):
 *           max_page_count at the file's size plus a temporary trigger that makes each outbox
 *           update grow the file, so SQLite itself refuses the write, as on a full disk;
 *   procs — three `run --once` processes started together on one database (300 alerts);
 *   disk  — a really full file system for FULL_S seconds: FULL_DIR must be a small file system of
 *           its own (as root: mount -t tmpfs -o size=4m tmpfs DIR), the database is put there and
 *           a ballast file fills it;
 *   none  — no fault, 8 s: the baseline event-loop block of starting the daemon and delivering.
 * Usage: node --import tsx bench/delivery-faults.ts [lock|full|procs]...
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';
import { startDaemon } from '../src/pipeline/daemon.js';
import { startFeedServer, rssFeed } from '../test/helpers/feed-server.js';
import { startSmtpSink } from '../test/helpers/smtp-sink.js';
import { startSlackStub } from '../test/helpers/slack-stub.js';
import { runCli } from '../test/helpers/cli.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    title: `Orbit ${i + 1}: Senior Machine Learning Engineer`,
    link: `https://jobs.example.test/orbit-${i + 1}`,
    guid: `orbit-${i + 1}`,
    descriptionHtml: '<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>',
    pubDate: new Date(Date.now() - 3_600_000),
  }));
const jobsIn = (text: string) => [...new Set([...text.matchAll(/orbit-(\d+)/g)].map((m) => Number(m[1])))];

async function servers(jobs: number, dbDir?: string) {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', items(jobs)) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-faults-'));
  const yaml = `database: ${path.join(dbDir ?? dir, 'jobalert.db')}
http: { port: 0 }
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
  fs.writeFileSync(path.join(dir, 'jobalert.yaml'), yaml);
  /** Extra deliveries per channel: each job counted once per message it appears in, minus one. */
  const duplicates = () => {
    const dup = (lists: number[][]) => {
      const seen = new Map<number, number>();
      for (const l of lists) for (const j of l) seen.set(j, (seen.get(j) ?? 0) + 1);
      return [...seen.values()].reduce((n, c) => n + c - 1, 0);
    };
    const ok = (kind: string) => slack.posts.filter((p) => p.kind === kind && p.status === 200).map((p) => jobsIn(JSON.stringify(p.body)));
    const delivered = (lists: number[][]) => new Set(lists.flat()).size;
    const mail = smtp.messages.map((m) => jobsIn(m.text ?? ''));
    return {
      duplicates: { bot: dup(ok('api')), hook: dup(ok('webhook')), mail: dup(mail) },
      delivered: { bot: delivered(ok('api')), hook: delivered(ok('webhook')), mail: delivered(mail) },
      emails: smtp.messages.length,
    };
  };
  return {
    dir,
    yaml,
    duplicates,
    async close() {
      await Promise.all([feeds.close(), smtp.close(), slack.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function daemonFault(kind: 'lock' | 'full' | 'disk' | 'none', seconds: number): Promise<void> {
  const s = await servers(3, kind === 'disk' ? process.env.FULL_DIR : undefined);
  const config = parseConfigText(s.yaml, path.join(s.dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  const errors: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void (JSON.parse(line).level >= 50 && errors.push(JSON.parse(line).msg)) });
  const app = await createApp({ config, rules, log });
  await app.pollAll();
  const locker = new Database(config.database);
  if (kind === 'lock') locker.exec('BEGIN IMMEDIATE; UPDATE feeds SET last_error = last_error;');
  else if (kind === 'disk') fillDisk(path.join(process.env.FULL_DIR!, 'ballast'));
  else if (kind === 'full') {
    app.db.exec('CREATE TABLE IF NOT EXISTS bench_ballast (b BLOB)');
    app.db.exec('CREATE TEMP TRIGGER bench_full AFTER UPDATE ON main.outbox BEGIN INSERT INTO main.bench_ballast VALUES (zeroblob(1048576)); END');
    app.db.pragma(`max_page_count = ${app.db.pragma('page_count', { simple: true }) as number}`);
  }
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const daemon = startDaemon(app, { maxJitterMs: 0, retryIntervalMs: 1000 });
  await sleep(seconds * 1000);
  const during = s.duplicates();
  if (kind === 'lock') locker.exec('COMMIT');
  else if (kind === 'disk') fs.rmSync(path.join(process.env.FULL_DIR!, 'ballast'));
  else if (kind === 'full') {
    app.db.exec('DROP TRIGGER temp.bench_full');
    app.db.pragma('max_page_count = 1073741823');
  }
  for (let i = 0; i < 40 && (await app.store.countAlerts()).pending > 0; i++) await sleep(500);
  await daemon.stop();
  loop.disable();
  const end = s.duplicates();
  console.log(
    JSON.stringify({
      fault: kind,
      seconds,
      sentDuringFault: during.delivered,
      duplicatesPerChannel: end.duplicates,
      deliveredJobsPerChannel: end.delivered,
      outbox: await app.store.countAlerts(),
      errorLines: errors.length,
      errors: errors.map((e) => e.slice(0, 110)),
      longestLoopBlockMs: Math.round(loop.max / 1e6),
    }),
  );
  locker.close();
  await app.close();
  await s.close();
}

/** Writes a file until the file system is full (ENOSPC). */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

async function threeProcesses(): Promise<void> {
  const s = await servers(100);
  const config = path.join(s.dir, 'jobalert.yaml');
  const runs = await Promise.all([1, 2, 3].map(() => runCli(['run', '--once', '--config', config], { JOBALERT_LOG_LEVEL: 'info' }, 180_000)));
  const end = s.duplicates();
  console.log(JSON.stringify({ fault: '3 x run --once', alerts: 300, exitCodes: runs.map((r) => r.code), duplicatesPerChannel: end.duplicates, deliveredJobsPerChannel: end.delivered, emails: end.emails }));
  await s.close();
}

for (const what of process.argv.slice(2).length ? process.argv.slice(2) : ['lock', 'full', 'procs']) {
  if (what === 'lock') await daemonFault('lock', Number(process.env.LOCK_S ?? 30));
  else if (what === 'full') await daemonFault('full', Number(process.env.FULL_S ?? 20));
  else if (what === 'procs') await threeProcesses();
  else if (what === 'none') await daemonFault('none', 8);
  else if (what === 'disk') await daemonFault('disk', Number(process.env.FULL_S ?? 20));
}
