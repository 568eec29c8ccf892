/**
 * Several workers on one PostgreSQL database (issue 11): starts a PostgreSQL server
 * (test/support/postgres.ts), serves the corpus (60 feeds x 100 job items; --scale multiplies the
 * feeds) and an SMTP sink, then for 1, 2 and 3 workers, on a fresh database each time, starts that
 * many `node dist/cli.js run` daemons at once on one config and measures:
 *   postings/s  postings stored / (all stored - the corpus server's first request); the bench
 *               polls the database (count of postings) every POLL_MS
 *   alerts/s    alerts the SMTP sink received (jobs per email, from the Subject) / (last email -
 *               first request). Not the delivery rate alone: a daemon delivers while it polls (its
 *               15 s safety net dispatches what is due), so alerts leave as fast as they are stored
 *   wall        first request -> last alert email
 *   after       last posting stored -> last alert email: how far delivery lags behind
 *   worker CPU  user + system seconds of the worker processes (less disturbed by a shared machine
 *               than wall times)
 * Medians of --runs repetitions; the worker counts alternate order between runs.
 *
 * Daemons, measured at a cron tick, rather than `run --once` or a daemon's start-up poll. A worker
 * polls all its feeds at once and takes each feed's lease when its poll starts, before it waits
 * for a fetch slot or a reader thread; so whichever worker comes first takes nearly every lease
 * and does all the work. `run --once` started together, or the daemons' poll at start (a random
 * 0-1 s delay each), measured start-up order: first tries gave splits of 60 + 0 feeds. In a
 * deployment the workers are already running and their ticks fire together, each feed after its
 * own random delay (a tenth of the period: 6 s for the bench's every-minute schedule), so the
 * feeds spread over the workers. Hence: the workers start on empty feeds, and once every feed has
 * been polled the server serves the corpus; the next minute's tick reads it, and that is measured.
 *
 * Email only, no Slack stub: a burst of thousands of alerts to one Slack channel is grouped and
 * summarised (summary_after), so Slack messages do not count alerts.
 *
 * Opt-in (not part of the default "everything" run): a warm-up and 9 runs of 6,000 postings, each
 * also waiting up to a minute for its tick, took about 25 minutes on 2 cores shared with other
 * work (--scale 0.5 --runs 1: 6 minutes); expect less on an idle machine.
 *
 *   npm run bench -- --only workers [--scale 0.2] [--runs 1] [--no-build]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startCorpusServer, type CorpusServer } from './corpus-server.js';
import { median } from './measure-process.js';
import { startSmtpCounter, type SmtpCounter } from './smtp-counter.js';
import { buildJobalert, ROOT } from './systems.js';
import { printRows } from './e2e.bench.js';
import { startPostgres, type PgServer } from '../test/support/postgres.js';

export interface WorkersOptions {
  /** Repetitions per worker count (median reported); default 3. */
  runs?: number;
  /** Multiplies the number of feeds (60 at 1); default 1. */
  scale?: number;
  /** Items per feed; default 100. */
  items?: number;
  /** Worker counts, in order; default [1, 2, 3]. */
  workers?: number[];
  /** Build dist/ first; default true. */
  build?: boolean;
  /** One untimed measurement first (the first run after a build reads everything from disk); default true. */
  warmup?: boolean;
  /** How a worker is started, before `run --config FILE`; default node dist/cli.js. */
  command?: string[];
  /** Longest one measurement may take; default 10 min. */
  timeoutMs?: number;
  /** Progress lines; default stdout. */
  write?: (line: string) => void;
}

/** One measurement: `workers` daemons on a fresh database until every alert is delivered. */
export interface WorkersSample {
  workers: number;
  postings: number;
  /** Alerts counted by the SMTP sink (jobs per email). */
  alerts: number;
  /** Alerts the database says were sent (a sink count above it would be a double send). */
  sentInDb: number;
  emails: number;
  /** First request -> every posting stored. */
  ingestMs: number;
  /** First email -> last email. */
  deliverMs: number;
  /** First request -> last email. */
  wallMs: number;
  cpuS: number;
  /** Full feed bodies served: more than the feed count means a feed was read twice. */
  fetched200: number;
  /** Feeds each worker read and stored at the measured tick ("Feed polled" log lines), in start order. */
  split: number[];
}

const SEED = 20_261_111;
const POLL_MS = 100;
const TICKS_PER_S = 100;
const SEC = (ms: number) => ms / 1000;

