/**
 * A database jobalert cannot safely use (issue 8 item 7): damaged pages, a file that is no
 * database, a newer schema, a read-only file or directory, a lock held by another process, a
 * path under /proc. Real files, the real CLI: each is one line on stderr naming the file and
 * what to do, exit 2, and a damaged file is not written to.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DatabaseError } from '../src/core/errors.js';
import { openDatabase } from '../src/store/db.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { rssFeed } from './helpers/feed-server.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let tmp: string;
let feed: TestServer;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-dbhealth-'));
  fs.chmodSync(tmp, 0o755);
  const body = rssFeed('board', [{ title: 'Orbit: ML Engineer', link: 'https://jobs.example.test/1', descriptionHtml: '<p>Remote.</p>', pubDate: new Date() }]);
  feed = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
});
after(async () => {
  await feed.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function config(name: string, database: string): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, `database: ${database}\nhttp: { port: 0 }\nfeeds:\n  - name: board\n    url: ${feed.url}/jobs.rss\nrules:\n  - name: all\n`);
  fs.chmodSync(file, 0o644);
  return file;
}

/** A real jobalert database with a few hundred jobs, so it spans many pages. */
function realDatabase(file: string): void {
  const db = openDatabase(file);
  const insert = db.prepare(
    `INSERT INTO jobs (title, company, location, description, arrangement, first_seen, last_seen, content_hash)
     VALUES (?, 'Acme', 'Remote', ?, 'remote', 0, 0, 'h')`,
  );
  db.transaction(() => {
    for (let i = 0; i < 400; i++) insert.run(`Engineer ${i}`, `Job ${i}. ${'Build things and ship them. '.repeat(60)}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The promise of this item: exit 2, and stderr is exactly one line naming the file. */
function assertOneLine(res: CliResult, file: string, what: RegExp): void {
  assert.equal(res.code, 2, res.stdout + res.stderr);
  const lines = res.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${res.stderr}`);
  assert.ok(lines[0]!.startsWith(`jobalert: database ${file}`), lines[0]);
  assert.match(lines[0]!, what);
  assert.doesNotMatch(res.stdout + res.stderr, /\n\s+at /, 'no stack trace');
}

test('damaged pages: run --once stops before writing (the file is unchanged) and says how to recover; check runs integrity_check', async () => {
  const file = path.join(tmp, 'damaged.db');
  realDatabase(file);
  const pages = fs.statSync(file).size / 4096;
  assert.ok(pages > 50, `${pages} pages`);
  // Garbage over three pages in the middle of the jobs table, as a bad disk or a torn copy leaves it.
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(3 * 4096, 0x5a), 0, 3 * 4096, Math.floor(pages / 2) * 4096);
  fs.closeSync(fd);
  const hash = sha(file);
  const cfg = config('damaged', file);

  const run = await runCli(['run', '--once', '--config', cfg]);

  assertOneLine(run, file, /is damaged .*restore a backup.*sqlite3 .*"\.recover".*move the file aside/);
  assert.equal(sha(file), hash, 'nothing was written to the damaged file');
  const check = await runCli(['check', '--config', cfg]);
  assert.equal(check.code, 2, check.stdout + check.stderr);
  assert.match(check.stdout, /database: .*damaged\.db: ERROR: database .* is damaged/);
});

test('a file that is not a database, and a database from a newer jobalert: one line each, exit 2', async () => {
  const notDb = path.join(tmp, 'notes.db');
  fs.writeFileSync(notDb, 'these are my notes, not a database\n'.repeat(200));
  assertOneLine(await runCli(['run', '--once', '--config', config('notdb', notDb)]), notDb, /is not a SQLite database/);

  const future = path.join(tmp, 'future.db');
  const db = new Database(future);
  db.pragma(`user_version = ${MIGRATIONS.length + 3}`);
  db.close();
  assertOneLine(await runCli(['export', '--config', config('future', future)]), future, /newer than this jobalert understands.*upgrade jobalert/);
});

test('a lock held by another process: one line saying it is locked, exit 2', async () => {
  const file = path.join(tmp, 'locked.db');
  realDatabase(file);
  const holder = new Database(file);
  holder.pragma('locking_mode = EXCLUSIVE');
  holder.exec('BEGIN EXCLUSIVE');
  holder.exec("INSERT INTO feeds (name) VALUES ('held')");
  try {
    assertOneLine(await runCli(['run', '--once', '--config', config('locked', file)]), file, /is locked by another process/);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
});

test('a read-only file or directory: one line saying what is read-only, exit 2', { skip: process.platform !== 'linux' }, async () => {
  const dir = path.join(tmp, 'ro');
  fs.mkdirSync(dir, { mode: 0o755 });
  const file = path.join(dir, 'jobalert.db');
  realDatabase(file);
  const cfg = config('readonly', file);
  // As root nothing is read-only, so the CLI runs as nobody, for whom these files are.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : null;
  const runAs = (args: string[]) => (asUser ? runAsUser(args, asUser) : runCli(args));
  if (!asUser) {
    fs.chmodSync(file, 0o444);
    fs.chmodSync(dir, 0o555);
  }
  assertOneLine(await runAs(['run', '--once', '--config', cfg]), file, /directory .* is read-only for this user/);

  if (asUser) fs.chmodSync(dir, 0o777);
  else fs.chmodSync(dir, 0o755);
  assertOneLine(await runAs(['run', '--once', '--config', cfg]), file, /is read-only for this user; make it writable/);
});

test('a database path under /proc, a directory or a pipe is refused at once, before SQLite opens it', () => {
  for (const p of ['/proc/self/mem', '/proc/1/environ', '/proc/self/fd/0', '/proc/nowhere/jobalert.db', '/sys/kernel/x.db']) {
    const started = Date.now();
    assert.throws(() => openDatabase(p), (err: unknown) => err instanceof DatabaseError && /is under \/(proc|sys), a system directory/.test(err.message), p);
    assert.ok(Date.now() - started < 1000);
  }
  const dir = path.join(tmp, 'a-directory.db');
  fs.mkdirSync(dir);
  assert.throws(() => openDatabase(dir), /is a directory, not a database file/);
  const fifo = path.join(tmp, 'pipe.db');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => openDatabase(fifo), /is a named pipe, not a database file/);
});

test('run with database: /proc/self/mem ends at once with one line', async () => {
  const started = Date.now();
  const res = await runCli(['run', '--once', '--config', config('proc', '/proc/self/mem')], {}, 20_000);
  assertOneLine(res, '/proc/self/mem', /under \/proc/);
  assert.ok(Date.now() - started < 20_000);
});

/** runCli as another user (root only): the files the test made are not writable for them. */
function runAsUser(args: string[], ids: { uid: number; gid: number }): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: tmp, JOBALERT_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...ids,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
