/**
 * The daemon loop: one cron task per feed, a retry timer for the outbox, graceful shutdown.
 *
 * A feed is never polled twice at once (an in-flight set, on top of node-cron's noOverlap),
 * each poll starts after a little random jitter so feeds sharing a schedule do not hit their
 * hosts in the same second, and a feed that is backing off (see backoff.ts) skips its ticks
 * until its next check is due. Every poll is followed by a dispatch; dispatches never overlap.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { FeedConfig } from '../config/schema.js';
import type { App } from '../app.js';
import { backoffUntil } from './poll-feed.js';
import { effectiveSchedule } from '../sources/registry.js';

export interface DaemonOptions {
  /** Upper bound of the random delay before each poll; default a tenth of the feed's schedule period, at most 30 s. */
  maxJitterMs?: number;
  /** How often pending retries are looked at; default 15 s. */
  retryIntervalMs?: number;
  random?: () => number;
}

export interface Daemon {
  /** True between start and stop: what /healthz reports with the database check. */
  isRunning(): boolean;
  /** Stops scheduling, waits for in-flight polls, flushes due alerts. Idempotent. */
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
    });
    return dispatching;
  }

  function trigger(feed: FeedConfig, maxJitterMs: number): void {
    if (!running) return;
    if (inFlight.has(feed.name)) {
      log.debug({ feed: feed.name }, 'Poll still running; tick skipped');
      return;
    }
    const until = backoffUntil(store, feed.name, clock.now());
    if (until) {
      log.debug({ feed: feed.name, nextCheckAt: until.toISOString() }, 'Feed backing off; tick skipped');
      return;
    }
    const run = (async () => {
      if (maxJitterMs > 0) await sleep(Math.floor(random() * maxJitterMs));
      if (!running) return;
      await app.pollFeed(feed);
      await kickDispatch();
    })()
      .catch((err: unknown) => log.error({ err, feed: feed.name }, 'Poll crashed'))
      .finally(() => inFlight.delete(feed.name));
    inFlight.set(feed.name, run);
  }

  const feeds = config.feeds.filter((f) => f.enabled);
  const jitters = new Map<string, number>();
  for (const feed of feeds) {
    const task = cron.schedule(effectiveSchedule(feed, config.schedule), () => trigger(feed, jitters.get(feed.name)!), {
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
  for (const feed of feeds) trigger(feed, Math.min(1000, jitters.get(feed.name)!));
  kickDispatch();

  const retryTimer = setInterval(() => {
    const due = store.nextAlertDueAt();
    if (due && due <= clock.now()) void kickDispatch();
  }, opts.retryIntervalMs ?? 15_000);

  log.info({ feeds: feeds.length, schedule: config.schedule, timezone: config.timezone }, 'Daemon started');

  let stopping: Promise<void> | null = null;
  return {
    isRunning: () => running,
    stop() {
      stopping ??= (async () => {
        running = false;
        clearInterval(retryTimer);
        await Promise.all(tasks.map((t) => t.destroy()));
        // Polls still waiting out their jitter have not started: let them return without polling.
        for (const s of sleeps) {
          clearTimeout(s.timer);
          s.resolve();
        }
        sleeps.clear();
        await Promise.all(inFlight.values());
        await kickDispatch();
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
