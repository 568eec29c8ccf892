/**
 * End to end, as a user runs it: the real CLI against a local job feed, a real SMTP server
 * and a Slack-compatible stub, with a real SQLite file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startFeedServer, rssFeed, markdownToHtml, type FeedServer } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { runCli, spawnCli, logLines } from './helpers/cli.js';

const SEED = fs.readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8');
const SEED_MOJIBAKE = fs.readFileSync(new URL('./fixtures/seed-posting.txt', import.meta.url), 'utf8');
const FOUNDING_URL = 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253';
const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** The seed posting without its markdown title lines (the feed item carries them as fields). */
function seedBody(text: string): string {
  return text.split('\n').slice(2).join('\n');
}

const FOUNDING = {
  title: 'Nomad Health: Senior Machine Learning Engineer',
  link: `${FOUNDING_URL}?utm_source=rss&utm_medium=feed`,
  guid: 'remotewlb-136253',
  descriptionHtml: markdownToHtml(seedBody(SEED)),
  pubDate: hoursAgo(3),
  region: 'Remote',
};
const NOT_ML = {
  title: 'Lattice Labs: Senior Software Engineer, Backend',
  link: 'https://www.remotewlb.com/apply/senior-software-engineer-backend-136300',
  descriptionHtml: '<p>Remote (US). Build payment APIs in Go. We use machine learning models from our ML team.</p><p>Salary: $160,000 - $190,000 per year.</p>',
  pubDate: hoursAgo(5),
  region: 'Remote - US',
};
const NOT_SENIOR_ONSITE = {
  title: 'Acme Robotics: Machine Learning Engineer I',
  link: 'https://www.remotewlb.com/apply/machine-learning-engineer-i-136311',
  descriptionHtml: '<p>This role is on-site in Austin, TX, five days a week.</p><p>Pay: $95,000 - $120,000 per year.</p>',
  pubDate: hoursAgo(7),
  region: 'Austin, TX',
};

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-e2e-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A config a user would write from DESIGN.md: every channel kind, a query rule and its structured twin. */
function writeConfig(name: string, feeds: string, extra = ''): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    file,
    `database: ${path.join(tmp, `${name}.db`)}
schedule: "*/15 * * * *"
max_age: 14d
http:
  port: 0
fetch:
  timeout: 2s
feeds:
${feeds}
channels:
  ml-slack:
    type: slack
    token: \${SLACK_BOT_TOKEN}
    channel: "#ml-jobs"
    api_url: \${SLACK_API_URL}
  team-hook:
    type: slack
    webhook_url: \${SLACK_WEBHOOK_URL}
  me:
    type: email
    to: [me@example.com]
smtp:
  url: \${SMTP_URL}
  from: "jobalert <alerts@example.com>"
rules:
  - name: remote-senior-ml
    query: "remote senior ML engineer >= $130k"
    notify: [ml-slack, team-hook, me]
  - name: same-thing-structured
    title: ["ML engineer"]
    seniority: [senior]
    remote: true
    salary_min: 130000
    currency: USD
    include_unknown_salary: false
    notify: [ml-slack, team-hook, me]
${extra}`,
  );
  return file;
}

