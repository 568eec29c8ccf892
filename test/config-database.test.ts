import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { ConfigError, type ConfigIssue } from '../src/core/errors.js';
import { parseConfigText, redactConfig } from '../src/config/load.js';
import { databaseSecrets, describeDatabase, hasWrittenPassword } from '../src/core/database-url.js';
import { configSecrets } from '../src/commands/common.js';
import { createLogger } from '../src/ops/logger.js';
import { runCli } from './helpers/cli.js';

function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  assert.fail('expected a ConfigError');
}

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(yaml, 'c.yaml', env);

describe('database: a postgres:// URL', () => {
  it('is accepted as postgres:// or postgresql:// and kept as written (not resolved as a path)', () => {
    assert.equal(parse('database: postgres://jobalert@db.internal:5432/jobs\n').database, 'postgres://jobalert@db.internal:5432/jobs');
    assert.equal(parse('database: postgresql://db.internal/jobs?sslmode=require\n').database, 'postgresql://db.internal/jobs?sslmode=require');
  });

  it('leaves SQLite the default, and a relative SQLite path read from the config folder', () => {
    assert.equal(parseConfigText('{}', '/etc/jobalert/c.yaml', {}).database, '/etc/jobalert/data/jobalert.db');
    assert.equal(parseConfigText('database: x.db\n', '/etc/jobalert/c.yaml', {}).database, '/etc/jobalert/x.db');
  });

  it('is refused, with its line, when a password is written in the file, and the password is not echoed', () => {
    for (const url of ['postgres://jobalert:hunter2-pw@db/jobs', 'postgresql://jobalert@db/jobs?sslmode=require&password=hunter2-pw', 'postgres://jobalert:hunter2/pw@db/jobs']) {
      const issues = issuesOf(() => parse(`log_level: info\ndatabase: "${url}"\n`));
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.equal(issues[0]!.line, 2);
      assert.equal(issues[0]!.key, 'database');
      assert.match(issues[0]!.message, /password written in the config file.*PGPASSWORD.*\$\{VAR\}/);
      assert.doesNotMatch(JSON.stringify(issues), /hunter2/);
    }
  });

  it('is accepted when the password comes from ${VAR}, or the whole URL does', () => {
    const env = { DB_PASSWORD: 'from-env-pw', DATABASE_URL: 'postgres://jobalert:whole-url-pw@db/jobs' };
    assert.equal(parse('database: postgres://jobalert:${DB_PASSWORD}@db/jobs\n', env).database, 'postgres://jobalert:from-env-pw@db/jobs');
    assert.equal(parse('database: ${DATABASE_URL}\n', env).database, 'postgres://jobalert:whole-url-pw@db/jobs');
    assert.equal(parse('database: postgres://jobalert@db/jobs?password=${DB_PASSWORD}\n', env).database, 'postgres://jobalert@db/jobs?password=from-env-pw');
  });

  it('comes from JOBALERT_DB as it is (the environment may hold a password)', () => {
    assert.equal(parse('database: ./x.db\n', { JOBALERT_DB: 'postgres://u:env-pw@db/jobs' }).database, 'postgres://u:env-pw@db/jobs');
  });

  it('of another kind is refused, saying what is expected, without echoing it', () => {
    const [issue] = issuesOf(() => parse('database: mysql://root:toor-pw@db/jobs\n'));
    assert.match(issue!.message, /expected an SQLite file path or a postgres:\/\/ URL, got a mysql:\/\/ URL/);
    assert.doesNotMatch(issue!.message, /toor-pw/);
    const [bad] = issuesOf(() => parse('database: postgres://u@db:99999/jobs\n'));
    assert.match(bad!.message, /cannot be parsed/);
  });

  it('is printed with its password as *** (redactConfig, describeDatabase) and its password is scrubbed from logs', () => {
    const config = parse('database: postgres://jobalert:${DB_PASSWORD}@db/jobs?sslmode=require\n', { DB_PASSWORD: 'p%40ss-word' });
    assert.equal((redactConfig(config) as { database: string }).database, 'postgres://jobalert:***@db/jobs?sslmode=require');
    assert.equal(describeDatabase('postgres://u@db/jobs?password=x1y2'), 'postgres://u@db/jobs?password=***');
    assert.equal(describeDatabase('/data/jobalert.db'), '/data/jobalert.db');
    assert.ok(configSecrets(config).includes('p@ss-word'));
    let logged = '';
    const log = createLogger({ level: 'info', secrets: configSecrets(config), destination: new Writable({ write: (c, _e, cb) => ((logged += String(c)), cb()) }) });
    log.error({ err: new Error('connect to postgres://jobalert:p%40ss-word@db failed (p@ss-word)') }, 'Could not connect');
    assert.match(logged, /Could not connect/);
    assert.doesNotMatch(logged, /ss-word/);
  });
});

