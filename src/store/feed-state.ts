/**
 * Per-feed polling state: conditional-GET validators, error streak, backoff, what the state is
 * of (URL and config hash), the poll lease between processes, and the health-alert flag.
 */
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
  /** jobalert's own backoff: the earliest scheduled tick of a running daemon that polls again. */
  nextCheckAt: Date | null;
  /** The server's Retry-After: no poll before this, not even at start-up. */
  holdUntil: Date | null;
  /** The address polled (credentials stripped) and a hash of the feed's config, as of the last start. */
  url: string | null;
  configHash: string | null;
  /** First failure of the current error streak; null while healthy. */
  failingSince: Date | null;
  /** When the "feed failing" notice of this streak went out; null when none is outstanding. */
  alertedAt: Date | null;
  leaseUntil: Date | null;
  leasedBy: string | null;
  /** Hash of every response body of the last stored poll (src/pipeline/read-feed.ts); null when none is known. */
  bodyHash: string | null;
  /** When the feed's first poll was stored (since its config last changed); null: the next stored poll is its first. */
  firstPollAt: Date | null;
  /** What that first poll took in; null before it, or for a feed first polled before this was recorded. */
  backlog: Backlog | null;
}

/** What a feed's first stored poll took in: everything it listed is backlog, alerted only within max_age. */
export interface Backlog {
  /** Postings the poll listed. */
  postings: number;
  /** Of those, new jobs (the rest were already known from other feeds). */
  newJobs: number;
  /** New jobs that queued at least one alert. */
  alerted: number;
  /** New jobs published longer ago than max_age: stored, never alerted. */
  old: number;
}

/** Result of taking a feed's poll lease. */
export type LeaseResult = { ok: true } | { ok: false; leasedBy: string; leaseUntil: Date };

/** Feed state reads and writes. */
export interface FeedStateRepo {
  /** The state of one feed, null when it was never polled. */
  getFeedState(name: string): FeedState | null;
  /** Every feed's state, by name. */
  listFeedStates(): FeedState[];
  /**
   * A poll succeeded (a 304 too): resets the error streak and stores the validators as given; the
   * body hash too when given (undefined keeps the stored one), and the backlog of a first poll.
   */
  recordFeedSuccess(
    name: string,
    v: { etag: string | null; lastModified: string | null; nextCheckAt: Date | null; bodyHash?: string | null; backlog?: Backlog },
  ): void;
  /** A poll failed: increments consecutiveErrors, keeps the validators; holdUntil is the server's Retry-After; returns the new state. */
  recordFeedFailure(name: string, v: { error: string; nextCheckAt: Date; holdUntil?: Date | null }): FeedState;
  /** At start: records what a feed is (URL, config hash); a changed config resets its state ('changed'). */
  syncFeedIdentity(name: string, v: { url: string; configHash: string }): 'new' | 'same' | 'changed';
  /**
   * Takes the feed's poll lease for leaseMs unless another owner holds an unexpired one (IMMEDIATE
   * transaction). `takeOver`: the holder known to be gone (a dead process), whose lease is taken
   * as if it had expired; a lease that changed hands meanwhile is not.
   */
  acquireFeedLease(name: string, owner: string, leaseMs: number, takeOver?: string): LeaseResult;
  /**
   * Extends the lease to leaseMs from now while this owner still holds it (a long poll keeps its
   * feed); false when it no longer does (taken over, or released), and then nothing changes.
   */
  renewFeedLease(name: string, owner: string, leaseMs: number): boolean;
  /** Gives the lease back (only if this owner still holds it). */
  releaseFeedLease(name: string, owner: string): void;
  /** Claims the "feed failing" notice of this streak; false when it was already sent (by this or another process). */
  markFeedAlerted(name: string): boolean;
  /**
   * Claims the "feed recovered" notice: clears the failing notice's time and returns it, in one
   * transaction (two pollers cannot both claim it); null when no failing notice is outstanding.
   */
  clearFeedAlerted(name: string): Date | null;
}

/**
 * The feed state as the store exposes it: FeedStateRepo's methods, each answering through a
 * promise (the store interface is asynchronous, for databases reached over a connection).
 */
export type FeedStateStore = { [K in keyof FeedStateRepo]: (...args: Parameters<FeedStateRepo[K]>) => Promise<ReturnType<FeedStateRepo[K]>> };

/** A feeds row as FEED_COLUMNS selects it. */
export interface FeedRow {
  name: string;
  etag: string | null;
  last_modified: string | null;
  last_success_at: number | null;
  last_attempt_at: number | null;
  consecutive_errors: number;
  last_error: string | null;
  next_check_at: number | null;
  hold_until: number | null;
  url: string | null;
  config_hash: string | null;
  failing_since: number | null;
  alerted_at: number | null;
  lease_until: number | null;
  leased_by: string | null;
  body_hash: string | null;
  backlog_at: number | null;
  backlog_postings: number | null;
  backlog_new: number | null;
  backlog_alerted: number | null;
  backlog_old: number | null;
}

