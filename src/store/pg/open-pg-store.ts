/**
 * Opening the PostgreSQL store a postgres:// URL names: its pool, the migrations (run under their
 * advisory lock, so workers starting together migrate once), the store. What goes wrong on the way
 * is one DatabaseError naming the database as it may be printed (password as ***) and what to do.
 */
import type { Clock } from '../../core/types.js';
import { describeDatabase } from '../../core/database-url.js';
import { migratePg } from './migrations.js';
import { pgDatabaseError } from './pg-errors.js';
import { createPgStore, type PgStore } from './pg-store.js';
import { createPgPool, type PgPoolOptions } from './pool.js';

/** Options of openPgStore. */
export interface OpenPgStoreOptions {
  clock: Clock;
  /** How long a statement waits for another connection's lock (see Store.setLockWait). */
  lockWaitMs: number;
  /** Where PGPASSWORD is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told of each error on an idle pooled connection (see PgPoolOptions.onIdleError). */
  onIdleError?: PgPoolOptions['onIdleError'];
  /** The one schema to work in instead of the database's own (see PgPoolOptions.schema). */
  schema?: string;
}

/** Connects to, migrates and returns the store of `url`; problems are DatabaseError. */
export async function openPgStore(url: string, opts: OpenPgStoreOptions): Promise<PgStore> {
  const shown = describeDatabase(url);
  const pool = createPgPool(url, {
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.onIdleError ? { onIdleError: opts.onIdleError } : {}),
    ...(opts.schema ? { schema: opts.schema } : {}),
  });
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    throw pgDatabaseError(shown, err);
  }
  const store = createPgStore(pool, opts.clock, { location: opts.schema ? `${shown} (schema ${opts.schema})` : shown });
  await store.setLockWait(opts.lockWaitMs);
  return store;
}
