import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { startPostgres } from './support/postgres.js';

/** The postmaster's pid (from its pid file) and its children's (backends, checkpointer, ...). */
function serverPids(dir: string): number[] {
  const postmaster = Number(fs.readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] === String(postmaster);
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

test('startPostgres() serves fresh databases on 127.0.0.1; stop() ends every server process and removes the data dir', async () => {
  const server = await startPostgres();
  let pids: number[] = [];
  try {
    assert.match(server.url, /^postgres:\/\/postgres:[0-9a-f]+@127\.0\.0\.1:\d+\/postgres$/);
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    assert.notEqual(a, b);
    const client = new pg.Client({ connectionString: b });
    await client.connect();
    const res = await client.query<{ db: string; fsync: string }>("SELECT current_database() AS db, current_setting('fsync') AS fsync");
    await client.end();
    assert.deepEqual(res.rows[0], { db: new URL(b).pathname.slice(1), fsync: 'off' });
    pids = serverPids(server.dir);
    assert.ok(pids.length >= 2, `expected the postmaster and its children, got ${pids.join(', ')}`);
    if (process.getuid?.() === 0) {
      // initdb refuses root: the server runs as an unprivileged user.
      const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pids[0]}/status`, 'utf8'))?.[1];
      assert.notEqual(uid, '0');
    }
  } finally {
    await server.stop();
    await server.stop(); // twice is harmless
  }
  assert.equal(fs.existsSync(server.dir), false, 'data dir removed');
  assert.deepEqual(pids.filter(alive), [], 'no server process left');
});

for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
  test(`a test process killed with ${signal} takes its server with it: no postgres left, data dir removed`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support', 'postgres-child.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let line = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => (line += c));
    assert.ok(await waitUntil(() => line.includes('\n'), 60_000), 'child started its server');
    const { dir } = JSON.parse(line) as { dir: string };
    const pids = serverPids(dir);
    assert.ok(pids.every(alive));
    child.kill(signal);
    await once(child, 'exit');
    assert.ok(await waitUntil(() => !pids.some(alive) && !fs.existsSync(dir), 10_000), `left behind: processes ${pids.filter(alive).join(', ') || 'none'}, dir ${fs.existsSync(dir) ? 'present' : 'gone'}`);
  });
}
