/**
 * What verifying the database costs at start-up: a database of 100,000 jobs as jobalert stores
 * them (a 3 KB description each, one posting, eight fingerprint bands, one sent alert), then
 * openDatabase with no check, PRAGMA quick_check (what `run` does at start) and PRAGMA
 * integrity_check (what `check` does). Prints the size and the median of 3 opens of each.
 *
 *   node --import tsx bench/db-check.bench.ts [jobs]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type DatabaseCheck } from '../src/store/db.js';

const JOBS = Number(process.argv[2] ?? 100_000);
const RUNS = 3;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-db-check-'));
const file = path.join(dir, 'jobalert.db');
try {
  const db = openDatabase(file);
  const words = 'build ship model data pipeline python team remote senior engineer platform learning infrastructure customers'.split(' ');
  const text = (i: number) => Array.from({ length: 450 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ');
  const job = db.prepare(
    `INSERT INTO jobs (id, title, company, location, description, arrangement, first_seen, last_seen, content_hash, company_key, title_key)
     VALUES (?, ?, ?, 'Remote', ?, 'remote', ?, ?, ?, ?, ?)`,
  );
  const posting = db.prepare(
    `INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen) VALUES (?, 'board', ?, ?, ?, 'h', ?, ?)`,
  );
  const band = db.prepare('INSERT OR IGNORE INTO job_fingerprints (band_key, job_id) VALUES (?, ?)');
  const alert = db.prepare(
    `INSERT INTO outbox (rule, job_id, channel, status, next_attempt_at, created_at, sent_at, attempts) VALUES ('ml', ?, 'mail', 'sent', ?, ?, ?, 1)`,
  );
  const t0 = Date.now();
  db.transaction(() => {
    for (let i = 1; i <= JOBS; i++) {
      const url = `https://jobs.example.test/${i}`;
      job.run(i, `Senior Engineer ${i}`, `Company ${i % 5000}`, text(i), t0, t0, `h${i}`, `company${i % 5000}`, `engineer senior ${i}`);
      posting.run(i, `id-${i}`, url, url, t0, t0);
      for (let b = 0; b < 8; b++) band.run(i * 8 + b, i);
      alert.run(i, t0, t0, t0);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`${JOBS} jobs: ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
  for (const check of ['none', 'quick', 'integrity'] as DatabaseCheck[]) {
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      openDatabase(file, { check }).close();
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`open with check=${check}: ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms (median of ${RUNS})`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