describe('hasWrittenPassword', () => {
  it('tells a password written in the URL from one that comes from ${VAR}', () => {
    assert.equal(hasWrittenPassword('postgres://u:pw@h/db'), true);
    assert.equal(hasWrittenPassword('postgres://:pw@h/db'), true);
    assert.equal(hasWrittenPassword('postgres://u:${P}@h/db'), false);
    assert.equal(hasWrittenPassword('postgres://u:pre${P}@h/db'), false);
    assert.equal(hasWrittenPassword('postgres://${USER}:${P}@h/db'), false);
    assert.equal(hasWrittenPassword('postgres://${USER}@h/db'), false);
    assert.equal(hasWrittenPassword('${DATABASE_URL}'), false);
    assert.equal(hasWrittenPassword('postgres://u@h/db'), false);
    assert.equal(hasWrittenPassword('postgres://h:5432/db?application_name=a@b'), false);
    assert.equal(hasWrittenPassword('postgres://u@h/db?password=pw'), true);
    assert.equal(hasWrittenPassword('postgres://u@h/db?password=${P}'), false);
    assert.equal(hasWrittenPassword('./data/jobalert.db'), false);
  });

  it('databaseSecrets() lists the password only, never the user name', () => {
    assert.deepEqual(databaseSecrets('postgres://jobalert@h/db'), []);
    assert.deepEqual(databaseSecrets('postgres://jobalert:a%2Fb@h/db').sort(), ['a%2Fb', 'a/b']);
    assert.deepEqual(databaseSecrets('./jobalert.db'), []);
  });
});

describe('commands with a postgres:// database whose server cannot be reached', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pgcfg-'));
  const file = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(file, 'database: postgres://jobalert:${DB_PASSWORD}@127.0.0.1:1/jobs\nrules:\n  - name: all\n    notify: [console]\n');
  const env = { DB_PASSWORD: 'cli-secret-pw' };

  for (const args of [['run', '--once'], ['run'], ['export']]) {
    it(`${args.join(' ')} fails at start with one clear line (exit 2), the password not printed`, async () => {
      const r = await runCli([...args, '--config', file], env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /database postgres:\/\/jobalert:\*\*\*@127\.0\.0\.1:1\/jobs cannot be reached \(ECONNREFUSED.*check that the PostgreSQL server is running/);
      assert.doesNotMatch(r.stdout + r.stderr, /cli-secret-pw|\n\s+at /);
      // Nothing was created next to the config (no SQLite file, no "postgres:" folder).
      assert.deepEqual(fs.readdirSync(dir), ['jobalert.yaml']);
    });
  }

  for (const args of [['run', '--dry-run'], ['backtest', '--rule', 'all']]) {
    it(`${args.join(' ')} says the server cannot be reached (exit 2), the password not printed`, async () => {
      const r = await runCli([...args, '--config', file], env);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /database postgres:\/\/jobalert:\*\*\*@127\.0\.0\.1:1\/jobs cannot be reached \(ECONNREFUSED/);
      assert.doesNotMatch(r.stdout + r.stderr, /cli-secret-pw|\n\s+at /);
      assert.deepEqual(fs.readdirSync(dir), ['jobalert.yaml']);
    });
  }

  it('check shows the URL with *** and says the database cannot be reached (exit 2)', async () => {
    const r = await runCli(['check', '--config', file], env);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /^database: postgres:\/\/jobalert:\*\*\*@127\.0\.0\.1:1\/jobs: ERROR: .*cannot be reached/m);
    assert.doesNotMatch(r.stdout + r.stderr, /cli-secret-pw/);
  });
});
