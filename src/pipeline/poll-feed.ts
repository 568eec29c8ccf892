/**
 * One poll of one feed: read (the feed's source adapter: fetch + parse) -> normalize -> store + dedupe + outbox.
 * The only place that touches several modules for a feed (as Miniflux's RefreshFeed does).
 * It never throws for a feed problem: the failure is recorded on the feed and returned.
 */
import { redactUrlsIn } from '../core/redact.js';
import type { Logger } from 'pino';
import type { FeedConfig } from '../config/schema.js';
import type { Clock, StoredJob } from '../core/types.js';
import { FetchError, ParseError } from '../core/errors.js';
import type { Fetcher } from '../http/fetcher.js';
import type { AlertIntent, Backlog, FeedState, IngestItem, IngestResult, LiveIds, Store } from '../store/store.js';
import type { Metrics } from '../ops/metrics.js';
import { describeBacklog } from '../ops/health-report.js';
import { feedBackoffMs, MAX_FEED_BACKOFF_MS } from './backoff.js';
import { inlineFeedReader, type FeedReader, type ReadSlot } from './feed-reader.js';
import type { PostingSink } from './read-feed.js';
import type { HeapBudget } from './heap-budget.js';
import { isUnwritableError, retryWhileLocked, type WriteGate } from './write-gate.js';
import { isPgServerError } from '../store/pg/pg-errors.js';

export interface PollDeps {
  fetcher: Fetcher;
  store: Store;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Decides which alerts a NEW job gets (rule matching); called inside the store transaction. */
  decide: (job: StoredJob) => AlertIntent[];
  /** Aborted at shutdown: requests in flight are cut and the poll is not counted as a failure. */
  signal?: AbortSignal;
  /**
   * Take the feed's lease before fetching (one process polls a feed at a time); `ttlMs` bounds how
   * long a dead process holds it, and a holder `isGone` says is dead (claim-owner.ts) is taken
   * over at once rather than waited out.
   */
  lease?: { owner: string; ttlMs: number; isGone?: (holder: string) => boolean };
  /** Told when the database cannot be written (one error line per outage, shared with delivery; only delivery's own writes end it). */
  writeGate?: WriteGate;
  /** Where the feed is read and normalized (the daemon: worker threads); default: this thread. */
  reader?: FeedReader;
  /** Resolves when this poll may store its postings (pollAll stores feeds in config order). */
  ingestTurn?: Promise<void>;
  /** Postings read ahead of their turn to be stored, bounded across the polls of one pollAll (see ReadAhead). */
  readAhead?: ReadAhead;
  /** This thread's heap budget (heap-budget.ts), told after each batch stored. */
  heapBudget?: HeapBudget;
  /** The config's max_age: a first poll says how many of its new jobs were too old to alert. 0 or absent: no limit. */
  maxAgeMs?: number;
  /**
   * Skip work done before (default true): a 200 repeating the last stored poll's bodies is taken
   * as a 304, and items whose raw hash is stored are not read again. False reads everything in
   * full, as the tests' reference for "the same alerts with and without skipping".
   */
  skipUnchanged?: boolean;
}

/** Postings stored per transaction are sized so that one takes about this long; the event loop runs in between. */
const INGEST_SLICE_MS = 40;

export type PollOutcome =
  | { feed: string; status: 'held'; holdUntil: Date }
  | { feed: string; status: 'leased'; leasedBy: string; leaseUntil: Date }
  | { feed: string; status: 'aborted' }
  | { feed: string; status: 'ok'; inserted: number; updated: number; alertsQueued: number; skipped: number }
  | { feed: string; status: 'not_modified' }
  | { feed: string; status: 'error'; error: string; nextCheckAt: Date; consecutiveErrors: number; failingSince: Date | null };

