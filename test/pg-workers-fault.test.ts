/**
 * The fault test of issue 11: three `jobalert run` daemons (the real CLI) on one PostgreSQL
 * database share 30 feeds whose postings appear over time; one of them is killed with SIGKILL at
 * random moments, 100 times, and restarted each time. About a third of the kills come from the
 * SMTP sink or the Slack stub: the next message a worker sends, once the server has stored it and
 * before it answers, kills its sender, so the message is delivered but never recorded and must be
 * resent (as delivery-processes.test.ts does for one process). Then they drain and the test checks:
 *
 * - every matching posting reached every channel (email, Slack bot, Slack webhook) exactly once,
 *   except for resends, and every resend is the message its killed sender had in flight: the last
 *   one that sender sent on that channel, sent again whole (email: with the same Message-ID), at
 *   most once per kill and channel; nothing else was alerted; each message in flight at a kill
 *   was resent exactly once, and some were (the test cannot pass without exercising resends);
 * - no feed was polled by two processes at once, at two levels: the feed server never had two
 *   requests for one feed open together (a killed sender's request ends when the kernel closes its
 *   socket, which is when the process dies); and a process's poll (lease taken, fetched, stored,
 *   lease given back) had ended, by its own log, or the process had been killed, before another
 *   process's request for that feed arrived;
 * - no process died on its own (three started together on a fresh database migrate it once).
 *
 * The CLI runs compiled (as in the Docker image), so that a hundred starts cost seconds of CPU,
 * not minutes. Each process gets its own config, identical but for who it says it is: the feed User-Agent, the
 * Slack token, the webhook URL's query and the email From, so every request and message names its
 * sender. Kill times come from a seeded random (JOBALERT_FAULT_SEED reproduces a schedule; the
 * processes' own timing still varies). JOBALERT_FAULT_KILLS changes the number of kills.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { logLines } from './helpers/cli.js';
import { compileCli, type CompiledCli } from './helpers/compiled-cli.js';
import { rssFeed, type FixtureItem } from './helpers/feed-server.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startPostgres, type PgServer } from './support/postgres.js';
import { mulberry32 } from '../bench/corpus.js';

const SEED = Number(process.env.JOBALERT_FAULT_SEED ?? crypto.randomInt(1, 2 ** 31));
const KILLS = Number(process.env.JOBALERT_FAULT_KILLS ?? 100);
const WORKERS = 3;
const FEEDS = 30;
const ITEMS_PER_FEED = 8;
/**
 * Items 1 and 2 of each feed are there from the start; each other one appears once this share of
 * the kills is done: postings (and so messages to kill a sender over) keep coming through the kill
 * phase however long it takes on this machine, and all are out before it ends.
 */
const RELEASE_SHARE = 0.9;
/** A worker is killed at a moment uniform in this long after it logged "Daemon started" (ms)... */
const LIFE_MS = 3_000;
/** ...or, about this share of kills, while it is still starting... */
const STARTING_VICTIMS = 0.1;
/**
 * ...or, about this share of kills, by the SMTP sink or the Slack stub with a message in flight:
 * the server stored the worker's first message and kills its sender before answering, so it is
 * delivered but never recorded as sent (the one message a kill may resend). Such a worker lives
 * until it sends one (it must poll and deliver first, seconds on a loaded machine), or at most
 * IN_FLIGHT_LIFE_MS after its start-up, when it is killed as the others are.
 */
const IN_FLIGHT_SHARE = 1 / 3;
const IN_FLIGHT_LIFE_MS = 15_000;
/** How long the workers get, after the last kill, to deliver everything. */
const DRAIN_MS = 90_000;


const feedName = (f: number) => `f${String(f).padStart(2, '0')}`;
const jobKey = (f: number, i: number) => `orbit-${f}-${i}`;
/** Which jobs (orbit-F-I keys) a text lists. */
const jobsIn = (text: string) => [...new Set(text.match(/orbit-\d+-\d+/g) ?? [])].sort();

interface Posting {
  key: string;
  feed: number;
  /** Listed once this many kills were made. */
  releaseAt: number;
  matches: boolean;
  item: FixtureItem;
}