/** Runs the bench and prints its table; returns every sample. */
export async function runWorkersBench(options: WorkersOptions = {}): Promise<WorkersSample[]> {
  const opts = { runs: 3, scale: 1, items: 100, workers: [1, 2, 3], build: true, warmup: true, timeoutMs: 10 * 60_000, ...options };
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const command = opts.command ?? [process.execPath, path.join(ROOT, 'dist/cli.js')];
  if (opts.build && !options.command) buildJobalert();
  const feeds = Math.max(2, Math.round(60 * opts.scale));
  const server = await startPostgres();
  const corpus = await startCorpusServer({ seed: SEED, baseTime: Date.now() - 3600_000, feeds, items: opts.items });
  const sink = await startSmtpCounter();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-workers-'));
  const samples: WorkersSample[] = [];
  try {
    write(`Corpus: ${feeds} feeds x ${opts.items} items, ${(corpus.bytes() / 1024 / 1024).toFixed(1)} MB; PostgreSQL from ${server.binaries}; ${os.cpus().length} cores; ${opts.runs} runs`);
    const args = { server, corpus, sink, dir, command, expected: feeds * opts.items, timeoutMs: opts.timeoutMs };
    if (opts.warmup) {
      const w = await measure({ ...args, n: opts.workers[0]! });
      write(`  warm-up (not counted): ${w.workers} worker${w.workers > 1 ? 's' : ''}, wall ${SEC(w.wallMs).toFixed(2)} s`);
    }
    for (let run = 0; run < opts.runs; run++) {
      const order = run % 2 === 0 ? opts.workers : [...opts.workers].reverse();
      for (const n of order) {
        const s = await measure({ ...args, n });
        samples.push(s);
        write(
          `  run ${run + 1} ${n} worker${n > 1 ? 's' : ' '} ingest ${SEC(s.ingestMs).toFixed(2)} s, delivery ${SEC(s.deliverMs).toFixed(2)} s, wall ${SEC(s.wallMs).toFixed(2)} s, ` +
            `${s.alerts} alerts in ${s.emails} emails (${s.sentInDb} sent in db), ${s.fetched200} feed bodies read (${s.split.join(' + ')}), worker CPU ${s.cpuS.toFixed(1)} s`,
        );
      }
    }
  } finally {
    await sink.close();
    await corpus.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printWorkersTable(samples, write);
  return samples;
}

/** Prints medians per worker count (and the checks that every alert went out exactly once). */
export function printWorkersTable(samples: WorkersSample[], write: (line: string) => void): void {
  const rows: string[][] = [['workers', 'postings/s', 'alerts/s', 'wall', 'after', 'worker CPU', 'postings', 'alerts']];
  const counts = [...new Set(samples.map((s) => s.workers))];
  for (const n of counts) {
    const of = samples.filter((s) => s.workers === n);
    rows.push([
      String(n),
      median(of.map((s) => s.postings / SEC(s.ingestMs))).toFixed(0),
      median(of.map((s) => s.alerts / SEC(s.wallMs))).toFixed(0),
      `${SEC(median(of.map((s) => s.wallMs))).toFixed(1)} s`,
      `${SEC(median(of.map((s) => s.wallMs - s.ingestMs))).toFixed(1)} s`,
      `${median(of.map((s) => s.cpuS)).toFixed(1)} s`,
      String(median(of.map((s) => s.postings))),
      String(median(of.map((s) => s.alerts))),
    ]);
  }
  let table = '';
  printRows(rows, (text) => (table += text));
  for (const line of table.trimEnd().split('\n')) write(line);
  const odd = samples.filter((s) => s.alerts !== s.sentInDb);
  if (odd.length) write(`WARNING: ${odd.length} runs where the sink's alert count differs from the database's sent count`);
  write(
    `postings/s: postings / (all stored - first feed request); alerts/s: alerts / (last email - first request); ` +
      `after: last email - all stored; medians of ${samples.length / Math.max(1, counts.length)} runs.`,
  );
}

interface MeasureArgs {
  n: number;
  server: PgServer;
  corpus: CorpusServer;
  sink: SmtpCounter;
  dir: string;
  command: string[];
  expected: number;
  timeoutMs: number;
}

/** `n` daemons on a fresh database, until every posting is stored and every alert delivered; then SIGTERM. */
async function measure(a: MeasureArgs): Promise<WorkersSample> {
  const withPassword = await a.server.createDatabase();
  const database = new URL(withPassword).pathname.slice(1);
  const config = writeConfig(a.dir, database, a);
  a.corpus.setEmpty(true);
  const workers = Array.from({ length: a.n }, () => startWorker(a.command, config, a.server.password));
  const db = new pg.Client({ connectionString: withPassword });
  await db.connect();
  let ingestAt: number | null = null;
  let cpuS = 0;
  let counts: Counts = { feeds: 0, postings: 0, queued: 0, pending: 0, sent: 0, failed: 0 };
  let before: number[] = [];
  try {
    // A tick comes every minute: start-up, waiting for it and the run itself.
    const deadline = performance.now() + a.timeoutMs + 90_000;
    const check = () => {
      const dead = workers.find((w) => w.child.exitCode !== null || w.child.signalCode !== null);
      if (dead) throw new Error(`a worker exited during the measurement (${dead.child.exitCode ?? dead.child.signalCode}):\n${dead.tail()}`);
      if (performance.now() > deadline) throw new Error(`not done in time: ${JSON.stringify(counts)}, sink ${a.sink.alerts} alerts\n${workers[0]!.tail()}`);
    };
    // Every worker up (its start-up poll done) and every feed polled once, empty.
    while (counts.feeds < a.corpus.feeds || workers.some((w) => !w.started())) {
      check();
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      counts = await readCounts(db);
    }
    // A start-up poll still waiting out its random delay (at most 1 s) must not see the corpus.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    before = workers.map((w) => w.polled());
    const cpuBefore = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid), 0);
    a.corpus.setEmpty(false);
    a.corpus.resetCounts();
    a.sink.reset();
    for (;;) {
      check();
      counts = await readCounts(db);
      if (ingestAt === null && counts.postings >= a.expected) ingestAt = performance.now();
      if (counts.failed > 0) throw new Error(`${counts.failed} alerts failed:\n${workers[0]!.tail()}`);
      // Marked sent after the server took the message: the sink has it by then.
      if (ingestAt !== null && counts.queued > 0 && counts.pending === 0 && a.sink.alerts >= counts.sent) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    // Read before SIGTERM: the shutdown's own work is not part of the figure.
    cpuS = workers.reduce((sum, w) => sum + cpuSeconds(w.child.pid), 0) - cpuBefore;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await db.end();
  }
  await dropDatabase(a.server, database);
  const first = a.corpus.firstRequestAt()!;
  return {
    workers: a.n,
    postings: counts.postings,
    alerts: a.sink.alerts,
    sentInDb: counts.sent,
    emails: a.sink.messages,
    ingestMs: ingestAt! - first,
    deliverMs: a.sink.lastAt! - a.sink.firstAt!,
    wallMs: a.sink.lastAt! - first,
    cpuS,
    fetched200: a.corpus.counts[200] ?? 0,
    split: workers.map((w, i) => w.polled() - before[i]!),
  };
}

