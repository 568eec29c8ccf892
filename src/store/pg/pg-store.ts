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
import type { Clock } from '../../core/types.js';
import type { IngestResult } from '../store.js';
import type { PgStore } from './async-store.js';
import { createPgFeedStateRepo } from './pg-feed-state.js';
import { ingestInTransaction } from './pg-ingest.js';
import { exportJobs, findJobByUrl, rawHashes } from './pg-jobs.js';
import { createPgOutboxRepo } from './pg-outbox.js';
import { inTransaction, pgText, withoutNul } from './pg-sql.js';

export type { AsyncStore, PgStore } from './async-store.js';

/** Builds the store on a pool; close() ends the pool. */
export function createPgStore(pool: pg.Pool, clock: Clock): PgStore {
  const feeds = createPgFeedStateRepo(pool, clock);
  const outbox = createPgOutboxRepo(pool, clock);
  let closed: Promise<void> | null = null;

  return {
    async ingest(postings, decide, live) {
      if (postings.length === 0) return { inserted: 0, updated: 0, unchanged: 0, stale: 0, alertsQueued: 0, newJobs: [] } satisfies IngestResult;
      // Once decide() has been called the transaction is not run again: the caller counts what it
      // decided, and a second run would decide other job ids (the caller retries the whole call).
      let decided = false;
      const items = postings.map(withoutNul);
      return inTransaction(
        pool,
        // One timestamp per poll: every posting of a batch was seen at the same moment.
        (client) => ingestInTransaction(client, items, decide, live, { now: clock.now().getTime(), outbox, onDecide: () => void (decided = true) }),
        () => !decided,
      );
    },
    knownItems: (feed) => rawHashes(pool, feed),
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
    findJobByUrl: (url) => findJobByUrl(pool, pgText(url)),
    exportJobs: () => exportJobs(pool),
    close() {
      // pg throws when a pool is ended twice; a second close waits for the first.
      closed ??= pool.end();
      return closed;
    },
  };
}
