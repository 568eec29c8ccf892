/**
 * Per-feed polling state in PostgreSQL: the statements of ../feed-state.ts, with the poll lease
 * taken in ONE statement so that several workers on one database never poll a feed at once.
 */
import type { Clock } from '../../core/types.js';
import { FEED_COLUMNS, rowToFeedState, type FeedRow, type FeedStateStore, type LeaseResult } from '../feed-state.js';
import { toMs } from '../jobs.js';
import { inTransaction, pgText, type PgConnections, type Queryable } from './pg-sql.js';

/** The feed-state repository over a pool, every method async. */
export type PgFeedStateRepo = FeedStateStore;

// The validators are written as given, null included; the backlog is written once (see ../feed-state.ts).
const SUCCESS = `
  INSERT INTO feeds (name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at,
    body_hash, backlog_at, backlog_postings, backlog_new, backlog_alerted, backlog_old)
  VALUES ($1, $2, $3, $4, $4, 0, NULL, $5, $7, $8, $9, $10, $11, $12)
  ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
    last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
    consecutive_errors = 0, last_error = NULL, next_check_at = excluded.next_check_at,
    hold_until = NULL, failing_since = NULL,
    body_hash = CASE WHEN $6::boolean THEN excluded.body_hash ELSE feeds.body_hash END,
    backlog_postings = CASE WHEN feeds.backlog_at IS NULL THEN excluded.backlog_postings ELSE feeds.backlog_postings END,
    backlog_new = CASE WHEN feeds.backlog_at IS NULL THEN excluded.backlog_new ELSE feeds.backlog_new END,
    backlog_alerted = CASE WHEN feeds.backlog_at IS NULL THEN excluded.backlog_alerted ELSE feeds.backlog_alerted END,
    backlog_old = CASE WHEN feeds.backlog_at IS NULL THEN excluded.backlog_old ELSE feeds.backlog_old END,
    backlog_at = coalesce(feeds.backlog_at, excluded.backlog_at)`;

const FAILURE = `
  INSERT INTO feeds (name, last_attempt_at, consecutive_errors, last_error, next_check_at, hold_until, failing_since)
  VALUES ($1, $2, 1, $3, $4, $5, $2)
  ON CONFLICT (name) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
    consecutive_errors = feeds.consecutive_errors + 1, last_error = excluded.last_error,
    next_check_at = excluded.next_check_at, hold_until = excluded.hold_until,
    failing_since = coalesce(feeds.failing_since, excluded.failing_since)
  RETURNING ${FEED_COLUMNS}`;

/**
 * The lease in one statement: the row is created, or updated only when nobody else holds a lease
 * that has not lapsed. ON CONFLICT DO UPDATE locks the row and evaluates its WHERE on the newest
 * committed version, so of two workers racing for one feed exactly one gets a row back. ($4: now;
 * $5: a holder known to be gone, whose lease counts as lapsed, or null.)
 */
const TAKE_LEASE = `
  INSERT INTO feeds (name, leased_by, lease_until) VALUES ($1, $2, $3)
  ON CONFLICT (name) DO UPDATE SET leased_by = excluded.leased_by, lease_until = excluded.lease_until
  WHERE feeds.leased_by IS NULL OR feeds.leased_by = '' OR feeds.leased_by = excluded.leased_by
     OR feeds.lease_until IS NULL OR feeds.lease_until <= $4 OR feeds.leased_by = $5::text
  RETURNING name`;

