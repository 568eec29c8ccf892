/**
 * The daemon loop: one cron task per feed, delivery after each round of polls, retries on
 * time, graceful shutdown.
 *
 * A feed is never polled twice at once (an in-flight set, on top of node-cron's noOverlap),
 * each poll starts after a little random jitter so feeds sharing a schedule do not hit their
 * hosts in the same second, and a feed that is backing off (see backoff.ts) skips its ticks
 * until its next check is due. The poll at start-up ignores that backoff (only a server's
 * Retry-After holds it back): a restart, often made to fix a feed, polls every feed at once.
 *
 * Delivery waits for the round: when a poll ends while other polls are still running, the
 * dispatch waits for the last of them (at most ROUND_WAIT_MS, so a hung feed cannot hold
 * alerts back), so feeds polled together give ONE email per channel, not one per feed.
 * Dispatches never overlap; after each one a timer is set for the next pending alert: a retry, a
 * digest's time or the end of a channel's quiet hours (all are an outbox row's next_attempt_at),
 * so the daemon wakes when one is due. A digest whose time passed while the daemon was down is
 * due at start-up and goes out then, once.
 */
import cron, { type ScheduledTask } from 'node-cron';
import { MAX_TIMER_MS, type FeedConfig } from '../config/schema.js';
import { digestSchedules, nextDigestAt } from './hold-times.js';
import type { App } from '../app.js';
import { DatabaseError } from '../core/errors.js';
import { pollBlockedUntil } from './poll-feed.js';
import { effectiveSchedule } from '../sources/registry.js';

/** Longest a finished poll's alerts wait for the other polls of its round. */
const ROUND_WAIT_MS = 60_000;
/** How long shutdown lets polls in flight finish before cutting their requests. */
const SHUTDOWN_GRACE_MS = 5_000;
/** A retry timer never fires sooner than this after the previous dispatch (no busy loop on held channels). */
const MIN_RETRY_DELAY_MS = 1_000;

export interface DaemonOptions {
  /** Upper bound of the random delay before each poll; default a tenth of the feed's schedule period, at most 30 s. */
  maxJitterMs?: number;
  /** Safety net: how often pending retries are looked at besides their own timer; default 15 s. */
  retryIntervalMs?: number;
  random?: () => number;
  /** Called once when a poll meets a database error the daemon cannot go on with (a damaged file); the caller stops the daemon. */
  onFatal?: (err: DatabaseError) => void;
}

export interface Daemon {
  /** True between start and stop: what /healthz reports with the database check. */
  isRunning(): boolean;
  /** Stops scheduling, lets polls in flight finish (cut after a grace period), flushes due alerts. Idempotent. */
  stop(): Promise<void>;
}

