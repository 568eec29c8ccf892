/**
 * Opening the store the `database:` setting names: the one place that picks the implementation
 * behind the Store interface. A postgres:// URL opens the PostgreSQL store (src/store/pg/); any
 * other setting is an SQLite file (config resolves it as a path, ':memory:' aside).
 */
import type { Clock } from '../core/types.js';
import { systemClock } from '../core/types.js';
import { isPostgresUrl } from '../core/database-url.js';
import { openDatabase, type DatabaseCheck } from './db.js';
import { createStore, type SqliteStore, type Store } from './store.js';

/** Options of openStore. */
export interface OpenStoreOptions {
  /** Default the system clock. */
  clock?: Clock;
  /** SQLite: pages verified before anything is migrated or written (default none). A PostgreSQL server checks its own pages. */
  check?: DatabaseCheck;
  /** How long a statement waits for another connection's lock (default 5000 ms: right for start-up and one-shot commands). */
  lockWaitMs?: number;
  /** PostgreSQL: told of each error on an idle pooled connection, with the database as it may be printed (default: a line on stderr). */
  onIdleError?: (err: Error, database: string) => void;
  /** PostgreSQL: the one schema to work in instead of the database's own (a dry run's copy, see pg/pg-dry-run.ts). */
  pgSchema?: string;
}

/** Opens (creating and migrating it when needed) the store of `database`; problems are DatabaseError. */
export async function openStore(database: string, opts: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(database)) {
    // Loaded only here: an SQLite user's start-up does not pay for the pg driver.
    const { openPgStore } = await import('./pg/open-pg-store.js');
    return openPgStore(database.trim(), {
      clock: opts.clock ?? systemClock,
      lockWaitMs: opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS,
      ...(opts.onIdleError ? { onIdleError: opts.onIdleError } : {}),
      ...(opts.pgSchema ? { schema: opts.pgSchema } : {}),
    });
  }
  return openSqliteStore(database, opts);
}

/** The lock wait of start-up and one-shot commands (see OpenStoreOptions.lockWaitMs). */
const DEFAULT_LOCK_WAIT_MS = 5000;

/** Opens the SQLite store of a file (':memory:' allowed), with its connection, for what needs SQLite itself. */
export function openSqliteStore(file: string, opts: OpenStoreOptions = {}): SqliteStore {
  const db = openDatabase(file, { ...(opts.check ? { check: opts.check } : {}), ...(opts.lockWaitMs !== undefined ? { busyTimeoutMs: opts.lockWaitMs } : {}) });
  return createStore(db, opts.clock ?? systemClock);
}

/** The SQLite connection under a store, or null when the store is not SQLite's. */
export function sqliteConnectionOf(store: Store): SqliteStore['db'] | null {
  return 'db' in store ? (store as SqliteStore).db : null;
}
