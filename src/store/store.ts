/**
 * The store: everything jobalert remembers, behind one interface. Dedupe happens here (DESIGN.md
 * "Dedupe": same (feed, source id), then same canonical URL, then same company and title with
 * compatible terms within 30 days, then same title and near-identical text; never two ids one
 * feed lists side by side; see JobRepo.findExistingJob), and the
 * outbox rows of a new job are written in the same transaction as the job, so a crash can
 * neither alert a job twice nor store a job whose alerts were never queued.
 */
import type Database from 'better-sqlite3';
import type { Clock, Posting, StoredJob } from '../core/types.js';
import { createFeedStateRepo } from './feed-state.js';
import type { FeedStateStore } from './feed-state.js';
import { createHealthQueries, type ChannelDeliveryState } from './health.js';
import { contentHash, createJobRepo, type HashedPosting } from './jobs.js';
import { createOutboxRepo } from './outbox.js';
import type { AlertIntent, AlertState, ClaimRequest, DigestRow, OutboxAlert, OutboxCursor, OutboxMark } from './outbox.js';

export type { AlertIntent, AlertState, ClaimRequest, DigestRow, OutboxAlert, OutboxCursor, OutboxMark, RuleMatch } from './outbox.js';
export type { Backlog, FeedState, FeedStateStore, LeaseResult } from './feed-state.js';
export type { ChannelDeliveryState } from './health.js';
export type { HashedPosting } from './jobs.js';

/**
 * An item of a poll whose raw hash was already stored for its feed (src/pipeline/read-feed.ts):
 * it was neither converted nor normalized, and is recorded as a sighting of what is stored.
 */
export interface SeenItem {
  seen: true;
  feed: string;
  sourceId: string;
  rawHash: string;
}

/** What a poll gives ingest: postings, and items seen as they were. */
export type IngestItem = HashedPosting | SeenItem;

/** True for an item recorded as seen, without its content. */
export function isSeenItem(item: IngestItem): item is SeenItem {
  return (item as Partial<SeenItem>).seen === true;
}

/** What one ingest did; inserted + updated + unchanged + stale = the number of items given. */
export interface IngestResult {
  /** Postings that were new jobs. */
  inserted: number;
  /** Postings of known jobs that changed them: an edit, or a new sighting (another feed or id). */
  updated: number;
  /** Postings seen before, as they were (seen items included). */
  unchanged: number;
  /**
   * Seen items whose stored sighting is gone or no longer has their raw hash (another process wrote
   * it since the poll read the hashes): not recorded. The poll must read the feed again in full.
   */
  stale: number;
  /** Outbox rows written: one per new job and channel, however many rules matched (duplicates are not counted). */
  alertsQueued: number;
  /** The new jobs, as stored, in insertion order. */
  newJobs: StoredJob[];
}

/** Per feed, the source ids one poll lists: postings live side by side, never merged into one job. */
export type LiveIds = ReadonlyMap<string, ReadonlySet<string>>;

/** The source ids of `postings` (seen items included), per feed. */
export function liveIds(postings: readonly Pick<Posting, 'feed' | 'sourceId'>[]): LiveIds {
  const live = new Map<string, Set<string>>();
  for (const p of postings) {
    let ids = live.get(p.feed);
    if (!ids) live.set(p.feed, (ids = new Set()));
    ids.add(p.sourceId);
  }
  return live;
}

/**
 * Everything jobalert persists: jobs and their sightings, feed state, the outbox. Every method
 * answers through a promise, so a database reached over a connection can stand behind it; each
 * one that writes is atomic on its own (one transaction), and nothing is atomic across two calls.
 */
