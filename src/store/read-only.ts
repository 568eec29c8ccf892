/**
 * Reading the database without writing to it, for commands that only look (backtest): no
 * migration, no write lock, so it can run next to the daemon on the same file (WAL readers never
 * block its writes). ReadOnlyStore is what such a command sees; the functions under it are
 * SQLite's, PostgreSQL's are in pg/pg-read-only.ts.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { StoredJob } from '../core/types.js';
import { DatabaseError } from '../core/errors.js';
import { isPostgresUrl } from '../core/database-url.js';
import { assertSqliteDatabase, databaseError } from './db.js';
import { JOB_COLUMNS, rowToJob, type JobRow } from './jobs.js';
import { MIGRATIONS } from './migrations.js';

/**
 * Opens an existing database read-only; null when the file does not exist. A database another
 * jobalert version wrote (an older schema it would migrate, a newer one) is a DatabaseError.
 */
export function openDatabaseReadOnly(file: string): Database.Database | null {
  assertSqliteDatabase(file, 'backtest');
  if (!fs.existsSync(file)) return null;
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (err) {
    throw databaseError(file, err);
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== MIGRATIONS.length) {
      const why =
        version > MIGRATIONS.length
          ? `was written by a newer jobalert (schema ${version}, this one knows ${MIGRATIONS.length}); upgrade jobalert`
          : `has an older schema (${version} of ${MIGRATIONS.length}); run this jobalert once (jobalert check) to upgrade it, then try again`;
      throw new DatabaseError(file, 'other', `database ${file} ${why}`);
    }
    return db;
  } catch (err) {
    db.close();
    throw databaseError(file, err);
  }
}

/**
 * Streams the jobs first seen at or after `sinceMs`, oldest first, one row at a time (the index
 * jobs_first_seen serves the range): memory stays flat however many jobs the range holds.
 */
export function* jobsFirstSeenSince(db: Database.Database, sinceMs: number): IterableIterator<StoredJob> {
  // Prepared per call: an open iterator keeps its statement busy.
  const rows = db.prepare<[number], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.first_seen >= ? ORDER BY j.first_seen, j.id`);
  for (const row of rows.iterate(sinceMs)) yield rowToJob(row);
}

/** How many jobs were first seen at or after `sinceMs`, and in all. */
export function countJobs(db: Database.Database, sinceMs: number): { since: number; all: number } {
  // Two counts, each answered from the index jobs_first_seen: one count with a filter would read
  // every row, descriptions included, to reach its first_seen.
  const since = db.prepare<[number], number>('SELECT count(*) FROM jobs WHERE first_seen >= ?').pluck().get(sinceMs) ?? 0;
  const all = db.prepare<[], number>('SELECT count(*) FROM jobs INDEXED BY jobs_first_seen').pluck().get() ?? 0;
  return { since, all };
}

/** Jobs read per page of ReadOnlyStore.jobsFirstSeenSince: one await per page, not per job. */
const READ_PAGE = 500;

/** What a command that only reads jobs sees of the database (backtest). */
export interface ReadOnlyStore {
  /** What the store is, for messages: the database file, or the URL as it may be printed. */
  readonly location: string;
  /** How many jobs were first seen at or after `sinceMs`, and in all. */
  countJobs(sinceMs: number): Promise<{ since: number; all: number }>;
  /** The jobs first seen at or after `sinceMs`, oldest first, in pages; memory stays flat however many there are. */
  jobsFirstSeenSince(sinceMs: number): AsyncIterable<StoredJob[]>;
  close(): Promise<void>;
}

/** Opens the database the `database:` setting names read-only; null when it does not exist yet (see openDatabaseReadOnly). */
export async function openReadOnlyStore(database: string): Promise<ReadOnlyStore | null> {
  if (isPostgresUrl(database)) {
    // Loaded only here, as in openStore: an SQLite user does not pay for the pg driver.
    const { openPgReadOnlyStore } = await import('./pg/pg-read-only.js');
    return openPgReadOnlyStore(database.trim(), READ_PAGE);
  }
  const db = openDatabaseReadOnly(database);
  if (!db) return null;
  return {
    location: db.name,
    countJobs: async (sinceMs) => countJobs(db, sinceMs),
    async *jobsFirstSeenSince(sinceMs) {
      let page: StoredJob[] = [];
      for (const job of jobsFirstSeenSince(db, sinceMs)) {
        page.push(job);
        if (page.length < READ_PAGE) continue;
        yield page;
        page = [];
      }
      if (page.length > 0) yield page;
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
