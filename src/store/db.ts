/**
 * Opening the SQLite database: the file, the connection settings, the schema, and the checks
 * that a file jobalert cannot safely use is refused with one line naming it and what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, JobAlertError } from '../core/errors.js';
import { migrate } from './migrations.js';
import { describeDatabase, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';
import { pgDatabaseError } from './pg/pg-errors.js';

/**
 * How long a statement of the running daemon waits for another connection's write lock. SQLite
 * waits synchronously (the event loop stands still meanwhile), so this stays short; callers
 * retry asynchronously instead (see pipeline/write-gate.ts).
 */
export const RUNTIME_BUSY_TIMEOUT_MS = 100;

/** How long opening (and migrating) waits for a lock: start-up has no event loop to keep going. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/** How much of the file to verify before using it: `quick` is what `run` does at start, `integrity` what `check` does. */
export type DatabaseCheck = 'none' | 'quick' | 'integrity';

/** Options of openDatabase. */
export interface OpenOptions {
  /** Verify the file's pages before migrating or writing (default none). */
  check?: DatabaseCheck;
  /** busy_timeout once open (default 5000 ms: right for one-shot commands, too long for the daemon). */
  busyTimeoutMs?: number;
}

// Pseudo-filesystems: their "files" are kernel interfaces (memory, devices, sockets), never a database.
const SYSTEM_DIRS = ['/proc', '/sys', '/dev'];

/** Opens (creating it and its directory if needed) and migrates the database at `file`; ':memory:' allowed. Problems are DatabaseError. */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  // A postgres:// URL is opened by openStore; what reaches here needs the file itself.
  assertSqliteDatabase(file, 'an SQLite connection');
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) preflight(file);
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: OPEN_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw databaseError(file, err);
  }
  try {
    // WAL: readers (export, /healthz) never block the poller's write transaction.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash or power cut
    // can lose the last commits, and the outbox tolerates that (at most a resend).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Before migrating: a damaged file must not be written to (a migration rewrites rows).
    if (opts.check && opts.check !== 'none') verifyDatabase(db, file, opts.check);
    migrate(db);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? OPEN_BUSY_TIMEOUT_MS))}`);
    return db;
  } catch (err) {
    db.close();
    throw databaseError(file, err);
  }
}

/**
 * Refuses a URL where an SQLite file is needed, with one line saying why: `what` (a command or an
 * option) works on an SQLite file only.
 */
export function assertSqliteDatabase(database: string, what = 'this'): void {
  if (!isDatabaseUrl(database)) return;
  const shown = describeDatabase(database);
  if (isPostgresUrl(database)) throw new DatabaseError(shown, 'cannot-open', `${what} needs an SQLite database; database is ${shown}`);
  throw new DatabaseError(shown, 'cannot-open', `database ${shown} is a URL jobalert cannot use; set database: to an SQLite file path such as ./data/jobalert.db, or a postgres:// URL`);
}

/** Runs PRAGMA quick_check or integrity_check; throws DatabaseError naming the first problems when the file is damaged. */
export function verifyDatabase(db: Database.Database, file: string, kind: Exclude<DatabaseCheck, 'none'>): void {
  const pragma = kind === 'quick' ? 'quick_check' : 'integrity_check';
  // Ten problems are enough to say what is wrong; the full list can be millions of lines.
  const rows = db.pragma(`${pragma}(10)`) as Array<Record<string, string>>;
  const problems = rows.map((r) => Object.values(r)[0] ?? '').filter((p) => p !== 'ok');
  if (problems.length) throw damaged(file, problems.slice(0, 3).join('; '));
}

