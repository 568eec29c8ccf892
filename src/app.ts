/**
 * Wires the modules together for one config: database, fetcher, compiled rules, notifiers,
 * metrics. Everything with I/O is created here and passed down; nothing is global.
 */
import type { Logger } from 'pino';
import type Database from 'better-sqlite3';
import type { Config, FeedConfig } from './config/schema.js';
import type { Clock, StoredJob } from './core/types.js';
import { systemClock } from './core/types.js';
import { createFetcher, type Fetcher } from './http/fetcher.js';
import { openDatabase } from './store/db.js';
import { createStore, type AlertIntent, type Store } from './store/store.js';
import type { CompiledRule } from './match/compile-rule.js';
import { matchPosting, reasonsOf, type MatchContext } from './match/match-posting.js';
import { DEFAULT_EXCHANGE_RATES } from './match/currency.js';
import { createNotifiers } from './notify/registry.js';
import { resolveFeed } from './sources/registry.js';
import type { Notifier } from './notify/types.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { backoffUntil, pollFeed, type PollOutcome } from './pipeline/poll-feed.js';
import { createWorkerFeedReader, type FeedReader } from './pipeline/feed-reader.js';
import { dispatchDue, type DispatchResult } from './pipeline/dispatcher.js';

export interface AppOptions {
  config: Config;
  rules: CompiledRule[];
  log: Logger;
  clock?: Clock;
  /** Database file to use instead of config.database (dry runs work on a copy). */
  databasePath?: string;
  /** Replaces the configured notifiers (dry runs print instead of sending). */
  notifiers?: Map<string, Notifier>;
  /** Where the console channel writes; default stdout. */
  write?: (text: string) => void;
  /** Where feeds are read and normalized; default: a pool of worker threads, so no feed holds the event loop. */
  reader?: FeedReader;
}

export interface App {
  config: Config;
  db: Database.Database;
  store: Store;
  fetcher: Fetcher;
  notifiers: ReadonlyMap<string, Notifier>;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /** The context rules are matched in, as of now. */
  matchContext(): MatchContext;
  pollFeed(feed: FeedConfig): Promise<PollOutcome>;
  /**
   * Polls every enabled feed once, concurrently (the fetcher limits per host); feeds backing off are
   * skipped. Postings are stored feed by feed in config order, whichever feed is read first, so a job
   * listed by several feeds is always credited to the one listed first.
   */
  pollAll(): Promise<PollOutcome[]>;
  dispatch(): Promise<DispatchResult>;
  /** Cuts polls in flight short (shutdown): their requests are aborted and nothing is recorded against the feed. */
  abortPolls(): void;
  close(): Promise<void>;
}

/** Creates the application's components from a validated config. */
export function createApp(opts: AppOptions): App {
  const { config, rules, log } = opts;
  const clock = opts.clock ?? systemClock;
  const db = openDatabase(opts.databasePath ?? config.database);
  const store = createStore(db, clock);
  const fetcher = createFetcher({
    timeoutMs: config.fetch.timeout,
    connectTimeoutMs: config.fetch.connect_timeout,
    maxBodyBytes: config.fetch.max_body,
    maxRedirects: config.fetch.max_redirects,
    perHost: config.fetch.per_host,
    userAgent: config.fetch.user_agent,
  });
  const notifiers = opts.notifiers ?? createNotifiers(config, { write: opts.write, now: () => clock.now(), ...feedAttribution(config) });
  const metrics = createMetrics({ pendingAlerts: () => store.countAlerts().pending });
  const exchangeRates = { ...DEFAULT_EXCHANGE_RATES, ...config.exchange_rates };

  function matchContext(): MatchContext {
    return { now: clock.now(), maxAgeMs: config.max_age, exchangeRates };
  }

  function decide(job: StoredJob): AlertIntent[] {
    const ctx = matchContext();
    const intents: AlertIntent[] = [];
    for (const rule of rules) {
      const result = matchPosting(job, rule, ctx);
      if (!result.matched) continue;
      const reasons = reasonsOf(result);
      for (const channel of rule.notify) {
        intents.push({ rule: rule.name, channel, reasons });
        metrics.alertsQueued.inc({ channel });
      }
    }
    return intents;
  }

  const holds = new Map<string, number>();
  const shutdown = new AbortController();
  const reader = opts.reader ?? createWorkerFeedReader();
  const pollDeps = { fetcher, store, clock, log, metrics, decide, signal: shutdown.signal, reader };
  const app: App = {
    config,
    db,
    store,
    fetcher,
    notifiers,
    metrics,
    log,
    clock,
    matchContext,
    pollFeed: (feed) => pollFeed(feed, pollDeps),
    pollAll: () => {
      let previous = Promise.resolve();
      return Promise.all(
        config.feeds
          .filter((f) => f.enabled)
          .map(async (f): Promise<PollOutcome> => {
            const ingestTurn = previous;
            let done!: () => void;
            previous = new Promise<void>((resolve) => (done = resolve));
            try {
              const until = backoffUntil(store, f.name, clock.now());
              if (!until) return await pollFeed(f, { ...pollDeps, ingestTurn });
              log.info({ feed: f.name, nextCheckAt: until.toISOString() }, 'Feed backing off after errors; not polled this time');
              return { feed: f.name, status: 'backoff', nextCheckAt: until };
            } finally {
              done();
            }
          }),
      );
    },
    dispatch: () => dispatchDue({ store, notifiers, clock, log, metrics, giveUpAfterMs: config.delivery.give_up_after, holds }),
    abortPolls: () => shutdown.abort(new Error('shutting down')),
    async close() {
      await Promise.allSettled([fetcher.close(), reader.close(), ...[...notifiers.values()].map((n) => n.close())]);
      store.close();
    },
  };
  return app;
}

/** How alerts credit sources that ask for it (RemoteOK, Remotive, ...): a link and their name, per feed. */
export function feedAttribution(config: Config): { feedLinks: Record<string, string>; feedCredits: Record<string, string> } {
  const feedLinks: Record<string, string> = {};
  const feedCredits: Record<string, string> = {};
  for (const feed of config.feeds) {
    const { attribution } = resolveFeed(feed).adapter;
    if (!attribution) continue;
    feedLinks[feed.name] = attribution.url;
    feedCredits[feed.name] = attribution.text;
  }
  return { feedLinks, feedCredits };
}
