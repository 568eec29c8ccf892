/**
 * What a new user hits in the first hour (issue 8, item 12): where the database lands, what a dry
 * run says, which stream logs use, test-notify's subject, Remotive's poll limit, the HTTP host,
 * the health check, postings dated in the future, the Slack webhook body. Real CLI processes,
 * local servers, real SQLite files.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFeedServer, rssFeed, type FeedServer } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { startHttpServer } from './helpers/http-server.js';
import { runCli, spawnCli, logLines } from './helpers/cli.js';
import { parseConfigText } from '../src/config/load.js';
import { feedSchedule } from '../src/sources/registry.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { createSlackWebhookNotifier } from '../src/notify/slack.js';
import { NotifyError } from '../src/core/errors.js';
import type { FeedBase } from '../src/sources/types.js';

const NOW = new Date();
const JOB = {
  title: 'Acme: Senior Machine Learning Engineer',
  link: 'https://jobs.example.test/acme/senior-ml-engineer',
  guid: 'acme-1',
  descriptionHtml: '<p>Fully remote (US). Build ML systems.</p><p>Salary: $150,000 - $180,000 per year.</p>',
  pubDate: new Date(NOW.getTime() - 3 * 3_600_000),
};
const FAR_FUTURE = {
  title: 'Globex: Senior Machine Learning Engineer',
  link: 'https://jobs.example.test/globex/senior-ml-engineer',
  guid: 'globex-9999',
  descriptionHtml: '<p>Fully remote (US). Train models.</p><p>Salary: $160,000 - $190,000 per year.</p>',
  pubDate: new Date('9999-06-01T00:00:00Z'),
};

let tmp: string;
let feeds: FeedServer;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-newcomer-'));
  feeds = await startFeedServer({
    '/one.rss': { kind: 'feed', body: rssFeed('board', [JOB]) },
    '/future.rss': { kind: 'feed', body: rssFeed('board', [FAR_FUTURE]) },
  });
});
after(async () => {
  await feeds.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A config in its own folder, alerting to the console; `database:` as given (relative by default). */
function consoleConfig(name: string, opts: { database?: string; feed?: string; extra?: string } = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(
    file,
    `database: ${opts.database ?? './state/jobalert.db'}
http:
  port: 0
feeds:
  - name: board
    url: ${feeds.url(opts.feed ?? '/one.rss')}
rules:
  - name: remote-senior-ml
    query: "remote senior ML engineer >= $130k"
${opts.extra ?? ''}`,
  );
  return file;
}

function folder(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe('a relative database: path', () => {
  it('is read from the config file folder, so runs from two folders share one database; a new file is logged', async () => {
    const config = consoleConfig('two-folders');
    const expected = path.join(path.dirname(config), 'state', 'jobalert.db');

    const first = await runCli(['run', '--once', '--config', config], {}, 60_000, { cwd: folder('cwd-a') });
    const second = await runCli(['run', '--once', '--config', config], {}, 60_000, { cwd: folder('cwd-b') });

    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    assert.match(first.stdout, /Senior Machine Learning Engineer/);
    assert.doesNotMatch(second.stdout, /Senior Machine Learning Engineer/, 'the second folder alerted the job again');
    assert.ok(fs.existsSync(expected));
    assert.ok(!fs.existsSync(path.join(tmp, 'cwd-a', 'state')) && !fs.existsSync(path.join(tmp, 'cwd-b', 'state')));
    const created = logLines(first.stderr).filter((l) => l.msg === 'Created a new database');
    assert.deepEqual(created.map((l) => l.database), [expected], 'the new file is logged with its absolute path');
    assert.equal(logLines(second.stderr).filter((l) => l.msg === 'Created a new database').length, 0);
  });

  it('resolves JOBALERT_DB against the working directory; absolute paths and :memory: stay', () => {
    const file = path.join(tmp, 'cfg', 'c.yaml');
    assert.equal(parseConfigText('database: ./x.db\n', file, {}).database, path.join(tmp, 'cfg', 'x.db'));
    assert.equal(parseConfigText('database: ../data/x.db\n', file, {}).database, path.join(tmp, 'data', 'x.db'));
    assert.equal(parseConfigText('{}', file, {}).database, path.join(tmp, 'cfg', 'data', 'jobalert.db'));
    assert.equal(parseConfigText('database: /var/lib/x.db\n', file, {}).database, '/var/lib/x.db');
    assert.equal(parseConfigText('database: ":memory:"\n', file, {}).database, ':memory:');
    assert.equal(parseConfigText('database: ./x.db\n', file, { JOBALERT_DB: 'rel/y.db' }).database, path.resolve('rel/y.db'));
  });

  it('in the shipped config lands in the repository data/ folder, wherever jobalert starts', async () => {
    const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
    const res = await runCli(['check', '--config', path.join(repo, 'config/jobalert.yaml')], {}, 60_000, { cwd: folder('elsewhere') });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`^database: ${path.join(repo, 'data', 'jobalert.db').replace(/[.]/g, '\\.')}($| \\(|, )`, 'm'));
  });
});