/** Starts polling every enabled feed on its schedule (and once right away). */
export function startDaemon(app: App, opts: DaemonOptions = {}): Daemon {
  const { config, log, clock, store } = app;
  const random = opts.random ?? Math.random;
  const inFlight = new Map<string, Promise<void>>();
  const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const tasks: ScheduledTask[] = [];
  let running = true;
  let dispatching: Promise<void> | null = null;
  let dispatchAgain = false;
  let roundTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  const cronLogger = {
    info: (m: string) => log.debug({ source: 'node-cron' }, m),
    warn: (m: string) => log.warn({ source: 'node-cron' }, m),
    error: (m: string | Error) => log.error({ source: 'node-cron', err: m }, 'Scheduler error'),
    debug: (m: string | Error) => log.debug({ source: 'node-cron' }, String(m)),
  };

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          sleeps.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      sleeps.add(entry);
    });
  }

  function kickDispatch(): Promise<void> {
    if (roundTimer) {
      clearTimeout(roundTimer);
      roundTimer = null;
    }
    if (dispatching) {
      dispatchAgain = true;
      return dispatching;
    }
    dispatching = (async () => {
      do {
        dispatchAgain = false;
        try {
          const r = await app.dispatch();
          if (r.sent || r.retrying || r.failed) log.info(r, 'Dispatch finished');
        } catch (err) {
          log.error({ err }, 'Dispatch failed');
        }
      } while (dispatchAgain);
    })().finally(() => {
      dispatching = null;
      void armRetryTimer();
    });
    return dispatching;
  }

  /**
   * Sets one timer for the earliest pending retry, so a Retry-After of 5 s means about 5 s. The
   * latest call wins: one that finishes reading after a newer call started (or after stop) sets nothing.
   */
  let arming = 0;
  async function armRetryTimer(): Promise<void> {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    if (!running) return;
    const mine = ++arming;
    let pending: Date | null;
    try {
      pending = await store.nextAlertDueAt();
    } catch (err) {
      // The safety net (retryIntervalMs) tries again; a database that cannot be read is reported by the polls.
      log.error({ err }, 'Could not read when the next alert is due');
      return;
    }
    if (mine !== arming || !running) return;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    // While the database cannot be written, delivery waits for the write gate's next try.
    const paused = app.deliveryPausedUntil();
    const due = paused && (!pending || paused < pending) ? paused : pending;
    if (!due) return;
    // A monthly digest is further off than a timer can wait (a longer setTimeout fires at once): wake, re-arm.
    const delay = Math.min(MAX_TIMER_MS, Math.max(MIN_RETRY_DELAY_MS, due.getTime() - clock.now().getTime()));
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void kickDispatch();
    }, delay);
  }

  /** A poll ended: deliver now if it was the last of its round, else when the round ends. */
  function pollFinished(): void {
    if (!running) return;
    if (inFlight.size === 0) {
      void kickDispatch();
      return;
    }
    roundTimer ??= setTimeout(() => {
      roundTimer = null;
      void kickDispatch();
    }, ROUND_WAIT_MS);
  }

  let fatal = false;
  function pollCrashed(err: unknown, feed: string): void {
    log.error({ err, feed }, 'Poll crashed');
    if (err instanceof DatabaseError && (err.kind === 'damaged' || err.kind === 'not-a-database') && !fatal) {
      fatal = true;
      log.fatal({ database: err.file }, err.message);
      opts.onFatal?.(err);
    }
  }

  function trigger(feed: FeedConfig, maxJitterMs: number, when: 'scheduled' | 'start'): void {
    if (!running) return;
    if (inFlight.has(feed.name)) {
      log.debug({ feed: feed.name }, 'Poll still running; tick skipped');
      return;
    }
    // The feed's slot is taken before the backoff is read (an await): a second tick arriving
    // meanwhile is skipped, never a second poll of the same feed.
    const run = (async (): Promise<boolean> => {
      let blocked: Awaited<ReturnType<typeof pollBlockedUntil>>;
      try {
        blocked = await pollBlockedUntil(store, feed.name, clock.now(), when);
      } catch (err) {
        pollCrashed(err, feed.name);
        return false;
      }
      if (blocked) {
        log.debug({ feed: feed.name, until: blocked.until.toISOString(), reason: blocked.reason }, 'Feed backing off; tick skipped');
        return false;
      }
      try {
        if (maxJitterMs > 0) await sleep(Math.floor(random() * maxJitterMs));
        if (!running) return true;
        await app.pollFeed(feed);
      } catch (err) {
        pollCrashed(err, feed.name);
      }
      return true;
    })().then((polled) => {
      inFlight.delete(feed.name);
      if (polled) pollFinished();
      // A tick skipped was no poll, but it may have been what the round waited for.
      else if (running && roundTimer && inFlight.size === 0) void kickDispatch();
    });
    inFlight.set(feed.name, run);
  }

  const feeds = config.feeds.filter((f) => f.enabled);
  const jitters = new Map<string, number>();
  for (const feed of feeds) {
    const task = cron.schedule(effectiveSchedule(feed, config.schedule), () => trigger(feed, jitters.get(feed.name)!, 'scheduled'), {
      name: `feed:${feed.name}`,
      timezone: config.timezone,
      noOverlap: true,
      logger: cronLogger,
    });
    tasks.push(task);
    jitters.set(feed.name, opts.maxJitterMs ?? defaultJitter(task));
  }
  // Poll at startup rather than waiting up to a whole schedule period for the first results;
  // a second of jitter is enough there, the per-host limit does the rest.
  for (const feed of feeds) trigger(feed, Math.min(1000, jitters.get(feed.name)!), 'start');
  // Alerts left pending by a previous run go out now, not after the first round.
  void kickDispatch();

  const safetyTimer = setInterval(() => {
    store.nextAlertDueAt().then(
      (due) => {
        if (running && due && due <= clock.now()) void kickDispatch();
      },
      (err: unknown) => log.error({ err }, 'Could not read when the next alert is due'),
    );
  }, opts.retryIntervalMs ?? 15_000);

  log.info({ feeds: feeds.length, schedule: config.schedule, timezone: config.timezone }, 'Daemon started');
  for (const [rule, schedule] of digestSchedules(config)) {
    log.info({ rule, digest: schedule.cron, timezone: schedule.timezone, next: nextDigestAt(schedule, clock.now())?.toISOString() ?? null }, 'Digest scheduled');
  }

  let stopping: Promise<void> | null = null;
  return {
    isRunning: () => running,
    stop() {
      stopping ??= (async () => {
        running = false;
        clearInterval(safetyTimer);
        if (retryTimer) clearTimeout(retryTimer);
        if (roundTimer) clearTimeout(roundTimer);
        await Promise.all(tasks.map((t) => t.destroy()));
        // Polls still waiting out their jitter have not started: let them return without polling.
        for (const s of sleeps) {
          clearTimeout(s.timer);
          s.resolve();
        }
        sleeps.clear();
        // A hung feed must not hold shutdown past the grace period (docker stop allows 10 s).
        const grace = setTimeout(() => app.abortPolls(), SHUTDOWN_GRACE_MS);
        await Promise.all(inFlight.values());
        clearTimeout(grace);
        await kickDispatch();
        if (retryTimer) clearTimeout(retryTimer);
        log.info('Daemon stopped');
      })();
      return stopping;
    },
  };
}

/** A tenth of the schedule's period, at most 30 s: spreads polls without drifting a fast schedule. */
function defaultJitter(task: ScheduledTask): number {
  const [a, b] = task.getNextRuns(2);
  if (!a || !b) return 30_000;
  return Math.min(30_000, Math.floor((b.getTime() - a.getTime()) / 10));
}