/**
 * Why a feed may not be polled now, or null. A scheduled tick of a running daemon waits out both
 * jobalert's own backoff and the server's Retry-After; a poll at start-up or under `--once` only
 * the server's: the backoff spaces the ticks of one daemon, it must never outlive it (a restart
 * after fixing a feed, or a cron `run --once`, polls at once).
 */
export async function pollBlockedUntil(
  store: Store,
  feed: string,
  now: Date,
  when: 'scheduled' | 'start',
): Promise<{ until: Date; reason: 'retry-after' | 'backoff' } | null> {
  const state = await store.getFeedState(feed);
  if (!state) return null;
  if (state.holdUntil && state.holdUntil > now) return { until: state.holdUntil, reason: 'retry-after' };
  if (when === 'scheduled' && state.nextCheckAt && state.nextCheckAt > now) return { until: state.nextCheckAt, reason: 'backoff' };
  return null;
}

/** True for errors raised by the database itself (SQLite, or a PostgreSQL server): a database problem, never the feed's fault. */
export function isStoreFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return (typeof code === 'string' && code.startsWith('SQLITE_')) || isPgServerError(err);
}

/**
 * Polls one feed once and records the outcome on the feed's state; never throws for feed
 * errors. A database error is thrown as it is (it is not the feed's fault, and recording it
 * against the feed would only fail again). With `deps.lease`, a feed another process is
 * polling is skipped.
 *
 * The lease is taken only once the poll can start (read-ahead room and a reader slot held), then
 * the feed's state is read: a feed waiting for its turn is left to other processes, and a poll
 * starts from what the last poll, this process's or another's, stored. While the poll runs the
 * lease is renewed, so that a poll longer than the lease is never joined by a second poller.
 */
export async function pollFeed(feed: FeedConfig, deps: PollDeps): Promise<PollOutcome> {
  const { store } = deps;
  const log = deps.log.child({ feed: feed.name });
  const ingest = streamingIngest(feed.name, store, deps.decide, deps.ingestTurn, deps.readAhead, deps.heapBudget);
  let slot: ReadSlot | undefined;
  try {
    await ingest.admitted();
    slot = await (deps.reader ?? inlineFeedReader).reserve();
    if (!deps.lease) return await pollLeased(feed, deps, log, ingest, slot);
    const lease = deps.lease;
    let taken: Awaited<ReturnType<Store['acquireFeedLease']>>;
    try {
      taken = await retryWhileLocked(() => store.acquireFeedLease(feed.name, lease.owner, lease.ttlMs));
      if (!taken.ok && lease.isGone?.(taken.leasedBy)) {
        // Killed mid-poll: its lease would keep the feed unpolled until it lapses, for nothing.
        const gone = taken.leasedBy;
        taken = await retryWhileLocked(() => store.acquireFeedLease(feed.name, lease.owner, lease.ttlMs, gone));
        if (taken.ok) log.info({ leasedBy: gone }, 'Feed lease of a process that is gone taken over');
      }
    } catch (err) {
      if (!isUnwritableError(err)) throw err;
      return notStored(feed, deps, log, err);
    }
    if (!taken.ok) {
      log.info({ leasedBy: taken.leasedBy, leaseUntil: taken.leaseUntil.toISOString() }, 'Feed is being polled by another process; skipped');
      return { feed: feed.name, status: 'leased', leasedBy: taken.leasedBy, leaseUntil: taken.leaseUntil };
    }
    const renewal = keepLease(store, feed.name, lease, log);
    try {
      return await pollLeased(feed, deps, log, ingest, slot);
    } finally {
      await renewal.stop();
      try {
        await retryWhileLocked(() => store.releaseFeedLease(feed.name, lease.owner));
      } catch (err) {
        // The lease expires by itself; a database that cannot be written is reported elsewhere.
        log.warn({ err }, 'Could not release the feed lease; it expires by itself');
      }
    }
  } finally {
    slot?.release();
    ingest.close();
  }
}

