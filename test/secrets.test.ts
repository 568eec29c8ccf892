/**
 * Secrets in URLs (issue 8, items 3 and 12): the SMTP password and feed credentials never reach
 * stdout or stderr of the real CLI, a malformed SMTP URL is a `check` error naming its line, and
 * over smtp:// the password is only sent after STARTTLS unless the config opts out.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { startFeedServer, rssFeed } from './helpers/feed-server.js';
import { startSmtpSink } from './helpers/smtp-sink.js';
import { redactUrl, redactUrlsIn, urlSecrets } from '../src/core/redact.js';
import { parseSmtpUrl } from '../src/config/smtp-url.js';
import { createEmailNotifier, smtpTransportOptions } from '../src/notify/email.js';
import { NotifyError } from '../src/core/errors.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-secrets-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const SMTP_PASSWORD = 'pa#ss/wo?rd-7781';
const FEED_PASSWORD = 'feedSecret-5521';
const FEED_TOKEN = 'qtok-90210-xyz';

function writeConfig(name: string, body: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, `database: ${path.join(tmp, `${name}.db`)}\n${body}`);
  return file;
}

/** Asserts that no form of any secret (raw or percent-encoded) appears in the output. */
function assertHidden(output: { stdout: string; stderr: string }, secrets: string[]): void {
  const all = output.stdout + output.stderr;
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret), ...secret.split(/[#/?]/).filter((p) => p.length >= 4)])) {
      assert.ok(!all.includes(form), `"${form}" (from ${secret}) leaked:\n${all}`);
    }
  }
  assert.doesNotMatch(all, /DEP0170/, 'no url.parse() deprecation warning (it prints the whole URL)');
}

