/**
 * End to end with one feed of every source type, each pointed with `url:` at a local server
 * serving responses shaped like the public APIs: the alerts a careful reader would pick reach
 * the local SMTP server and the Slack stub, once per job.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startHttpServer } from './helpers/http-server.js';
import { rssFeed, markdownToHtml } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { startSlackStub } from './helpers/slack-stub.js';
import { runCli, logLines } from './helpers/cli.js';

const FIXTURES = new URL('./fixtures/sources/', import.meta.url);
const fixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');
const SEED = fs.readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8').split('\n').slice(2).join('\n');

/** Serves each API's fixture at its own path, paging where the API pages. */
async function startBoards() {
  const rss = rssFeed('remotewlb', [
    {
      title: 'Nomad Health: Senior Machine Learning Engineer',
      link: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253',
      descriptionHtml: markdownToHtml(SEED),
      pubDate: new Date(Date.now() - 2 * 3_600_000),
      region: 'Remote',
    },
  ]);
  return startHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = (k: string) => Number(url.searchParams.get(k) ?? 0);
    const json = (name: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(fixture(name));
    switch (url.pathname) {
      case '/rss':
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss);
      case '/greenhouse':
        return json('greenhouse/jobs.json');
      case '/lever':
        return json(q('skip') === 0 ? 'lever/postings-page1.json' : 'lever/postings-page2.json');
      case '/ashby':
        return json('ashby/board.json');
      case '/workable':
        return json('workable/account.json');
      case '/smartrecruiters':
        return json(q('offset') === 0 ? 'smartrecruiters/page-0.json' : 'smartrecruiters/page-1.json');
      case '/recruitee':
        return json('recruitee/offers.json');
      case '/himalayas':
        return json(q('offset') === 0 ? 'himalayas/browse-0.json' : 'himalayas/empty.json');
      case '/remoteok':
        return json('remoteok/api.json');
      case '/remotive':
        return json('remotive/remote-jobs.json');
      case '/jobicy':
        return json('jobicy/remote-jobs.json');
      case '/hn/search_by_date':
        return json('hn/search.json');
      case '/hn/items/42297424':
        return json('hn/items-42297424.json');
      default:
        return void res.writeHead(404).end('not found');
    }
  });
}

test('one feed of each source type: each job a careful reader would pick arrives once per channel', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-sources-'));
  const boards = await startBoards();
  const smtp = await startSmtpSink();
  const slack = await startSlackStub();
  try {
    const u = (p: string) => `${boards.url}${p}`;
    const config = path.join(dir, 'jobalert.yaml');
    fs.writeFileSync(
      config,
      `database: ${path.join(dir, 'jobalert.db')}
max_age: 3650d
feeds:
  - { name: remotewlb, url: "${u('/rss')}" }
  - { name: acme-gh, type: greenhouse, board: acmerobotics, url: "${u('/greenhouse')}" }
  - { name: lever-co, type: lever, site: northwind-labs, url: "${u('/lever')}" }
  - { name: ashby-co, type: ashby, board: lumen-health, url: "${u('/ashby')}" }
  - { name: workable-co, type: workable, account: example, url: "${u('/workable')}" }
  - { name: sr-co, type: smartrecruiters, company: example, url: "${u('/smartrecruiters')}" }
  - { name: recruitee-co, type: recruitee, company: fastned, token: t0k3n-secret, url: "${u('/recruitee')}" }
  - { name: himalayas, type: himalayas, url: "${u('/himalayas')}" }
  - { name: remoteok, type: remoteok, url: "${u('/remoteok')}" }
  - { name: remotive-dev, type: remotive, url: "${u('/remotive')}" }
  - { name: jobicy, type: jobicy, url: "${u('/jobicy')}" }
  - { name: hn, type: hn, url: "${u('/hn')}" }
channels:
  bot: { type: slack, token: xoxb-sources, channel: "#jobs", api_url: "${slack.apiUrl}" }
  mail: { type: email, to: [me@example.com] }
smtp: { url: "${smtp.url}", from: "jobalert <a@example.com>" }
rules:
  - name: remote-senior-ml
    query: "remote senior ML engineer >= $130k"
    notify: [bot, mail]
`,
    );

    const run = await runCli(['run', '--once', '--config', config]);

    const logs = logLines(run.stdout);
    const polled = logs.filter((l) => l.msg === 'Feed polled').map((l) => l.feed as string);
    assert.deepEqual(polled.sort(), ['acme-gh', 'ashby-co', 'himalayas', 'hn', 'jobicy', 'lever-co', 'recruitee-co', 'remoteok', 'remotewlb', 'remotive-dev', 'sr-co', 'workable-co']);
    assert.equal(run.code, 0, run.stderr + run.stdout.slice(-3000));
    assert.ok(!run.stdout.includes('t0k3n-secret'), 'the Recruitee token is never logged');

    const db = new Database(path.join(dir, 'jobalert.db'), { readonly: true });
    const alerted = db
      .prepare(`SELECT j.title, j.company FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE o.channel = 'bot' ORDER BY j.company`)
      .all() as Array<{ title: string; company: string }>;
    db.close();
    const api = slack.posts.filter((p) => p.kind === 'api' && p.status === 200);
    // Four jobs (more than three) go as one grouped Slack message, one section each.
    assert.equal(api.length, 1, 'one grouped Slack message');
    const sections = (api[0]!.body.blocks as Array<{ type: string }>).filter((b) => b.type === 'section');
    assert.equal(sections.length, alerted.length, 'each alerted job once in it');
    assert.equal(smtp.messages.length, 1, 'one email listing them all');
    const nomad = sections.filter((b) => JSON.stringify(b).includes('Nomad Health'));
    assert.equal(nomad.length, 1, 'the Nomad Health job, on four boards, is alerted once');
    assert.deepEqual(
      alerted.map((a) => `${a.title} · ${a.company}`),
      [
        'Senior Machine Learning Engineer · Acme Robotics',
        'Senior Machine Learning Engineer · Lumen Health',
        'Senior Machine Learning Engineer · Nomad Health',
        'Senior Machine Learning Engineer · Northwind Labs',
      ],
    );
    const mail = smtp.messages[0]!;
    // Structured pay, with its currency and period, as the boards published it.
    assert.match(mail.text ?? '', /Acme Robotics\n.*\$153k–\$240k \/ year/);
    assert.match(mail.text ?? '', /Lumen Health\n.*\$190k–\$250k \/ year/);
    assert.match(
      mail.text ?? '',
      // Sightings in config order: a run stores feeds in the order they are listed.
      /also on: himalayas \([^)]+\), remoteok via Remote OK \(https:\/\/remoteok\.com\/remote-jobs\/[^)]+\), remotive-dev via Remotive \(https:\/\/remotive\.com\/remote-jobs\/[^)]+\), hn \(/,
      'boards that ask for credit are named, and linked at the job on their site',
    );
    const exported = await runCli(['export', '--config', config]);
    const jobs = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { feeds: string[] });
    assert.ok(new Set(jobs.flatMap((j) => j.feeds)).size === 12, 'every source stored postings');
  } finally {
    await Promise.all([boards.close(), smtp.close(), slack.close()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
