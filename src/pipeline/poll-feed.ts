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
import { resolveFeed } from '../sources/registry.js';
import { withFeedCompany } from '../sources/feed-company.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import type { AlertIntent, Store } from '../store/store.js';
import type { Metrics } from '../ops/metrics.js';
import { feedBackoffMs } from './backoff.js';
import { isUnwritableError, retryWhileLocked, type WriteGate } from './write-gate.js';

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
  /** Told when the database cannot be written (one error line per outage, shared with delivery; only delivery's own writes end it). */
  writeGate?: WriteGate;
}

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
    const { adapter, feed: resolved } = resolveFeed(feed);
    const read = await adapter.read(resolved, {
      fetch: (req) => fetcher.fetch(deps.signal ? { ...req, signal: deps.signal } : req),
      log,
      now: clock.now(),
      etag: state?.etag ?? null,
      lastModified: state?.lastModified ?? null,
    });
    if (read.notModified) {
      await retryWhileLocked(() => store.recordFeedSuccess(feed.name, { etag: state?.etag ?? null, lastModified: state?.lastModified ?? null, nextCheckAt: null }));
      metrics.polls.inc({ feed: feed.name, outcome: 'not_modified' });
      metrics.feedConsecutiveErrors.set({ feed: feed.name }, 0);
      log.debug('Feed not modified');
      return { feed: feed.name, status: 'not_modified' };
    }
    const postings: Posting[] = [];
    let skipped = read.skipped.length;
    for (const s of read.skipped) log.warn({ index: s.index, reason: s.reason }, 'Feed item skipped');
    for (const raw of withFeedCompany(read.postings, adapter, resolved)) {
      try {
        postings.push(normalizePosting(raw, feed.name));
      } catch (err) {
        skipped += 1;
        log.warn({ err, sourceId: raw.sourceId }, 'Feed item could not be normalized; skipped');
      }
    }
    // The validators are stored only after the postings: a poll whose postings could not be
    // stored (database locked or full) fetches them again next time.
    const result = await retryWhileLocked(() => store.ingest(postings, deps.decide));
    await retryWhileLocked(() => store.recordFeedSuccess(feed.name, { etag: read.etag, lastModified: read.lastModified, nextCheckAt: null }));
    metrics.polls.inc({ feed: feed.name, outcome: 'ok' });
    metrics.postingsNew.inc({ feed: feed.name }, result.inserted);
    if (skipped) metrics.postingsSkipped.inc({ feed: feed.name }, skipped);
    metrics.feedConsecutiveErrors.set({ feed: feed.name }, 0);
    log.info(
      { format: read.format, items: read.postings.length, inserted: result.inserted, updated: result.updated, skipped, alertsQueued: result.alertsQueued },
      'Feed polled',
    );
    return { feed: feed.name, status: 'ok', inserted: result.inserted, updated: result.updated, alertsQueued: result.alertsQueued, skipped };
  } catch (err) {
    if (deps.signal?.aborted) {
      log.info('Poll cut short by shutdown; it will run again next time');
      return { feed: feed.name, status: 'aborted' };
    }
    if (isUnwritableError(err)) {
      // Not the feed's fault, and nothing can be recorded anyway: no error streak, no backoff;
      // the next scheduled poll fetches the same postings again (validators were not stored).
      deps.writeGate?.failed(err);
      metrics.polls.inc({ feed: feed.name, outcome: 'error' });
      log.warn({ code: err.code }, 'Feed poll not stored: the database cannot be written; it is fetched again next poll');
      return { feed: feed.name, status: 'error', error: `database cannot be written (${err.code})`, nextCheckAt: clock.now() };
    }
    if (!(err instanceof FetchError || err instanceof ParseError)) {
      // Not a feed problem we know: still contained to this feed, but logged with its stack.
      log.error({ err }, 'Unexpected error while polling feed');
    }
    const message = err instanceof Error ? err.message : String(err);
    const retryAfterMs = err instanceof FetchError ? err.retryAfterMs : null;
    const errors = (state?.consecutiveErrors ?? 0) + 1;
    const nextCheckAt = new Date(clock.now().getTime() + feedBackoffMs(errors, retryAfterMs));
    let consecutiveErrors = errors;
    try {
      consecutiveErrors = (await retryWhileLocked(() => store.recordFeedFailure(feed.name, { error: message, nextCheckAt }))).consecutiveErrors;
    } catch (writeErr) {
      // The failure is logged below all the same; the streak is only not remembered.
      if (!isUnwritableError(writeErr)) throw writeErr;
      deps.writeGate?.failed(writeErr);
    }
    metrics.polls.inc({ feed: feed.name, outcome: 'error' });
    metrics.fetchErrors.inc({ feed: feed.name });
    metrics.feedConsecutiveErrors.set({ feed: feed.name }, consecutiveErrors);
    log.warn(
      {
        error: message,
        ...(retryAfterMs !== null ? { retryAfterSeconds: Math.round(retryAfterMs / 1000) } : {}),
        consecutiveErrors,
        nextCheckAt: nextCheckAt.toISOString(),
      },
      'Feed poll failed; backing off',
    );
    return { feed: feed.name, status: 'error', error: message, nextCheckAt };
  } finally {
    endTimer();
  }
}