test('run --once delivers the founding posting once per channel, and a second run sends nothing', async () => {
  const feeds = await startFeedServer({ '/remotewlb.rss': { kind: 'feed', body: rssFeed('remotewlb', [FOUNDING, NOT_ML, NOT_SENIOR_ONSITE]) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig('founding', `  - name: remotewlb\n    url: ${feeds.url('/remotewlb.rss')}\n`);
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-e2e-secret-token',
      SLACK_API_URL: slack.apiUrl,
      SLACK_WEBHOOK_URL: slack.webhookUrl,
      // The local sink offers no STARTTLS; logging in without it needs the explicit opt-out.
      SMTP_URL: `${smtp.url.replace('smtp://', 'smtp://alerts:s3cret-pass@')}?requireTLS=false`,
    };

    const first = await runCli(['run', '--once', '--config', config], env);

    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(smtp.messages.length, 1, 'one email');
    const mail = smtp.messages[0]!;
    assert.match(mail.subject ?? '', /Senior Machine Learning Engineer/);
    assert.match(mail.subject ?? '', /Nomad Health/);
    for (const part of [mail.text ?? '', String(mail.html)]) {
      assert.match(part, /Nomad Health/);
      assert.match(part, /\$135k.\$180k/);
      assert.doesNotMatch(part, /Lattice Labs|Acme Robotics/);
    }
    const api = slack.posts.filter((p) => p.kind === 'api');
    const hooks = slack.posts.filter((p) => p.kind === 'webhook');
    assert.equal(api.length, 1, 'one bot message');
    assert.equal(hooks.length, 1, 'one webhook message');
    assert.equal(api[0]!.token, 'xoxb-e2e-secret-token');
    for (const post of [...api, ...hooks]) {
      const text = JSON.stringify(post.body);
      assert.match(text, /Senior Machine Learning Engineer/);
      assert.match(text, /Nomad Health/);
      assert.match(text, /remote-senior-ml/);
    }
    for (const secret of ['xoxb-e2e-secret-token', 's3cret-pass', '/hooks/T000']) {
      assert.ok(!first.stdout.includes(secret) && !first.stderr.includes(secret), `secret ${secret} leaked into logs`);
    }

    const second = await runCli(['run', '--once', '--config', config], env);

    assert.equal(second.code, 0, second.stderr);
    assert.equal(smtp.messages.length, 1, 'no second email');
    assert.equal(slack.posts.length, 2, 'no second Slack message');
    const hits = feeds.hits.get('/remotewlb.rss')!;
    assert.deepEqual(hits.map((h) => [h.status, h.conditional]), [[200, false], [304, true]]);

    const exported = await runCli(['export', '--config', config], env);
    assert.equal(exported.code, 0, exported.stderr);
    const jobs = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(jobs.length, 3);
    const founding = jobs.find((j) => j.title === 'Senior Machine Learning Engineer')!;
    assert.equal(founding.company, 'Nomad Health');
    assert.equal(founding.remote, 'remote');
    assert.equal(founding.seniority, 'senior');
    assert.deepEqual(founding.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.equal(founding.url, `${FOUNDING_URL}?utm_source=rss&utm_medium=feed`);
    assert.deepEqual(founding.feeds, ['remotewlb']);
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('a mojibake cross-post of the founding posting on another board is not alerted again', async () => {
  const mojibake = { ...FOUNDING, title: 'Nomad Health: Senior Machine Learning Engineer', guid: 'mirror-1', descriptionHtml: markdownToHtml(seedBody(SEED_MOJIBAKE)), link: `${FOUNDING_URL}?ref=mirror#apply` };
  const feeds = await startFeedServer({
    '/a.rss': { kind: 'feed', body: rssFeed('remotewlb', [FOUNDING]) },
    '/b.rss': { kind: 'feed', body: rssFeed('mirror', [mojibake]) },
  });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig('crosspost', `  - name: remotewlb\n    url: ${feeds.url('/a.rss')}\n  - name: mirror\n    url: ${feeds.url('/b.rss')}\n`);
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl, SMTP_URL: smtp.url };

    const run = await runCli(['run', '--once', '--config', config], env);

    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(smtp.messages.length, 1);
    assert.equal(slack.posts.filter((p) => p.kind === 'api').length, 1);
    assert.equal(slack.posts.filter((p) => p.kind === 'webhook').length, 1);
    const exported = await runCli(['export', '--config', config], env);
    const jobs = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(jobs.length, 1, 'one job with two sightings');
    assert.deepEqual([...jobs[0]!.feeds].sort(), ['mirror', 'remotewlb']);
    assert.equal(jobs[0]!.urls.length, 2);
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('the founding posting on remotewlb and on a company-less mojibake mirror: one alert with both links', async () => {
  // remotewlb's shape: the item title is the role; the description opens with the company, the pay
  // and the arrangement, one per line. The mirror copies the text (mangled: UTF-8 read as
  // Windows-1252) under its own link and id, with no company anywhere in its fields.
  const body = (text: string) => text.split('\n').slice(3).join('\n');
  const remotewlb = {
    title: 'Senior Machine Learning Engineer',
    link: FOUNDING_URL,
    guid: 'remotewlb-136253',
    descriptionHtml: `<p>Nomad Health</p>\n<p>💰 $135,000 to $180,000</p>\n<p>🌎 Remote</p>\n${markdownToHtml(body(SEED))}`,
    pubDate: hoursAgo(3),
  };
  const mirror = {
    title: 'Senior Machine Learning Engineer',
    link: 'https://jobs.mirror.test/listing/88412',
    guid: 'mirror-88412',
    descriptionHtml: `<p>ðŸ’° $135,000 to $180,000</p>\n<p>ðŸŒŽ Remote</p>\n${markdownToHtml(body(SEED_MOJIBAKE))}`,
    pubDate: hoursAgo(2),
  };
  const feeds = await startFeedServer({
    '/remotewlb.rss': { kind: 'feed', body: rssFeed('remotewlb', [remotewlb, NOT_ML]) },
    '/mirror.rss': { kind: 'feed', body: rssFeed('mirror', [mirror]) },
  });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig('founding-mirror', `  - name: remotewlb\n    url: ${feeds.url('/remotewlb.rss')}\n  - name: mirror\n    url: ${feeds.url('/mirror.rss')}\n`);
    // Both feeds are polled at once: on a loaded machine the first poll's parsing can hold the
    // second fetch past a 2 s timeout, and this test is about dedupe, not timeouts.
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('  timeout: 2s', '  timeout: 30s'));
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl, SMTP_URL: smtp.url };

    const run = await runCli(['run', '--once', '--config', config], env);

    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.equal(smtp.messages.length, 1, 'one email');
    assert.equal(slack.posts.filter((p) => p.kind === 'api').length, 1, 'one bot message');
    assert.equal(slack.posts.filter((p) => p.kind === 'webhook').length, 1, 'one webhook message');
    assert.match(smtp.messages[0]!.subject ?? '', /Senior Machine Learning Engineer at Nomad Health/);
    assert.match(smtp.messages[0]!.text ?? '', /Nomad Health/);
    assert.ok(smtp.messages[0]!.text?.includes(mirror.link), `the email links the mirror posting:\n${smtp.messages[0]!.text}`);
    assert.match(JSON.stringify(slack.posts.find((p) => p.kind === 'api')), /Nomad Health/);
    const exported = await runCli(['export', '--config', config], env);
    const jobs = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const founding = jobs.filter((j) => j.title === 'Senior Machine Learning Engineer');
    assert.equal(founding.length, 1, 'one job for the posting and its mirror');
    assert.equal(founding[0]!.company, 'Nomad Health');
    assert.deepEqual(founding[0]!.feeds, ['remotewlb', 'mirror']);
    assert.deepEqual(founding[0]!.urls, [FOUNDING_URL, mirror.link]);
    assert.deepEqual(founding[0]!.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });

    const again = await runCli(['run', '--once', '--config', config], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(smtp.messages.length, 1, 'nothing sent twice');
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('config errors name file, line and key, and exit 1', async () => {
  const cases: Array<{ yaml: string; expect: RegExp }> = [
    { yaml: 'feeds:\n  - name: a\n    url: https://example.test/a.rss\n    schedul: "*/5 * * * *"\n', expect: /bad\.yaml:4:\d+: feeds\[0\]\.schedul: unknown key "schedul" \(did you mean "schedule"\?\)/ },
    { yaml: 'feeds:\n  - name: a\n    url: https://example.test/a.rss\n    schedule: "every five minutes"\n', expect: /bad\.yaml:4:\d+: feeds\[0\]\.schedule: .*cron/ },
    { yaml: 'channels:\n  s:\n    type: slack\n    token: ${JOBALERT_E2E_UNSET}\n    channel: "#x"\n', expect: /bad\.yaml:4:\d+: channels\.s\.token: .*JOBALERT_E2E_UNSET/ },
    { yaml: 'rules:\n  - name: r\n    title: [engineer]\n    notify: [slak]\n', expect: /bad\.yaml:4:\d+: rules\[0\]\.notify.*unknown channel "slak"/ },
    { yaml: 'rules:\n  - name: r\n    title: [engineer]\n    salary_min: 140\n', expect: /bad\.yaml:4:17: rules\[0\]\.salary_min: 140 is too low for a yearly salary \(did you mean 140000 or 140k\?\)/ },
  ];
  for (const c of cases) {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, c.yaml);
    for (const command of ['check', 'run']) {
      const res = await runCli([command, '--once', '--config', file].filter((a) => command === 'run' || a !== '--once'));
      assert.equal(res.code, 1, `${command}: ${res.stderr}`);
      assert.match(res.stderr, c.expect);
    }
  }
});

test('failing feeds are logged, counted and backed off while the good feed still delivers', async () => {
  const good = { ...FOUNDING, guid: 'good-1' };
  const feeds = await startFeedServer({
    '/good.rss': { kind: 'feed', body: rssFeed('good', [good]) },
    '/hang.rss': { kind: 'hang' },
    '/http-500.rss': { kind: 'status', status: 500, body: 'Internal Server Error' },
    '/huge.rss': { kind: 'huge', bytes: 50 * 1024 * 1024 },
    '/broken.rss': { kind: 'feed', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Half' },
  });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const list = ['good', 'hang', 'http-500', 'huge', 'broken'].map((n) => `  - name: ${n}\n    url: ${feeds.url(`/${n}.rss`)}\n`).join('');
    const config = writeConfig('faults', list);
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl, SMTP_URL: smtp.url };
    const started = Date.now();

    const run = await runCli(['run', '--once', '--config', config], env);

    assert.equal(run.code, 2, 'a failing feed makes --once exit 2');
    assert.ok(Date.now() - started < 30_000, 'the hanging feed did not hold the run');
    assert.equal(smtp.messages.length, 1, 'the good feed delivered');
    assert.equal(slack.posts.length, 2);
    const failures = logLines(run.stdout).filter((l) => l.msg === 'Feed poll failed; backing off');
    assert.deepEqual(failures.map((l) => l.feed).sort(), ['http-500', 'broken', 'huge', 'hang'].sort());
    const db = new Database(path.join(tmp, 'faults.db'), { readonly: true });
    const states = db.prepare('SELECT name, consecutive_errors, next_check_at, last_error FROM feeds ORDER BY name').all() as Array<Record<string, any>>;
    db.close();
    for (const s of states.filter((s) => s.name !== 'good')) {
      assert.equal(s.consecutive_errors, 1, s.name);
      assert.ok(s.next_check_at > Date.now(), `${s.name} backs off`);
      assert.ok(s.last_error, `${s.name} keeps its error`);
    }
    const check = await runCli(['check', '--config', config], env);
    assert.match(check.stdout, /hang[\s\S]*FAILING: 1 error, last: /);
    assert.match(check.stdout, /\nFAILING: 4 of 5 feeds failing/);
    assert.equal(check.code, 3, 'check: config valid, feeds failing');

    const again = await runCli(['run', '--once', '--config', config], env);

    assert.equal(feeds.hits.get('/hang.rss')!.length, 2, 'run --once polls every feed, whatever backoff is stored');
    assert.equal(feeds.hits.get('/good.rss')!.length, 2);
    assert.equal(smtp.messages.length, 1, 'nothing sent twice');
    assert.equal(again.code, 2);
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('a process killed between storing and sending delivers the pending alert on the next run', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('remotewlb', [FOUNDING]) } });
  // An SMTP server that accepts connections and never greets: the send hangs until we kill.
  const silent = net.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const silentPort = (silent.address() as net.AddressInfo).port;
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig('restart', `  - name: remotewlb\n    url: ${feeds.url('/jobs.rss')}\n`);
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl };
    const child = spawnCli(['run', '--once', '--config', config], { ...env, SMTP_URL: `smtp://127.0.0.1:${silentPort}` });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never stored: ${out}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Feed polled')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // Killed while the email hangs: after the Slack alerts are sent and recorded (a fixed sleep
    // here lost that race on a loaded machine, which is a resend of the one alert in flight).
    await waitFor('the Slack alerts recorded as sent', () => {
      const db = new Database(path.join(tmp, 'restart.db'), { readonly: true });
      try {
        // One row per (job, channel): the two rules' alerts for each Slack channel are one row.
        const n = db.prepare("SELECT count(*) FROM outbox WHERE status = 'sent'").pluck().get() as number;
        return n === 2 ? n : undefined;
      } finally {
        db.close();
      }
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    assert.equal(smtp.messages.length, 0);

    const rerun = await runCli(['run', '--once', '--config', config], { ...env, SMTP_URL: smtp.url });

    assert.equal(rerun.code, 0, rerun.stderr + rerun.stdout);
    assert.equal(smtp.messages.length, 1, 'the pending email went out');
    assert.equal(slack.posts.filter((p) => p.kind === 'api').length, 1, 'Slack got it once');
    assert.equal(slack.posts.filter((p) => p.kind === 'webhook').length, 1);
  } finally {
    silent.close();
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

/** A free TCP port on 127.0.0.1 (listen on 0, read it, close). */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('the daemon polls on its schedule, serves /healthz and /metrics, and stops cleanly on SIGTERM', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('remotewlb', [FOUNDING, NOT_ML]) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  const port = await freePort();
  try {
    const config = writeConfig('daemon', `  - name: remotewlb\n    url: ${feeds.url('/jobs.rss')}\n    schedule: "* * * * * *"\n`).replace(/$/, '');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('  port: 0', `  port: ${port}\n  host: 127.0.0.1`));
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl, SMTP_URL: smtp.url };
    const child = spawnCli(['run', '--config', config], env);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));

    const health = await waitFor('healthz', async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        return res.status === 200 ? res.status : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(health, 200);
    await waitFor('the alert email', () => (smtp.messages.length ? true : undefined));
    // Each second's tick polls again, conditionally.
    await waitFor('two conditional polls', () => ((feeds.hits.get('/jobs.rss') ?? []).filter((h) => h.status === 304).length >= 2 ? true : undefined));
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /jobalert_polls_total\{feed="remotewlb",outcome="ok"\} 1/);
    assert.match(metrics, /jobalert_polls_total\{feed="remotewlb",outcome="not_modified"\} [1-9]/);
    // Two rules matched the one job: one alert (one outbox row) per channel, naming both rules.
    assert.match(metrics, /jobalert_alerts_sent_total\{channel="me"\} 1/);
    assert.match(metrics, /jobalert_postings_new_total\{feed="remotewlb"\} 2/);

    child.kill('SIGTERM');
    const code = await exited;

    assert.equal(code, 0, out);
    assert.match(out, /Daemon stopped/);
    assert.equal(smtp.messages.length, 1, 'one email over all polls');
    assert.equal(slack.posts.length, 2);
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});

test('the shipped config/jobalert.yaml passes check with no environment set', async () => {
  const res = await runCli(['check'], { JOBALERT_DB: path.join(tmp, 'default.db') });

  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /config config\/jobalert\.yaml: OK/);
  assert.match(res.stdout, /remote-senior-ml -> console/);
});

test('query prints the structured rule; a word it cannot read is named, exit 1', async () => {
  const ok = await runCli(['query', 'remote senior ML engineer >= $130k']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout), { title: ['ML engineer'], seniority: ['senior'], remote: true, salary_min: 130000, currency: 'USD' });

  const bad = await runCli(['query', 'remote senior ML engineer >=']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, />=/);

  // Issue 7: no word silently becomes a title that matches nothing.
  const blorf = await runCli(['query', 'ML engineer blorf']);
  assert.equal(blorf.code, 0, blorf.stderr);
  assert.match(blorf.stderr, /warning: title word "blorf" is not a word seen in job titles/);
  const placed = await runCli(['query', 'data scientist NYC over 120k USD/year']);
  assert.equal(placed.code, 0, placed.stderr);
  assert.deepEqual(JSON.parse(placed.stdout), { title: ['data scientist'], salary_min: 120000, currency: 'USD', location: ['NYC'] });
  assert.equal(placed.stderr, '');
  const unit = await runCli(['query', 'ML engineer USD/year']);
  assert.equal(unit.code, 1);
  assert.match(unit.stderr, /did not understand "USD\/year"/);
});