export interface Store extends FeedStateStore {
  /** What the store is, for log lines and errors: the database file. */
  readonly location: string;
  /**
   * Stores postings in ONE transaction; for each posting that is a NEW job calls decide(job) and writes
   * its outbox rows in the same transaction. A poll stored in several calls (a big feed, in slices so
   * the event loop is not held for seconds) passes `live`: the source ids of the whole poll, per feed.
   * A seen item is recorded as refreshing an unchanged posting does (its sighting time only).
   */
  ingest(postings: readonly IngestItem[], decide: (job: StoredJob) => AlertIntent[], live?: LiveIds): Promise<IngestResult>;
  /** The raw hashes stored for a feed's sightings (hash -> source id), for its next read to skip. */
  knownItems(feed: string): Promise<Map<string, string>>;
  /**
   * Pending alerts whose next attempt is due and that no live claim holds, oldest first, with their
   * jobs (without descriptions); all of them when no limit. With `page`: one channel's never-claimed
   * alerts after the cursor.
   */
  dueAlerts(now: Date, limit?: number, page?: { channel: string; after?: OutboxCursor }): Promise<OutboxAlert[]>;
  /** Pending alerts held by a claim that has not lapsed yet (their owner may be dead). */
  claimedAlerts(now: Date): Promise<OutboxAlert[]>;
  /** Due pending alerts a claim left behind (lapsed, or held by one of `deadTokens`), oldest first. */
  leftBehindAlerts(now: Date, deadTokens: readonly string[]): Promise<OutboxAlert[]>;
  /** The distinct tokens of live claims on pending alerts. */
  claimTokens(now: Date): Promise<string[]>;
  /** Channels with due, never-claimed pending alerts (digest rows included). */
  dueChannels(now: Date): Promise<string[]>;
  /** A channel's due, never-claimed digest rows, newest job first, without their jobs. */
  dueDigestRows(now: Date, channel: string): Promise<DigestRow[]>;
  /** How many due, never-claimed pending alerts (digest rows aside) a channel has. */
  countDue(now: Date, channel: string): Promise<number>;
  /** Per rule, how many due, never-claimed pending alerts (digest rows aside) of a channel list it, most first. */
  dueRuleCounts(now: Date, channel: string): Promise<Array<{ rule: string; n: number }>>;
  /** A channel's due, never-claimed pending alerts (digest rows aside) listing a rule, oldest first, without their jobs. */
  dueOfRule(now: Date, channel: string, rule: string): Promise<AlertState[]>;
  /** Alerts by id, oldest first. */
  alertsById(ids: readonly number[]): Promise<OutboxAlert[]>;
  /** Reschedules a channel's due, never-claimed alerts (not attempted) to `until`; returns how many. */
  deferChannel(channel: string, now: Date, until: Date, error: string): Promise<number>;
  /** Quiet hours: holds a channel's pending alerts due before `until` until then (not an attempt); returns how many. */
  holdChannel(channel: string, now: Date, until: Date): Promise<number>;
  /** Pending alerts waiting for their time (a digest, the end of quiet hours), never attempted. */
  countHeld(now: Date): Promise<number>;
  /** Claims the given due rows that are free (or lapsed, or held by a dead owner named in takeOver); returns the ids claimed. */
  claimAlerts(claim: ClaimRequest): Promise<number[]>;
  /** Records the outcomes of one send in one transaction (each mark clears its claim). */
  recordOutcomes(marks: readonly OutboxMark[]): Promise<void>;
  /** The earliest time a pending alert may be sent (its next attempt, or when its claim lapses), null when none is pending. */
  nextAlertDueAt(): Promise<Date | null>;
  /** Marks alerts sent (attempts + 1); ids no longer pending are left alone. */
  markSent(ids: number[]): Promise<void>;
  /** A transient failure: attempts + 1, retried at nextAttemptAt. */
  markRetry(id: number, v: { error: string; nextAttemptAt: Date }): Promise<void>;
  /** A permanent failure: attempts + 1, status failed, never retried. */
  markFailed(id: number, error: string): Promise<void>;
  /** Outbox rows per status. */
  countAlerts(): Promise<{ pending: number; sent: number; failed: number }>;
  /** Puts failed alerts (of one channel, or all) back in the outbox to be sent again; returns how many. */
  requeueFailed(channel: string | null): Promise<number>;
  /** The job with this canonical URL, or with any sighting at this exact URL. */
  findJobByUrl(url: string): Promise<StoredJob | null>;
  /** Every job, ordered by first_seen, streamed; do not write through this store until it is done. */
  exportJobs(): AsyncIterable<StoredJob>;
  /** Per channel, how it is delivering (pending, held, retrying, failed, newest error), as of `now`. */
  channelStates(now: Date): Promise<ChannelDeliveryState[]>;
  /** Per channel, how many alerts were given up on. */
  failedByChannel(): Promise<Array<{ channel: string; failed: number }>>;
  /** Resolves when the database answers a query; rejects when it does not (/healthz). */
  ping(): Promise<void>;
  /**
   * How long a statement waits from now on for another connection's lock before failing: start-up
   * may wait long (nothing else runs yet), the daemon only briefly (its callers retry asynchronously).
   */
  setLockWait(ms: number): Promise<void>;
  /** Closes the database connection. */
  close(): Promise<void>;
}

/** The SQLite store, with its connection: for what needs SQLite itself (tests reaching into the file, checks). */
export interface SqliteStore extends Store {
  readonly db: Database.Database;
}

