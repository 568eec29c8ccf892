/**
 * The HTTP channels (webhook, Discord, Telegram, ntfy, Teams): rendering of hostile postings for
 * each markup and within each service's limits, the mapping of answers to retryable or permanent
 * failures, end-to-end delivery through the real outbox and dispatcher (real SQLite file, real
 * feed server, local stubs that check each service's documented payload), `check`, `test-notify`
 * and health notices, and no token, secret or secret URL in any log line or error.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Alert, Clock, StoredJob } from '../src/core/types.js';
import { ConfigError, NotifyError, formatConfigIssue } from '../src/core/errors.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';
import { createNotifiers } from '../src/notify/registry.js';
import { renderDiscordMessage, renderDiscordNotice, discordMessageSize, DISCORD_LIMITS } from '../src/notify/render-discord.js';
import { renderTelegramMessage, renderTelegramNotice, TELEGRAM_MAX_TEXT } from '../src/notify/render-telegram.js';
import { renderNtfyMessage, NTFY_MAX_MESSAGE_BYTES } from '../src/notify/render-ntfy.js';
import { renderTeamsMessage, type TeamsMessage } from '../src/notify/render-teams.js';
import { renderWebhookJob } from '../src/notify/render-webhook.js';
import { escapeDiscord, escapeTelegramHtml, fitEscaped } from '../src/notify/escape-chat.js';
import { classifyDiscordAnswer } from '../src/notify/discord.js';
import { classifyTelegramAnswer } from '../src/notify/telegram.js';
import { classifyNtfyAnswer, ntfyEndpoint } from '../src/notify/ntfy.js';
import { classifyTeamsAnswer } from '../src/notify/teams.js';
import { webhookSignature } from '../src/notify/webhook.js';
import { testNotifyCommand } from '../src/commands/test-notify.js';
import { checkCommand } from '../src/commands/check.js';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startChannelStubs, shapeProblem, verifySignature, type ChannelStubs, type Service } from './helpers/channel-stubs.js';
import { runCli } from './helpers/cli.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const HOUR = 3_600_000;
const SERVICES: Service[] = ['webhook', 'discord', 'telegram', 'ntfy', 'teams'];

const HOSTILE_TITLE = '<script>alert(1)</script> **Senior** _ML_ Engineer @everyone [click](https://evil.test) & <@123> {{DATE(2017-02-14T06:08:00Z, SHORT)}}';
const HOSTILE_COMPANY = 'Acme & Sons <b>bold</b> @here `code` ~strike~ | spoiler ||x||';

function makeAlert(job: Partial<StoredJob> = {}, alert: Partial<Omit<Alert, 'job'>> = {}): Alert {
  const base: StoredJob = {
    id: 7,
    feed: 'remotewlb',
    sourceId: 'wlb-123',
    url: 'https://jobs.example.com/senior-mle?id=123&src=wlb',
    canonicalUrl: 'https://jobs.example.com/senior-mle?id=123',
    title: HOSTILE_TITLE,
    company: HOSTILE_COMPANY,
    location: 'United States',
    description: 'Build ML systems.',
    published: new Date(NOW.getTime() - 3 * HOUR),
    salary: { min: 135_000, max: 180_000, currency: 'USD', period: 'year' },
    annualMin: 135_000,
    annualMax: 180_000,
    arrangement: 'remote',
    remoteRegions: ['US'],
    seniority: 'senior',
    role: 'ml engineer',
    tags: [],
    firstSeen: new Date(NOW.getTime() - 2 * HOUR),
    lastSeen: NOW,
    urls: ['https://jobs.example.com/senior-mle?id=123&src=wlb', 'javascript:alert(1)'],
    feeds: ['remotewlb', 'mirror'],
  };
  return {
    id: 42,
    rule: 'remote-ml, all',
    channel: 'x',
    job: { ...base, ...job },
    reasons: ['remote', 'title: <i>x</i> @channel **y**'],
    attempts: 0,
    createdAt: NOW,
    ...alert,
  };
}

const CTX = { now: NOW, feedLinks: { mirror: 'https://mirror.example.org/jobs?a=1&b=(2)' } };

/** Discord text with its escapes undone, as Discord shows it. */
const discordShown = (text: string) => text.replace(/\\([^0-9A-Za-z\s])/g, '$1');

