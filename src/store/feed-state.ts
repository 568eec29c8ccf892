/** Per-feed polling state: conditional-GET validators, error streak, next check. */
import type Database from 'better-sqlite3';
import type { Clock } from '../core/types.js';
import { fromMs, toMs } from './jobs.js';

/** What the store remembers about one feed between polls. */
export interface FeedState {
  name: string;
  etag: string | null;
  lastModified: string | null;
  lastSuccessAt: Date | null;
  lastAttemptAt: Date | null;
  consecutiveErrors: number;
  lastError: string | null;
  nextCheckAt: Date | null;
}

/** Feed state reads and writes. */
export interface FeedStateRepo {
  getFeedState(name: string): FeedState | null;
  listFeedStates(): FeedState[];
  recordFeedSuccess(name: string, v: { etag: string | null; lastModified: string | null; nextCheckAt: Date | null }): void;
  recordFeedFailure(name: string, v: { error: string; nextCheckAt: Date }): FeedState;
}

interface FeedRow {
  name: string;
  etag: string | null;
  last_modified: string | null;
  last_success_at: number | null;
  last_attempt_at: number | null;
  consecutive_errors: number;
  last_error: string | null;
  next_check_at: number | null;
}

interface SuccessParams {
  name: string;
  etag: string | null;
  last_modified: string | null;
  now: number;
  next_check_at: number | null;
}

interface FailureParams {
  name: string;
  error: string;
  now: number;
  next_check_at: number;
}

const FEED_COLUMNS =
  'name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at';

/** Prepares the feed-state statements once for this connection. */
export function createFeedStateRepo(db: Database.Database, clock: Clock): FeedStateRepo {
  const byName = db.prepare<[string], FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE name = ?`);
  const all = db.prepare<[], FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds ORDER BY name`);
  // The validators are written as given, null included: a server that stops sending an ETag
  // must not keep getting the stale one back (a 304 caller passes the stored values).
  const success = db.prepare<[SuccessParams]>(`
    INSERT INTO feeds (name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at)
    VALUES (@name, @etag, @last_modified, @now, @now, 0, NULL, @next_check_at)
    ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
      last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
      consecutive_errors = 0, last_error = NULL, next_check_at = excluded.next_check_at`);
  // A failure keeps the validators and last success: they are still true of the last good fetch.
  const failure = db.prepare<[FailureParams], FeedRow>(`
    INSERT INTO feeds (name, last_attempt_at, consecutive_errors, last_error, next_check_at)
    VALUES (@name, @now, 1, @error, @next_check_at)
    ON CONFLICT (name) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
      consecutive_errors = consecutive_errors + 1, last_error = excluded.last_error,
      next_check_at = excluded.next_check_at
    RETURNING ${FEED_COLUMNS}`);

  return {
    getFeedState(name) {
      const row = byName.get(name);
      return row ? rowToFeedState(row) : null;
    },
    listFeedStates() {
      return all.all().map(rowToFeedState);
    },
    recordFeedSuccess(name, v) {
      success.run({
        name,
        etag: v.etag,
        last_modified: v.lastModified,
        now: clock.now().getTime(),
        next_check_at: toMs(v.nextCheckAt),
      });
    },
    recordFeedFailure(name, v) {
      const now = clock.now().getTime();
      const row = failure.get({ name, error: v.error, now, next_check_at: toMs(v.nextCheckAt) ?? now });
      // RETURNING on an upsert always yields the row it wrote.
      return rowToFeedState(row!);
    },
  };
}

function rowToFeedState(row: FeedRow): FeedState {
  return {
    name: row.name,
    etag: row.etag,
    lastModified: row.last_modified,
    lastSuccessAt: fromMs(row.last_success_at),
    lastAttemptAt: fromMs(row.last_attempt_at),
    consecutiveErrors: row.consecutive_errors,
    lastError: row.last_error,
    nextCheckAt: fromMs(row.next_check_at),
  };
}