/**
 * Renews a poll's lease every third of its time while the poll runs: a poll that outlasts the
 * lease (a slow server within fetch.timeout, a big feed stored slowly on a loaded machine) keeps
 * its feed; a killed process renews nothing, so its lease still lapses. A renewal that finds the
 * lease gone (taken over as a dead process's) stops renewing and says so.
 */
function keepLease(store: Store, feed: string, lease: NonNullable<PollDeps['lease']>, log: Logger): { stop(): Promise<void> } {
  let inFlight: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = store
      .renewFeedLease(feed, lease.owner, lease.ttlMs)
      .then(
        (held) => {
          if (held) return;
          clearInterval(timer);
          log.warn('Feed lease lost during its poll (taken over by another process); the poll goes on');
        },
        // Locked or unwritable for a moment: the next renewal tries again, well within the lease.
        (err: unknown) => log.debug({ err }, 'Feed lease not renewed this time'),
      )
      .finally(() => (inFlight = null));
  }, Math.max(1, Math.floor(lease.ttlMs / 3)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/**
 * A poll the database could not take (locked past the retries, full, read-only): not the feed's
 * fault, and nothing can be recorded anyway, so no error streak and no backoff; the next poll
 * fetches the same postings again (validators are stored only with the postings).
 */
function notStored(feed: FeedConfig, deps: PollDeps, log: Logger, err: Error & { code: string }, state: FeedState | null = null): PollOutcome {
  deps.writeGate?.failed(err);
  deps.metrics.polls.inc({ feed: feed.name, outcome: 'error' });
  log.warn({ code: err.code }, 'Feed poll not stored: the database cannot be written; it is fetched again next poll');
  return {
    feed: feed.name,
    status: 'error',
    error: `database cannot be written (${err.code})`,
    nextCheckAt: deps.clock.now(),
    consecutiveErrors: state?.consecutiveErrors ?? 0,
    failingSince: state?.failingSince ?? null,
  };
}

/** The poll proper, once it may start (its lease held when it has one); reads through `slot`. */
async function pollLeased(feed: FeedConfig, deps: PollDeps, log: Logger, ingest: StreamingIngest, slot: ReadSlot): Promise<PollOutcome> {
  const { fetcher, store, clock, metrics } = deps;
  const endTimer = metrics.pollDuration.startTimer({ feed: feed.name });
  let state: FeedState | null = null;
  try {
    state = await store.getFeedState(feed.name);
    const ctx = {
      fetch: (req: Parameters<Fetcher['fetch']>[0]) => fetcher.fetch(deps.signal ? { ...req, signal: deps.signal } : req),
      log,
      now: clock.now(),
      etag: state?.etag ?? null,
      lastModified: state?.lastModified ?? null,
    };
    // One query per poll: the hashes of every sighting the feed has, for the reader to skip.
    const skip = deps.skipUnchanged === false ? { stream: false } : { knownItems: await store.knownItems(feed.name), bodyHash: state?.bodyHash ?? null };
    const read = await slot.read(feed, ctx, deps.signal, skip, ingest.sink);
    if (read.notModified) {
      // A 200 that repeats the last stored poll is a 304 in all but name: nothing stored but the
      // success, and the validators it came with (as any 200's).
      const validators = read.sameBody ?? { etag: state?.etag ?? null, lastModified: state?.lastModified ?? null };
      await retryWhileLocked(() => store.recordFeedSuccess(feed.name, { ...validators, nextCheckAt: null }));
      metrics.polls.inc({ feed: feed.name, outcome: 'not_modified' });
      log.debug(read.sameBody ? 'Feed unchanged (the same body as last poll)' : 'Feed not modified');
      return { feed: feed.name, status: 'not_modified' };
    }
    const skipped = read.skipped.length;
    for (const s of read.skipped) {
      if (s.sourceId !== undefined) log.warn({ sourceId: s.sourceId, reason: s.reason }, 'Feed item could not be normalized; skipped');
      else log.warn({ index: s.index, reason: s.reason }, 'Feed item skipped');
    }
    if (Object.keys(read.fieldsCut).length > 0) {
      log.warn({ fieldsCut: read.fieldsCut }, 'Oversized fields cut to their limits (see README "Oversized postings")');
    }
    const result = await ingest.finish();
    const backlog = state?.firstPollAt ? undefined : backlogOf(read.postings, result, deps.maxAgeMs ?? 0, clock.now());
    if (result.stale > 0) {
      // Items skipped as known whose sightings changed meanwhile (another process): not stored, so
      // the next poll reads the feed in full (no validators, no body hash) and stores them.
      log.warn({ stale: result.stale }, 'Feed items changed in the database while this poll read them; the feed is read in full next poll');
      await retryWhileLocked(() => store.recordFeedSuccess(feed.name, { etag: null, lastModified: null, nextCheckAt: null, bodyHash: null, ...(backlog ? { backlog } : {}) }));
    } else {
      // The validators (and the body hash) are stored only after the postings: a poll whose
      // postings could not be stored (database locked or full) fetches them again next time.
      await retryWhileLocked(() =>
        store.recordFeedSuccess(feed.name, { etag: read.etag, lastModified: read.lastModified, nextCheckAt: null, bodyHash: read.bodyHash, ...(backlog ? { backlog } : {}) }),
      );
    }
    metrics.polls.inc({ feed: feed.name, outcome: 'ok' });
    metrics.postingsNew.inc({ feed: feed.name }, result.inserted);
    if (skipped) metrics.postingsSkipped.inc({ feed: feed.name }, skipped);
    log.info(
      { format: read.format, items: read.items, inserted: result.inserted, updated: result.updated, seen: read.seen, skipped, alertsQueued: result.alertsQueued },
      'Feed polled',
    );
    if (backlog) log.info({ backlog }, backlogMessage(feed.name, backlog, deps.maxAgeMs ?? 0));
    return { feed: feed.name, status: 'ok', inserted: result.inserted, updated: result.updated, alertsQueued: result.alertsQueued, skipped };
  } catch (err) {
    if (isUnwritableError(err)) return notStored(feed, deps, log, err, state);
    // Any other SQLite error (a damaged file, a newer schema) is not the feed's fault: the caller stops.
    if (isStoreFailure(err)) throw err;
    if (deps.signal?.aborted) {
      log.info('Poll cut short by shutdown; it will run again next time');
      return { feed: feed.name, status: 'aborted' };
    }
    if (!(err instanceof FetchError || err instanceof ParseError)) {
      // Not a feed problem we know: still contained to this feed, but logged with its stack.
      log.error({ err }, 'Unexpected error while polling feed');
    }
    // Stored in last_error and shown by check and /status: a URL's credentials must not reach them.
    const message = redactUrlsIn(err instanceof Error ? err.message : String(err));
    const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : null;
    const errors = (state?.consecutiveErrors ?? 0) + 1;
    const now = clock.now().getTime();
    const nextCheckAt = new Date(now + feedBackoffMs(errors, retryAfterMs));
    const holdUntil = retryAfterMs !== null ? new Date(now + Math.min(retryAfterMs, MAX_FEED_BACKOFF_MS)) : null;
    let consecutiveErrors = errors;
    let failingSince: Date | null = state?.failingSince ?? new Date(now);
    try {
      const newState = await retryWhileLocked(() => store.recordFeedFailure(feed.name, { error: message, nextCheckAt, holdUntil }));
      consecutiveErrors = newState.consecutiveErrors;
      failingSince = newState.failingSince;
    } catch (writeErr) {
      // The failure is logged below all the same; the streak is only not remembered.
      if (!isUnwritableError(writeErr)) throw writeErr;
      deps.writeGate?.failed(writeErr);
    }
    metrics.polls.inc({ feed: feed.name, outcome: 'error' });
    metrics.fetchErrors.inc({ feed: feed.name });
    log.warn(
      {
        error: message,
        ...(retryAfterMs !== null ? { retryAfterSeconds: Math.round(retryAfterMs / 1000) } : {}),
        consecutiveErrors,
        nextCheckAt: nextCheckAt.toISOString(),
      },
      'Feed poll failed; backing off',
    );
    return { feed: feed.name, status: 'error', error: message, nextCheckAt, consecutiveErrors, failingSince };
  } finally {
    endTimer();
  }
}

/**
 * Postings a poll read before its turn to store them (pollAll stores feeds in config order) wait in
 * memory. A poll that is not next waits before it starts reading while `feeds` polls are admitted
 * and not yet stored, or `postings` are held; the poll whose turn it is never waits, so the one
 * that can free the room always goes on. (A poll admitted reads its feed whole: one big feed can
 * go past `postings` once.)
 */
export interface ReadAhead {
  /** Resolves when a poll may start reading (room is left, or `turn`, its turn to store, came); `done` when it is stored or failed. */
  admit(turn: Promise<void>): Promise<{ done(): void }>;
  hold(postings: number): void;
  release(postings: number): void;
}

/** A ReadAhead admitting at most `feeds` polls at a time beyond the one storing, holding about `postings`. */
export function createReadAhead(limits: { feeds: number; postings: number }): ReadAhead {
  let held = 0;
  let admitted = 0;
  let wake: Array<() => void> = [];
  const changed = () => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };
  return {
    async admit(turn) {
      let turnCame = false;
      let wakeMe: (() => void) | undefined;
      // One reaction on `turn` for the whole wait: a Promise.race with it at every wake-up would
      // add one each time, and a late feed's turn stays pending through thousands of them (a
      // 500-feed run held 200k of them, 40 MB).
      void turn.then(() => {
        turnCame = true;
        wakeMe?.();
      });
      // A turn already come is seen before the first check (its callback runs first).
      await Promise.resolve();
      while (!turnCame && (admitted >= limits.feeds || held >= limits.postings)) {
        await new Promise<void>((resolve) => {
          wakeMe = resolve;
          wake.push(resolve);
        });
      }
      wakeMe = undefined;
      admitted++;
      let once = false;
      return {
        done() {
          if (once) return;
          once = true;
          admitted--;
          changed();
        },
      };
    },
    hold(postings) {
      held += postings;
    },
    release(postings) {
      held -= postings;
      if (postings > 0) changed();
    },
  };
}

