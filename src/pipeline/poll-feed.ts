/**
 * One poll of one feed: read (the feed's source adapter: fetch + parse) -> normalize -> store + dedupe + outbox.
 * The only place that touches several modules for a feed (as Miniflux's RefreshFeed does).
 * It never throws for a feed problem: the failure is recorded on the feed and returned.
 */
import type { Logger } from 'pino';
import type { FeedConfig } from '../config/schema.js';
import type { Clock, Posting, StoredJob } from '../core/types.js';
import { FetchError, ParseError } from '../core/errors.js';
import type { Fetcher } from '../http/fetcher.js';
import { liveIds, type AlertIntent, type IngestResult, type Store } from '../store/store.js';
import type { Metrics } from '../ops/metrics.js';
import { feedBackoffMs } from './backoff.js';
import { inlineFeedReader, type FeedReader } from './feed-reader.js';

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
  /** Where the feed is read and normalized (the daemon: worker threads); default: this thread. */
  reader?: FeedReader;
  /** Resolves when this poll may store its postings (pollAll stores feeds in config order). */
  ingestTurn?: Promise<void>;
}

/** Postings stored per transaction are sized so that one takes about this long; the event loop runs in between. */
const INGEST_SLICE_MS = 40;

export type PollOutcome =
  | { feed: string; status: 'backoff'; nextCheckAt: Date }
  | { feed: string; status: 'aborted' }
  | { feed: string; status: 'ok'; inserted: number; updated: number; alertsQueued: number; skipped: number }
  | { feed: string; status: 'not_modified' }
  | { feed: string; status: 'error'; error: string; nextCheckAt: Date };

/** The time a failing feed may be polled again, or null when it is not backing off. */
export function backoffUntil(store: Store, feed: string, now: Date): Date | null {
  const next = store.getFeedState(feed)?.nextCheckAt ?? null;
  return next && next > now ? next : null;
}

/** Polls one feed once and records the outcome on the feed's state; never throws for feed errors. */
export async function pollFeed(feed: FeedConfig, deps: PollDeps): Promise<PollOutcome> {
  const { fetcher, store, clock, metrics } = deps;
  const log = deps.log.child({ feed: feed.name });
  const endTimer = metrics.pollDuration.startTimer({ feed: feed.name });
  const state = store.getFeedState(feed.name);
  try {
    const reader = deps.reader ?? inlineFeedReader;
    const ctx = {
      fetch: (req: Parameters<Fetcher['fetch']>[0]) => fetcher.fetch(deps.signal ? { ...req, signal: deps.signal } : req),
      log,
      now: clock.now(),
      etag: state?.etag ?? null,
      lastModified: state?.lastModified ?? null,
    };
    const read = await reader.read(feed, ctx, deps.signal);
    if (read.notModified) {
      store.recordFeedSuccess(feed.name, { etag: state?.etag ?? null, lastModified: state?.lastModified ?? null, nextCheckAt: null });
      metrics.polls.inc({ feed: feed.name, outcome: 'not_modified' });
      metrics.feedConsecutiveErrors.set({ feed: feed.name }, 0);
      log.debug('Feed not modified');
      return { feed: feed.name, status: 'not_modified' };
    }
    const { postings } = read;
    const skipped = read.skipped.length;
    for (const s of read.skipped) {
      if (s.sourceId !== undefined) log.warn({ sourceId: s.sourceId, reason: s.reason }, 'Feed item could not be normalized; skipped');
      else log.warn({ index: s.index, reason: s.reason }, 'Feed item skipped');
    }
    if (Object.keys(read.fieldsCut).length > 0) {
      log.warn({ fieldsCut: read.fieldsCut }, 'Oversized fields cut to their limits (see README "Oversized postings")');
    }
    await deps.ingestTurn;
    const result = await ingestInSlices(store, postings, deps.decide);
    store.recordFeedSuccess(feed.name, { etag: read.etag, lastModified: read.lastModified, nextCheckAt: null });
    metrics.polls.inc({ feed: feed.name, outcome: 'ok' });
    metrics.postingsNew.inc({ feed: feed.name }, result.inserted);
    if (skipped) metrics.postingsSkipped.inc({ feed: feed.name }, skipped);
    metrics.feedConsecutiveErrors.set({ feed: feed.name }, 0);
    log.info(
      { format: read.format, items: read.items, inserted: result.inserted, updated: result.updated, skipped, alertsQueued: result.alertsQueued },
      'Feed polled',
    );
    return { feed: feed.name, status: 'ok', inserted: result.inserted, updated: result.updated, alertsQueued: result.alertsQueued, skipped };
  } catch (err) {
    if (deps.signal?.aborted) {
      log.info('Poll cut short by shutdown; it will run again next time');
      return { feed: feed.name, status: 'aborted' };
    }
    if (!(err instanceof FetchError || err instanceof ParseError)) {
      // Not a feed problem we know: still contained to this feed, but logged with its stack.
      log.error({ err }, 'Unexpected error while polling feed');
    }
    const message = err instanceof Error ? err.message : String(err);
    const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : null;
    const errors = (state?.consecutiveErrors ?? 0) + 1;
    const nextCheckAt = new Date(clock.now().getTime() + feedBackoffMs(errors, retryAfterMs));
    const newState = store.recordFeedFailure(feed.name, { error: message, nextCheckAt });
    metrics.polls.inc({ feed: feed.name, outcome: 'error' });
    metrics.fetchErrors.inc({ feed: feed.name });
    metrics.feedConsecutiveErrors.set({ feed: feed.name }, newState.consecutiveErrors);
    log.warn(
      {
        error: message,
        ...(retryAfterMs !== null ? { retryAfterSeconds: Math.round(retryAfterMs / 1000) } : {}),
        consecutiveErrors: newState.consecutiveErrors,
        nextCheckAt: nextCheckAt.toISOString(),
      },
      'Feed poll failed; backing off',
    );
    return { feed: feed.name, status: 'error', error: message, nextCheckAt };
  } finally {
    endTimer();
  }
}

/**
 * Stores one poll's postings in transactions of about INGEST_SLICE_MS each, yielding to the event
 * loop in between (a 5,000-posting feed is seconds of dedupe and matching). Every slice is told the
 * source ids of the whole poll, so dedupe sees the feed as one listing; each new job and its alerts
 * are still written in one transaction. A crash between slices keeps the slices stored; the feed's
 * validators are saved only after the last one, so the next poll reads the feed again and stores the rest.
 */
async function ingestInSlices(store: Store, postings: Posting[], decide: PollDeps['decide']): Promise<IngestResult> {
  const live = liveIds(postings);
  const total: IngestResult = { inserted: 0, updated: 0, unchanged: 0, alertsQueued: 0, newJobs: [] };
  let size = 20;
  for (let at = 0; at < postings.length; ) {
    if (at > 0) await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    const r = store.ingest(postings.slice(at, at + size), decide, live);
    at += size;
    const took = performance.now() - started;
    // Grows at most twofold per slice: one fast slice (a warm cache) must not make the next one huge.
    size = Math.min(500, 2 * size, Math.max(10, Math.round((size * INGEST_SLICE_MS) / Math.max(took, 1))));
    total.inserted += r.inserted;
    total.updated += r.updated;
    total.unchanged += r.unchanged;
    total.alertsQueued += r.alertsQueued;
    total.newJobs.push(...r.newJobs);
  }
  return total;
}