test('check names a rule title word no job title uses', async () => {
  const file = path.join(tmp, 'blorf.yaml');
  fs.writeFileSync(file, `database: ${path.join(tmp, 'blorf.db')}\nrules:\n  - name: odd\n    query: "senior MLOps engineer blorf"\n`);
  const res = await runCli(['check', '--config', file]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /title\s+MLOps engineer blorf/);
  assert.match(res.stdout, /warning: title word "blorf" is not a word seen in job titles/);
});

test('dry-run prints without sending or storing; explain, export --format csv and test-notify work on the result', async () => {
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('remotewlb', [FOUNDING, NOT_ML, NOT_SENIOR_ONSITE]) } });
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const config = writeConfig('commands', `  - name: remotewlb\n    url: ${feeds.url('/jobs.rss')}\n`);
    const env = { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_API_URL: slack.apiUrl, SLACK_WEBHOOK_URL: slack.webhookUrl, SMTP_URL: smtp.url };

    const dry = await runCli(['run', '--dry-run', '--config', config], env);

    assert.equal(dry.code, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /\[dry run: would send to me \(email\)\]/);
    assert.match(dry.stdout, /\[dry run: would send to ml-slack \(slack\)\]/);
    assert.match(dry.stdout, /Senior Machine Learning Engineer/);
    assert.equal(smtp.messages.length + slack.posts.length, 0, 'a dry run sends nothing');
    const emptyExport = await runCli(['export', '--config', config], env);
    assert.equal(emptyExport.stdout, '', 'a dry run stores nothing');

    const real = await runCli(['run', '--once', '--config', config], env);
    assert.equal(real.code, 0, real.stderr);
    assert.equal(smtp.messages.length, 1, 'the real run still sends what the dry run previewed');

    const explain = await runCli(['explain', '--rule', 'remote-senior-ml', '--config', config, FOUNDING_URL], env);
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /rule remote-senior-ml: MATCHES/);
    assert.match(explain.stdout, /✓ title: .*ML engineer/);
    assert.match(explain.stdout, /salary\s+\$135k.\$180k/);
    const explainNo = await runCli(['explain', '--rule', 'remote-senior-ml', '--config', config, NOT_SENIOR_ONSITE.link], env);
    assert.match(explainNo.stdout, /does not match/);
    assert.match(explainNo.stdout, /✗ seniority/);
    const unknown = await runCli(['explain', '--rule', 'remote-senior-ml', '--config', config, 'https://nowhere.test/x'], env);
    assert.equal(unknown.code, 1);

    const csv = await runCli(['export', '--format', 'csv', '--config', config], env);
    const rows = csv.stdout.trim().split('\n');
    assert.equal(rows.length, 4);
    assert.match(rows[0]!, /^id,url,urls,title,company/);
    assert.ok(rows.some((r) => r.includes('Nomad Health') && r.includes('135000') && r.includes('180000')));

    const testMail = await runCli(['test-notify', 'me', '--config', config], env);
    assert.equal(testMail.code, 0, testMail.stderr);
    assert.equal(smtp.messages.length, 2);
    const testSlack = await runCli(['test-notify', 'ml-slack', '--config', config], { ...env, SLACK_BOT_TOKEN: 'xoxb-bad' });
    assert.equal(testSlack.code, 2, 'a rejected token is a runtime failure');
    assert.match(testSlack.stderr, /invalid_auth/);
    assert.ok(!testSlack.stderr.includes('xoxb-bad'));
  } finally {
    await Promise.all([feeds.close(), smtp.close(), slack.close()]);
  }
});