/** One config for every worker: the database URL without its password (PGPASSWORD carries it), no HTTP server. */
function writeConfig(dir: string, database: string, a: MeasureArgs): string {
  const feeds = Array.from({ length: a.corpus.feeds }, (_, i) => `  - name: board-${i}\n    url: ${a.corpus.url(i)}\n`).join('');
  const file = path.join(dir, `${database}.yaml`);
  fs.writeFileSync(
    file,
    `database: ${a.server.urlWithoutPassword(database)}\nlog_level: info\nschedule: "* * * * *"\n` +
      `http:\n  port: 0\n` +
      `feeds:\n${feeds}` +
      `channels:\n  mail:\n    type: email\n    to: bench@example.com\n` +
      `smtp:\n  url: smtp://127.0.0.1:${a.sink.port}\n  from: "jobalert <jobalert@example.com>"\n` +
      `rules:\n  - name: everything\n    notify: mail\n`,
  );
  return file;
}

interface Worker {
  child: ChildProcess;
  /** The end of its output, for error messages. */
  tail(): string;
  /** Polls that read and stored a feed ("Feed polled" at info), so far. */
  polled(): number;
  /** True once its daemon has started and its start-up polls have ended (the first dispatch ran). */
  started(): boolean;
  /** SIGTERM, then SIGKILL after 30 s; resolves when it has exited. */
  stop(): Promise<void>;
}

function startWorker(command: string[], config: string, password: string): Worker {
  const child = spawn(command[0]!, [...command.slice(1), 'run', '--config', config], {
    cwd: path.dirname(config),
    env: { PATH: process.env.PATH ?? '', HOME: path.dirname(config), PGPASSWORD: password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let polled = 0;
  let started = false;
  // Logs go to stdout, or to stderr when a console channel has stdout: read both, a line at a time
  // (a chunk may end mid-line).
  for (const stream of [child.stdout!, child.stderr!]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      out = (out + d).slice(-4000);
      const lines = (partial + d).split('\n');
      partial = lines.pop()!;
      for (const l of lines) {
        if (l.includes('"msg":"Feed polled"')) polled++;
        else if (l.includes('"msg":"Daemon started"')) started = true;
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    tail: () => out,
    polled: () => polled,
    started: () => started,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

interface Counts {
  /** Feeds polled successfully at least once. */
  feeds: number;
  postings: number;
  queued: number;
  pending: number;
  sent: number;
  failed: number;
}

/** The database's progress; zeros until the first worker has created the schema. */
async function readCounts(db: pg.Client): Promise<Counts> {
  try {
    const r = await db.query<Record<keyof Counts, string>>(
      `SELECT (SELECT count(*) FROM feeds WHERE last_success_at IS NOT NULL) AS feeds,
              (SELECT count(*) FROM postings) AS postings, count(*) AS queued,
              count(*) FILTER (WHERE status = 'pending') AS pending,
              count(*) FILTER (WHERE status = 'sent') AS sent,
              count(*) FILTER (WHERE status = 'failed') AS failed
       FROM outbox`,
    );
    const row = r.rows[0]!;
    return { feeds: Number(row.feeds), postings: Number(row.postings), queued: Number(row.queued), pending: Number(row.pending), sent: Number(row.sent), failed: Number(row.failed) };
  } catch (err) {
    // 42P01: undefined table (the schema is not there yet).
    if ((err as { code?: string }).code === '42P01') return { feeds: 0, postings: 0, queued: 0, pending: 0, sent: 0, failed: 0 };
    throw err;
  }
}

/** User + system CPU seconds of a running process and its waited-for children (/proc/PID/stat); 0 when unreadable. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

async function dropDatabase(server: PgServer, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