describe('a database folder the process cannot write (a root-owned bind mount under Docker)', () => {
  it('stops with one clear error naming the folder and the chown fix, before touching anything', { skip: process.getuid?.() !== 0 && 'needs root to run the CLI as uid 1000' }, async () => {
    // Readable by everyone, writable by root only: what `docker run -v ./data:/data` makes of a missing folder.
    const dir = path.join(tmp, 'root-owned');
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true, mode: 0o755 });
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(dir, 0o755);
    const config = path.join(dir, 'jobalert.yaml');
    fs.writeFileSync(config, `http:\n  port: 0\nfeeds:\n  - name: board\n    url: ${feeds.url('/one.rss')}\nrules:\n  - name: all\n`, { mode: 0o644 });

    const polledBefore = feeds.hits.get('/one.rss')?.length ?? 0;
    const run = await runCli(['run', '--once', '--config', config], { JOBALERT_DB: path.join(dir, 'data', 'jobalert.db'), HOME: '/tmp' }, 60_000, { uid: 1000, gid: 1000, cwd: '/tmp' });

    assert.equal(run.code, 2, run.stderr + run.stdout);
    const [line] = logLines(run.stderr).filter((l) => l.level === 50);
    assert.equal(line?.msg, `Cannot create the database: ${path.join(dir, 'data')} is not writable by this process (uid:gid 1000:1000). Give the folder to that user (chown 1000:1000 ${path.join(dir, 'data')}); under Docker, chown 1000:1000 the host folder mounted on /data`);
    assert.doesNotMatch(run.stderr + run.stdout, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readdirSync(path.join(dir, 'data')), []);
    assert.equal(feeds.hits.get('/one.rss')?.length ?? 0, polledBefore, 'nothing was polled');
  });
});

describe('streams and dry runs', () => {
  it('run --once with a console channel prints alerts on stdout and logs on stderr', async () => {
    const config = consoleConfig('streams', { database: path.join(tmp, 'streams.db') });

    const run = await runCli(['run', '--once', '--config', config]);

    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Senior Machine Learning Engineer/);
    assert.deepEqual(logLines(run.stdout), [], 'no log line mixed into the alerts');
    assert.ok(logLines(run.stderr).some((l) => l.msg === 'Run finished'));
  });

  it('--dry-run says "would be sent" and counts wouldSend, never "Alert sent" or sent', async () => {
    const config = consoleConfig('dry', { database: path.join(tmp, 'dry.db') });

    const dry = await runCli(['run', '--dry-run', '--config', config]);

    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\[dry run: would send to console \(console\)\]/);
    assert.deepEqual(logLines(dry.stdout), []);
    const logs = logLines(dry.stderr);
    assert.equal(logs.filter((l) => l.msg === 'Alert sent').length, 0);
    assert.equal(logs.filter((l) => l.msg === 'Alert would be sent (dry run)').length, 1);
    const finished = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('Dry run finished'));
    assert.equal(finished?.wouldSend, 1);
    assert.ok(finished && !('sent' in finished));
  });
});