describe('Discord rendering', () => {
  it('escapes every markdown, link and mention character of posting values and never allows a ping', () => {
    const msg = renderDiscordMessage(makeAlert(), CTX);
    const embed = msg.embeds[0]!;
    assert.deepEqual(msg.allowed_mentions, { parse: [] });
    // jobalert's own masked links aside (a posting's brackets are escaped, so never match this).
    for (const text of [embed.title!, embed.description!.replace(/(?<!\\)\[[^\]\\]*\]\(https:[^)\s]*\)/g, '')]) {
      assert.doesNotMatch(text, /(?<!\\)[<[\]`~|]/, `an unescaped markup character in ${text}`);
      assert.ok(!text.includes('@everyone') && !text.includes('@here') && !text.includes('@channel'), 'mentions are broken');
    }
    assert.doesNotMatch(embed.title!, /(?<!\\)\*/);
    // What Discord shows is the posting's text as written (the word joiner after "@" aside).
    assert.equal(discordShown(embed.title!).replace(/\u2060/g, ''), HOSTILE_TITLE);
    assert.match(discordShown(embed.description!), /Acme & Sons <b>bold<\/b> @\u2060here/);
    assert.equal(embed.url, 'https://jobs.example.com/senior-mle?id=123&src=wlb');
    assert.match(embed.description!, /also on: \[mirror\]\(https:\/\/mirror\.example\.org\/jobs\?a=1&b=%282%29\)/, 'a feed link is a masked link whose URL cannot end early');
    assert.equal(shapeProblem('discord', msg, new URL('http://x/?wait=true')), null);
  });

  it('stays within Discord limits whatever the posting holds', () => {
    const huge = makeAlert({ title: '*'.repeat(5000), company: '_'.repeat(5000), location: '['.repeat(5000) }, { reasons: Array.from({ length: 40 }, () => '`'.repeat(300)), rule: Array.from({ length: 80 }, (_, i) => `rule-${i}`).join(', ') });
    const msg = renderDiscordMessage(huge, CTX);
    const embed = msg.embeds[0]!;
    assert.ok(embed.title!.length <= DISCORD_LIMITS.title, `title ${embed.title!.length}`);
    assert.ok(embed.description!.length <= DISCORD_LIMITS.description, `description ${embed.description!.length}`);
    assert.ok(discordMessageSize(msg) <= DISCORD_LIMITS.total);
    assert.doesNotMatch(embed.title!, /(?<!\\)(\\\\)*\\…$/, 'a cut never leaves a dangling backslash');
    const notice = renderDiscordNotice('x'.repeat(400), '<'.repeat(9000));
    assert.ok(notice.embeds[0]!.title!.length <= 256 && notice.embeds[0]!.description!.length <= 4096);
  });

  it('leaves ordinary titles without backslashes, and escapes line starts that would make a heading or list', () => {
    const plain = renderDiscordMessage(makeAlert({ title: 'Sr. Engineer - Backend (Remote, 100%) C++/Go', company: 'Acme' }), CTX);
    assert.equal(plain.embeds[0]!.title, 'Sr. Engineer - Backend (Remote, 100%) C++/Go');
    assert.equal(escapeDiscord('# Big\n- item\n  > quote\n12. step'), '\\# Big\n\\- item\n  \\> quote\n12\\. step');
  });

  it('fitEscaped never splits an escape', () => {
    for (let max = 1; max < 30; max++) {
      const out = fitEscaped('***__~~', max, escapeDiscord);
      assert.ok(out.length <= max);
      assert.doesNotMatch(out.replace(/\\[^0-9A-Za-z\s]/g, ''), /\\/, `max ${max}: ${out}`);
    }
  });
});

describe('Telegram rendering', () => {
  it('escapes &, <, > (and " in links) in every posting value: Telegram parses exactly the markup jobalert wrote', () => {
    const msg = renderTelegramMessage(makeAlert(), CTX);
    assert.equal(msg.parse_mode, 'HTML');
    assert.ok(!msg.text.includes('<script>') && msg.text.includes('&lt;script&gt;'));
    assert.match(msg.text, /Acme &amp; Sons &lt;b&gt;bold&lt;\/b&gt;/);
    assert.match(msg.text, /^<b><a href="https:\/\/jobs\.example\.com\/senior-mle\?id=123&amp;src=wlb">/);
    assert.ok(!/@(everyone|here|channel)/.test(msg.text), 'mentions are broken');
    assert.equal(shapeProblem('telegram', { chat_id: 1, ...msg }, new URL('http://x/')), null, 'well-formed for Telegram');
    assert.deepEqual(msg.link_preview_options, { url: 'https://jobs.example.com/senior-mle?id=123&src=wlb', prefer_small_media: true });
    assert.equal(escapeTelegramHtml('a "b" & <c>'), 'a &quot;b&quot; &amp; &lt;c&gt;');
  });

  it('keeps every message under 4096 characters, and notices have no link preview', () => {
    const huge = makeAlert({ title: '<'.repeat(5000), company: '&'.repeat(5000), location: '>'.repeat(5000) }, { reasons: Array.from({ length: 40 }, () => '"'.repeat(300)) });
    const msg = renderTelegramMessage(huge, CTX);
    assert.ok(msg.text.length <= TELEGRAM_MAX_TEXT, `${msg.text.length}`);
    assert.equal(shapeProblem('telegram', { chat_id: 1, ...msg }, new URL('http://x/')), null);
    const notice = renderTelegramNotice('Feed "x" failing', `${'<&>'.repeat(3000)}`);
    assert.ok(notice.text.length <= TELEGRAM_MAX_TEXT);
    assert.deepEqual(notice.link_preview_options, { is_disabled: true });
    assert.equal(shapeProblem('telegram', { chat_id: 1, ...notice }, new URL('http://x/')), null);
  });
});

describe('ntfy, Teams and webhook rendering', () => {
  it('ntfy: plain text (no markup to inject), one line title without control characters, http(s) click only, message under the size limit', () => {
    const msg = renderNtfyMessage(makeAlert({ title: 'Engineer\r\nX-Injected: 1\u0007', url: 'javascript:alert(1)' }), CTX);
    assert.equal(msg.title, 'Engineer X-Injected: 1');
    assert.equal(msg.click, undefined);
    assert.equal(msg.actions, undefined);
    const long = renderNtfyMessage(makeAlert({}, { reasons: Array.from({ length: 12 }, () => '💰'.repeat(200)) }), CTX);
    assert.ok(Buffer.byteLength(long.message) <= NTFY_MAX_MESSAGE_BYTES);
    assert.equal(long.click, 'https://jobs.example.com/senior-mle?id=123&src=wlb');
    assert.deepEqual(long.actions, [{ action: 'view', label: 'Open posting', url: long.click, clear: true }]);
    assert.deepEqual(ntfyEndpoint('https://ntfy.example.com/sub/path/my_topic?x=1'), { root: 'https://ntfy.example.com/sub/path/', topic: 'my_topic' });
    assert.deepEqual(ntfyEndpoint('https://ntfy.sh/jobs'), { root: 'https://ntfy.sh/', topic: 'jobs' });
  });

  it('Teams: posting values only in TextRuns (rendered without Markdown), shown as written; the card function syntax is broken', () => {
    const msg: TeamsMessage = renderTeamsMessage(makeAlert(), CTX);
    assert.equal(shapeProblem('teams', msg, new URL('http://x/')), null);
    const card = msg.attachments[0]!.content;
    const texts = card.body.flatMap((b) => b.inlines.map((r) => r.text));
    assert.ok(texts.some((t) => t.includes('<script>alert(1)</script> **Senior** _ML_ Engineer @everyone [click](https://evil.test) & <@123>')));
    assert.ok(!texts.some((t) => t.includes('{{')), 'no {{ survives');
    assert.ok(texts.includes(HOSTILE_COMPANY));
    assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: 'Open posting', url: 'https://jobs.example.com/senior-mle?id=123&src=wlb' }]);
    assert.ok(!JSON.stringify(card).includes('"TextBlock"'), 'no Markdown-rendering TextBlock');
  });

  it('webhook: version 1 body with the job, every rule and its reasons, only http(s) links, the alert id for deduplication', () => {
    const alert = Object.assign(makeAlert(), { matches: [{ rule: 'remote-ml', reasons: ['remote'] }, { rule: 'all', reasons: [] }] });
    const body = renderWebhookJob(alert, 'hook', NOW);
    assert.equal(body.version, 1);
    assert.equal(body.event, 'job');
    assert.equal(body.alert_id, 42);
    assert.equal(body.job.title, HOSTILE_TITLE, 'values are data: JSON is the only escaping');
    assert.deepEqual(body.job.urls, ['https://jobs.example.com/senior-mle?id=123&src=wlb']);
    assert.deepEqual(body.rules, [{ name: 'remote-ml', reasons: ['remote'] }, { name: 'all', reasons: [] }]);
    assert.deepEqual(body.job.salary, { min: 135_000, max: 180_000, currency: 'USD', period: 'year' });
    assert.equal(body.sent_at, NOW.toISOString());
    assert.equal(shapeProblem('webhook', body, new URL('http://x/')), null);
  });

  it('webhook signature: HMAC-SHA256 of "<timestamp>.<body>", verifiable as the README says, and stale timestamps refused', () => {
    const raw = '{"a":1}';
    const sig = webhookSignature('s'.repeat(16), 1_700_000_000, raw);
    assert.match(sig, /^sha256=[0-9a-f]{64}$/);
    assert.ok(verifySignature('s'.repeat(16), '1700000000', raw, sig, 1_700_000_100_000));
    assert.ok(!verifySignature('s'.repeat(16), '1700000000', `${raw} `, sig, 1_700_000_100_000), 'a changed body fails');
    assert.ok(!verifySignature('s'.repeat(16), '1700000000', raw, sig, 1_700_001_000_000), 'a replay 15 minutes later fails');
  });
});

