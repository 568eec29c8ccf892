/**
 * Migration 8 (one outbox row per (job, channel)) on a real SQLite file built with the old
 * schema (steps 1 to 7) and old rows in every mix of states; then delivery from the converted
 * file through the real dispatcher (console channel): each (job, channel) still pending goes out
 * once, naming all its rules, and nothing already sent goes out again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { openDatabase } from '../src/store/db.js';
import { MIGRATIONS, mergeOutboxRows, type OldOutboxRow } from '../src/store/migrations.js';
import { createStore } from '../src/store/store.js';
import { parseConfigText } from '../src/config/load.js';
import { compileRules } from '../src/match/compile-rule.js';
import { createApp } from '../src/app.js';

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-outbox-migration-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const T = Date.parse('2025-03-01T12:00:00.000Z');
const clock = { now: () => new Date(T) };

/** A database file at schema version 7 (the outbox keyed by (rule, job, channel)), with jobs 1..3. */
function oldDatabase(name: string): string {
  const file = path.join(tmp, `${name}.db`);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  for (const step of MIGRATIONS.slice(0, 7)) {
    if (typeof step === 'string') db.exec(step);
    else step(db);
  }
  db.pragma('user_version = 7');
  const job = db.prepare(
    "INSERT INTO jobs (id, title, company, description, arrangement, first_seen, last_seen, content_hash) VALUES (?, ?, ?, 'long description', 'remote', ?, ?, 'h')",
  );
  const post = db.prepare("INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen) VALUES (?, 'board', ?, ?, ?, 'h', ?, ?)");
  for (const id of [1, 2, 3]) {
    job.run(id, `Senior ML Engineer ${'ABC'[id - 1]}`, `Company ${'ABC'[id - 1]}`, T - 3600_000, T - 3600_000);
    post.run(id, `job-${id}`, `https://jobs.example.test/job-${id}`, `https://jobs.example.test/job-${id}`, T - 3600_000, T - 3600_000);
  }
  db.close();
  return file;
}

type Old = Omit<OldOutboxRow, 'reasons' | 'claimed_by' | 'claim_until' | 'sent_at' | 'last_error' | 'attempts' | 'next_attempt_at' | 'created_at'> &
  Partial<Pick<OldOutboxRow, 'claimed_by' | 'claim_until' | 'sent_at' | 'last_error' | 'attempts' | 'next_attempt_at' | 'created_at'>> & { reasons: string[] };