/** A poll's ingest results, added up over its slices; of its new jobs only their dates (a first poll's backlog). */
type IngestTotals = Omit<IngestResult, 'newJobs'> & { alertedJobs: number; newJobDates: Array<Date | null> };

const noTotals = (): IngestTotals => ({ inserted: 0, updated: 0, unchanged: 0, stale: 0, alertsQueued: 0, alertedJobs: 0, newJobDates: [] });

/**
 * Stores a poll's postings as its reader hands them on: at once when it is the poll's turn (a big
 * feed is stored a batch at a time while the next is read), else held until the turn comes.
 * Every batch is stored with the source ids of the whole poll (PostingSink.begin), so dedupe sees
 * the feed as one listing. A crash or failed read after some batches keeps those stored; the
 * feed's validators are saved only after the last one, so the next poll reads the feed again.
 */
type StreamingIngest = ReturnType<typeof streamingIngest>;

function streamingIngest(
  feed: string,
  store: Store,
  decide: PollDeps['decide'],
  turn: Promise<void> | undefined,
  readAhead: ReadAhead | undefined,
  heapBudget: HeapBudget | undefined,
) {
  let myTurn = turn === undefined;
  void turn?.then(() => (myTurn = true));
  let live: LiveIds = new Map();
  const held: IngestItem[][] = [];
  let heldCount = 0;
  const total = noTotals();
  const storeNow = async (items: IngestItem[]) => {
    add(total, await ingestInSlices(store, items, decide, live));
    heapBudget?.afterBatch();
  };
  const sink: PostingSink = {
    begin(sourceIds) {
      live = new Map([[feed, new Set(sourceIds)]]);
    },
    async take(items) {
      if (!myTurn) {
        held.push(items);
        heldCount += items.length;
        readAhead?.hold(items.length);
        return;
      }
      await storeHeld();
      await storeNow(items);
    },
  };
  const storeHeld = async () => {
    while (held.length > 0) {
      const items = held.shift()!;
      heldCount -= items.length;
      readAhead?.release(items.length);
      await storeNow(items);
    }
  };
  let ticket: { done(): void } | undefined;
  return {
    sink,
    /** Resolves when the poll may start reading (ReadAhead). */
    async admitted(): Promise<void> {
      if (turn && readAhead) ticket = await readAhead.admit(turn);
    },
    /** Waits for the turn and stores what is held; the totals of the whole poll. */
    async finish(): Promise<IngestTotals> {
      await turn;
      myTurn = true;
      await storeHeld();
      return total;
    },
    /** The poll is over, stored or not: what it held and its place no longer count against the read-ahead. */
    close() {
      held.length = 0;
      readAhead?.release(heldCount);
      heldCount = 0;
      ticket?.done();
    },
  };
}

