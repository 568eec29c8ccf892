/**
 * What `jobalert migrate --to postgres://` costs: a database of 100,000 jobs as jobalert stores
 * them (a 3 KB description each, two sightings, eight fingerprint bands, one sent alert, feed
 * state), copied into a PostgreSQL server started here (test/support/postgres.ts). Prints the
 * command's own output (with its time), the SQLite file's size, and the CPU time the copy took in
 * this process and in the server (all its processes): on a busy machine the wall time says little,
 * and the larger of the two CPU times is about what the copy takes on an idle one (they overlap).
 *
 *   node --import tsx bench/migrate.bench.ts [jobs]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/store/db.js';
import { migrateCommand } from '../src/commands/migrate.js';
import { startPostgres } from '../test/support/postgres.js';

const JOBS = Number(process.argv[2] ?? 100_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-migrate-bench-'));
const file = path.join(dir, 'jobalert.db');
const server = await startPostgres();
try {
  const db = openDatabase(file);
  const words = 'build ship model data pipeline python team remote senior engineer platform learning infrastructure customers'.split(' ');
  const text = (i: number) => Array.from({ length: 450 }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ');
  const job = db.prepare(
    `INSERT INTO jobs (id, title, company, location, description, arrangement, remote_regions, first_seen, last_seen, content_hash, company_key, title_key)
     VALUES (?, ?, ?, 'Remote', ?, 'remote', '["US"]', ?, ?, ?, ?, ?)`,
  );
  const posting = db.prepare(
    `INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen, raw_hash) VALUES (?, ?, ?, ?, ?, 'h', ?, ?, 'r')`,
  );
  const band = db.prepare('INSERT OR IGNORE INTO job_fingerprints (band_key, job_id) VALUES (?, ?)');
  const alert = db.prepare(
    `INSERT INTO outbox (job_id, channel, rules, reasons, status, next_attempt_at, created_at, sent_at, attempts) VALUES (?, 'mail', '["ml"]', '[["senior","remote"]]', 'sent', ?, ?, ?, 1)`,
  );
  const t0 = Date.now();
  db.transaction(() => {
    for (let i = 1; i <= JOBS; i++) {
      const url = `https://jobs.example.test/${i}`;
      job.run(i, `Senior Engineer ${i}`, `Company ${i % 5000}`, text(i), t0, t0, `h${i}`, `company${i % 5000}`, `engineer senior ${i}`);
      posting.run(i, 'board', `id-${i}`, url, url, t0, t0);
      posting.run(i, 'mirror', `m-${i}`, `${url}?ref=m`, url, t0, t0);
      for (let b = 0; b < 8; b++) band.run(i * 8 + b, i);
      alert.run(i, t0, t0, t0);
    }
    for (let f = 0; f < 50; f++) db.prepare(`INSERT INTO feeds (name, etag, last_success_at, consecutive_errors) VALUES (?, '"abc"', ?, 0)`).run(`feed-${f}`, t0);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  console.log(`${JOBS} jobs: SQLite file ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB`);
  const url = await server.createDatabase();
  const cpu0 = process.cpuUsage();
  const pg0 = serverCpuSeconds(server.dir);
  await migrateCommand({ to: url.replace(`:${server.password}@`, '@'), from: file }, { env: { PGPASSWORD: server.password } });
  const cpu = process.cpuUsage(cpu0);
  console.log(`CPU: jobalert ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, PostgreSQL ${(serverCpuSeconds(server.dir) - pg0).toFixed(1)} s`);
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** CPU seconds used so far by the server of `dir`: the postmaster, its live children, and the children it reaped (backends that ended). */
function serverCpuSeconds(dir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const tick = 100; // USER_HZ
  const fields = (pid: number): string[] => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  // After ")": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
  const own = fields(postmaster);
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = fields(Number(entry));
      if (Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / tick;
}
