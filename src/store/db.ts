/** Opening the SQLite database: the file, the connection settings, the schema. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/** Opens (creating it and its directory if needed) and migrates the database at `file`; ':memory:' allowed. */
export function openDatabase(file: string): Database.Database {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  try {
    // WAL: readers (export, /healthz) never block the poller's write transaction.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash or power cut
    // can lose the last commits, and the outbox tolerates that (at most a resend).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
