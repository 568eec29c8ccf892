import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ConfigError, formatConfigIssue, type ConfigIssue } from '../src/core/errors.js';
import { loadConfig, parseConfigText, redactConfig, resolveConfigPath } from '../src/config/load.js';
import type { EmailChannel, SlackBotChannel, SlackWebhookChannel } from '../src/config/schema.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/config/', import.meta.url));
const DEFAULT_CONFIG = fileURLToPath(new URL('../config/jobalert.yaml', import.meta.url));

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-secret-bot-token',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/secretsecret',
  SMTP_URL: 'smtp://mailer:hunter2@mail.example.com:587',
};

/** Runs fn, asserts it throws a ConfigError, and returns its issues. */
function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail('expected a ConfigError, but the config was accepted');
}

/** The 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  assert.notEqual(index, -1, `fixture has no line containing ${needle}`);
  return index + 1;
}

function fixture(name: string): { path: string; text: string } {
  const path = `${FIXTURES}${name}`;
  return { path, text: readFileSync(path, 'utf8') };
}

describe('loadConfig() with a valid config', () => {
  it('loads every channel type, feeds, rules and smtp, with defaults applied', () => {
    const { path } = fixture('full.yaml');

    const config = loadConfig(path, SECRETS);

    assert.equal(config.file, path);
    assert.equal(config.database, `${FIXTURES}data/test.db`, 'read from the config file folder');
    assert.equal(config.timezone, 'Europe/Berlin');
    assert.equal(config.max_age, 7 * 86_400_000);
    assert.deepEqual(config.http, { port: 9090, host: '127.0.0.1' }, 'loopback unless the config or JOBALERT_HTTP_HOST says otherwise');
    assert.equal(config.fetch.timeout, 20_000);
    assert.equal(config.fetch.connect_timeout, 10_000);
    assert.equal(config.fetch.max_body, 5 * 1024 * 1024);
    assert.equal(config.delivery.give_up_after, 2 * 86_400_000);
    assert.deepEqual(config.exchange_rates, { EUR: 1.1 });

    assert.deepEqual(config.feeds[0], {
      name: 'wwr-programming',
      url: 'https://weworkremotely.com/categories/remote-programming-jobs.rss',
      type: 'auto',
      enabled: true,
    });
    assert.equal(config.feeds[1]?.schedule, '*/30 * * * *');
    assert.equal(config.feeds[1]?.enabled, false);

    const bot = config.channels['ml-slack'] as SlackBotChannel;
    assert.deepEqual(bot, { type: 'slack', token: SECRETS.SLACK_BOT_TOKEN, channel: '#ml-jobs', api_url: 'http://127.0.0.1:3000/api/' });
    assert.deepEqual(config.channels['team-hook'] as SlackWebhookChannel, { type: 'slack', webhook_url: SECRETS.SLACK_WEBHOOK_URL });
    assert.deepEqual(config.channels.me as EmailChannel, { type: 'email', to: ['me@example.com'], subject_prefix: '[jobs] ', max_jobs_per_email: 50 });
    assert.deepEqual(config.channels.stdout, { type: 'console' });
    assert.deepEqual(config.channels.console, { type: 'console' }, 'the implicit console channel is added');
    assert.deepEqual(config.smtp, { url: SECRETS.SMTP_URL, from: 'jobalert <alerts@example.com>' });

    const [byQuery, structured, forwardAll] = config.rules;
    assert.equal(byQuery?.query, 'remote senior ML engineer >= $130k', 'query is kept as written, "$130k" untouched');
    assert.deepEqual(byQuery?.notify, ['ml-slack', 'me']);
    assert.deepEqual(structured?.seniority, ['senior+']);
    assert.equal(structured?.currency, 'USD');
    assert.equal(structured?.include_unknown_salary, false);
    assert.deepEqual(structured?.notify, ['team-hook']);
    assert.equal(forwardAll?.name, 'everything-from-remotive');
    assert.deepEqual(forwardAll?.notify, ['console'], 'a rule without notify goes to console');
  });

  it('lets later stages find the line of a key path through config.locate', () => {
    const { path, text } = fixture('full.yaml');

    const config = loadConfig(path, SECRETS);

    assert.deepEqual(config.locate?.(['rules', 0, 'query']), { line: lineOf(text, 'query:'), column: 12 });
    assert.deepEqual(config.locate?.(['feeds', 1]), { line: lineOf(text, '- name: remotive'), column: 5 });
    assert.equal(config.locate?.(['channels', 'console']), null, 'the implicit channel is not in the file');
    assert.equal(config.locate?.(['rules', 0, 'digest']), null);
  });

  it('loads the shipped config/jobalert.yaml with no environment variables at all', () => {
    const config = loadConfig(DEFAULT_CONFIG, {});

    // ../data/jobalert.db from config/: the repository's data/ folder, wherever jobalert starts.
    assert.equal(config.database, path.resolve(path.dirname(DEFAULT_CONFIG), '..', 'data', 'jobalert.db'));
    assert.equal(config.http.port, 8080);
    assert.ok(config.feeds.length >= 2, 'ships real feeds');
    for (const feed of config.feeds) {
      assert.match(feed.url ?? '', /^https:\/\//);
      assert.equal(feed.schedule ?? config.schedule, '*/30 * * * *');
    }
    assert.deepEqual(Object.keys(config.channels), ['console']);
    assert.equal(config.smtp, undefined);
    const rule = config.rules.find((r) => r.name === 'remote-senior-ml');
    assert.ok(rule, 'ships the ML rule');
    assert.equal(rule.query, 'remote senior+ ML engineer >= $130k');
    assert.deepEqual(rule.notify, ['console']);
    for (const r of config.rules) {
      assert.equal(r.digest, undefined, 'digest is not active in the shipped config');
    }
  });

  it('parses max_age durations such as "14d"', () => {
    assert.equal(parseConfigText('max_age: 14d\n', 'c.yaml', {}).max_age, 14 * 86_400_000);
    assert.equal(parseConfigText('max_age: 90m\n', 'c.yaml', {}).max_age, 90 * 60_000);
    assert.equal(parseConfigText('{}\n', 'c.yaml', {}).max_age, 14 * 86_400_000, 'default 14d');
    const [issue] = issuesOf(() => parseConfigText('max_age: 14 days\n', 'c.yaml', {}));
    assert.equal(issue?.key, 'max_age');
    assert.equal(issue?.line, 1);
  });

  it('accepts sections whose entries are all commented out, and {} for all defaults', () => {
    const empty = parseConfigText('{}\n', 'c.yaml', {});
    assert.deepEqual(empty.feeds, []);
    assert.deepEqual(empty.rules, []);
    assert.deepEqual(empty.channels, { console: { type: 'console' } });

    const commented = parseConfigText('feeds:\n  # - name: x\nchannels:\nrules:\nsmtp:\n', 'c.yaml', {});
    assert.deepEqual(commented.feeds, []);
    assert.equal(commented.smtp, undefined);
  });

  it('keeps a user-defined "console" channel instead of the implicit one', () => {
    const text = 'channels:\n  console:\n    type: slack\n    webhook_url: https://hooks.example.com/x\n';
    const config = parseConfigText(text, 'c.yaml', {});
    assert.deepEqual(config.channels, { console: { type: 'slack', webhook_url: 'https://hooks.example.com/x' } });
  });
});