function insertOld(file: string, rows: Old[]): void {
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO outbox (id, rule, job_id, channel, status, reasons, attempts, next_attempt_at, last_error, created_at, sent_at, claimed_by, claim_until)
    VALUES (@id, @rule, @job_id, @channel, @status, @reasons, @attempts, @next_attempt_at, @last_error, @created_at, @sent_at, @claimed_by, @claim_until)`);
  for (const r of rows) {
    insert.run({
      attempts: 0,
      next_attempt_at: T - 60_000,
      last_error: null,
      created_at: T - 60_000,
      sent_at: null,
      claimed_by: null,
      claim_until: null,
      ...r,
      reasons: JSON.stringify(r.reasons),
    });
  }
  db.close();
}

// Every mix of states one (job, channel) can be in, and rows alone in theirs.
const OLD_ROWS: Old[] = [
  // job 1, mail: two rules pending (one retried once) -> one pending row naming both
  { id: 1, rule: 'remote-ml', job_id: 1, channel: 'mail', status: 'pending', reasons: ['remote', 'ML engineer'] },
  { id: 2, rule: 'senior', job_id: 1, channel: 'mail', status: 'pending', reasons: ['senior', 'remote'], attempts: 1, last_error: 'SMTP 451', next_attempt_at: T - 30_000 },
  // job 1, out: sent for one rule, pending for another -> sent, not sent again
  { id: 3, rule: 'remote-ml', job_id: 1, channel: 'out', status: 'sent', reasons: ['remote'], attempts: 1, sent_at: T - 50_000 },
  { id: 4, rule: 'senior', job_id: 1, channel: 'out', status: 'pending', reasons: ['senior'] },
  // job 2, mail: failed for one rule, pending for another -> pending, naming both
  { id: 5, rule: 'remote-ml', job_id: 2, channel: 'mail', status: 'failed', reasons: ['remote'], attempts: 1, last_error: 'SMTP 550 mailbox' },
  { id: 6, rule: 'senior', job_id: 2, channel: 'mail', status: 'pending', reasons: ['senior'], attempts: 2, last_error: 'SMTP 451', next_attempt_at: T - 10_000, created_at: T - 40_000 },
  // job 2, out: failed for both -> failed, the latest error, requeued as one
  { id: 7, rule: 'remote-ml', job_id: 2, channel: 'out', status: 'failed', reasons: ['remote'], attempts: 1, last_error: 'first error' },
  { id: 8, rule: 'senior', job_id: 2, channel: 'out', status: 'failed', reasons: ['senior'], attempts: 3, last_error: 'latest error' },
  // job 3: alone in their (job, channel): copied as they are
  { id: 9, rule: 'remote-ml', job_id: 3, channel: 'mail', status: 'sent', reasons: ['remote'], attempts: 1, sent_at: T - 20_000 },
  { id: 10, rule: 'senior', job_id: 3, channel: 'out', status: 'pending', reasons: ['senior'] },
];

test('migration 8 merges the rows of each (job, channel): sent wins, then pending (naming every rule), then failed', async () => {
  const file = oldDatabase('mixed');
  insertOld(file, OLD_ROWS);

  const db = openDatabase(file);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  const rows = db.prepare('SELECT id, job_id, channel, rules, reasons, status, attempts, last_error, sent_at, next_attempt_at, created_at FROM outbox ORDER BY job_id, channel').all();
  assert.deepEqual(rows, [
    { id: 1, job_id: 1, channel: 'mail', rules: '["remote-ml","senior"]', reasons: '[["remote","ML engineer"],["senior","remote"]]', status: 'pending', attempts: 1, last_error: 'SMTP 451', sent_at: null, next_attempt_at: T - 60_000, created_at: T - 60_000 },
    { id: 3, job_id: 1, channel: 'out', rules: '["remote-ml"]', reasons: '[["remote"]]', status: 'sent', attempts: 1, last_error: null, sent_at: T - 50_000, next_attempt_at: T - 60_000, created_at: T - 60_000 },
    { id: 6, job_id: 2, channel: 'mail', rules: '["remote-ml","senior"]', reasons: '[["remote"],["senior"]]', status: 'pending', attempts: 2, last_error: 'SMTP 451', sent_at: null, next_attempt_at: T - 10_000, created_at: T - 40_000 },
    { id: 7, job_id: 2, channel: 'out', rules: '["remote-ml","senior"]', reasons: '[["remote"],["senior"]]', status: 'failed', attempts: 3, last_error: 'latest error', sent_at: null, next_attempt_at: T - 60_000, created_at: T - 60_000 },
    { id: 9, job_id: 3, channel: 'mail', rules: '["remote-ml"]', reasons: '[["remote"]]', status: 'sent', attempts: 1, last_error: null, sent_at: T - 20_000, next_attempt_at: T - 60_000, created_at: T - 60_000 },
    { id: 10, job_id: 3, channel: 'out', rules: '["senior"]', reasons: '[["senior"]]', status: 'pending', attempts: 0, last_error: null, sent_at: null, next_attempt_at: T - 60_000, created_at: T - 60_000 },
  ]);
  // The new unique key holds, and the old one is gone.
  assert.throws(() => db.prepare("INSERT INTO outbox (job_id, channel, rules, reasons, next_attempt_at, created_at) VALUES (1, 'mail', '[]', '[]', 0, 0)").run(), /UNIQUE constraint failed: outbox.job_id, outbox.channel/);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.deepEqual(db.pragma('quick_check', { simple: true }), 'ok');

  const store = createStore(db, clock);
  assert.deepEqual(await store.countAlerts(), { pending: 3, sent: 2, failed: 1 });
  const due = await store.dueAlerts(clock.now());
  assert.deepEqual(
    due.map((a) => [a.job.id, a.channel, a.rule, a.reasons]),
    [
      [1, 'mail', 'remote-ml, senior', ['remote', 'ML engineer', 'senior']],
      [3, 'out', 'senior', ['senior']],
      [2, 'mail', 'remote-ml, senior', ['remote', 'senior']],
    ],
  );
  assert.equal(await store.requeueFailed('out'), 1, 'the two failed alerts of one (job, channel) come back as one');
  await store.close();
});

test('migration 8 keeps a pending claim, so a batch a dead process left behind is resent as it was', () => {
  const file = oldDatabase('claimed');
  insertOld(file, [
    { id: 1, rule: 'a', job_id: 1, channel: 'mail', status: 'pending', reasons: [], claimed_by: 'h:1:x/1', claim_until: T + 60_000 },
    { id: 2, rule: 'b', job_id: 1, channel: 'mail', status: 'pending', reasons: [], claimed_by: 'h:1:x/1', claim_until: T + 60_000 },
  ]);
  const db = openDatabase(file);
  assert.deepEqual(db.prepare('SELECT id, claimed_by, claim_until FROM outbox').all(), [{ id: 1, claimed_by: 'h:1:x/1', claim_until: T + 60_000 }]);
  db.close();
});

test('mergeOutboxRows lists each rule once, in row order', () => {
  const base = { job_id: 1, channel: 'c', attempts: 0, next_attempt_at: 5, last_error: null, created_at: 5, sent_at: null, claimed_by: null, claim_until: null } as const;
  const merged = mergeOutboxRows([
    { ...base, id: 9, rule: 'b', status: 'pending', reasons: '["y"]' },
    { ...base, id: 4, rule: 'a', status: 'pending', reasons: '["x"]' },
  ]);
  assert.deepEqual([merged.id, merged.rules, merged.reasons], [4, '["a","b"]', '[["x"],["y"]]']);
});

test('after migration 8, delivery sends each pending (job, channel) once naming all its rules, and nothing already sent', async () => {
  const file = oldDatabase('deliver');
  insertOld(file, OLD_ROWS.map((r) => (r.channel === 'mail' ? { ...r, channel: 'out2' } : r)));
  const yaml = `database: ${file}
feeds: []
channels:
  out: { type: console }
  out2: { type: console }
rules: []
`;
  const config = parseConfigText(yaml, path.join(tmp, 'jobalert.yaml'), {});
  const printed: string[] = [];
  const app = await createApp({ config, rules: compileRules(config.rules).rules, log: pino({ level: 'silent' }), clock, write: (t) => void printed.push(t) });
  try {
    const r = await app.dispatch();
    assert.equal(r.sent, 3);
    assert.equal(printed.length, 3, 'one message per pending (job, channel)');
    assert.deepEqual(
      printed.map((t) => /Senior ML Engineer ([ABC])/.exec(t)![1]).sort(),
      ['A', 'B', 'C'],
    );
    const jobA = printed.find((t) => t.includes('Engineer A'))!;
    assert.match(jobA, /rule: remote-ml, senior/);
    assert.deepEqual((await app.dispatch()).sent, 0, 'nothing twice');
    assert.deepEqual(await app.store.countAlerts(), { pending: 0, sent: 5, failed: 1 });
  } finally {
    await app.close();
  }
});

test('migration 9 adds the digest column to a version 8 file: its pending rows are plain alerts, sent as before', async () => {
  const file = oldDatabase('v8');
  insertOld(file, [{ id: 1, rule: 'remote-ml', job_id: 1, channel: 'out', status: 'pending', reasons: ['remote'] }]);
  // Up to step 8 only, as the release before digests left it.
  const old = new Database(file);
  old.pragma('foreign_keys = ON');
  old.transaction(() => {
    (MIGRATIONS[7] as (db: Database.Database) => void)(old);
    old.pragma('user_version = 8');
  })();
  old.close();

  const db = openDatabase(file);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.deepEqual(db.prepare('SELECT id, status, digest FROM outbox').all(), [{ id: 1, status: 'pending', digest: null }]);
  db.close();

  const config = parseConfigText(`database: ${file}\nchannels:\n  out: { type: console }\n`, path.join(tmp, 'v8.yaml'), {});
  const printed: string[] = [];
  const app = await createApp({ config, rules: [], log: pino({ level: 'silent' }), clock, write: (t) => void printed.push(t) });
  try {
    assert.equal((await app.dispatch()).sent, 1);
    assert.match(printed[0]!, /^New job: Senior ML Engineer A · Company A\n[^]*rule: remote-ml\n/);
  } finally {
    await app.close();
  }
});