/** Builds the store on an open, migrated database; statements are prepared once, here. */
export function createStore(db: Database.Database, clock: Clock): SqliteStore {
  const jobs = createJobRepo(db);
  const feeds = createFeedStateRepo(db, clock);
  const outbox = createOutboxRepo(db, clock);
  const health = createHealthQueries(db);
  const ping = db.prepare('SELECT 1');
  const ingestTransaction = db.transaction(
    (postings: readonly IngestItem[], decide: (job: StoredJob) => AlertIntent[], given: LiveIds | undefined): IngestResult => {
      // One timestamp per poll: every posting of a batch was seen at the same moment.
      const now = clock.now().getTime();
      let updated = 0;
      let unchanged = 0;
      let stale = 0;
      const newJobIds: number[] = [];
      // Per feed, the source ids of this poll: what the feed lists side by side right now.
      const live = given ?? liveIds(postings);

      for (const posting of postings) {
        if (isSeenItem(posting)) {
          const row = jobs.findPosting(posting.feed, posting.sourceId);
          // Its raw hash still stored: the sighting says what this item would normalize to.
          if (row !== null && row.raw_hash === posting.rawHash) {
            jobs.touchSighting(row, now);
            unchanged++;
          } else stale++;
          continue;
        }
        const hash = contentHash(posting);
        const seen = jobs.findPosting(posting.feed, posting.sourceId);
        if (seen) {
          if (jobs.refreshPosting(seen, posting, hash, now) === 'updated') updated++;
          else unchanged++;
          continue;
        }
        // A cross-post or re-post (same URL; same company + title + compatible terms within 30
        // days; or same title + near-identical text): a sighting of a known job, never a new
        // alert. The job keeps what it says, except when its own source re-posted it later (the
        // old id gone from the feed): then, as for an edit, the newest word wins.
        const existing = jobs.findExistingJob(posting, now, live.get(posting.feed));
        if (existing !== null) {
          jobs.attachPosting(existing.id, posting, hash, now, { update: existing.repost });
          updated++;
          continue;
        }
        newJobIds.push(jobs.insertJob(posting, hash, now));
      }

      // decide() runs after the whole batch is stored, so a new job already lists the other
      // sightings of it that came in the same poll.
      const newJobs = jobs.readJobs(newJobIds);
      let alertsQueued = 0;
      for (const job of newJobs) alertsQueued += outbox.enqueue(job.id, decide(job), now);

      return { inserted: newJobIds.length, updated, unchanged, stale, alertsQueued, newJobs };
    },
  );

  // better-sqlite3 is synchronous: each method does its work (and its transaction) at once and
  // answers with a settled promise; a failure is a rejected one, never a throw.
  return {
    db,
    location: db.name,
    async ingest(postings, decide, live) {
      // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then
      // writes can fail with SQLITE_BUSY (no busy wait) when another connection wrote in between.
      return ingestTransaction.immediate(postings, decide, live);
    },
    knownItems: async (feed) => jobs.rawHashes(feed),
    getFeedState: async (name) => feeds.getFeedState(name),
    listFeedStates: async () => feeds.listFeedStates(),
    recordFeedSuccess: async (name, v) => feeds.recordFeedSuccess(name, v),
    recordFeedFailure: async (name, v) => feeds.recordFeedFailure(name, v),
    syncFeedIdentity: async (name, v) => feeds.syncFeedIdentity(name, v),
    acquireFeedLease: async (name, owner, leaseMs, takeOver) => feeds.acquireFeedLease(name, owner, leaseMs, takeOver),
    renewFeedLease: async (name, owner, leaseMs) => feeds.renewFeedLease(name, owner, leaseMs),
    releaseFeedLease: async (name, owner) => feeds.releaseFeedLease(name, owner),
    markFeedAlerted: async (name) => feeds.markFeedAlerted(name),
    clearFeedAlerted: async (name) => feeds.clearFeedAlerted(name),
    dueAlerts: async (now, limit, page) => outbox.dueAlerts(now, limit, page),
    claimedAlerts: async (now) => outbox.claimedAlerts(now),
    leftBehindAlerts: async (now, dead) => outbox.leftBehindAlerts(now, dead),
    claimTokens: async (now) => outbox.claimTokens(now),
    dueChannels: async (now) => outbox.dueChannels(now),
    dueDigestRows: async (now, channel) => outbox.dueDigestRows(now, channel),
    holdChannel: async (channel, now, until) => outbox.holdChannel(channel, now, until),
    countHeld: async (now) => outbox.countHeld(now),
    countDue: async (now, channel) => outbox.countDue(now, channel),
    dueRuleCounts: async (now, channel) => outbox.dueRuleCounts(now, channel),
    dueOfRule: async (now, channel, rule) => outbox.dueOfRule(now, channel, rule),
    alertsById: async (ids) => outbox.alertsById(ids),
    deferChannel: async (channel, now, until, error) => outbox.deferChannel(channel, now, until, error),
    claimAlerts: async (claim) => outbox.claimAlerts(claim),
    recordOutcomes: async (marks) => outbox.recordOutcomes(marks),
    nextAlertDueAt: async () => outbox.nextAlertDueAt(),
    markSent: async (ids) => outbox.markSent(ids),
    markRetry: async (id, v) => outbox.markRetry(id, v),
    markFailed: async (id, error) => outbox.markFailed(id, error),
    countAlerts: async () => outbox.countAlerts(),
    requeueFailed: async (channel) => outbox.requeueFailed(channel),
    findJobByUrl: async (url) => jobs.findJobByUrl(url),
    async *exportJobs() {
      yield* jobs.exportJobs();
    },
    channelStates: async (now) => health.channelStates(now),
    failedByChannel: async () => health.failedByChannel(),
    async ping() {
      ping.get();
    },
    async setLockWait(ms) {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(ms))}`);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