describe('environment variables', () => {
  it('reports an unset ${VAR} with the variable, the line of the scalar and the key, once', () => {
    const text = ['channels:', '  ml-slack:', '    type: slack', '    token: ${SLACK_BOT_TOKEN}', '    channel: "#ml"', ''].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'config/jobalert.yaml', {}));

    assert.deepEqual(issues.map(formatConfigIssue), [
      'config/jobalert.yaml:4:12: channels.ml-slack.token: environment variable SLACK_BOT_TOKEN is not set',
    ]);
  });

  it('uses ${VAR:-default} when unset or empty, and reads $${ as a literal ${', () => {
    const text = [
      'database: ${DB_DIR:-./data}/jobs.db',
      'log_level: ${LEVEL:-warn}',
      'channels:',
      '  me:',
      '    type: email',
      '    to: ${MAIL_TO:-me@example.com}',
      '    subject_prefix: "$${not-a-var} ${PREFIX} $$5 $130k"',
      'smtp:',
      '  url: smtp://${SMTP_HOST:-localhost}:25',
      '  from: ${FROM}',
      '',
    ].join('\n');

    const config = parseConfigText(text, 'c.yaml', { LEVEL: '', PREFIX: '${NOT_RESCANNED}', FROM: 'jobs@example.com' });

    assert.equal(config.database, path.resolve('data/jobs.db'));
    assert.equal(config.log_level, 'warn', 'an empty variable takes the default');
    assert.deepEqual((config.channels.me as EmailChannel).to, ['me@example.com']);
    assert.equal((config.channels.me as EmailChannel).subject_prefix, '${not-a-var} ${NOT_RESCANNED} $$5 $130k');
    assert.equal(config.smtp?.url, 'smtp://localhost:25');
    assert.equal(config.smtp?.from, 'jobs@example.com');
  });

  it('turns a number or boolean from the environment into the type the key expects', () => {
    const text = 'http:\n  port: ${PORT}\nfeeds:\n  - name: a\n    url: https://example.com/a.rss\n    enabled: "${A_ENABLED:-false}"\n';
    const config = parseConfigText(text, 'c.yaml', { PORT: '9000' });
    assert.equal(config.http.port, 9000);
    assert.equal(config.feeds[0]?.enabled, false);

    const [issue] = issuesOf(() => parseConfigText(text, 'c.yaml', { PORT: 'ninety' }));
    assert.equal(formatConfigIssue(issue!), 'c.yaml:2:9: http.port: expected a number, got the value of environment variable PORT');
  });

  it('never interpolates keys', () => {
    const config = parseConfigText('channels:\n  ${NAME}:\n    type: console\n', 'c.yaml', {});
    assert.ok('${NAME}' in config.channels);
  });

  it('rejects a malformed reference with its line', () => {
    const issues = issuesOf(() => parseConfigText('database: ok\nlog_level: ${lower-case}\n', 'c.yaml', {}));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, 2);
    assert.equal(issues[0]?.key, 'log_level');
    assert.match(issues[0]!.message, /not a variable reference.*\$\$\{/);
  });

  it('does not echo a secret from the environment in an error', () => {
    const text = 'smtp:\n  url: ${SMTP_URL}\n  from: a@example.com\n';
    const [issue] = issuesOf(() => parseConfigText(text, 'c.yaml', { SMTP_URL: 'smpt://mailer:hunter2@mail.example.com' }));
    assert.equal(issue?.key, 'smtp.url');
    assert.equal(issue?.line, 2);
    assert.match(issue!.message, /SMTP_URL/);
    assert.doesNotMatch(issue!.message, /hunter2/);
  });

  it('lets JOBALERT_DB override database, unless it is empty', () => {
    const text = 'database: ./data/from-file.db\n';
    assert.equal(parseConfigText(text, 'c.yaml', { JOBALERT_DB: '/data/jobalert.db' }).database, '/data/jobalert.db');
    // A relative path in the file is read from the file's folder (here the working directory).
    assert.equal(parseConfigText(text, 'c.yaml', { JOBALERT_DB: '' }).database, path.resolve('data/from-file.db'));
    assert.equal(parseConfigText('{}', 'c.yaml', { JOBALERT_DB: '/tmp/x.db' }).database, '/tmp/x.db');
  });
});