interface SuccessParams {
  name: string;
  etag: string | null;
  last_modified: string | null;
  now: number;
  next_check_at: number | null;
  /** 1: body_hash takes the value given; 0: the stored one stays. */
  set_body: number;
  body_hash: string | null;
  backlog_at: number | null;
  backlog_postings: number | null;
  backlog_new: number | null;
  backlog_alerted: number | null;
  backlog_old: number | null;
}

interface FailureParams {
  name: string;
  error: string;
  now: number;
  next_check_at: number;
  hold_until: number | null;
}

/** Every column of feeds, in the order FeedRow lists them. */
export const FEED_COLUMNS =
  'name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at, ' +
  'hold_until, url, config_hash, failing_since, alerted_at, lease_until, leased_by, body_hash, ' +
  'backlog_at, backlog_postings, backlog_new, backlog_alerted, backlog_old';

/** Prepares the feed-state statements once for this connection. */
export function createFeedStateRepo(db: Database.Database, clock: Clock): FeedStateRepo {
  const byName = db.prepare<[string], FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds WHERE name = ?`);
  const all = db.prepare<[], FeedRow>(`SELECT ${FEED_COLUMNS} FROM feeds ORDER BY name`);
  // The validators are written as given, null included: a server that stops sending an ETag
  // must not keep getting the stale one back (a 304 caller passes the stored values).
  // The backlog is written once: a later poll passes none, and a first one never overwrites another's.
  const success = db.prepare<[SuccessParams]>(`
    INSERT INTO feeds (name, etag, last_modified, last_success_at, last_attempt_at, consecutive_errors, last_error, next_check_at,
      body_hash, backlog_at, backlog_postings, backlog_new, backlog_alerted, backlog_old)
    VALUES (@name, @etag, @last_modified, @now, @now, 0, NULL, @next_check_at,
      @body_hash, @backlog_at, @backlog_postings, @backlog_new, @backlog_alerted, @backlog_old)
    ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
      last_success_at = excluded.last_success_at, last_attempt_at = excluded.last_attempt_at,
      consecutive_errors = 0, last_error = NULL, next_check_at = excluded.next_check_at,
      hold_until = NULL, failing_since = NULL,
      body_hash = CASE WHEN @set_body = 1 THEN excluded.body_hash ELSE body_hash END,
      backlog_postings = CASE WHEN backlog_at IS NULL THEN excluded.backlog_postings ELSE backlog_postings END,
      backlog_new = CASE WHEN backlog_at IS NULL THEN excluded.backlog_new ELSE backlog_new END,
      backlog_alerted = CASE WHEN backlog_at IS NULL THEN excluded.backlog_alerted ELSE backlog_alerted END,
      backlog_old = CASE WHEN backlog_at IS NULL THEN excluded.backlog_old ELSE backlog_old END,
      backlog_at = coalesce(backlog_at, excluded.backlog_at)`);
  // A failure keeps the validators and last success: they are still true of the last good fetch.
  const failure = db.prepare<[FailureParams], FeedRow>(`
    INSERT INTO feeds (name, last_attempt_at, consecutive_errors, last_error, next_check_at, hold_until, failing_since)
    VALUES (@name, @now, 1, @error, @next_check_at, @hold_until, @now)
    ON CONFLICT (name) DO UPDATE SET last_attempt_at = excluded.last_attempt_at,
      consecutive_errors = consecutive_errors + 1, last_error = excluded.last_error,
      next_check_at = excluded.next_check_at, hold_until = excluded.hold_until,
      failing_since = coalesce(failing_since, excluded.failing_since)
    RETURNING ${FEED_COLUMNS}`);
  const insertIdentity = db.prepare<[string, string, string]>('INSERT INTO feeds (name, url, config_hash) VALUES (?, ?, ?)');
  const adoptIdentity = db.prepare<[string, string, string]>('UPDATE feeds SET url = ?, config_hash = ? WHERE name = ?');
  // Another address (or token, board, ...) is another feed: nothing learnt about the old one
  // applies (its body hash neither; its next stored poll is a first poll, with a backlog). The
  // health flag stays, so a feed that was reported failing is reported recovered.
  const resetIdentity = db.prepare<[string, string, string]>(`
    UPDATE feeds SET url = ?, config_hash = ?, etag = NULL, last_modified = NULL, consecutive_errors = 0,
      last_error = NULL, next_check_at = NULL, hold_until = NULL, failing_since = NULL, body_hash = NULL,
      backlog_at = NULL, backlog_postings = NULL, backlog_new = NULL, backlog_alerted = NULL, backlog_old = NULL
    WHERE name = ?`);
  const takeLease = db.prepare<[string, string, number]>(`
    INSERT INTO feeds (name, leased_by, lease_until) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET leased_by = excluded.leased_by, lease_until = excluded.lease_until`);
  const extendLease = db.prepare<[number, string, string]>('UPDATE feeds SET lease_until = ? WHERE name = ? AND leased_by = ?');
  const dropLease = db.prepare<[string, string]>('UPDATE feeds SET leased_by = NULL, lease_until = NULL WHERE name = ? AND leased_by = ?');
  const setAlerted = db.prepare<[number, string]>('UPDATE feeds SET alerted_at = ? WHERE name = ? AND alerted_at IS NULL');
  const alertedAt = db.prepare<[string], number | null>('SELECT alerted_at FROM feeds WHERE name = ?').pluck();
  const unsetAlerted = db.prepare<[string]>('UPDATE feeds SET alerted_at = NULL WHERE name = ? AND alerted_at IS NOT NULL');
  // Read and cleared in one transaction: the time returned is the notice this call claimed.
  const clearAlerted = db.transaction((name: string): Date | null => {
    const at = alertedAt.get(name) ?? null;
    if (at === null || unsetAlerted.run(name).changes !== 1) return null;
    return new Date(at);
  });

  const syncIdentity = db.transaction((name: string, url: string, hash: string): 'new' | 'same' | 'changed' => {
    const row = byName.get(name);
    if (!row) {
      insertIdentity.run(name, url, hash);
      return 'new';
    }
    if (row.config_hash === hash) {
      if (row.url !== url) adoptIdentity.run(url, hash, name);
      return 'same';
    }
    // A row from before feeds knew their config: its state is for this config as far as we know.
    if (row.config_hash === null) {
      adoptIdentity.run(url, hash, name);
      return 'same';
    }
    resetIdentity.run(url, hash, name);
    return 'changed';
  });

  // Read and write in one IMMEDIATE transaction: two processes cannot both see the lease free.
  const lease = db.transaction((name: string, owner: string, now: number, until: number, takeOver: string | undefined): LeaseResult => {
    const row = byName.get(name);
    if (row?.leased_by && row.leased_by !== owner && row.leased_by !== takeOver && row.lease_until !== null && row.lease_until > now) {
      return { ok: false, leasedBy: row.leased_by, leaseUntil: new Date(row.lease_until) };
    }
    takeLease.run(name, owner, until);
    return { ok: true };
  });

  return {
    getFeedState(name) {
      const row = byName.get(name);
      return row ? rowToFeedState(row) : null;
    },
    listFeedStates() {
      return all.all().map(rowToFeedState);
    },
    recordFeedSuccess(name, v) {
      const now = clock.now().getTime();
      success.run({
        name,
        etag: v.etag,
        last_modified: v.lastModified,
        now,
        next_check_at: toMs(v.nextCheckAt),
        set_body: v.bodyHash === undefined ? 0 : 1,
        body_hash: v.bodyHash ?? null,
        backlog_at: v.backlog ? now : null,
        backlog_postings: v.backlog?.postings ?? null,
        backlog_new: v.backlog?.newJobs ?? null,
        backlog_alerted: v.backlog?.alerted ?? null,
        backlog_old: v.backlog?.old ?? null,
      });
    },
    recordFeedFailure(name, v) {
      const now = clock.now().getTime();
      const row = failure.get({ name, error: v.error, now, next_check_at: toMs(v.nextCheckAt) ?? now, hold_until: toMs(v.holdUntil ?? null) });
      // RETURNING on an upsert always yields the row it wrote.
      return rowToFeedState(row!);
    },
    syncFeedIdentity(name, v) {
      return syncIdentity.immediate(name, v.url, v.configHash);
    },
    acquireFeedLease(name, owner, leaseMs, takeOver) {
      const now = clock.now().getTime();
      return lease.immediate(name, owner, now, now + leaseMs, takeOver);
    },
    renewFeedLease(name, owner, leaseMs) {
      return extendLease.run(clock.now().getTime() + leaseMs, name, owner).changes === 1;
    },
    releaseFeedLease(name, owner) {
      dropLease.run(name, owner);
    },
    markFeedAlerted(name) {
      return setAlerted.run(clock.now().getTime(), name).changes === 1;
    },
    clearFeedAlerted(name) {
      return clearAlerted.immediate(name);
    },
  };
}

/** Turns a feeds row into a FeedState. */
export function rowToFeedState(row: FeedRow): FeedState {
  return {
    name: row.name,
    etag: row.etag,
    lastModified: row.last_modified,
    lastSuccessAt: fromMs(row.last_success_at),
    lastAttemptAt: fromMs(row.last_attempt_at),
    consecutiveErrors: row.consecutive_errors,
    lastError: row.last_error,
    nextCheckAt: fromMs(row.next_check_at),
    holdUntil: fromMs(row.hold_until),
    url: row.url,
    configHash: row.config_hash,
    failingSince: fromMs(row.failing_since),
    alertedAt: fromMs(row.alerted_at),
    leaseUntil: fromMs(row.lease_until),
    leasedBy: row.leased_by,
    bodyHash: row.body_hash,
    firstPollAt: fromMs(row.backlog_at),
    backlog:
      row.backlog_at === null || row.backlog_postings === null
        ? null
        : {
            postings: row.backlog_postings,
            newJobs: row.backlog_new ?? 0,
            alerted: row.backlog_alerted ?? 0,
            old: row.backlog_old ?? 0,
          },
  };
}