describe('an SMTP URL whose password is not percent-encoded', () => {
  const body = (url: string) => `smtp:\n  url: ${url}\n  from: jobalert@example.com\nchannels:\n  mail:\n    type: email\n    to: me@example.com\nrules:\n  - name: all\n    notify: mail\n`;

  test('check exits 1 naming file:line:col and what to encode, never the password (inline)', async () => {
    const file = writeConfig('inline', body(`smtp://alice:${SMTP_PASSWORD}@127.0.0.1:2525`));
    const r = await runCli(['check', '--config', file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:3:8: smtp\\.url: the user name and password must be percent-encoded.*# as %23`));
    assertHidden(r, [SMTP_PASSWORD]);
  });

  test('check exits 1 the same way when the URL comes from ${SMTP_URL}', async () => {
    const file = writeConfig('env', body('${SMTP_URL}'));
    const r = await runCli(['check', '--config', file], { SMTP_URL: `smtp://alice:${SMTP_PASSWORD}@127.0.0.1:2525` });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /:3:8: smtp\.url: the user name and password must be percent-encoded/);
    assertHidden(r, [SMTP_PASSWORD]);
  });

  test('run --once stops at the same config error instead of printing the URL', async () => {
    const file = writeConfig('run', body('${SMTP_URL}'));
    const r = await runCli(['run', '--once', '--config', file], { SMTP_URL: `smtp://alice:${SMTP_PASSWORD}@127.0.0.1:2525` });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /:3:8: smtp\.url: /);
    assertHidden(r, [SMTP_PASSWORD]);
  });

  test('a port typo is named as such', async () => {
    const file = writeConfig('port', body('smtp://alice:s3cret-word@127.0.0.1:25x'));
    const r = await runCli(['check', '--config', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /:3:8: smtp\.url: the port after the server name must be a number from 1 to 65535/);
    assertHidden(r, ['s3cret-word']);
  });
});

describe('credentials in a feed URL', () => {
  test('run --once against a failing feed and check afterwards print the URL redacted', async () => {
    const feeds = await startFeedServer({ '/private.rss': { kind: 'status', status: 500 } });
    try {
      const url = feeds.url('/private.rss').replace('http://', `http://bob:${FEED_PASSWORD}@`) + `?token=${FEED_TOKEN}&page=2`;
      const file = writeConfig('feed', `feeds:\n  - name: private\n    url: ${url}\nrules:\n  - name: all\n`);
      const run = await runCli(['run', '--once', '--config', file]);
      assert.equal(run.code, 2, run.stdout + run.stderr);
      assert.match(run.stdout + run.stderr, /HTTP 500/);
      assertHidden(run, [FEED_PASSWORD, FEED_TOKEN]);

      const check = await runCli(['check', '--config', file]);
      assert.equal(check.code === 0 || check.code === 3 || check.code === 2, true, check.stderr);
      assert.match(check.stdout, /http:\/\/bob:\*\*\*@127\.0\.0\.1:\d+\/private\.rss\?token=\*\*\*&page=2/);
      assert.match(check.stdout, /FAILING/);
      assertHidden(check, [FEED_PASSWORD, FEED_TOKEN]);
    } finally {
      await feeds.close();
    }
  });
});

describe('smtp:// with a password and no STARTTLS', () => {
  const feedBody = rssFeed('board', [
    { title: 'Acme: Senior Engineer', link: 'https://jobs.example.com/1', descriptionHtml: '<p>Remote.</p>', pubDate: new Date(Date.now() - 3_600_000) },
  ]);
  const config = (name: string, feedUrl: string, extra = '') =>
    writeConfig(
      name,
      `feeds:\n  - name: board\n    url: ${feedUrl}\nsmtp:\n  url: \${SMTP_URL}\n  from: jobalert@example.com\n${extra}channels:\n  mail:\n    type: email\n    to: me@example.com\nrules:\n  - name: all\n    notify: mail\n`,
    );

  test('the password is never sent: delivery fails with a clear error, and onAuth never runs', async () => {
    const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: feedBody } });
    const sink = await startSmtpSink();
    try {
      const file = config('notls', feeds.url('/jobs.rss'));
      const r = await runCli(['run', '--once', '--config', file], { SMTP_URL: sink.url.replace('smtp://', 'smtp://alerts:hunter2-secret@') });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.deepEqual(sink.logins, [], 'the server never saw the password');
      assert.equal(sink.messages.length, 0);
      assert.match(r.stdout + r.stderr, /does not offer STARTTLS, so the password was not sent/);
      assertHidden(r, ['hunter2-secret']);
    } finally {
      await Promise.all([feeds.close(), sink.close()]);
    }
  });

  test('allow_insecure_auth: true logs in anyway; a refused login still never prints the password', async () => {
    const feeds = await startFeedServer({ '/jobs.rss': { kind: 'feed', body: feedBody } });
    const sink = await startSmtpSink({ failWith: { code: 535, message: 'Authentication credentials invalid', stage: 'auth' } });
    try {
      const file = config('insecure', feeds.url('/jobs.rss'), '  allow_insecure_auth: true\n');
      const r = await runCli(['run', '--once', '--config', file], { SMTP_URL: sink.url.replace('smtp://', 'smtp://alerts:hunter2-secret@') });
      assert.equal(sink.logins.length, 1, r.stdout + r.stderr);
      assert.equal(sink.logins[0]!.password, 'hunter2-secret');
      assert.match(r.stdout + r.stderr, /535/);
      assertHidden(r, ['hunter2-secret']);
    } finally {
      await Promise.all([feeds.close(), sink.close()]);
    }
  });

  test('a STARTTLS-less server refuses the notifier directly too, as permanent', async () => {
    const sink = await startSmtpSink();
    const notifier = createEmailNotifier('me', { type: 'email', to: ['me@example.com'] }, { url: sink.url.replace('smtp://', 'smtp://u:pw-1234@'), from: 'a@example.com' });
    try {
      await assert.rejects(notifier.sendTest(), (err: unknown) => err instanceof NotifyError && !err.retryable && /STARTTLS/.test(err.message) && !err.message.includes('pw-1234'));
      assert.deepEqual(sink.logins, []);
    } finally {
      await notifier.close();
      await sink.close();
    }
  });
});

describe('smtpTransportOptions()', () => {
  test('requires STARTTLS only for smtp:// with credentials, unless the config opts out', () => {
    assert.equal(smtpTransportOptions({ url: 'smtp://u:p@mail.example.com:587', from: 'a@b.c' }).requireTLS, true);
    assert.equal(smtpTransportOptions({ url: 'smtp://mail.example.com:25', from: 'a@b.c' }).requireTLS, undefined);
    assert.equal(smtpTransportOptions({ url: 'smtps://u:p@mail.example.com', from: 'a@b.c' }).requireTLS, undefined);
    assert.equal(smtpTransportOptions({ url: 'smtp://u:p@mail.example.com', from: 'a@b.c', allow_insecure_auth: true }).requireTLS, undefined);
    assert.equal(smtpTransportOptions({ url: 'smtp://u:p@mail.example.com?requireTLS=false', from: 'a@b.c' }).requireTLS, false);
  });
});