describe('schema errors', () => {
  it('names file, line, column and a suggestion for a typo in a feed key', () => {
    const { path, text } = fixture('typo-key.yaml');

    const issues = issuesOf(() => loadConfig(path, {}));

    assert.equal(issues.length, 1);
    const line = lineOf(text, 'schedul:');
    assert.deepEqual(issues[0], {
      file: path,
      line,
      column: 5,
      key: 'feeds[0].schedul',
      message: 'unknown key "schedul" (did you mean "schedule"?)',
    });
    assert.equal(formatConfigIssue(issues[0]!), `${path}:${line}:5: feeds[0].schedul: unknown key "schedul" (did you mean "schedule"?)`);
  });

  it('lists the allowed keys when no key is close', () => {
    const [issue] = issuesOf(() => parseConfigText('http:\n  port: 80\n  banana: 1\n', 'c.yaml', {}));
    assert.equal(formatConfigIssue(issue!), 'c.yaml:3:3: http.banana: unknown key "banana"; allowed keys: port, host');
  });

  it('suggests keys of the channel type in use', () => {
    const text = 'channels:\n  me:\n    type: email\n    too: me@example.com\nsmtp:\n  url: smtp://localhost\n  from: a@example.com\n';
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.deepEqual(
      issues.map(formatConfigIssue),
      ['c.yaml:2:3: channels.me.to: required key is missing', 'c.yaml:4:5: channels.me.too: unknown key "too" (did you mean "to"?)'],
    );
  });

  it('reports a bad cron expression at its line', () => {
    const text = 'feeds:\n  - name: a\n    url: https://example.com/a.rss\n    schedule: "every hour"\n';
    const [issue] = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.equal(issue?.line, 4);
    assert.equal(issue?.column, 15);
    assert.equal(issue?.key, 'feeds[0].schedule');
    assert.match(issue!.message, /^expected a cron expression .*, got "every hour"/);
  });

  it('words type errors as "expected ..., got ..."', () => {
    const text = 'http:\n  port: "eighty"\nrules:\n  - name: r\n    seniority: 42\n    title: [ML engineer, 7]\n';
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.deepEqual(issues.map(formatConfigIssue), [
      'c.yaml:2:9: http.port: expected a number, got "eighty"',
      'c.yaml:5:16: rules[0].seniority: expected a string or a list, got 42',
      'c.yaml:6:26: rules[0].title[1]: expected a string, got 7',
    ]);
  });

  it('places a missing required key at its parent mapping', () => {
    const text = 'feeds:\n  - name: ok\n    url: https://example.com/a.rss\n  - name: no-url\n    type: rss\n';
    const [issue] = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.equal(formatConfigIssue(issue!), 'c.yaml:4:5: feeds[1].url: required key is missing (expected an http(s) URL)');
  });

  it('rejects a top level that is not a mapping', () => {
    const [issue] = issuesOf(() => parseConfigText('- a\n- b\n', 'c.yaml', {}));
    assert.equal(issue?.line, 1);
    assert.match(issue!.message, /expected a mapping .* got a list/);
  });

  it('reports several errors at once, sorted by line', () => {
    const { path, text } = fixture('many-errors.yaml');

    const issues = issuesOf(() => loadConfig(path, {}));

    assert.deepEqual(
      issues.map((i) => [i.line, i.key]),
      [
        [lineOf(text, 'schedule: "every'), 'schedule'],
        [lineOf(text, 'port:'), 'http.port'],
        [lineOf(text, 'schedul: "*/30'), 'feeds[0].schedul'],
        [lineOf(text, 'token:'), 'channels.ml-slack.token'],
        [lineOf(text, 'seniority:'), 'rules[0].seniority'],
        [lineOf(text, 'notify:'), 'rules[0].notify[0]'],
      ],
    );
    assert.ok(issues.every((i) => i.file === path && i.column !== null));
    const err = (() => {
      try {
        loadConfig(path, {});
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    assert.equal(err?.message.split('\n').length, 6, 'the message lists every issue, one a line');
  });
});

describe('YAML errors', () => {
  it('reports a syntax error with its line', () => {
    const text = 'database: ./x.db\nfeeds:\n  - name: a\n    url: [https://example.com\nrules: []\n';
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.ok(issues.length >= 1);
    for (const issue of issues) {
      assert.equal(typeof issue.line, 'number');
      assert.ok(issue.line! >= 4, `line ${issue.line} points at or after the broken flow list`);
      assert.match(issue.message, /^invalid YAML: /);
    }
  });

  it('reports duplicate keys at the second occurrence', () => {
    const text = 'database: a.db\nhttp:\n  port: 80\n  port: 81\ndatabase: b.db\n';
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.deepEqual(issues.map(formatConfigIssue), [
      'c.yaml:4:3: http.port: duplicate key "port" (first at line 3); each key may appear once',
      'c.yaml:5:1: database: duplicate key "database" (first at line 1); each key may appear once',
    ]);
  });
});

describe('cross-field checks', () => {
  it('names the line of a rule that notifies an unknown channel', () => {
    const text = [
      'channels:',
      '  me:',
      '    type: email',
      '    to: me@example.com',
      'smtp:',
      '  url: smtp://localhost:25',
      '  from: a@example.com',
      'rules:',
      '  - name: r',
      '    notify: [me, slak]',
      '  - name: s',
      '    notify: nobody',
      '',
    ].join('\n');
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.deepEqual(issues.map(formatConfigIssue), [
      'c.yaml:10:18: rules[0].notify[1]: unknown channel "slak"; defined channels: console, me',
      'c.yaml:12:13: rules[1].notify: unknown channel "nobody"; defined channels: console, me',
    ]);
  });

  it('rejects duplicate feed names and duplicate rule names', () => {
    const text = [
      'feeds:',
      '  - name: wwr',
      '    url: https://example.com/a.rss',
      '  - name: wwr',
      '    url: https://example.com/b.rss',
      'rules:',
      '  - name: ml',
      '  - name: ml',
      '',
    ].join('\n');
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.deepEqual(issues.map(formatConfigIssue), [
      'c.yaml:4:11: feeds[1].name: duplicate feed name "wwr" (also feeds[0] at line 2); feed names must be unique',
      'c.yaml:8:11: rules[1].name: duplicate rule name "ml" (also rules[0] at line 7); rule names must be unique',
    ]);
  });

  it('requires smtp when an email channel exists', () => {
    const text = 'channels:\n  me:\n    type: email\n    to: [me@example.com]\n';
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.key, 'channels.me');
    assert.equal(issues[0]?.line, 3);
    assert.match(issues[0]!.message, /smtp/);
  });

  it('accepts digest (a cron) with an optional per-rule timezone, and quiet_hours on every channel type', () => {
    const text = [
      'timezone: Europe/Berlin',
      'channels:',
      '  bot: { type: slack, token: x, channel: "#j", quiet_hours: "22:00-07:00" }',
      '  hook: { type: slack, webhook_url: "https://hooks.example.test/x", quiet_hours: "12:00-13:30" }',
      '  out: { type: console, quiet_hours: "00:00-06:00" }',
      'rules:',
      '  - name: r',
      '    digest: "0 9 * * 1-5"',
      '  - name: s',
      '    digest: "30 17 * * *"',
      '    timezone: America/New_York',
      '',
    ].join('\n');
    const config = parseConfigText(text, 'c.yaml', {});
    assert.equal(config.rules[0]!.digest, '0 9 * * 1-5');
    assert.equal(config.rules[0]!.timezone, undefined, 'the config timezone applies');
    assert.equal(config.rules[1]!.timezone, 'America/New_York');
    assert.equal((config.channels.bot as SlackBotChannel).quiet_hours, '22:00-07:00');
    assert.equal((config.channels.hook as SlackWebhookChannel).quiet_hours, '12:00-13:30');
  });

  it('reports a bad digest cron, rule timezone and quiet_hours with their lines, and a timezone without digest', () => {
    const text = [
      'channels:',
      '  me: { type: email, to: [me@example.com], quiet_hours: "10pm-7am" }',
      '  out: { type: console, quiet_hours: "22:00-22:00" }',
      '  late: { type: console, quiet_hours: "24:00-07:00" }',
      'smtp: { url: "smtp://127.0.0.1:25", from: a@example.com }',
      'rules:',
      '  - name: r',
      '    digest: "0 25 * * *"',
      '  - name: s',
      '    digest: "0 9 * * *"',
      '    timezone: Europe/Berlinn',
      '  - name: t',
      '    timezone: UTC',
      '',
    ].join('\n');
    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {})).map(formatConfigIssue);
    assert.equal(issues.length, 6, issues.join('\n'));
    assert.match(issues[0]!, /^c\.yaml:2:\d+: channels\.me\.quiet_hours: expected a time range such as "22:00-07:00" \(HH:MM-HH:MM, 24-hour, in the config's timezone\), got "10pm-7am"$/);
    assert.match(issues[1]!, /^c\.yaml:3:\d+: channels\.out\.quiet_hours: quiet_hours start and end are the same/);
    assert.match(issues[2]!, /^c\.yaml:4:\d+: channels\.late\.quiet_hours: expected a time range/);
    assert.match(issues[3]!, /^c\.yaml:8:13: rules\[0\]\.digest: expected a cron expression .*hour/);
    assert.match(issues[4]!, /^c\.yaml:11:15: rules\[1\]\.timezone: expected an IANA time zone/);
    assert.equal(issues[5], 'c.yaml:13:15: rules[2].timezone: timezone on a rule sets when its digest is sent; add digest: (a cron) or remove timezone');
  });

  it('suggests quiet_hours for a misspelt key on any channel type', () => {
    const [issue] = issuesOf(() => parseConfigText('channels:\n  out: { type: console, quiet_hour: "22:00-07:00" }\n', 'c.yaml', {}));
    assert.match(issue!.message, /unknown key "quiet_hour" \(did you mean "quiet_hours"\?\)/);
  });

  it('rejects an empty notify list, which would alert nobody', () => {
    const [issue] = issuesOf(() => parseConfigText('rules:\n  - name: r\n    notify: []\n', 'c.yaml', {}));
    assert.equal(issue?.key, 'rules[0].notify');
    assert.equal(issue?.line, 3);
  });
});

describe('redactConfig()', () => {
  it('hides slack tokens, webhook URLs and the SMTP password, and leaves the config intact', () => {
    const config = loadConfig(`${FIXTURES}full.yaml`, SECRETS);

    const redacted = redactConfig(config) as typeof config;
    const printed = JSON.stringify(redacted);

    assert.equal((redacted.channels['ml-slack'] as SlackBotChannel).token, '***');
    assert.equal((redacted.channels['ml-slack'] as SlackBotChannel).channel, '#ml-jobs');
    assert.equal((redacted.channels['team-hook'] as SlackWebhookChannel).webhook_url, '***');
    assert.equal(redacted.smtp?.url, 'smtp://mailer:***@mail.example.com:587');
    assert.deepEqual((redacted.channels.me as EmailChannel).to, ['me@example.com']);
    for (const secret of ['xoxb-secret-bot-token', 'secretsecret', 'hunter2']) assert.ok(!printed.includes(secret), `${secret} is hidden`);
    assert.equal((config.channels['ml-slack'] as SlackBotChannel).token, SECRETS.SLACK_BOT_TOKEN, 'the original is not modified');
    assert.equal(config.smtp?.url, SECRETS.SMTP_URL);
  });
});

describe('loadConfig() and resolveConfigPath()', () => {
  it('reports a missing file as a ConfigError naming the path', () => {
    const issues = issuesOf(() => loadConfig(`${FIXTURES}does-not-exist.yaml`, {}));
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.file, `${FIXTURES}does-not-exist.yaml`);
    assert.equal(issues[0]?.line, null);
    assert.match(formatConfigIssue(issues[0]!), /does-not-exist\.yaml: config file not found/);
  });

  it('prefers --config, then JOBALERT_CONFIG, then config/jobalert.yaml', () => {
    assert.equal(resolveConfigPath('cli.yaml', { JOBALERT_CONFIG: 'env.yaml' }), 'cli.yaml');
    assert.equal(resolveConfigPath(undefined, { JOBALERT_CONFIG: 'env.yaml' }), 'env.yaml');
    assert.equal(resolveConfigPath(undefined, {}), 'config/jobalert.yaml');
    assert.equal(resolveConfigPath('', { JOBALERT_CONFIG: '' }), 'config/jobalert.yaml');
  });
});

describe('rule meaning is checked with the structure', () => {
  it('reports a query word it cannot read alongside a structural error, each with its line', () => {
    const text = [
      'feeds:',
      '  - name: acme',
      '    type: greenhouse',
      'rules:',
      '  - name: r1',
      '    query: "remote senior ML engineer >= 130"',
      '  - name: r2',
      '    query: "data scientist >= $$$"',
      '',
    ].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'jobalert.yaml', {}));

    assert.deepEqual(
      issues.map((i) => [i.line, i.key]),
      [
        [2, 'feeds[0].board'],
        [6, 'rules[0].query'],
        [8, 'rules[1].query'],
        [8, 'rules[1].query'],
      ],
    );
    assert.match(issues[1]!.message, /did you mean "130k"/);
    assert.match(issues[3]!.message, /\$\$\$/);
  });

  it('rejects a yearly salary_min under 1,000 at its line, with the amount probably meant', () => {
    const text = ['rules:', '  - name: r1', '    title: ["ML engineer"]', '    salary_min: 140', '  - name: r2', '    salary_min: 0', '  - name: r3', '    salary_min: 1000', ''].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'jobalert.yaml', {}));

    assert.deepEqual(issues.map(formatConfigIssue), [
      'jobalert.yaml:4:17: rules[0].salary_min: 140 is too low for a yearly salary (did you mean 140000 or 140k?)',
    ]);
  });
});

