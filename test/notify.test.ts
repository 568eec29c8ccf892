import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Alert, StoredJob } from '../src/core/types.js';
import { ConfigError, NotifyError } from '../src/core/errors.js';
import { formatSalary } from '../src/match/format-salary.js';
import { createConsoleNotifier } from '../src/notify/console.js';
import { createEmailNotifier } from '../src/notify/email.js';
import { createNotifiers } from '../src/notify/registry.js';
import { createDryRunNotifiers } from '../src/notify/dry-run.js';
import { createSlackBotNotifier, createSlackWebhookNotifier } from '../src/notify/slack.js';
import { parseRetryAfter } from '../src/http/retry-after.js';
import type { SendOutcome } from '../src/notify/types.js';
import { startSlackStub, type SlackStub } from './helpers/slack-stub.js';
import { startSmtpSink, type SmtpSink } from './helpers/smtp-sink.js';

const NOW = new Date('2025-03-10T12:00:00Z');
const now = () => NOW;

function makeAlert(id: number, job: Partial<StoredJob> = {}, rule = 'remote-senior-ml'): Alert {
  return {
    id,
    rule,
    channel: 'test',
    reasons: ['remote', 'senior', 'ML engineer'],
    attempts: 0,
    createdAt: NOW,
    job: {
      id,
      feed: 'remotewlb',
      sourceId: `src-${id}`,
      url: `https://jobs.example.com/${id}`,
      canonicalUrl: `https://jobs.example.com/${id}`,
      title: `ML Engineer ${id}`,
      company: `Company ${id}`,
      location: null,
      description: '',
      published: new Date(NOW.getTime() - 3_600_000),
      salary: { min: 100_000 + id * 10_000, max: 150_000 + id * 10_000, currency: 'USD', period: 'year' },
      annualMin: null,
      annualMax: null,
      arrangement: 'remote',
      remoteRegions: ['US'],
      seniority: 'senior',
      role: 'ml engineer',
      tags: [],
      firstSeen: NOW,
      lastSeen: NOW,
      urls: [`https://jobs.example.com/${id}`],
      feeds: ['remotewlb'],
      ...job,
    },
  };
}

function failures(outcomes: SendOutcome[]): NotifyError[] {
  return outcomes.map((o) => {
    assert.equal(o.ok, false, 'expected a failed outcome');
    return (o as { ok: false; error: NotifyError }).error;
  });
}