/** Builds the feed-state repository on a pool; times come from the clock, as in SQLite. */
export function createPgFeedStateRepo(pool: PgConnections, clock: Clock): PgFeedStateRepo {
  async function byName(db: Queryable, name: string, lock = false): Promise<FeedRow | null> {
    const res = await db.query<FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
    return res.rows[0] ?? null;
  }

  async function acquireFeedLease(name: string, owner: string, leaseMs: number, takeOver?: string): Promise<LeaseResult> {
    const now = clock.now().getTime();
    // A refusal reads who holds the lease in a second statement; should that lease be gone by then,
    // the upsert is tried again rather than reporting a holder that no longer is one.
    for (let attempt = 0; ; attempt++) {
      const took = await pool.query(TAKE_LEASE, [name, owner, now + leaseMs, now, takeOver ?? null]);
      if (took.rowCount === 1) return { ok: true };
      const row = await byName(pool, name);
      if (row?.leased_by && row.leased_by !== owner && row.leased_by !== takeOver && row.lease_until !== null && row.lease_until > now) {
        return { ok: false, leasedBy: row.leased_by, leaseUntil: new Date(row.lease_until) };
      }
      if (attempt >= 3) throw new Error(`feed ${name}: the poll lease could not be taken or read (it keeps changing hands)`);
    }
  }

  return {
    async getFeedState(name) {
      const row = await byName(pool, name);
      return row ? rowToFeedState(row) : null;
    },
    async listFeedStates() {
      // COLLATE "C": SQLite orders text by bytes, whatever the database's locale says.
      const res = await pool.query<FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds ORDER BY name COLLATE "C"`);
      return res.rows.map(rowToFeedState);
    },
    async recordFeedSuccess(name, v) {
      const now = clock.now().getTime();
      await pool.query(SUCCESS, [
        name,
        pgText(v.etag),
        pgText(v.lastModified),
        now,
        toMs(v.nextCheckAt),
        v.bodyHash !== undefined,
        v.bodyHash ?? null,
        v.backlog ? now : null,
        v.backlog?.postings ?? null,
        v.backlog?.newJobs ?? null,
        v.backlog?.alerted ?? null,
        v.backlog?.old ?? null,
      ]);
    },
    async recordFeedFailure(name, v) {
      const now = clock.now().getTime();
      const res = await pool.query<FeedRow>(FAILURE, [name, now, pgText(v.error), toMs(v.nextCheckAt) ?? now, toMs(v.holdUntil ?? null)]);
      // RETURNING on an upsert always yields the row it wrote.
      return rowToFeedState(res.rows[0]!);
    },
    syncFeedIdentity(name, v) {
      return inTransaction(pool, async (client) => {
        // Inserting first (rather than reading first) settles the race of two workers starting at once.
        const inserted = await client.query('INSERT INTO feeds (name, url, config_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [name, v.url, v.configHash]);
        if (inserted.rowCount === 1) return 'new';
        const row = (await byName(client, name, true))!;
        if (row.config_hash === v.configHash || row.config_hash === null) {
          // The same config, or a row from before feeds knew their config: its state is this config's.
          if (row.url !== v.url || row.config_hash === null) await client.query('UPDATE feeds SET url = $1, config_hash = $2 WHERE name = $3', [v.url, v.configHash, name]);
          return 'same';
        }
        // Another address (or token, board, ...) is another feed; the health flag stays (see ../feed-state.ts).
        await client.query(
          `UPDATE feeds SET url = $1, config_hash = $2, etag = NULL, last_modified = NULL, consecutive_errors = 0,
             last_error = NULL, next_check_at = NULL, hold_until = NULL, failing_since = NULL, body_hash = NULL,
             backlog_at = NULL, backlog_postings = NULL, backlog_new = NULL, backlog_alerted = NULL, backlog_old = NULL
           WHERE name = $3`,
          [v.url, v.configHash, name],
        );
        return 'changed';
      });
    },
    acquireFeedLease,
    async renewFeedLease(name, owner, leaseMs) {
      const res = await pool.query('UPDATE feeds SET lease_until = $1 WHERE name = $2 AND leased_by = $3', [clock.now().getTime() + leaseMs, name, owner]);
      return res.rowCount === 1;
    },
    async releaseFeedLease(name, owner) {
      await pool.query('UPDATE feeds SET leased_by = NULL, lease_until = NULL WHERE name = $1 AND leased_by = $2', [name, owner]);
    },
    async markFeedAlerted(name) {
      const res = await pool.query('UPDATE feeds SET alerted_at = $1 WHERE name = $2 AND alerted_at IS NULL', [clock.now().getTime(), name]);
      return res.rowCount === 1;
    },
    async clearFeedAlerted(name) {
      // The row is locked as it is read, so the time returned is the one this statement cleared: a
      // second poller waits, then finds alerted_at NULL and claims nothing.
      const res = await pool.query<{ alerted_at: number }>(
        `WITH old AS (SELECT name, alerted_at FROM feeds WHERE name = $1 AND alerted_at IS NOT NULL FOR UPDATE)
         UPDATE feeds f SET alerted_at = NULL FROM old WHERE f.name = old.name RETURNING old.alerted_at`,
        [name],
      );
      return res.rows.length === 1 ? new Date(res.rows[0]!.alerted_at) : null;
    },
  };
}
