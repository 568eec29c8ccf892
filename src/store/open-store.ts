/**
 * Opening the store the `database:` setting names: the one place that picks the implementation
 * behind the Store interface. Today every setting is a SQLite file (config resolves it as a path,
 * ':memory:' aside); another kind of database is routed here.
 */
import type { Clock } from '../core/types.js';
import { systemClock } from '../core/types.js';
import { openDatabase, type DatabaseCheck } from './db.js';
import { createStore, type SqliteStore, type Store } from './store.js';

/** Options of openStore. */
export interface OpenStoreOptions {
  /** Default the system clock. */
  clock?: Clock;
  /** Pages verified before anything is migrated or written (default none). */
  check?: DatabaseCheck;
  /** How long a statement waits for another connection's lock (default 5000 ms: right for start-up and one-shot commands). */
  lockWaitMs?: number;
}

/** Opens (creating and migrating it when needed) the store of `database`; problems are DatabaseError. */
export async function openStore(database: string, opts: OpenStoreOptions = {}): Promise<Store> {
  return openSqliteStore(database, opts);
}

/** Opens the SQLite store of a file (':memory:' allowed), with its connection, for what needs SQLite itself. */
export function openSqliteStore(file: string, opts: OpenStoreOptions = {}): SqliteStore {
  const db = openDatabase(file, { ...(opts.check ? { check: opts.check } : {}), ...(opts.lockWaitMs !== undefined ? { busyTimeoutMs: opts.lockWaitMs } : {}) });
  return createStore(db, opts.clock ?? systemClock);
}

/** The SQLite connection under a store, or null when the store is not SQLite's. */
export function sqliteConnectionOf(store: Store): SqliteStore['db'] | null {
  return 'db' in store ? (store as SqliteStore).db : null;
}