/** The postings of every feed, with when each appears (ms after the start) and whether the rule matches it. */
function planPostings(rng: () => number, t0: number): Posting[] {
  const out: Posting[] = [];
  for (let f = 1; f <= FEEDS; f++) {
    for (let i = 1; i <= ITEMS_PER_FEED; i++) {
      const releaseAt = i <= 2 ? 0 : 1 + Math.floor(rng() * KILLS * RELEASE_SHARE);
      const matches = i % 3 !== 0;
      const key = jobKey(f, i);
      out.push({
        key,
        feed: f,
        releaseAt,
        matches,
        item: {
          title: `Orbit ${f}-${i}: ${matches ? 'Senior Machine Learning Engineer' : 'Office Manager'}`,
          link: `https://jobs.example.test/${key}`,
          guid: key,
          descriptionHtml: `<p>Posting ${key}. Fully remote (US). Salary $150,000 - $190,000 per year.</p>`,
          pubDate: new Date(t0 - 60_000),
        },
      });
    }
  }
  return out;
}

/** One request the feed server saw: which process (its User-Agent), when it came and when it ended. */
interface FeedRequest {
  path: string;
  worker: string;
  start: number;
  end: number | null;
}

interface Board {
  server: TestServer;
  requests: FeedRequest[];
  /** Requests that arrived while another request for the same feed was still open. */
  overlaps: Array<{ open: FeedRequest; arrived: FeedRequest }>;
}

/**
 * The job board: /fNN.rss lists the postings released by the kills made so far (ETag, 304 when unchanged), each
 * answer after a short random delay so that a poll is a window a kill or a second poller can hit.
 */