describe('test-notify', () => {
  it("puts the email channel's subject_prefix before the test subject", async () => {
    const smtp = await startSmtpSink();
    try {
      const config = consoleConfig('prefix', {
        database: path.join(tmp, 'prefix.db'),
        extra: `channels:\n  me:\n    type: email\n    to: [me@example.com]\n    subject_prefix: "[jobs]"\nsmtp:\n  url: ${smtp.url}\n  from: a@example.com\n`,
      });

      const res = await runCli(['test-notify', 'me', '--config', config]);

      assert.equal(res.code, 0, res.stderr);
      assert.equal(smtp.messages.length, 1);
      assert.equal(smtp.messages[0]!.subject, '[jobs] jobalert test message (me)');
    } finally {
      await smtp.close();
    }
  });

  it('posts a Slack webhook body without the library\'s "timeout" option, and the timeout still holds', async () => {
    const slack = await startSlackStub();
    const silent = await startHttpServer(() => new Promise(() => {}));
    try {
      const config = consoleConfig('hook', {
        database: path.join(tmp, 'hook.db'),
        extra: `channels:\n  team-hook:\n    type: slack\n    webhook_url: ${slack.webhookUrl}\n`,
      });

      const res = await runCli(['test-notify', 'team-hook', '--config', config]);

      assert.equal(res.code, 0, res.stderr);
      assert.equal(slack.posts.length, 1);
      assert.ok(!('timeout' in slack.posts[0]!.body), `the payload carries ${JSON.stringify(Object.keys(slack.posts[0]!.body))}`);
      assert.ok(!('retryConfig' in slack.posts[0]!.body));

      const hung = createSlackWebhookNotifier('hung', { type: 'slack', webhook_url: `${silent.url}/hooks/T/B/X` }, { timeoutMs: 300 });
      const started = Date.now();
      const err = await hung.sendTest().then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof NotifyError && err.retryable, String(err));
      assert.ok(Date.now() - started < 5000, 'the request was cut by its timeout');
    } finally {
      await Promise.all([slack.close(), silent.close()]);
    }
  });
});

describe("Remotive's poll limit", () => {
  const feed = (extra: Record<string, unknown>): FeedBase & Record<string, unknown> => ({ name: 'r', type: 'auto', enabled: true, ...extra });

  it('slows any feed read from remotive.com to 4 polls a day; another host keeps its schedule', () => {
    const rss = feedSchedule(feed({ url: 'https://remotive.com/remote-jobs/feed/software-dev' }), '*/30 * * * *');
    assert.equal(rss.schedule, '0 */6 * * *');
    assert.equal(rss.limited?.runsPerDay, 48);
    assert.equal(feedSchedule(feed({ type: 'remotive', schedule: '*/5 * * * *' }), '*/30 * * * *').schedule, '0 */6 * * *');
    assert.equal(feedSchedule(feed({ type: 'remotive', schedule: '0 8,20 * * *' }), '*/30 * * * *').schedule, '0 8,20 * * *');
    assert.equal(feedSchedule(feed({ type: 'remotive', url: 'http://127.0.0.1:9/mirror' }), '*/5 * * * *').schedule, '0 */6 * * *', 'the adapter default still applies');
    assert.equal(feedSchedule(feed({ type: 'remotive', url: 'http://127.0.0.1:9/mirror', schedule: '*/5 * * * *' }), '*').schedule, '*/5 * * * *');
    assert.equal(feedSchedule(feed({ url: 'https://weworkremotely.com/x.rss' }), '*/30 * * * *').schedule, '*/30 * * * *');
  });

  it('check shows the shipped config polling Remotive every 6 hours, and says why', async () => {
    const res = await runCli(['check']);
    assert.equal(res.code, 0, res.stderr);
    const block = res.stdout.split('\n  - ').find((b) => b.startsWith('remotive-software-dev')) ?? '';
    assert.match(block, /schedule: 0 \*\/6 \* \* \* \(UTC\)/);
    assert.match(block, /note: schedule "\*\/30 \* \* \* \*" would poll remotive\.com 48 times a day; Remotive advises at most 4 calls a day/);
  });
});

