/**
 * Config values that passed `check` and then broke `run` (issue 8, item 8), and the YAML syntax
 * error cascade (item 12): each is now one `check` error naming file:line:col.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, formatConfigIssue, type ConfigIssue } from '../src/core/errors.js';
import { parseConfigText } from '../src/config/load.js';
import { cronRangeProblems } from '../src/config/cron-check.js';
import { runCli } from './helpers/cli.js';

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfigText(text, 'c.yaml', {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail(`accepted:\n${text}`);
}

/** The one issue of `text`, formatted "c.yaml:line:col: key: message". */
function oneIssue(text: string): string {
  const issues = issuesOf(text);
  assert.equal(issues.length, 1, issues.map(formatConfigIssue).join('\n'));
  return formatConfigIssue(issues[0]!);
}

describe('durations that feed a timer', () => {
  it('rejects fetch.timeout: 0s and a bare 0, which time out every request at once', () => {
    assert.match(oneIssue('fetch:\n  timeout: 0s\n'), /^c\.yaml:2:12: fetch\.timeout: expected a duration from 1s to 24d \(.*\), got "0s"$/);
    assert.match(oneIssue('fetch:\n  timeout: 0\n'), /^c\.yaml:2:12: fetch\.timeout: expected a duration from 1s to 24d/);
    assert.match(oneIssue('fetch:\n  connect_timeout: 500ms\n'), /^c\.yaml:2:20: fetch\.connect_timeout: expected a duration from 1s to 24d/);
  });

  it('rejects a timeout longer than a Node timer can wait (2^31-1 ms, about 24.8 days)', () => {
    // setTimeout(fn, 2 ** 31) fires after 1 ms: the timeout would fail every fetch at once.
    assert.match(oneIssue('fetch:\n  timeout: 25d\n'), /^c\.yaml:2:12: fetch\.timeout: expected a duration from 1s to 24d \(.*timers cannot wait longer\)/);
    assert.match(oneIssue('fetch:\n  connect_timeout: 2147484s\n'), /^c\.yaml:2:20: fetch\.connect_timeout: /);
    assert.match(oneIssue('fetch:\n  timeout: 99999999999999999999w\n'), /^c\.yaml:2:12: fetch\.timeout: /);
    assert.equal(parseConfigText('fetch:\n  timeout: 24d\n', 'c.yaml', {}).fetch.timeout, 24 * 86_400_000);
  });

  it('rejects delivery.give_up_after: 0s (one refused delivery would lose the alert) and a max_age past any date', () => {
    assert.match(oneIssue('delivery:\n  give_up_after: 0s\n'), /^c\.yaml:2:18: delivery\.give_up_after: expected a duration from 1m to 36500d/);
    assert.match(oneIssue('max_age: 40000d\n'), /^c\.yaml:1:10: max_age: expected a duration at most 36500d/);
    assert.equal(parseConfigText('max_age: 0s\n', 'c.yaml', {}).max_age, 0, 'max_age 0 still means no limit');
  });
});

describe('fetch.max_body', () => {
  it('rejects fractional bytes and sizes below 1KB or above 1GB', () => {
    assert.match(oneIssue('fetch:\n  max_body: 0.4b\n'), /^c\.yaml:2:13: fetch\.max_body: expected a whole number of bytes .*, got "0\.4b"$/);
    assert.match(oneIssue('fetch:\n  max_body: 100\n'), /^c\.yaml:2:13: fetch\.max_body: expected a size from 1KB to 1GB/);
    assert.match(oneIssue('fetch:\n  max_body: 0.5kb\n'), /^c\.yaml:2:13: fetch\.max_body: expected a size from 1KB to 1GB/);
    assert.match(oneIssue('fetch:\n  max_body: 2gb\n'), /^c\.yaml:2:13: fetch\.max_body: expected a size from 1KB to 1GB/);
    assert.equal(parseConfigText('fetch:\n  max_body: 1.5kb\n', 'c.yaml', {}).fetch.max_body, 1536);
    assert.equal(parseConfigText('fetch:\n  max_body: 10MB\n', 'c.yaml', {}).fetch.max_body, 10 * 1024 * 1024);
  });
});

