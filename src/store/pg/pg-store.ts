/**
 * The store on PostgreSQL: the same Store as the SQLite one (../store.ts), for several `jobalert
 * run` workers sharing one database. Ingest is one transaction per call, with advisory locks per
 * dedupe key (pg-locks.ts) so two workers never create one job twice; outbox claims use FOR UPDATE
 * SKIP LOCKED (pg-outbox.ts); a feed's poll lease is one atomic upsert (pg-feed-state.ts).
 *
 * The pool must be on a database migrated by migratePg (./migrations.ts) and built by createPgPool
 * (./pool.ts), whose type parsers read rows back in the SQLite store's shape.
 */
import type pg from 'pg';
import type { Clock, StoredJob } from '../../core/types.js';
import type { AlertIntent, IngestItem, IngestResult, LiveIds, Store } from '../store.js';
import { createPgFeedStateRepo } from './pg-feed-state.js';
import { createPgHealthQueries } from './pg-health.js';
import { ingestInTransaction } from './pg-ingest.js';
import { exportJobs, findJobByUrl, rawHashes } from './pg-jobs.js';
import { createPgOutboxRepo } from './pg-outbox.js';
import { inTransaction, pgText, type PgConnections } from './pg-sql.js';
import { isPgServerError } from './pg-errors.js';

/**
 * The Store, whose ingest also awaits a decide() that answers with a promise (it runs inside the
 * transaction, which stays open meanwhile: the race tests hold it open that way).
 */
export interface PgStore extends Store {
  ingest(postings: readonly IngestItem[], decide: (job: StoredJob) => AlertIntent[] | Promise<AlertIntent[]>, live?: LiveIds): Promise<IngestResult>;
}

/** Options of createPgStore. */
export interface PgStoreOptions {
  /** What Store.location says: the database URL as it may be printed (describeDatabase); default "PostgreSQL". */
  location?: string;
}

/**
 * The shortest lock wait the store keeps. SQLite's daemon waits only briefly because its waits
 * stand the event loop still; a PostgreSQL wait is asynchronous, and an ingest's advisory locks
 * (pg-locks.ts) may rightly wait for another worker's transaction of a slice or two.
 */
export const PG_MIN_LOCK_WAIT_MS = 5000;

/** Builds the store on a pool; close() ends the pool. */
export function createPgStore(pool: pg.Pool, clock: Clock, opts: PgStoreOptions = {}): PgStore {
  let lockWait = PG_MIN_LOCK_WAIT_MS;
  const db = withLockWait(pool, () => lockWait);
  const feeds = createPgFeedStateRepo(db, clock);
  const outbox = createPgOutboxRepo(db, clock);
  const health = createPgHealthQueries(db);
  let closed: Promise<void> | null = null;

  return {
    location: opts.location ?? 'PostgreSQL',
    async ingest(postings, decide, live) {
      if (postings.length === 0) return { inserted: 0, updated: 0, unchanged: 0, stale: 0, alertsQueued: 0, newJobs: [] } satisfies IngestResult;
      // Once decide() has been called the transaction is not run again: the caller counts what it
      // decided, and a second run would decide other job ids (the caller retries the whole call).
      let decided = false;
      return inTransaction(
        db,
        // One timestamp per poll: every posting of a batch was seen at the same moment. No NUL to
        // strip (PostgreSQL text cannot hold one): postings come from normalizePosting, which strips
        // them, and seen items carry a source id read back from this database.
        (client) => ingestInTransaction(client, postings, decide, live, { now: clock.now().getTime(), outbox, onDecide: () => void (decided = true) }),
        () => !decided,
      );
    },
    knownItems: (feed) => rawHashes(db, feed),
    ...feeds,
    dueAlerts: outbox.dueAlerts,
    claimedAlerts: outbox.claimedAlerts,
    leftBehindAlerts: outbox.leftBehindAlerts,
    claimTokens: outbox.claimTokens,
    dueChannels: outbox.dueChannels,
    dueDigestRows: outbox.dueDigestRows,
    holdChannel: outbox.holdChannel,
    countHeld: outbox.countHeld,
    countDue: outbox.countDue,
    dueRuleCounts: outbox.dueRuleCounts,
    dueOfRule: outbox.dueOfRule,
    alertsById: outbox.alertsById,
    deferChannel: outbox.deferChannel,
    claimAlerts: outbox.claimAlerts,
    recordOutcomes: outbox.recordOutcomes,
    nextAlertDueAt: outbox.nextAlertDueAt,
    markSent: outbox.markSent,
    markRetry: outbox.markRetry,
    markFailed: outbox.markFailed,
    countAlerts: outbox.countAlerts,
    requeueFailed: outbox.requeueFailed,
    findJobByUrl: (url) => findJobByUrl(db, pgText(url)),
    exportJobs: () => exportJobs(db),
    channelStates: health.channelStates,
    failedByChannel: health.failedByChannel,
    async ping() {
      await db.query('SELECT 1');
    },
    async setLockWait(ms) {
      lockWait = Math.max(PG_MIN_LOCK_WAIT_MS, Math.floor(ms));
    },
    close() {
      // pg throws when a pool is ended twice; a second close waits for the first.
      closed ??= pool.end();
      return closed;
    },
  };
}

/**
 * The pool, each connection brought to the current lock wait before it runs anything: lock_timeout
 * is a setting of each connection, so a change reaches idle connections and new ones as they are
 * next used (one SET, awaited, on a connection whose setting is behind).
 */
function withLockWait(pool: pg.Pool, current: () => number): PgConnections {
  const applied = new WeakMap<pg.PoolClient, number>();
  async function connect(): Promise<pg.PoolClient> {
    const client = await pool.connect();
    const ms = current();
    if (applied.get(client) === ms) return client;
    try {
      await client.query(`SET lock_timeout = ${ms}`);
    } catch (err) {
      // A connection that cannot take a SET is broken: not given back to the pool.
      client.release(err as Error);
      throw err;
    }
    applied.set(client, ms);
    return client;
  }
  return {
    connect,
    async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const client = await connect();
      let failed: Error | undefined;
      try {
        return await client.query<R>(text, values);
      } catch (err) {
        // The driver leaves a failed connection usable; only a broken one (no server) is dropped.
        if (!isPgServerError(err)) failed = err as Error;
        throw err;
      } finally {
        client.release(failed);
      }
    },
  };
}