describe('feeds: the company key', () => {
  it('is accepted on every feed type that has no company key of its own', () => {
    const config = parseConfigText(
      `feeds:
  - { name: a, type: lever, site: meridianfreight, company: "Meridian Freight" }
  - { name: b, type: ashby, board: parallax, company: Parallax Games }
  - { name: c, url: "https://example.com/jobs.rss", company: Example }
  - { name: d, type: greenhouse, board: acme }
`,
      'c.yaml',
      {},
    );
    assert.deepEqual(
      config.feeds.map((f) => f.company),
      ['Meridian Freight', 'Parallax Games', 'Example', undefined],
    );
  });

  it('rejects an empty company, naming the key', () => {
    const issues = issuesOf(() => parseConfigText(`feeds:\n  - { name: a, type: lever, site: x, company: "  " }\n`, 'c.yaml', {}));
    assert.ok(
      issues.some((i) => i.key === 'feeds[0].company'),
      issues.map((i) => formatConfigIssue(i)).join('\n'),
    );
  });

  it('stays the account key of SmartRecruiters and Recruitee', () => {
    const config = parseConfigText(`feeds:\n  - { name: sr, type: smartrecruiters, company: Example1 }\n`, 'c.yaml', {});
    assert.equal(config.feeds[0]!.company, 'Example1');
    const issues = issuesOf(() => parseConfigText(`feeds:\n  - { name: r, type: recruitee, company: "Not A Subdomain" }\n`, 'c.yaml', {}));
    assert.ok(issues.some((i) => i.key === 'feeds[0].company'));
  });
});