describe('cron schedules', () => {
  it('rejects a reversed range, which node-cron runs as a wrap-around (1-0: every minute)', () => {
    assert.match(oneIssue('schedule: "1-0 * * * *"\n'), /^c\.yaml:1:11: schedule: expected a cron expression .*minute: "1-0" is a reversed range/);
    const feed = 'feeds:\n  - name: a\n    url: https://example.com/a.rss\n    schedule: "0 22-2 * * *"\n';
    assert.match(oneIssue(feed), /^c\.yaml:4:15: feeds\[0\]\.schedule: .*hour: "22-2" is a reversed range.*"22-23,0-2"/);
    assert.match(oneIssue('schedule: "0 9 * * fri-mon"\n'), /weekday: "fri-mon" is a reversed range/);
  });

  it('rejects a step longer than its field, which runs once instead of "every"', () => {
    assert.match(oneIssue('schedule: "*/90 * * * *"\n'), /minute: the step in "\*\/90" is longer than its range 0-59/);
    assert.match(oneIssue('schedule: "0 */24 * * *"\n'), /hour: the step in "\*\/24"/);
  });

  it('still rejects what node-cron rejects, and accepts the usual forms', () => {
    assert.match(oneIssue('schedule: "60 * * * *"\n'), /^c\.yaml:1:11: schedule: expected a cron expression/);
    assert.match(oneIssue('schedule: "*/0 * * * *"\n'), /^c\.yaml:1:11: schedule: /);
    for (const ok of ['*/15 * * * *', '0 9-17 * * mon-fri', '0 0 * * 5-7', '0 0 * * 7', '*/30 * * * * *', '@daily', '0 8 1 jan-jun *', '5,35 */2 * * *', '0 0 L * *']) {
      assert.deepEqual(cronRangeProblems(ok), [], ok);
      assert.equal(parseConfigText(`schedule: "${ok}"\n`, 'c.yaml', {}).schedule, ok);
    }
  });
});

describe('an empty config file', () => {
  it('is an error at line 1 (it would run with no feeds and no rules); {} still means all defaults', () => {
    assert.match(oneIssue(''), /^c\.yaml:1:1: the config file is empty; /);
    assert.match(oneIssue('# just a comment\n\n'), /^c\.yaml:1:1: the config file is empty \(only comments\)/);
    assert.deepEqual(parseConfigText('{}\n', 'c.yaml', {}).feeds, []);
  });
});

describe('YAML syntax errors', () => {
  it('one missing "]" is one error, the first, with line and column', () => {
    const text = 'feeds:\n  - name: a\n    url: https://example.com/a.rss\nrules:\n  - name: r\n    title: [ml, data\n    remote: true\n  - name: s\n    title: x\n';
    assert.match(oneIssue(text), /^c\.yaml:7:5: invalid YAML: Flow sequence .* end with a \] \(is a closing bracket missing/);
  });
});

describe('the real CLI', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-values-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('check names the file of an empty config and every bad value with file:line:col', async () => {
    const empty = path.join(tmp, 'empty.yaml');
    fs.writeFileSync(empty, '');
    const r1 = await runCli(['check', '--config', empty]);
    assert.equal(r1.code, 1);
    assert.ok(r1.stderr.includes(`${empty}:1:1: the config file is empty`), r1.stderr);

    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, `database: ${path.join(tmp, 'bad.db')}\nschedule: "1-0 * * * *"\nfetch:\n  timeout: 0s\n  max_body: 0.4b\n`);
    const r2 = await runCli(['check', '--config', bad]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /config errors \(3\)/);
    for (const where of [`${bad}:2:11: schedule:`, `${bad}:4:12: fetch.timeout:`, `${bad}:5:13: fetch.max_body:`]) assert.ok(r2.stderr.includes(where), `${where}\n${r2.stderr}`);
  });
});