/** A port nothing listens on: bind one, note it, close it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('email notifier', () => {
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
  });
  beforeEach(() => {
    sink.setFailure(null);
    sink.messages.length = 0;
  });
  after(() => sink.close());

  const channel = { type: 'email' as const, to: ['me@example.com', 'team@example.com'] };
  const smtp = () => ({ url: sink.url, from: 'jobalert <alerts@example.com>' });

  it('sends one email listing every alert of the batch, with HTML and text parts', async () => {
    const notifier = createEmailNotifier('me', channel, smtp(), { now });
    try {
      const alerts = [
        makeAlert(1, { title: 'Senior Machine Learning Engineer', company: 'Nomad Health' }),
        makeAlert(2, { title: `<script>alert(1)</script> & "Senior"`, company: '<b>Bold Corp</b>' }),
        makeAlert(3),
      ];
      const outcomes = await notifier.send(alerts);
      assert.deepEqual(outcomes, [{ ok: true }, { ok: true }, { ok: true }]);
      assert.equal(sink.messages.length, 1);
      const mail = sink.messages[0]!;
      assert.equal(mail.subject, 'Senior Machine Learning Engineer at Nomad Health and 2 more — remote-senior-ml');
      assert.deepEqual(mail.from?.value, [{ name: 'jobalert', address: 'alerts@example.com' }]);
      assert.deepEqual(
        (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((t) => t!.value.map((v) => v.address)),
        ['me@example.com', 'team@example.com'],
      );
      assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
      const html = String(mail.html);
      const text = mail.text ?? '';
      for (const a of alerts) {
        const salary = formatSalary(a.job.salary!);
        assert.ok(text.includes(a.job.title), `text has ${a.job.title}`);
        assert.ok(text.includes(a.job.company!), `text has ${a.job.company}`);
        assert.ok(text.includes(salary), `text has ${salary}`);
        assert.ok(html.includes(salary.replace(/&/g, '&amp;')), `html has ${salary}`);
      }
      assert.ok(html.includes('>Senior Machine Learning Engineer</a>'));
      assert.ok(html.includes('Nomad Health'));
      assert.ok(!html.includes('<script>alert(1)</script>'));
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Senior&quot;'));
      assert.ok(!html.includes('<b>Bold Corp</b>'));
      assert.ok(html.includes('&lt;b&gt;Bold Corp&lt;/b&gt;'));
    } finally {
      await notifier.close();
    }
  });

  it('reports SMTP 451 as retryable for every alert of the batch', async () => {
    sink.setFailure({ code: 451, message: 'Temporary local problem, try later' });
    const notifier = createEmailNotifier('me', channel, smtp(), { now });
    try {
      const errors = failures(await notifier.send([makeAlert(1), makeAlert(2)]));
      assert.equal(errors.length, 2);
      for (const e of errors) {
        assert.ok(e instanceof NotifyError);
        assert.equal(e.retryable, true);
        assert.match(e.message, /451/);
      }
      assert.equal(sink.messages.length, 0);
    } finally {
      await notifier.close();
    }
  });

  it('reports SMTP 550 as permanent, at DATA or at RCPT', async () => {
    const notifier = createEmailNotifier('me', channel, smtp(), { now });
    try {
      sink.setFailure({ code: 550, message: 'Mailbox unavailable' });
      const [e1] = failures(await notifier.send([makeAlert(1)]));
      assert.equal(e1!.retryable, false);
      assert.match(e1!.message, /550/);
      sink.setFailure({ code: 553, message: 'Recipient not allowed', stage: 'rcpt' });
      const [e2] = failures(await notifier.send([makeAlert(1)]));
      assert.equal(e2!.retryable, false);
    } finally {
      await notifier.close();
    }
  });

  it('reports refused credentials (535) as permanent without the password', async () => {
    sink.setFailure({ code: 535, message: 'Authentication credentials invalid', stage: 'auth' });
    const url = sink.url.replace('smtp://', 'smtp://alerts%40example.com:s3cr3t-P%40ss@');
    // The sink offers no STARTTLS: logging in over it at all needs the explicit opt-out.
    const notifier = createEmailNotifier('me', channel, { url, from: 'alerts@example.com', allow_insecure_auth: true }, { now });
    try {
      const [e] = failures(await notifier.send([makeAlert(1)]));
      assert.equal(sink.logins[0]?.password, 's3cr3t-P@ss', 'the client did log in');
      assert.equal(e!.retryable, false);
      assert.match(e!.message, /535/);
      assert.ok(!e!.message.includes('s3cr3t'), e!.message);
      assert.ok(!JSON.stringify(e).includes('s3cr3t'));
    } finally {
      await notifier.close();
    }
  });

  it('reports a refused connection as retryable', async () => {
    const notifier = createEmailNotifier('me', channel, { url: `smtp://127.0.0.1:${await deadPort()}`, from: 'a@example.com' }, { now, timeoutMs: 2000 });
    try {
      const [e] = failures(await notifier.send([makeAlert(1)]));
      assert.equal(e!.retryable, true);
      assert.match(e!.message, /SMTP delivery failed/);
    } finally {
      await notifier.close();
    }
  });

  it('sends a test email, and throws NotifyError when that fails', async () => {
    const notifier = createEmailNotifier('me', { ...channel, subject_prefix: '[jobs]' }, smtp(), { now });
    try {
      await notifier.sendTest();
      assert.equal(sink.messages.length, 1);
      assert.match(sink.messages[0]!.subject ?? '', /jobalert test message/);
      sink.setFailure({ code: 554, message: 'No thanks' });
      await assert.rejects(notifier.sendTest(), (err: unknown) => err instanceof NotifyError && !err.retryable);
    } finally {
      await notifier.close();
    }
  });

  it('puts the subject prefix before the subject', async () => {
    const notifier = createEmailNotifier('me', { ...channel, subject_prefix: '[jobs]' }, smtp(), { now });
    try {
      await notifier.send([makeAlert(1)]);
      assert.equal(sink.messages[0]!.subject, '[jobs] ML Engineer 1 at Company 1 — remote-senior-ml');
    } finally {
      await notifier.close();
    }
  });
});

describe('slack bot notifier', () => {
  let stub: SlackStub;
  before(async () => {
    stub = await startSlackStub();
  });
  beforeEach(() => {
    stub.posts.length = 0;
  });
  after(() => stub.close());

  const bot = (token = 'xoxb-good-token') =>
    createSlackBotNotifier('ml-slack', { type: 'slack', token, channel: '#ml-jobs', api_url: stub.apiUrl }, { now });

  it('posts one chat.postMessage per alert with token, channel, blocks and text', async () => {
    const outcomes = await bot().send([makeAlert(1), makeAlert(2), makeAlert(3)]);
    assert.deepEqual(outcomes, [{ ok: true }, { ok: true }, { ok: true }]);
    assert.equal(stub.posts.length, 3);
    stub.posts.forEach((p, i) => {
      assert.equal(p.kind, 'api');
      assert.equal(p.method, 'chat.postMessage');
      assert.equal(p.token, 'xoxb-good-token');
      assert.equal(p.body.channel, '#ml-jobs');
      assert.equal(p.body.unfurl_links, false);
      assert.equal(p.body.unfurl_media, false);
      assert.ok(Array.isArray(p.body.blocks), 'blocks decoded as an array');
      assert.equal(p.body.blocks[0].type, 'section');
      assert.ok(p.body.blocks[0].text.text.includes(`|ML Engineer ${i + 1}>*`));
      assert.ok(String(p.body.text).includes(`ML Engineer ${i + 1}`));
      assert.ok(String(p.body.text).includes(formatSalary(makeAlert(i + 1).job.salary!)));
    });
  });

  it('posts a grouped message as one chat.postMessage: a header, every job linked by its title, no button', async () => {
    const notifier = bot();
    assert.equal(notifier.groupAfter, 3);
    assert.equal(notifier.maxJobsPerMessage, 10);
    const outcome = await notifier.sendGroup!([makeAlert(1), makeAlert(2), makeAlert(3), makeAlert(4), makeAlert(5, { title: '<!channel> @here' })]);
    assert.deepEqual(outcome, { ok: true });
    assert.equal(stub.posts.length, 1);
    const body = stub.posts[0]!.body;
    assert.equal(body.channel, '#ml-jobs');
    assert.deepEqual(body.blocks[0], { type: 'header', text: { type: 'plain_text', text: '5 new jobs', emoji: true } });
    const sections = body.blocks.filter((b: { type: string }) => b.type === 'section');
    assert.equal(sections.length, 5);
    sections.slice(0, 4).forEach((b: { text: { text: string } }, i: number) => assert.ok(b.text.text.startsWith(`*<https://jobs.example.com/${i + 1}|ML Engineer ${i + 1}>* · Company ${i + 1}`), b.text.text));
    assert.ok(!JSON.stringify(body).includes('button'), 'no button anywhere');
    assert.ok(!JSON.stringify(body).includes('<!channel>'));
    for (let i = 1; i <= 4; i++) assert.ok(String(body.text).includes(`ML Engineer ${i}`));

    stub.failNext('api', 1, { status: 429, headers: { 'retry-after': '4' }, body: { ok: false, error: 'ratelimited' } });
    const failed = await notifier.sendGroup!([makeAlert(1), makeAlert(2), makeAlert(3), makeAlert(4)]);
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.error.retryable && failed.error.retryAfterMs, 4000);
    assert.equal(stub.posts.length, 2, 'one attempt for the whole group');
  });

  it('never sends a button, for one job or many', async () => {
    await bot().send([makeAlert(1)]);
    await bot().sendGroup!([makeAlert(1), makeAlert(2), makeAlert(3), makeAlert(4)]);
    await bot().sendSummary!('remote-senior-ml', 30, [makeAlert(1), makeAlert(2)]);
    assert.equal(stub.posts.length, 3);
    for (const p of stub.posts) {
      const types: string[] = JSON.stringify(p.body.blocks).match(/"type":"[a-z_]+"/g) ?? [];
      assert.ok(!types.includes('"type":"button"') && !types.includes('"type":"actions"'), types.join());
    }
  });

  it('neutralizes mentions and links from a posting in blocks and text', async () => {
    const [outcome] = await bot().send([makeAlert(1, { title: '<!channel> Hiring @here <http://evil.example|click>', company: '<@U123>' })]);
    assert.deepEqual(outcome, { ok: true });
    const body = stub.posts[0]!.body;
    for (const t of [String(body.text), JSON.stringify(body.blocks)]) {
      assert.ok(!t.includes('<!channel>'), t);
      assert.ok(!t.includes('<http://evil'), t);
      assert.ok(!t.includes('<@U123>'), t);
      assert.ok(!/@here/.test(t), t);
      assert.ok(t.includes('&lt;!channel&gt;'), t);
    }
  });

  it('on 429 reports retryable with Retry-After and does not try the rest of the batch', async () => {
    stub.failNext('api', 1, { status: 429, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } });
    const errors = failures(await bot().send([makeAlert(1), makeAlert(2), makeAlert(3)]));
    assert.equal(stub.posts.length, 1, 'only the first message was attempted');
    assert.equal(errors.length, 3);
    for (const e of errors) {
      assert.equal(e.retryable, true);
      assert.equal(e.retryAfterMs, 3000);
    }
  });

  it('reports 5xx as retryable', async () => {
    stub.failNext('api', 1, { status: 503, body: 'upstream unavailable' });
    const errors = failures(await bot().send([makeAlert(1), makeAlert(2)]));
    assert.equal(stub.posts.length, 1);
    assert.ok(errors.every((e) => e.retryable && e.retryAfterMs === null));
    assert.match(errors[0]!.message, /503/);
  });

  it('reports invalid_auth and channel_not_found as permanent, naming the Slack error and not the token', async () => {
    const errors = failures(await bot('xoxb-bad').send([makeAlert(1), makeAlert(2)]));
    assert.equal(stub.posts.length, 2, 'a permanent failure does not stop the batch');
    for (const e of errors) {
      assert.equal(e.retryable, false);
      assert.match(e.message, /invalid_auth/);
      assert.ok(!e.message.includes('xoxb-bad'));
      assert.ok(!JSON.stringify(e).includes('xoxb-bad'));
    }
    stub.failNext('api', 1, { status: 200, body: { ok: false, error: 'channel_not_found' } });
    const [e] = failures(await bot().send([makeAlert(1)]));
    assert.equal(e!.retryable, false);
    assert.match(e!.message, /channel_not_found/);
  });

  it('reports an unreachable API as retryable', async () => {
    const notifier = createSlackBotNotifier(
      'ml-slack',
      { type: 'slack', token: 'xoxb-good-token', channel: '#ml-jobs', api_url: `http://127.0.0.1:${await deadPort()}/api/` },
      { now, timeoutMs: 2000 },
    );
    const errors = failures(await notifier.send([makeAlert(1), makeAlert(2)]));
    assert.ok(errors.every((e) => e.retryable));
    assert.match(errors[0]!.message, /ECONNREFUSED/);
    assert.ok(!errors[0]!.message.includes('xoxb'));
  });

  it('sends a test message, and throws NotifyError when that fails', async () => {
    await bot().sendTest();
    assert.equal(stub.posts.length, 1);
    assert.match(String(stub.posts[0]!.body.text), /jobalert test message/);
    await assert.rejects(bot('xoxb-bad').sendTest(), (err: unknown) => err instanceof NotifyError && !err.retryable && /invalid_auth/.test(err.message));
  });
});

describe('slack webhook notifier', () => {
  let stub: SlackStub;
  before(async () => {
    stub = await startSlackStub();
  });
  beforeEach(() => {
    stub.posts.length = 0;
  });
  after(() => stub.close());

  const hook = (url = stub.webhookUrl) => createSlackWebhookNotifier('team-hook', { type: 'slack', webhook_url: url }, { now });

  it('posts one message per alert', async () => {
    const outcomes = await hook().send([makeAlert(1), makeAlert(2)]);
    assert.deepEqual(outcomes, [{ ok: true }, { ok: true }]);
    assert.equal(stub.posts.length, 2);
    for (const p of stub.posts) {
      assert.equal(p.kind, 'webhook');
      assert.equal(p.body.unfurl_links, false);
      assert.ok(Array.isArray(p.body.blocks));
      assert.match(p.body.text, /ML Engineer \d/);
    }
  });

  it('posts a grouped message as one webhook call', async () => {
    const outcome = await hook().sendGroup!([makeAlert(1), makeAlert(2), makeAlert(3), makeAlert(4)]);
    assert.deepEqual(outcome, { ok: true });
    assert.equal(stub.posts.length, 1);
    assert.equal(stub.posts[0]!.body.blocks[0].text.text, '4 new jobs');
    assert.ok(!JSON.stringify(stub.posts[0]!.body).includes('button'));
  });

  it('on 429 reports retryable with Retry-After and stops the batch', async () => {
    stub.failNext('webhook', 1, { status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' });
    const errors = failures(await hook().send([makeAlert(1), makeAlert(2)]));
    assert.equal(stub.posts.length, 1);
    assert.ok(errors.every((e) => e.retryable && e.retryAfterMs === 7000));
  });

  it('reports 5xx as retryable and 4xx as permanent, never showing the webhook URL', async () => {
    stub.failNext('webhook', 1, { status: 500, body: 'internal_error' });
    const [e5] = failures(await hook().send([makeAlert(1)]));
    assert.equal(e5!.retryable, true);

    stub.failNext('webhook', 1, { status: 403, body: 'invalid_token' });
    const [e403] = failures(await hook().send([makeAlert(1)]));
    assert.equal(e403!.retryable, false);
    assert.match(e403!.message, /403 invalid_token/);

    const wrong = `${stub.webhookUrl.replace(/XXXX$/, 'WRONG')}`;
    const errors = failures(await hook(wrong).send([makeAlert(1), makeAlert(2)]));
    assert.equal(errors.length, 2);
    for (const e of [...errors, e5!, e403!]) {
      assert.ok(!e.message.includes('/hooks/'), e.message);
      assert.ok(!e.message.includes('127.0.0.1'), e.message);
      assert.ok(!JSON.stringify(e).includes('/hooks/'));
    }
    assert.equal(errors[0]!.retryable, false);
    assert.match(errors[0]!.message, /404 no_service/);
  });

  it('reports an unreachable webhook as retryable', async () => {
    const [e] = failures(await hook(`http://127.0.0.1:${await deadPort()}/hooks/T/B/secret-part`).send([makeAlert(1)]));
    assert.equal(e!.retryable, true);
    assert.ok(!e!.message.includes('secret-part'));
  });

  it('sends a test message', async () => {
    await hook().sendTest();
    assert.equal(stub.posts.length, 1);
    stub.failNext('webhook', 1, { status: 404, body: 'no_service' });
    await assert.rejects(hook().sendTest(), NotifyError);
  });
});

describe('console notifier', () => {
  it('writes each alert as readable text and always succeeds', async () => {
    const written: string[] = [];
    const notifier = createConsoleNotifier('stdout', { write: (t) => written.push(t), now });
    const outcomes = await notifier.send([makeAlert(1), makeAlert(2, { title: 'Data <b>Scientist</b>' })]);
    assert.deepEqual(outcomes, [{ ok: true }, { ok: true }]);
    assert.equal(written.length, 2);
    assert.ok(written[0]!.startsWith('New job: ML Engineer 1 · Company 1\n'), written[0]);
    assert.ok(written[0]!.includes(formatSalary(makeAlert(1).job.salary!)));
    assert.ok(written[0]!.includes('https://jobs.example.com/1'));
    assert.ok(written[1]!.includes('Data <b>Scientist</b>'), 'plain text is not escaped');
    await notifier.sendTest();
    assert.match(written[2]!, /test message/);
    await notifier.close();
  });
});

describe('createNotifiers', () => {
  it('creates one notifier per channel, of the right type', async () => {
    const written: string[] = [];
    const notifiers = createNotifiers(
      {
        file: 'jobalert.yaml',
        smtp: { url: 'smtp://127.0.0.1:2525', from: 'a@example.com' },
        channels: {
          'ml-slack': { type: 'slack', token: 'xoxb-1', channel: '#ml' },
          'team-hook': { type: 'slack', webhook_url: 'https://hooks.slack.com/services/T/B/X' },
          me: { type: 'email', to: ['me@example.com'] },
          stdout: { type: 'console' },
        },
      },
      { write: (t) => written.push(t), now },
    );
    assert.deepEqual(
      [...notifiers].map(([name, n]) => [name, n.name, n.type]),
      [
        ['ml-slack', 'ml-slack', 'slack'],
        ['team-hook', 'team-hook', 'slack'],
        ['me', 'me', 'email'],
        ['stdout', 'stdout', 'console'],
      ],
    );
    await notifiers.get('stdout')!.send([makeAlert(1)]);
    assert.equal(written.length, 1);
    for (const n of notifiers.values()) await n.close();
  });

  it('writes dates in the config timezone, in real and dry-run notifiers alike', async () => {
    const written: string[] = [];
    const alert = makeAlert(1, { published: new Date('2025-03-10T02:00:00Z') });
    const config = { file: 'jobalert.yaml', timezone: 'America/Los_Angeles', channels: { out: { type: 'console' as const } } };
    await createNotifiers(config, { write: (t) => written.push(t), now }).get('out')!.send([alert]);
    await createDryRunNotifiers(config, { write: (t) => written.push(t), now }).get('out')!.send([alert]);
    await createNotifiers({ ...config, timezone: undefined }, { write: (t) => written.push(t), now }).get('out')!.send([alert]);
    assert.equal(written.length, 3);
    assert.ok(written[0]!.includes('posted 10 h ago · 9 Mar 2025'), written[0]);
    assert.ok(written[1]!.includes('posted 10 h ago · 9 Mar 2025'), written[1]);
    assert.ok(written[2]!.includes('posted 10 h ago · 10 Mar 2025'), `UTC by default: ${written[2]}`);
  });

  it('rejects an email channel without an smtp section', () => {
    assert.throws(
      () => createNotifiers({ file: 'jobalert.yaml', channels: { me: { type: 'email', to: ['me@example.com'] } } }),
      (err: unknown) => err instanceof ConfigError && /smtp/.test(err.message) && err.issues[0]?.key === 'channels.me',
    );
  });
});

describe('parseRetryAfter (the one reader Slack and the fetcher share)', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3', NOW), 3000);
    assert.equal(parseRetryAfter('10', NOW), 10_000);
    assert.equal(parseRetryAfter('Mon, 10 Mar 2025 12:00:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter(undefined, NOW), null);
    assert.equal(parseRetryAfter('soon', NOW), null);
  });
});