describe('publish dates in the future', () => {
  it('a date beyond a day ahead is unknown at normalization; a few hours ahead is kept', () => {
    const raw = { sourceId: '1', url: 'https://x.test/1', title: 'Engineer', company: null, location: null, description: '', published: new Date('9999-06-01T00:00:00Z') };
    assert.equal(normalizePosting(raw, 'f', NOW).published, null);
    const soon = new Date(NOW.getTime() + 3 * 3_600_000);
    assert.deepEqual(normalizePosting({ ...raw, published: soon }, 'f', NOW).published, soon);
  });

  it('a posting dated 9999 is alerted as "seen just now", not "posted just now", and exported without a date', async () => {
    const config = consoleConfig('future', { database: path.join(tmp, 'future.db'), feed: '/future.rss' });

    const run = await runCli(['run', '--once', '--config', config]);
    const exported = await runCli(['export', '--config', config]);

    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Globex/);
    assert.doesNotMatch(run.stdout, /posted just now/);
    assert.match(run.stdout, /seen just now/);
    assert.equal((JSON.parse(exported.stdout.trim()) as { published: unknown }).published, null);
  });
});

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** True when a TCP connection to host:port is accepted. */
function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the HTTP server and healthcheck', () => {
  async function daemon(name: string, env: Record<string, string>) {
    const port = await freePort();
    const config = consoleConfig(name, { database: path.join(tmp, `${name}.db`) }).replace(/$/, '');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('  port: 0', `  port: ${port}`));
    const child = spawnCli(['run', '--config', config], env);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const deadline = Date.now() + 30_000;
    while (!/Serving \/healthz/.test(out)) {
      if (Date.now() > deadline) throw new Error(`the daemon did not serve: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      port,
      config,
      async stop() {
        child.kill('SIGTERM');
        assert.equal(await exited, 0, out);
      },
    };
  }

  it('listens on 127.0.0.1 by default (not on another address), and healthcheck finds it on its port', async () => {
    const d = await daemon('loopback', {});
    try {
      assert.equal(await connects('127.0.0.1', d.port), true);
      assert.equal(await connects('127.0.0.2', d.port), false, 'reachable on an address other than 127.0.0.1');
      const check = await runCli(['healthcheck', '--config', d.config]);
      assert.equal(check.code, 0, check.stderr);
      assert.equal(check.stdout, `healthy: http://127.0.0.1:${d.port}/healthz answered 200\n`);
    } finally {
      await d.stop();
    }
    const down = await runCli(['healthcheck', '--config', d.config]);
    assert.equal(down.code, 1, 'Docker reads 1 as unhealthy');
    assert.match(down.stderr, new RegExp(`unhealthy: http://127\\.0\\.0\\.1:${d.port}/healthz: ECONNREFUSED`));
  });

  it('JOBALERT_HTTP_HOST=0.0.0.0 (the Docker image) listens on every address; healthcheck asks loopback', async () => {
    const d = await daemon('all-interfaces', { JOBALERT_HTTP_HOST: '0.0.0.0' });
    try {
      assert.equal(await connects('127.0.0.2', d.port), true);
      const check = await runCli(['healthcheck', '--config', d.config], { JOBALERT_HTTP_HOST: '0.0.0.0' });
      assert.equal(check.code, 0, check.stderr);
    } finally {
      await d.stop();
    }
  });

  it('healthcheck with http.port 0 has nothing to ask and says so (exit 0)', async () => {
    const config = consoleConfig('no-http', { database: path.join(tmp, 'no-http.db') });
    const res = await runCli(['healthcheck', '--config', config]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /http\.port is 0: the HTTP server is off/);
  });
});