async function startBoard(postings: Posting[], killsMade: () => number, rng: () => number): Promise<Board> {
  const requests: FeedRequest[] = [];
  const overlaps: Board['overlaps'] = [];
  const open = new Map<string, Set<FeedRequest>>();
  const bodies = new Map<string, { body: string; etag: string }>();
  const server = await startHttpServer(async (req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    const m = /^\/f(\d\d)\.rss$/.exec(p);
    if (!m) return res.writeHead(404).end();
    const r: FeedRequest = { path: p, worker: String(req.headers['user-agent'] ?? ''), start: Date.now(), end: null };
    requests.push(r);
    const set = open.get(p) ?? new Set();
    for (const other of set) overlaps.push({ open: other, arrived: r });
    set.add(r);
    open.set(p, set);
    // 'close' comes when the answer is handed over, or when the client's socket closed (a kill).
    res.on('close', () => {
      r.end = Date.now();
      set.delete(r);
    });
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(rng() * 120)));
    const f = Number(m[1]);
    const items = postings.filter((x) => x.feed === f && x.releaseAt <= killsMade());
    const cacheKey = `${p}:${items.length}`;
    let cached = bodies.get(cacheKey);
    if (!cached) {
      const body = rssFeed(feedName(f), items.map((x) => x.item));
      cached = { body, etag: `"${crypto.createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
      bodies.set(cacheKey, cached);
    }
    if (req.headers['if-none-match'] === cached.etag) return res.writeHead(304, { etag: cached.etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: cached.etag }).end(cached.body);
  });
  return { server, requests, overlaps };
}

/** One `jobalert run` process: `id` names it everywhere (User-Agent, token, From). */
interface Worker {
  id: string;
  slot: number;
  child: ChildProcess;
  startedAt: number;
  /** When it logged "Daemon started" (null: not yet). */
  readyAt: number | null;
  /** When the test sent SIGKILL (null: never killed). */
  killedAt: number | null;
  /** Why it was killed: at a random moment, while starting, or with a message in flight. */
  cause: 'timed' | 'starting' | 'in-flight' | null;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
}

let server: PgServer;
let tmp: string;
let cli: CompiledCli;
before(async () => {
  server = await startPostgres();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-fault-'));
  // Compiled once: a hundred starts through tsx would cost minutes of CPU (see compiled-cli.ts).
  cli = compileCli(tmp);
});
after(async () => {
  await server?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test(`three workers on one PostgreSQL database, one killed -9 ${KILLS} times: every alert once per channel (bar in-flight resends), no feed polled twice at once`, { timeout: 400_000 }, async () => {
  console.log(`pg-workers-fault: seed ${SEED} (JOBALERT_FAULT_SEED=${SEED} repeats this kill schedule), ${KILLS} kills`);
  const began = Date.now();
  const rng = mulberry32(SEED);
  const url = await server.createDatabase();
  // The password travels as PGPASSWORD, as a deployment passes it; the config has none.
  const database = server.urlWithoutPassword(new URL(url).pathname.slice(1));
  const t0 = Date.now();
  const postings = planPostings(rng, t0);
  let kills = 0; // kills made (or being made)
  const board = await startBoard(postings, () => kills, mulberry32(SEED ^ 0x5eed));
  // One kill at a time, whoever makes it: the SIGKILL, its exit, and a new process in its slot.
  let killing = false;
  const kill = async (w: Worker, cause: NonNullable<Worker['cause']>) => {
    killing = true;
    kills++;
    w.killedAt = Date.now();
    w.cause = cause;
    w.child.kill('SIGKILL');
    await w.exit;
    start(w.slot);
    killing = false;
  };
  // A kill with a message in flight, made by the server that took it (after storing it, before
  // answering), of a worker the kill loop chose for it.
  const inFlightVictims = new Set<Worker>();
  /** The messages in flight when their senders were killed: each must be resent once, whole. */
  const inFlight: Array<{ channel: 'bot' | 'hook' | 'mail'; sender: string; message: unknown }> = [];
  const killInFlight = async (channel: 'bot' | 'hook' | 'mail', sender: string, message: unknown) => {
    const w = slots.find((x) => x?.id === sender);
    if (!w || !inFlightVictims.has(w) || w.killedAt !== null || killing || stopping || kills >= KILLS) return;
    inFlight.push({ channel, sender, message });
    await kill(w, 'in-flight');
  };
  // The SMTP server takes a moment to answer, as a real one does: a timed kill too may then fall
  // between the message accepted and its outcome recorded.
  const smtp = await startSmtpSink({
    onMessage: async (mail) => {
      await killInFlight('mail', /^(p\d+)@/.exec(mail.from?.value[0]?.address ?? '')?.[1] ?? '?', mail);
      await new Promise((r) => setTimeout(r, 40));
    },
  });
  const slack = await startSlackStub({
    onMessage: (post) =>
      post.kind === 'api'
        ? killInFlight('bot', /^xoxb-(p\d+)$/.exec(String(post.token))?.[1] ?? '?', post)
        : killInFlight('hook', /from=(p\d+)/.exec(post.query)?.[1] ?? '?', post),
  });
  const db = new pg.Pool({ connectionString: url, max: 2 });
  const workers: Worker[] = [];
  const slots: Worker[] = [];
  let next = 0;
  let stopping = false;
  /** Processes that exited without being killed or stopped: the run is cut short and they are reported. */
  const died: Worker[] = [];
  const noneDied = () => {
    if (died.length > 0) throw new Error(`${died.map((w) => w.id).join(', ')} exited on its own; the log of ${died[0]!.id} ends:\n${died[0]!.output.join('').slice(-3000)}`);
  };

  function configFor(id: string): string {
    const file = path.join(tmp, `${id}.yaml`);
    const feeds = Array.from({ length: FEEDS }, (_, k) => `  - name: ${feedName(k + 1)}\n    url: ${board.server.url}/${feedName(k + 1)}.rss`).join('\n');
    fs.writeFileSync(
      file,
      `database: ${database}
schedule: "*/2 * * * * *"
max_age: 14d
http:
  port: 0
fetch:
  timeout: 5s
  per_host: 8
  user_agent: ${id}
feeds:
${feeds}
channels:
  bot: { type: slack, token: xoxb-${id}, channel: "#jobs", api_url: "${slack.apiUrl}", summary_after: 100000 }
  hook: { type: slack, webhook_url: "${slack.webhookUrl}?from=${id}", summary_after: 100000 }
  mail: { type: email, to: [me@example.com], max_jobs_per_email: 2 }
smtp:
  url: ${smtp.url}
  from: "jobalert <${id}@example.com>"
rules:
  - name: ml
    title: [ML engineer]
    notify: [bot, hook, mail]
`,
    );
    return file;
  }

  function start(slot: number): Worker {
    const id = `p${++next}`;
    const child = cli.spawn(['run', '--config', configFor(id)], { JOBALERT_LOG_LEVEL: 'debug', PGPASSWORD: server.password });
    const output: string[] = [];
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      output.push(d);
      if (w.readyAt === null && d.includes('"msg":"Daemon started"')) w.readyAt = Date.now();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => output.push(d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const w: Worker = { id, slot, child, startedAt: Date.now(), readyAt: null, killedAt: null, cause: null, exit, output };
    void exit.then(() => {
      if (w.killedAt === null && !stopping) died.push(w);
    });
    workers.push(w);
    slots[slot] = w;
    return w;
  }

  async function pendingInDatabase(): Promise<number> {
    try {
      const res = await db.query<{ n: string }>("SELECT count(*) AS n FROM outbox WHERE status = 'pending'");
      return Number(res.rows[0]!.n);
    } catch {
      return -1; // the schema may not exist yet
    }
  }

  const expected = postings.filter((p) => p.matches).map((p) => p.key).sort();
  const delivered = () => {
    const bot = new Set(slack.posts.filter((p) => p.kind === 'api' && p.status === 200).flatMap((p) => jobsIn(JSON.stringify(p.body))));
    const hook = new Set(slack.posts.filter((p) => p.kind === 'webhook' && p.status === 200).flatMap((p) => jobsIn(JSON.stringify(p.body))));
    const mail = new Set(smtp.messages.flatMap((m) => jobsIn(m.text ?? '')));
    return { bot, hook, mail };
  };

  let killPhaseMs = 0;
  let drainMs = 0;
  try {
    for (let s = 0; s < WORKERS; s++) start(s);
    const killStart = Date.now();
    // Each worker's kill is set at random: mostly a moment within LIFE_MS of its "Daemon started"
    // (polling, storing, sending: a kill interrupts work), now and then one while it is still
    // starting (connecting, migrating). Were every moment fair game, start-up taking seconds of
    // CPU, nearly every kill would land in start-up and no worker would ever deliver. About a
    // third are left to send a message and are killed by the server with it in flight.
    const killAt = new Map<Worker, number>();
    const fate = new Map<Worker, 'starting' | 'in-flight' | 'timed'>();
    let deadline = Date.now() + 60_000;
    while (kills < KILLS) {
      noneDied();
      assert.ok(Date.now() < deadline, 'no worker could be killed within 60 s (none started?)');
      for (const w of slots) {
        if (killAt.has(w)) continue;
        if (!fate.has(w)) {
          const r = rng();
          fate.set(w, r < STARTING_VICTIMS ? 'starting' : r < STARTING_VICTIMS + IN_FLIGHT_SHARE ? 'in-flight' : 'timed');
          if (fate.get(w) === 'starting') killAt.set(w, w.startedAt + Math.floor(rng() * 1500));
          if (fate.get(w) === 'in-flight') inFlightVictims.add(w);
        } else if (w.readyAt !== null) killAt.set(w, w.readyAt + (fate.get(w) === 'in-flight' ? IN_FLIGHT_LIFE_MS : Math.floor(rng() * LIFE_MS)));
      }
      const due = killing ? undefined : slots.find((w) => w.killedAt === null && (killAt.get(w) ?? Infinity) <= Date.now());
      if (due) {
        await kill(due, due.readyAt === null ? 'starting' : 'timed');
        deadline = Date.now() + 60_000;
      } else await new Promise((r) => setTimeout(r, 20));
    }
    // The last kill may be the servers' own, still under way.
    while (killing) await new Promise((r) => setTimeout(r, 20));
    killPhaseMs = Date.now() - killStart;

    // Drain: everything delivered on every channel, nothing pending in the outbox, and every live
    // worker started (one SIGTERMed while still starting would die of it, not stop cleanly).
    const drainStart = Date.now();
    for (;;) {
      noneDied();
      const d = delivered();
      const done = slots.every((w) => w.readyAt !== null) && expected.every((k) => d.bot.has(k) && d.hook.has(k) && d.mail.has(k)) && (await pendingInDatabase()) === 0;
      if (done) break;
      if (Date.now() - drainStart > DRAIN_MS) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    drainMs = Date.now() - drainStart;
  } finally {
    // A graceful stop for the live ones (exit 0 expected), then nothing outlives the test.
    stopping = true;
    const live = slots.filter((w) => w && w.killedAt === null);
    for (const w of live) w.child.kill('SIGTERM');
    const stopped = Promise.all(live.map((w) => w.exit));
    const timer = setTimeout(() => live.forEach((w) => w.child.kill('SIGKILL')), 20_000);
    await stopped;
    clearTimeout(timer);
    await Promise.all([board.server.close(), smtp.close(), slack.close()]);
  }
  const logDir = process.env.JOBALERT_FAULT_LOGS;
  if (logDir) {
    fs.mkdirSync(logDir, { recursive: true });
    for (const w of workers) fs.writeFileSync(path.join(logDir, `${w.id}.log`), w.output.join(''));
  }
  const pending = await pendingInDatabase();
  const jobsStored = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM jobs')).rows[0]!.n);
  await db.end();

  // Every message, with its sender and the jobs it lists, in arrival order per channel.
  const senderOf = (text: string, re: RegExp) => re.exec(text)?.[1] ?? '?';
  const messages = {
    bot: slack.posts
      .filter((p) => p.kind === 'api' && p.status === 200)
      .map((p) => ({ ref: p as unknown, sender: senderOf(String(p.token), /^xoxb-(p\d+)$/), jobs: jobsIn(JSON.stringify(p.body)), id: null as string | null })),
    hook: slack.posts
      .filter((p) => p.kind === 'webhook' && p.status === 200)
      .map((p) => ({ ref: p as unknown, sender: senderOf(p.query, /from=(p\d+)/), jobs: jobsIn(JSON.stringify(p.body)), id: null as string | null })),
    mail: smtp.messages.map((m) => ({ ref: m as unknown, sender: senderOf(m.from?.value[0]?.address ?? '', /^(p\d+)@/), jobs: jobsIn(m.text ?? ''), id: m.messageId ?? null })),
  };
  const byId = new Map(workers.map((w) => [w.id, w]));

  const killed = workers.filter((w) => w.killedAt !== null).length;
  const startup = workers.filter((w) => w.readyAt !== null).map((w) => w.readyAt! - w.startedAt).sort((a, b) => a - b);
  const logCount = (msg: string) => workers.reduce((n, w) => n + w.output.join('').split(`"msg":"${msg}`).length - 1, 0);
  const summary = {
    seed: SEED,
    wallSeconds: Math.round((Date.now() - began) / 1000),
    killPhaseSeconds: Math.round(killPhaseMs / 1000),
    drainSeconds: Math.round(drainMs / 1000),
    processes: workers.length,
    kills: killed,
    killedWhileStarting: workers.filter((w) => w.killedAt !== null && (w.readyAt === null || w.readyAt > w.killedAt)).length,
    killedWithMessageInFlight: inFlight.length,
    chosenForInFlightButSentNothing: [...inFlightVictims].filter((w) => w.cause !== 'in-flight' && w.killedAt !== null).length,
    inFlightByChannel: Object.fromEntries(['bot', 'hook', 'mail'].map((c) => [c, inFlight.filter((x) => x.channel === c).length])),
    startupMs: { median: startup[Math.floor(startup.length / 2)], max: startup.at(-1) },
    leasesTakenOver: logCount('Feed lease of a process that is gone taken over'),
    leaseRefusals: logCount('Feed is being polled by another process'),
    postings: postings.length,
    matching: expected.length,
    jobsStored,
    pendingAtEnd: pending,
    feedRequests: board.requests.length,
    messages: { bot: messages.bot.length, hook: messages.hook.length, mail: messages.mail.length },
    resends: {} as Record<string, number>,
  };

  // No process died on its own: each was killed by the test or stopped cleanly (exit 0).
  for (const w of workers) {
    const e = await w.exit;
    if (w.killedAt !== null) assert.equal(e.signal, 'SIGKILL', `${w.id} was killed`);
    else assert.equal(e.code, 0, `${w.id} stopped cleanly on SIGTERM; its log ends:\n${w.output.join('').slice(-3000)}`);
  }

  // Deliveries: each expected job once per channel; a second copy only as a whole in-flight message
  // resent. A resend may itself be in flight at the next kill and be resent in turn: each copy is
  // judged against the copy before it.
  const problems: string[] = [];
  for (const [channel, list] of Object.entries(messages)) {
    const seen = new Map<string, number>(); // job -> index of the latest message that carried it
    const resentOf = new Map<number, number>(); // message index -> times it was sent again
    list.forEach((msg, index) => {
      if (msg.sender === '?') problems.push(`${channel}: message ${index} names no sender`);
      const again = msg.jobs.filter((j) => seen.has(j));
      if (again.length > 0) {
        const previous = seen.get(again[0]!)!;
        const before = list[previous]!;
        const sender = byId.get(before.sender);
        const lastOfSender = list.findLastIndex((m) => m.sender === before.sender);
        const why: string[] = [];
        if (again.length !== msg.jobs.length || msg.jobs.join() !== before.jobs.join()) why.push(`not the same jobs (${msg.jobs.join(' ')} vs ${before.jobs.join(' ')})`);
        if (channel === 'mail' && msg.id !== before.id) why.push(`another Message-ID (${msg.id} vs ${before.id})`);
        if (!sender || sender.killedAt === null) why.push(`its sender ${before.sender} was never killed`);
        if (lastOfSender !== previous) why.push(`not the last message ${before.sender} sent on ${channel} (message ${previous}, its last ${lastOfSender})`);
        const times = (resentOf.get(previous) ?? 0) + 1;
        resentOf.set(previous, times);
        if (times > 1) why.push(`sent again ${times} times`);
        if (why.length > 0) problems.push(`${channel}: message ${index} from ${msg.sender} repeats message ${previous} from ${before.sender}: ${why.join('; ')}`);
      }
      for (const j of msg.jobs) seen.set(j, index);
    });
    summary.resends[channel] = resentOf.size;
    // Each message its sender was killed over, after the server took it, was resent once, whole.
    for (const x of inFlight.filter((y) => y.channel === channel)) {
      const index = list.findIndex((m) => m.ref === x.message);
      if (index < 0) problems.push(`${channel}: the message ${x.sender} was killed over is not among those accepted`);
      else if (resentOf.get(index) !== 1) problems.push(`${channel}: message ${index}, in flight when ${x.sender} was killed, was resent ${resentOf.get(index) ?? 0} times, not once`);
    }
    const missing = expected.filter((k) => !seen.has(k));
    if (missing.length > 0) problems.push(`${channel}: ${missing.length} matching postings never alerted: ${missing.slice(0, 20).join(' ')}`);
    const unexpected = [...seen.keys()].filter((k) => !expected.includes(k));
    if (unexpected.length > 0) problems.push(`${channel}: alerted postings that do not match: ${unexpected.join(' ')}`);
    if (resentOf.size > killed) problems.push(`${channel}: ${resentOf.size} resends for ${killed} kills`);
  }

  // Polls: no two requests for one feed open at once, and no request while another process's poll ran.
  for (const o of board.overlaps) {
    problems.push(`${o.arrived.path}: ${o.arrived.worker} requested it at ${o.arrived.start} while ${o.open.worker}'s request (from ${o.open.start}) was open`);
  }
  const pollEnds = new Map<string, number[]>(); // `${worker} ${feed}` -> times its polls of the feed ended
  const END = /^(Feed polled|Feed not modified|Feed unchanged|Feed poll failed|Feed poll not stored|Poll cut short|Poll crashed)/;
  for (const w of workers) {
    for (const line of logLines(w.output.join(''))) {
      if (typeof line.feed !== 'string' || typeof line.msg !== 'string' || !END.test(line.msg)) continue;
      const key = `${w.id} ${line.feed}`;
      const list = pollEnds.get(key) ?? [];
      list.push(Number(line.time));
      pollEnds.set(key, list);
    }
  }
  const byPath = new Map<string, FeedRequest[]>();
  for (const r of board.requests) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  let handovers = 0;
  for (const [p, list] of byPath) {
    const feed = p.slice(1, -'.rss'.length);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      if (a.worker === b.worker) continue;
      handovers++;
      const ended = (pollEnds.get(`${a.worker} ${feed}`) ?? []).some((t) => t >= a.start && t <= b.start);
      const killed = byId.get(a.worker)?.killedAt;
      if (!ended && !(killed != null && killed <= b.start)) {
        problems.push(`${feed}: ${b.worker} fetched it at ${b.start} while ${a.worker}'s poll (fetch at ${a.start}) had not ended`);
      }
    }
  }
  if (problems.length > 0) console.log(problems.join('\n'));
  console.log(`pg-workers-fault: ${JSON.stringify({ ...summary, handovers })}`);

  assert.equal(killed, KILLS);
  // Not vacuous: kills did land with messages in flight, and those messages were sent again.
  assert.ok(inFlight.length > 0, 'some kills came with a message in flight');
  assert.ok(Object.values(summary.resends).reduce((a, b) => a + b, 0) > 0, 'some messages were resent');
  assert.equal(pending, 0, 'nothing left pending in the outbox');
  assert.equal(jobsStored, postings.length, 'every posting stored once');
  assert.deepEqual(problems, []);
});