/** Refuses paths SQLite would open but jobalert must not use (kernel files, devices, directories) and checks write access, before any open. */
function preflight(file: string): void {
  const resolved = path.resolve(file);
  let real = resolved;
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(resolved);
    real = fs.realpathSync(resolved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw databaseError(file, err);
  }
  const system = SYSTEM_DIRS.find((d) => real === d || real.startsWith(`${d}/`) || resolved.startsWith(`${d}/`));
  if (system) {
    throw new DatabaseError(file, 'cannot-open', `database ${file} is under ${system}, a system directory of kernel and device files, not a place for a database file; set database: to a file path such as ./data/jobalert.db`);
  }
  if (stat && !stat.isFile()) {
    throw new DatabaseError(file, 'cannot-open', `database ${file} is ${describeKind(stat)}, not a database file; set database: to a file path such as ./data/jobalert.db`);
  }
  const dir = path.dirname(resolved);
  if (!stat) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw new DatabaseError(file, 'cannot-open', `database ${file} cannot be created: the directory ${dir} cannot be made (${errnoText(err)}); create it or set database: to another path`);
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new DatabaseError(file, 'read-only', `database ${file} cannot be written: the directory ${dir} is read-only for this user (jobalert keeps ${path.basename(resolved)}-wal and -shm next to the file); make it writable or move the database`);
  }
  if (stat) {
    try {
      fs.accessSync(resolved, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new DatabaseError(file, 'read-only', `database ${file} is read-only for this user; make it writable (chmod/chown) or point database: at a writable copy`);
    }
  }
}

/** One line naming the file, what went wrong and what to do, for any error met while opening or using the database. */
export function databaseError(file: string, err: unknown): DatabaseError {
  if (err instanceof DatabaseError) return err;
  // A URL is never printed as given: its password would go with it.
  if (isPostgresUrl(file)) return pgDatabaseError(describeDatabase(file), err);
  if (err instanceof JobAlertError) return new DatabaseError(file, 'other', err.message, { cause: err });
  const code = (err as { code?: unknown })?.code;
  const detail = err instanceof Error ? err.message : String(err);
  const c = typeof code === 'string' ? code : '';
  if (c.startsWith('SQLITE_CORRUPT') || c === 'SQLITE_IOERR_CORRUPTFS') return damaged(file, detail);
  if (c === 'SQLITE_NOTADB') {
    return new DatabaseError(file, 'not-a-database', `database ${file} is not a SQLite database (${detail}); point database: at jobalert's database file, or move this file away so a new database can be created there`, { cause: err });
  }
  if (c.startsWith('SQLITE_READONLY')) {
    return new DatabaseError(file, 'read-only', `database ${file} is read-only (${detail}); make the file and its directory writable for this user`, { cause: err });
  }
  if (c.startsWith('SQLITE_BUSY') || c.startsWith('SQLITE_LOCKED')) {
    return new DatabaseError(file, 'locked', `database ${file} is locked by another process (${detail}); wait for it to finish or stop it, then start again`, { cause: err });
  }
  if (c.startsWith('SQLITE_CANTOPEN')) {
    return new DatabaseError(file, 'cannot-open', `database ${file} cannot be opened (${detail}); check that the path is a file this user can read and write`, { cause: err });
  }
  if (c === 'SQLITE_FULL') return new DatabaseError(file, 'full', `database ${file}: the disk is full (${detail}); free some space and start again`, { cause: err });
  if (c.startsWith('SQLITE_IOERR')) return new DatabaseError(file, 'io', `database ${file}: I/O error (${c}: ${detail}); check the disk and the path`, { cause: err });
  return new DatabaseError(file, 'other', `database ${file}: ${c ? `${c}: ` : ''}${errnoText(err)}`, { cause: err });
}

function damaged(file: string, problem: string): DatabaseError {
  return new DatabaseError(
    file,
    'damaged',
    `database ${file} is damaged (${problem}); jobalert stopped without writing to it. Stop every jobalert using it, then restore a backup of the file, ` +
      `or salvage what is readable with: sqlite3 ${file} ".recover" | sqlite3 ${file}.recovered  and point database: at the new file, ` +
      'or move the file aside to start fresh (jobs still within max_age would then be alerted again)',
  );
}

function describeKind(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function errnoText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code && e.message ? e.message : String(err);
}