describe('answers mapped to retryable and permanent failures', () => {
  const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });

  it("Discord: retry_after of the JSON body wins over Retry-After; Unknown Webhook is permanent with a hint", () => {
    const rate = classifyDiscordAnswer(answer(429, { message: 'You are being rate limited.', retry_after: 1.5, global: false }, { 'retry-after': '9' }), NOW);
    assert.equal(rate.retryable, true);
    assert.equal(rate.retryAfterMs, 1500);
    const gone = classifyDiscordAnswer(answer(404, { message: 'Unknown Webhook', code: 10015 }), NOW, ['https://discord.com/api/webhooks/1/tok']);
    assert.equal(gone.retryable, false);
    assert.match(gone.message, /Unknown Webhook \(code 10015\).*create a new one/);
    assert.equal(classifyDiscordAnswer(answer(502, 'bad gateway'), NOW).retryable, true);
  });

  it("Telegram: parameters.retry_after honoured; a group turned supergroup names the new chat_id; the token never appears", () => {
    const token = '123456789:AAFakeTokenForTests_abc-XYZ';
    const rate = classifyTelegramAnswer(answer(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } }), NOW, [token]);
    assert.equal(rate.retryable, true);
    assert.equal(rate.retryAfterMs, 7000);
    const moved = classifyTelegramAnswer(answer(400, { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1009876 } }), NOW);
    assert.equal(moved.retryable, false);
    assert.match(moved.message, /set chat_id to -1009876/);
    const echoed = classifyTelegramAnswer(answer(401, { ok: false, error_code: 401, description: `Unauthorized for ${token}` }), NOW, [token]);
    assert.ok(!echoed.message.includes(token), echoed.message);
    assert.match(echoed.message, /token is not valid/);
  });

  it('ntfy and Teams: 429 with Retry-After retryable, auth and size refusals permanent', () => {
    const rate = classifyNtfyAnswer(answer(429, { code: 42901, http: 429, error: 'limit reached: too many requests' }, { 'retry-after': '30' }), NOW);
    assert.equal(rate.retryable, true);
    assert.equal(rate.retryAfterMs, 30_000);
    assert.equal(classifyNtfyAnswer(answer(403, { code: 40301, http: 403, error: 'forbidden' }), NOW).retryable, false);
    assert.equal(classifyNtfyAnswer(answer(413, { code: 41301, http: 413, error: 'too large' }), NOW).retryable, false);
    const teams = classifyTeamsAnswer(answer(429, '', { 'retry-after': '60' }), NOW);
    assert.equal(teams.retryable, true);
    assert.equal(teams.retryAfterMs, 60_000);
    const off = classifyTeamsAnswer(answer(404, { error: { code: 'WorkflowNotFound', message: 'gone' } }), NOW);
    assert.equal(off.retryable, false);
    assert.match(off.message, /WorkflowNotFound: gone.*workflow may be turned off/);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end: real feed server, real SQLite file, the real outbox and dispatcher, the stubs.

function manualClock(start: Date): Clock & { advance(ms: number): void } {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

const ITEMS = [
  {
    title: HOSTILE_TITLE,
    link: 'https://jobs.example.test/hostile',
    descriptionHtml: '<p>Fully remote (US). Salary $150,000 - $190,000 per year.</p>',
    pubDate: new Date(Date.now() - HOUR),
  },
  {
    title: 'Senior Machine Learning Engineer',
    link: 'https://jobs.example.test/plain',
    descriptionHtml: '<p>Remote.</p>',
    pubDate: new Date(Date.now() - HOUR),
  },
];

function channelsYaml(s: ChannelStubs): string {
  return `channels:
  hook: { type: webhook, url: "${s.webhookUrl}", secret: "${s.webhookSecret}" }
  disc: { type: discord, webhook_url: "${s.discordUrl}" }
  tg: { type: telegram, token: "${s.telegramToken}", chat_id: ${s.telegramChatId}, api_url: "${s.telegramApiUrl}" }
  push: { type: ntfy, url: "${s.ntfyUrl}", token: "${s.ntfyToken}" }
  team: { type: teams, webhook_url: "${s.teamsUrl}" }
`;
}

/** Every secret the stubs' channels carry, in forms a leak could take. */
function secretsOf(s: ChannelStubs): string[] {
  return [s.webhookSecret, s.telegramToken, s.ntfyToken, new URL(s.discordUrl).pathname, 'discord-secret-token', 'teams-sig-secret-777', 'job-alerts_42'];
}

async function setup(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jobalert-channels-${name}-`));
  const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: rssFeed('board', ITEMS) } });
  const stubs = await startChannelStubs();
  const yaml = `database: ${path.join(dir, 'jobalert.db')}
feeds:
  - name: board
    url: ${feeds.url('/jobs.rss')}
${channelsYaml(stubs)}rules:
  - name: everything
    notify: [hook, disc, tg, push, team]
`;
  const config = parseConfigText(yaml, path.join(dir, 'jobalert.yaml'), {});
  const { rules } = compileRules(config.rules);
  const clock = manualClock(new Date());
  stubs.now = () => clock.now().getTime();
  // A plain logger, no secret scrubbing: what the code itself puts in log lines is checked.
  let logged = '';
  const log = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, cb) => ((logged += String(chunk)), cb()) }));
  const app = await createApp({ config, rules, log, clock });
  return {
    stubs,
    clock,
    app,
    logged: () => logged,
    outbox: () => app.db.prepare('SELECT channel, status, last_error AS error FROM outbox ORDER BY id').all() as Array<{ channel: string; status: string; error: string | null }>,
    async cleanup() {
      await app.close();
      await Promise.all([feeds.close(), stubs.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function assertNoSecrets(text: string, secrets: string[]): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `"${secret}" leaked:\n${text.slice(0, 3000)}`);
}

describe('end to end through the outbox and dispatcher', () => {
  it('a 429 (retry time in a header or the JSON body) keeps alerts pending; a later try delivers each exactly once', async () => {
    const s = await setup('rate');
    try {
      s.stubs.failNext('webhook', 1, { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' });
      s.stubs.failNext('discord', 1, { status: 429, body: { message: 'You are being rate limited.', retry_after: 1.5, global: false } });
      s.stubs.failNext('telegram', 1, { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } });
      s.stubs.failNext('ntfy', 1, { status: 429, headers: { 'retry-after': '30' }, body: { code: 42901, http: 429, error: 'limit reached' } });
      s.stubs.failNext('teams', 1, { status: 429, headers: { 'retry-after': '60' } });

      await s.app.pollAll();
      const first = await s.app.dispatch();
      assert.equal(first.sent, 0);
      assert.equal(first.retrying, 10);
      for (const service of SERVICES) assert.equal(s.stubs.calls.filter((c) => c.service === service).length, 1, `${service}: after a 429 the rest waits`);
      assert.deepEqual(
        s.stubs.calls.filter((c) => c.problem),
        [],
        'every payload had the shape its service documents',
      );

      const tooSoon = await s.app.dispatch();
      assert.equal(tooSoon.sent + tooSoon.retrying, 0, 'nothing is retried before its time');

      s.clock.advance(10 * 60_000);
      const second = await s.app.dispatch();
      assert.equal(second.sent, 10);
      for (const service of SERVICES) {
        const got = s.stubs.delivered(service);
        assert.equal(got.length, 2, `${service}: both jobs, once each`);
      }
      assert.deepEqual(new Set(s.stubs.delivered('webhook').map((c) => c.body.job.title)), new Set([HOSTILE_TITLE, 'Senior Machine Learning Engineer']));
      assert.deepEqual(s.stubs.delivered('webhook').map((c) => c.body.rules), [[{ name: 'everything', reasons: [] }], [{ name: 'everything', reasons: [] }]]);

      s.clock.advance(HOUR);
      const third = await s.app.dispatch();
      assert.equal(third.sent + third.retrying + third.failed, 0, 'nothing sent twice');
      assert.deepEqual(await s.app.store.countAlerts(), { pending: 0, sent: 10, failed: 0 });
      assertNoSecrets(s.logged(), secretsOf(s.stubs));
      assert.match(s.logged(), /rate limited the message \(HTTP 429\)/);
    } finally {
      await s.cleanup();
    }
  });

  it('5xx is retried; a permanent 4xx fails that alert only, with the service\'s reason and no secret', async () => {
    const s = await setup('faults');
    try {
      for (const service of SERVICES) s.stubs.failNext(service, 1, { status: 503, body: 'unavailable' });
      await s.app.pollAll();
      const first = await s.app.dispatch();
      assert.equal(first.retrying, 10);

      s.stubs.failNext('webhook', 1, { status: 410, body: 'gone' });
      s.stubs.failNext('discord', 1, { status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
      s.stubs.failNext('telegram', 1, { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
      s.stubs.failNext('ntfy', 1, { status: 413, body: { code: 41301, http: 413, error: 'request entity too large' } });
      s.stubs.failNext('teams', 1, { status: 404, body: { error: { code: 'WorkflowNotFound', message: 'not found' } } });
      s.clock.advance(10 * 60_000);
      const second = await s.app.dispatch();
      assert.equal(second.failed, 5, 'the refused alert of each channel');
      assert.equal(second.sent, 5, 'a permanent refusal does not hold the channel back');
      assert.deepEqual(await s.app.store.countAlerts(), { pending: 0, sent: 5, failed: 5 });
      const errors = Object.fromEntries(s.outbox().filter((r) => r.status === 'failed').map((r) => [r.channel, r.error]));
      assert.match(errors.hook!, /Webhook answered HTTP 410: gone/);
      assert.match(errors.disc!, /Unknown Webhook/);
      assert.match(errors.tg!, /chat not found.*check chat_id/);
      assert.match(errors.push!, /HTTP 413/);
      assert.match(errors.team!, /WorkflowNotFound/);
      assertNoSecrets(JSON.stringify(errors) + s.logged(), secretsOf(s.stubs));
    } finally {
      await s.cleanup();
    }
  });

  it('health notices reach every channel, escaped for its markup', async () => {
    const stubs = await startChannelStubs();
    const config = parseConfigText(`${channelsYaml(stubs)}`, 'c.yaml', {});
    const notifiers = createNotifiers(config);
    try {
      for (const name of ['hook', 'disc', 'tg', 'push', 'team']) {
        await notifiers.get(name)!.notice!('Feed "board" is failing', 'last error: <b>HTTP 500</b> & @everyone **now**\nsince 3 polls');
      }
      for (const service of SERVICES) assert.equal(stubs.delivered(service).length, 1, service);
      assert.deepEqual(stubs.calls.filter((c) => c.problem), []);
      const tg = stubs.delivered('telegram')[0]!.body;
      assert.match(tg.text, /&lt;b&gt;HTTP 500&lt;\/b&gt; &amp;/);
      const disc = stubs.delivered('discord')[0]!.body;
      assert.match(disc.embeds[0].description, /\\\*\\\*now\\\*\\\*/);
      assert.equal(stubs.delivered('webhook')[0]!.body.event, 'notice');
    } finally {
      for (const n of notifiers.values()) await n.close();
      await stubs.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// check and test-notify

describe('config of the new channels', () => {
  const issuesOf = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
    try {
      parseConfigText(yaml, 'c.yaml', env);
    } catch (err) {
      if (err instanceof ConfigError) return err.issues.map(formatConfigIssue);
      throw err;
    }
    return [];
  };

  it('rejects unknown keys, missing keys and bad values with file:line:col, never echoing a secret', () => {
    const yaml = `channels:
  tg:
    type: telegram
    token: "12345:not a token"
    chat: 42
  hook:
    type: webhook
    url: https://hooks.example.com/in/SECRETPATH
    secret: short-secret
  push:
    type: ntfy
    url: https://ntfy.sh/
  disc:
    type: discord
    webhook: https://discord.com/api/webhooks/1/x
  team:
    type: teams
    webhook_url: not-a-url
  mx:
    type: matrix
`;
    const issues = issuesOf(yaml);
    const expected = [
      /^c\.yaml:4:12: channels\.tg\.token: expected a bot token as @BotFather gives it .*, got a value not shown here/,
      /^c\.yaml:5:5: channels\.tg\.chat: unknown key "chat" \(did you mean "chat_id"\?\)/,
      /^c\.yaml:\d+:\d+: channels\.tg\.chat_id: required key is missing/,
      /^c\.yaml:9:13: channels\.hook\.secret: expected a secret of at least 16 characters/,
      /^c\.yaml:12:10: channels\.push\.url: expected the topic URL/,
      /^c\.yaml:15:5: channels\.disc\.webhook: unknown key "webhook" \(did you mean "webhook_url"\?\)/,
      /^c\.yaml:\d+:\d+: channels\.disc\.webhook_url: required key is missing/,
      /^c\.yaml:18:18: channels\.team\.webhook_url: expected an http\(s\) URL/,
      /^c\.yaml:20:11: channels\.mx\.type: expected one of slack, email, console, webhook, discord, telegram, ntfy, teams, got "matrix"/,
    ];
    for (const re of expected) assert.ok(issues.some((i) => re.test(i)), `no issue matching ${re}:\n${issues.join('\n')}`);
    const all = issues.join('\n');
    assertNoSecrets(all, ['not a token', 'short-secret']);
  });

  it('takes secrets from ${ENV} and accepts a chat id from the environment or a @channel name', () => {
    const config = parseConfigText(
      `channels:\n  tg: { type: telegram, token: "\${TG_TOKEN}", chat_id: "\${TG_CHAT}" }\n  ch: { type: telegram, token: "\${TG_TOKEN}", chat_id: "@my_jobs" }\n  hook: { type: webhook, url: "\${HOOK_URL}", secret: "\${HOOK_SECRET}" }\n`,
      'c.yaml',
      { TG_TOKEN: '123:abc_DEF-1', TG_CHAT: '-100123', HOOK_URL: 'https://h.example.com/x', HOOK_SECRET: 'x'.repeat(32) },
    );
    assert.deepEqual(config.channels.tg, { type: 'telegram', token: '123:abc_DEF-1', chat_id: '-100123' });
    assert.equal((config.channels.ch as { chat_id: string }).chat_id, '@my_jobs');
    assert.equal((config.channels.hook as { secret: string }).secret, 'x'.repeat(32));
  });
});

describe('test-notify and check against the stubs', () => {
  let stubs: ChannelStubs;
  let dir: string;
  let file: string;
  before(async () => {
    stubs = await startChannelStubs();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-channels-cli-'));
    file = path.join(dir, 'jobalert.yaml');
    fs.writeFileSync(file, `database: ${path.join(dir, 'j.db')}\n${channelsYaml(stubs)}  badtg: { type: telegram, token: "\${BAD_TOKEN:-999:wrongToken_x}", chat_id: 1, api_url: "${stubs.telegramApiUrl}" }\n`);
  });
  after(async () => {
    await stubs.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a well-formed test message through each channel', async () => {
    const names: Record<string, Service> = { hook: 'webhook', disc: 'discord', tg: 'telegram', push: 'ntfy', team: 'teams' };
    for (const [name, service] of Object.entries(names)) {
      let out = '';
      const code = await testNotifyCommand(name, { config: file }, (t) => void (out += t));
      assert.equal(code, 0);
      assert.equal(out, `test message sent to ${name} (${service})\n`);
      assert.equal(stubs.delivered(service).length, 1, service);
    }
    assert.deepEqual(stubs.calls.filter((c) => c.problem), []);
    assert.equal(stubs.delivered('webhook')[0]!.body.event, 'test');
  });

  it('a refused token fails test-notify (exit 2) with Telegram\'s reason and no token or URL in the output', async () => {
    const token = '5550001:SecretBadToken_zz';
    const res = await runCli(['test-notify', 'badtg', '--config', file], { BAD_TOKEN: token });
    assert.equal(res.code, 2, res.stdout + res.stderr);
    assert.match(res.stderr, /Telegram sendMessage answered HTTP 401: Unauthorized \(the bot token is not valid/);
    assertNoSecrets(res.stdout + res.stderr, [token, 'SecretBadToken', ...secretsOf(stubs)]);
  });

  it('check prints each channel without its secrets', async () => {
    let out = '';
    await checkCommand({ config: file }, (t) => void (out += t));
    assert.match(out, /- hook: \{"type":"webhook","url":"http:\/\/127\.0\.0\.1:\d+\/\*\*\*","secret":"\*\*\*"\}/);
    assert.match(out, /- push: \{"type":"ntfy","url":"http:\/\/127\.0\.0\.1:\d+\/\*\*\*","token":"\*\*\*"\}/);
    assert.match(out, /- tg: \{"type":"telegram","token":"\*\*\*","chat_id":-1001234567890/);
    assertNoSecrets(out, secretsOf(stubs));
  });
});

it('a network failure is retryable and names no URL', async () => {
  const config = parseConfigText(`channels:\n  tg: { type: telegram, token: "1:tok_ABCDEFG", chat_id: 1, api_url: "http://127.0.0.1:1" }\n`, 'c.yaml', {});
  const notifiers = createNotifiers(config);
  const tg = notifiers.get('tg')!;
  try {
    await assert.rejects(tg.sendTest(), (err: unknown) => {
      assert.ok(err instanceof NotifyError);
      assert.equal(err.retryable, true);
      assert.match(err.message, /^Telegram request failed: ECONNREFUSED$/);
      return true;
    });
    const [outcome] = await tg.send([makeAlert()]);
    assert.equal(outcome!.ok, false);
  } finally {
    await tg.close();
  }
});

it('run --dry-run prints what each HTTP channel would get, one message per job, and sends nothing', async () => {
  const { createDryRunNotifiers } = await import('../src/notify/dry-run.js');
  const stubs = await startChannelStubs();
  try {
    const config = parseConfigText(channelsYaml(stubs), 'c.yaml', {});
    let out = '';
    const notifiers = createDryRunNotifiers(config, { write: (t) => void (out += t), now: () => NOW });
    for (const [name, type] of [['hook', 'webhook'], ['disc', 'discord'], ['tg', 'telegram'], ['push', 'ntfy'], ['team', 'teams']] as const) {
      const n = notifiers.get(name)!;
      assert.equal(n.type, type);
      assert.deepEqual(await n.send([makeAlert()]), [{ ok: true }]);
      assert.match(out, new RegExp(`\\[dry run: would send to ${name} \\(${type}\\)\\]`));
    }
    assert.equal(stubs.calls.length, 0);
  } finally {
    await stubs.close();
  }
});
