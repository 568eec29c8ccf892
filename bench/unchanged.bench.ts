/**
 * "200 with nothing new": 50 feeds x 100 job items served on 127.0.0.1 WITHOUT validators (every
 * poll is a 200 with the same body), one cold `run --once` to fill the database, then RUNS timed
 * `run --once` of the built CLI (dist/cli.js, a whole process each), median printed. A second series
 * serves the same bodies with one item per feed edited (an item-level skip for the other 99).
 *
 *   npm run build && node --import tsx bench/unchanged.bench.ts [path/to/dist/cli.js]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpServer } from '../test/helpers/http-server.js';
import { rssFeed, type FixtureItem } from '../test/helpers/feed-server.js';

const FEEDS = 50;
const ITEMS = 100;
const RUNS = 5;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist/cli.js'));

const WORDS = 'build ship scale models data pipelines distributed systems team customers product platform reliability'.split(' ');
const TITLES = ['Senior Machine Learning Engineer', 'Staff Software Engineer, Backend', 'Data Scientist', 'Product Designer', 'Site Reliability Engineer', 'Engineering Manager, Platform'];

function paragraph(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  return out.join(' ');
}

// One time for every body: a date that moved would make every item another item.
const NOW = Date.now();

function items(feed: number, edited: boolean): FixtureItem[] {
  const now = NOW;
  return Array.from({ length: ITEMS }, (_, i) => {
    const n = feed * ITEMS + i;
    const salary = edited && i === 0 ? 151_000 : 150_000;
    return {
      title: `Company ${n}: ${TITLES[n % TITLES.length]} ${'ABCDEFGHIJ'[i % 10]}${'KLMNOPQRST'[Math.floor(i / 10)]}`,
      link: `https://jobs.example.test/f${feed}/job-${i}?utm_source=rss`,
      guid: `f${feed}-job-${i}`,
      descriptionHtml: Array.from({ length: 8 }, (_, p) => `<p>${paragraph(n + p, 60)}</p>`).join('\n') + `<p>Remote (US). Salary: $${salary.toLocaleString('en-US')} - $190,000 per year.</p>`,
      pubDate: new Date(now - (n % 40) * 86_400_000),
      region: 'Remote - US',
    };
  });
}

interface Sample {
  wall: number;
  cpu: number;
  rssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function show(samples: Sample[]): string {
  const m = (k: keyof Sample) => median(samples.map((s) => s[k])).toFixed(0);
  return `median wall ${m('wall')} ms, cpu ${m('cpu')} ms, peak RSS ${m('rssMb')} MB  (wall: ${samples.map((s) => s.wall.toFixed(0)).join(', ')})`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-unchanged-'));
  const bodies = (e: boolean) => Array.from({ length: FEEDS }, (_, f) => rssFeed(`board ${f}`, items(f, e)));
  let served = bodies(false);
  const server = await startHttpServer((req, res) => {
    const f = Number(/\/feed-(\d+)\.rss/.exec(req.url ?? '')?.[1] ?? -1);
    const body = served[f];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
  });
  const config = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(
    config,
    `database: ${path.join(dir, 'jobalert.db')}
max_age: 14d
http: { port: 0 }
feeds:
${Array.from({ length: FEEDS }, (_, f) => `  - { name: board-${f}, url: "${server.url}/feed-${f}.rss" }`).join('\n')}
channels:
  out: { type: console }
rules:
  - name: ml
    query: "remote senior ML engineer >= $130k"
    notify: [out]
`,
  );
  // spawn, not spawnSync: the server answering the CLI runs on this process's event loop.
  // /usr/bin/time reports the child's CPU time and peak RSS: on a shared machine CPU time is the steadier figure.
  const run = (): Promise<Sample> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, CLI, 'run', '--once', '--config', config], {
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), JOBALERT_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => {
        const wall = performance.now() - started;
        const t = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
        if (code !== 0 || !t) reject(new Error(`run --once exited ${code}: ${stderr.slice(0, 2000)}`));
        else resolve({ wall, cpu: (Number(t[1]) + Number(t[2])) * 1000, rssMb: Number(t[3]) / 1024 });
      });
    });
  try {
    console.log(`cli: ${CLI}`);
    console.log(`cold (${FEEDS} x ${ITEMS}): ${show([await run()])}`);
    const same: Sample[] = [];
    for (let i = 0; i < RUNS; i++) same.push(await run());
    console.log(`200, nothing new: ${show(same)}`);
    const one: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Every run serves one item per feed different from the run before.
      served = bodies(i % 2 === 0);
      one.push(await run());
    }
    console.log(`200, one item edited per feed: ${show(one)}`);
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
