/**
 * Delivery benchmark (issue 9): 50 feeds x 100 new jobs (5,000) served on 127.0.0.1, one email
 * channel (a real local SMTP server) and one Slack bot channel (the local stub), with 1 rule
 * matching every job and with 1,000 rules matching ~72 jobs' worth each (every rule asks for
 * remote and a salary floor; job j pays up to $100k + (j mod 145) x $1k, rule i asks for
 * $100k + i x $1k, so a job matches ~72 rules on average, as in the issue's 362k-row run).
 *
 * Each run is a fresh process (its peak RSS is its own) on a fresh database: poll every feed,
 * then dispatch until nothing is due. Prints, per rule count, medians of RUNS runs: outbox rows,
 * log lines (info and up), poll and dispatch time, emails and Slack calls, peak RSS.
 *
 *   node --import tsx bench/delivery.bench.ts [runs]
 *   BENCH_RULES=1000 BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" node --import tsx bench/delivery.bench.ts 1
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const FEEDS = 50;
// BENCH_RULES=1000 runs one rule count only; BENCH_NODE_ARGS adds node flags to each run (e.g. --cpu-prof).
const RULE_COUNTS = process.env.BENCH_RULES ? process.env.BENCH_RULES.split(',').map(Number) : [1, 1000];
const PER_FEED = 100;

interface Figures {
  rules: number;
  outboxRows: number;
  logLines: number;
  pollMs: number;
  dispatchMs: number;
  sent: number;
  rssAfterPollMB: number;
  peakRssMB: number;
}

function rulesYaml(n: number): string {
  if (n === 1) return '  - { name: all-remote, remote: true, salary_min: 100000, currency: USD, notify: [mail, bot] }\n';
  let out = '';
  for (let i = 0; i < n; i++) out += `  - { name: remote-${i}, remote: true, salary_min: ${100_000 + i * 1000}, currency: USD, notify: [mail, bot] }\n`;
  return out;
}

function team(i: number): string {
  const letters = i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)));
  return `Team ${letters.charAt(0).toUpperCase()}${letters.slice(1)}`;
}

async function child(ruleCount: number, dir: string, feedBase: string, smtpUrl: string, slackApi: string): Promise<void> {
  const { pino } = await import('pino');
  const { parseConfigText } = await import('../src/config/load.js');
  const { compileRules } = await import('../src/match/compile-rule.js');
  const { createApp } = await import('../src/app.js');
  const feeds = Array.from({ length: FEEDS }, (_, f) => `  - { name: board-${f}, url: "${feedBase}/feed-${f}.rss" }`).join('\n');
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
max_age: 3650d
feeds:
${feeds}
channels:
  mail: { type: email, to: [me@example.com] }
  bot: { type: slack, token: xoxb-test, channel: "#jobs", api_url: "${slackApi}" }
smtp: { url: "${smtpUrl}", from: "jobalert <a@example.com>" }
rules:
${rulesYaml(ruleCount)}`;
  const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  let logLines = 0;
  const log = pino({ level: 'info' }, { write: () => void logLines++ });
  const app = await createApp({ config, rules, log });
  const t0 = performance.now();
  await app.pollAll();
  const t1 = performance.now();
  const rssAfterPollMB = process.resourceUsage().maxRSS / 1024;
  let sent = 0;
  for (;;) {
    const r = await app.dispatch();
    sent += r.sent;
    if (r.sent + r.retrying + r.failed === 0) break;
  }
  const t2 = performance.now();
  const outboxRows = app.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  await app.close();
  const figures: Figures = {
    rules: ruleCount,
    outboxRows,
    logLines,
    pollMs: Math.round(t1 - t0),
    dispatchMs: Math.round(t2 - t1),
    sent,
    rssAfterPollMB: Math.round(rssAfterPollMB),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function parent(runs: number): Promise<void> {
  const { startFeedServer, rssFeed } = await import('../test/helpers/feed-server.js');
  const { startSmtpSink } = await import('../test/helpers/smtp-sink.js');
  const { startSlackStub } = await import('../test/helpers/slack-stub.js');
  const routes: Record<string, { kind: 'feed'; body: string }> = {};
  for (let f = 0; f < FEEDS; f++) {
    const items = Array.from({ length: PER_FEED }, (_, k) => {
      const j = f * PER_FEED + k;
      const top = 100_000 + (j % 145) * 1000;
      return {
        title: `${team(j)} Labs: Senior Machine Learning Engineer`,
        link: `https://jobs.example.test/job-${j}`,
        guid: `job-${j}`,
        descriptionHtml: `<p>We are hiring. Fully remote (US). Salary $90,000 - $${top.toLocaleString('en-US')} per year.</p><p>${'We build ML systems. '.repeat(60)}</p>`,
        pubDate: new Date(Date.now() - 3_600_000),
      };
    });
    routes[`/feed-${f}.rss`] = { kind: 'feed', body: rssFeed(`board-${f}`, items) };
  }
  const server = await startFeedServer(routes);
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  const feedBase = server.url('').replace(/\/$/, '');
  const self = fileURLToPath(import.meta.url);
  const results: Record<number, Figures[]> = Object.fromEntries(RULE_COUNTS.map((n) => [n, []]));
  try {
    for (let run = 0; run < runs; run++) {
      for (const n of RULE_COUNTS) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-delivery-bench-'));
        const before = { mails: smtp.messages.length, posts: slack.posts.length };
        const out = await new Promise<string>((resolve, reject) => {
          const p = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), '--import', 'tsx', self, 'child', String(n), dir, feedBase, smtp.url, slack.apiUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
          let buf = '';
          p.stdout.on('data', (c: Buffer) => (buf += c.toString()));
          p.on('exit', (code: number) => (code === 0 ? resolve(buf) : reject(new Error(`child exited ${code}`))));
        });
        const fig = JSON.parse(out.trim().split('\n').pop()!) as Figures;
        const mails = smtp.messages.length - before.mails;
        const posts = slack.posts.length - before.posts;
        smtp.messages.length = 0;
        slack.posts.length = 0;
        console.log(`run ${run + 1} rules=${n}: ${JSON.stringify({ ...fig, emails: mails, slackCalls: posts })}`);
        results[n]!.push(fig);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await Promise.all([server.close(), smtp.close(), slack.close()]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('\nmedians:');
  for (const n of RULE_COUNTS) {
    const rs = results[n]!;
    const keys: Array<keyof Figures> = ['outboxRows', 'logLines', 'pollMs', 'dispatchMs', 'rssAfterPollMB', 'peakRssMB'];
    console.log(`rules=${n}: ${keys.map((k) => `${k}=${median(rs.map((r) => r[k] as number))}`).join(' ')}`);
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'child') await child(Number(args[0]), args[1]!, args[2]!, args[3]!, args[4]!);
else await parent(Number(mode ?? 3));