describe('parseSmtpUrl()', () => {
  test('reads what nodemailer would: host, port, secure, decoded credentials, query options', () => {
    const r = parseSmtpUrl('smtps://alerts%40example.com:p%23ss%2Fw@Mail.Example.com:465?tls.rejectUnauthorized=false&name=jobalert');
    assert.ok(r.ok);
    assert.deepEqual(r.options, {
      host: 'Mail.Example.com',
      port: 465,
      secure: true,
      auth: { user: 'alerts@example.com', pass: 'p#ss/w' },
      tls: { rejectUnauthorized: false },
      name: 'jobalert',
    });
    const plain = parseSmtpUrl('smtp://localhost');
    assert.ok(plain.ok);
    assert.deepEqual(plain.options, { host: 'localhost', secure: false });
  });

  test('names the problem of each malformed URL without any part of the password', () => {
    const cases: Array<[string, RegExp]> = [
      ['smtp://u:ab#cd@host:587', /percent-encoded \(it contains "#"\)/],
      ['smtp://u:ab/cd@host:587', /percent-encoded \(it contains "\/"\)/],
      ['smtp://u:ab?cd@host:587', /percent-encoded \(it contains "\?"\)/],
      ['smtp://u:12/cd@host:587', /percent-encoded/], // parses, but as host "u" port 12
      ['smtp://u:1234#cd@host', /percent-encoded/],
      ['smtp://u:abcd@host:58x', /port after the server name must be a number/],
      ['smtp://u:abcd@host:70000', /port after the server name must be a number/],
      ['smtp://u:abcd@host:0', /port must be a number/],
      ['smtp://u:abcd', /"@host:port" part is missing/],
      ['smtp://u:ab%zzcd@host', /%25/],
      ['http://u:abcd@host', /expected an smtp:\/\/ or smtps:\/\/ URL/],
      ['smtp://host/path', /path/],
    ];
    for (const [url, expected] of cases) {
      const r = parseSmtpUrl(url);
      assert.equal(r.ok, false, url);
      if (r.ok) continue;
      assert.match(r.problem, expected, url);
      assert.ok(!/abcd|ab#cd|ab\/cd|ab\?cd|\bcd\b|zzcd/.test(r.problem), `${url}: ${r.problem}`);
    }
  });
});

describe('redactUrl()', () => {
  test('hides the password (keeping the user name), a lone user name (often a token) and secret query values', () => {
    assert.equal(redactUrl('https://bob:s3cret@jobs.example.com/feed.rss'), 'https://bob:***@jobs.example.com/feed.rss');
    assert.equal(redactUrl('https://ghp_token123@jobs.example.com/feed'), 'https://***@jobs.example.com/feed');
    assert.equal(
      redactUrl('https://jobs.example.com/api?q=ml&api_key=k1&token=t2&access_token=t3&X-Api-Key=k4&secret=s&password=p&keywords=ml'),
      'https://jobs.example.com/api?q=ml&api_key=***&token=***&access_token=***&X-Api-Key=***&secret=***&password=***&keywords=ml',
    );
    assert.equal(redactUrl('https://jobs.example.com/feed.rss'), 'https://jobs.example.com/feed.rss');
    assert.equal(redactUrl('https://jobs.example.com'), 'https://jobs.example.com');
    assert.equal(redactUrl('smtp://mailer:hunter2@mail.example.com:587'), 'smtp://mailer:***@mail.example.com:587');
  });

  test('cuts an unparsable URL at its last "@", wherever the password broke it', () => {
    assert.equal(redactUrl('smtp://alice:pa#ss/wo?rd@127.0.0.1:25x'), 'smtp://***@127.0.0.1:25x');
    assert.equal(redactUrl('https://u:p/q@host:99999/feed?token=abc'), 'https://***@host:99999/feed?token=***');
  });

  test('redactUrlsIn() redacts every URL inside a message; urlSecrets() lists what to scrub', () => {
    assert.equal(redactUrlsIn('HTTP 500: GET https://bob:pw-9@h.example/x?key=abc (redirected to https://h.example/y)'), 'HTTP 500: GET https://bob:***@h.example/x?key=*** (redirected to https://h.example/y)');
    assert.deepEqual(new Set(urlSecrets('https://bob:p%40ss@h.example/x?token=abc&q=1')), new Set(['p%40ss', 'p@ss', 'bob:p%40ss', 'bob:p@ss', 'abc']));
    assert.deepEqual(urlSecrets('https://h.example/x'), []);
  });
});
