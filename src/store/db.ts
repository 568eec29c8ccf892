/** Opening the SQLite database: the file, the connection settings, the schema. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/**
 * How long a statement of the running daemon waits for another connection's write lock. SQLite
 * waits synchronously (the event loop stands still meanwhile), so this stays short; callers
 * retry asynchronously instead (see pipeline/write-gate.ts).
 */
export const RUNTIME_BUSY_TIMEOUT_MS = 100;

/** How long opening (and migrating) waits for a lock: start-up has no event loop to keep going. */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/** Options of openDatabase. */
export interface OpenOptions {
  /** busy_timeout once open (default 5000 ms: right for one-shot commands, too long for the daemon). */
  busyTimeoutMs?: number;
}

/** Opens (creating it and its directory if needed) and migrates the database at `file`; ':memory:' allowed. */
export function openDatabase(file: string, opts: OpenOptions = {}): Database.Database {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: OPEN_BUSY_TIMEOUT_MS });
  try {
    // WAL: readers (export, /healthz) never block the poller's write transaction.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash or power cut
    // can lose the last commits, and the outbox tolerates that (at most a resend).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? OPEN_BUSY_TIMEOUT_MS))}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