function add(total: IngestTotals, r: IngestTotals): void {
  total.inserted += r.inserted;
  total.updated += r.updated;
  total.unchanged += r.unchanged;
  total.stale += r.stale;
  total.alertsQueued += r.alertsQueued;
  total.alertedJobs += r.alertedJobs;
  for (const date of r.newJobDates) total.newJobDates.push(date);
}

/**
 * Stores postings in transactions of about INGEST_SLICE_MS each, yielding to the event loop in
 * between (a 5,000-posting feed is seconds of dedupe and matching); each new job and its alerts
 * are written in one transaction.
 */
async function ingestInSlices(store: Store, postings: IngestItem[], decide: PollDeps['decide'], live: LiveIds): Promise<IngestTotals> {
  const total = noTotals();
  let size = 20;
  for (let at = 0; at < postings.length; ) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const slice = postings.slice(at, at + size);
    let alerted = 0;
    const r = await retryWhileLocked(() => {
      // Counted again on a retry: a transaction that failed stored nothing.
      alerted = 0;
      return store.ingest(slice, (job) => {
        const intents = decide(job);
        if (intents.length > 0) alerted++;
        return intents;
      }, live);
    });
    at += size;
    const took = performance.now() - started;
    // Grows at most twofold per slice: one fast slice (a warm cache) must not make the next one huge.
    size = Math.min(500, 2 * size, Math.max(10, Math.round((size * INGEST_SLICE_MS) / Math.max(took, 1))));
    // Of the new jobs only their dates are kept (a first poll's backlog), not the jobs themselves.
    add(total, { ...r, alertedJobs: alerted, newJobDates: r.newJobs.map((job) => job.published) });
  }
  return total;
}

/** What a first poll took in: its postings, new jobs, those alerted, and those too old to be. */
function backlogOf(postings: number, result: IngestTotals, maxAgeMs: number, now: Date): Backlog {
  const oldest = now.getTime() - maxAgeMs;
  const old = maxAgeMs > 0 ? result.newJobDates.filter((d) => d !== null && d.getTime() < oldest).length : 0;
  return { postings, newJobs: result.inserted, alerted: result.alertedJobs, old };
}

/** "First poll of feed X: 4,812 postings taken in, 37 alerted (older than max_age: 4,700 not alerted)". */
function backlogMessage(feed: string, b: Backlog, maxAgeMs: number): string {
  return `First poll of feed ${feed}: ${describeBacklog(b, maxAgeMs)}`;
}
