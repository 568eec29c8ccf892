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
import { databaseError, RUNTIME_BUSY_TIMEOUT_MS, type DatabaseCheck } from './store/db.js';
import { openStore, sqliteConnectionOf } from './store/open-store.js';
import { buildHealthReport, type HealthReport } from './ops/health-report.js';
import { feedIdentity } from './pipeline/feed-identity.js';
import { createFeedHealthNotices } from './pipeline/feed-health.js';
import { nextTickAt } from './pipeline/next-poll.js';
import { channelQuietHours, createDigestTimes, digestSchedules } from './pipeline/hold-times.js';
import type { AlertIntent, Store } from './store/store.js';
import type { CompiledRule } from './match/compile-rule.js';
import type { MatchContext } from './match/match-posting.js';
import { createRuleIndex, type RuleIndex } from './match/rule-index.js';
import { DEFAULT_EXCHANGE_RATES } from './match/currency.js';
import { createNotifiers } from './notify/registry.js';
import { resolveFeed } from './sources/registry.js';
import type { Notifier } from './notify/types.js';
import { createMetrics, createUnexportedMetrics, type Metrics } from './ops/metrics.js';
import { createReadAhead, isStoreFailure, pollBlockedUntil, pollFeed, type PollOutcome, type ReadAhead } from './pipeline/poll-feed.js';
import { createHeapBudget, MAIN_HEAP_BUDGET } from './pipeline/heap-budget.js';
import { dispatchDue, type DeliveryState, type DispatchResult } from './pipeline/dispatcher.js';
import { processClaimOwner, type ClaimOwner } from './pipeline/claim-owner.js';
import { createWriteGate, isUnwritableError } from './pipeline/write-gate.js';
import { createWorkerFeedReader, type FeedReader } from './pipeline/feed-reader.js';

export interface AppOptions {
  config: Config;
  rules: CompiledRule[];
  log: Logger;
  clock?: Clock;
  /** Database file to use instead of config.database (dry runs work on a copy). */
  databasePath?: string;
  /** PostgreSQL: the schema to work in instead of the database's own (a dry run's copy). */
  databaseSchema?: string;
  /** Replaces the configured notifiers (dry runs print instead of sending). */
  notifiers?: Map<string, Notifier>;
  /** A dry run: the notifiers print what would be sent, and the log says so. */
  dryRun?: boolean;
  /** Where the console channel writes; default stdout. */
  write?: (text: string) => void;
  /** Pages verified when the database is opened (default quick: a damaged file stops start-up). */
  databaseCheck?: DatabaseCheck;
  /** Who this app's outbox claims name (tests play another process with their own); default this process. */
  claimOwner?: ClaimOwner;
  /** Where feeds are read and normalized; default: a pool of worker threads, so no feed holds the event loop. */
  reader?: FeedReader;
  /** Whether /metrics may read the metrics (default true); a `run --once` counts nothing and loads no prom-client. */
  exportMetrics?: boolean;
  /** False: every poll is read, converted and normalized in full (the reference the skip paths are tested against); default true. */
  skipUnchanged?: boolean;
  /** Where the fetcher reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (`run` passes process.env); default none: feeds are fetched directly. */
  env?: NodeJS.ProcessEnv;
  /** Bodies at least this big are kept packed as they are received (http/packed-body.ts); default PACK_MIN_BYTES (tests pack small ones). */
  packBodiesFrom?: number;
}

export interface App {
  config: Config;
  /** The SQLite connection under the store, for tests and SQLite-only tools; throws for a store that is not SQLite's. */
  readonly db: Database.Database;
  store: Store;
  fetcher: Fetcher;
  notifiers: ReadonlyMap<string, Notifier>;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /** The context rules are matched in, as of now. */
  matchContext(): MatchContext;
  /** Polls one feed now (under its lease; skipped when another process holds it); database errors throw DatabaseError. */
  pollFeed(feed: FeedConfig): Promise<PollOutcome>;
  /**
   * Polls every enabled feed once, concurrently (the fetcher limits per host), whatever backoff
   * is stored: only a server's Retry-After still holds a feed back. Postings are stored feed by
   * feed in config order, whichever feed is read first, so a job listed by several feeds is always
   * credited to the one listed first. Database errors throw, after every poll has settled.
   */
  pollAll(): Promise<PollOutcome[]>;
  /** Every feed's and channel's health, from the database, as of now. */
  health(): Promise<HealthReport>;
  dispatch(): Promise<DispatchResult>;
  /** While the database cannot be written: when delivery tries again (maybe already past); null when it can. */
  deliveryPausedUntil(): Date | null;
  /** Cuts polls in flight short (shutdown): their requests are aborted and nothing is recorded against the feed. */
  abortPolls(): void;
  close(): Promise<void>;
}


// What a poll-all reads ahead of the feed being stored (feeds are stored in config order): enough
// to keep the reader threads busy meanwhile, never a whole corpus in memory (pollAll, ReadAhead).
const READ_AHEAD = { feeds: 6, postings: 2_000 };

/** Creates the application's components from a validated config. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config, rules, log } = opts;
  const clock = opts.clock ?? systemClock;
  const dbFile = opts.databasePath ?? config.database;
  const store = await openStore(dbFile, {
    clock,
    check: opts.databaseCheck ?? 'quick',
    ...(opts.databaseSchema ? { pgSchema: opts.databaseSchema } : {}),
    // A server restart ends every idle connection: each is said once, and the pool opens new ones.
    onIdleError: (err, database) => log.warn({ database, code: (err as { code?: unknown }).code, error: err.message }, 'PostgreSQL connection lost while idle; a new one is opened when needed'),
  });
  const identities = new Map(config.feeds.map((f) => [f.name, feedIdentity(f)]));
  try {
    for (const [name, identity] of identities) {
      if ((await store.syncFeedIdentity(name, identity)) === 'changed') log.info({ feed: name, url: identity.url }, 'Feed config changed since it was last polled: its state (errors, backoff, validators) starts afresh');
    }
    // Start-up may wait for a lock (nothing else runs yet); from here on SQLite waits only briefly and
    // the callers retry asynchronously, so the event loop never stands still for seconds.
    await store.setLockWait(RUNTIME_BUSY_TIMEOUT_MS);
  } catch (err) {
    await store.close();
    throw databaseError(dbFile, err);
  }
  const fetcher = createFetcher({
    timeoutMs: config.fetch.timeout,
    connectTimeoutMs: config.fetch.connect_timeout,
    maxBodyBytes: config.fetch.max_body,
    maxRedirects: config.fetch.max_redirects,
    perHost: config.fetch.per_host,
    userAgent: config.fetch.user_agent,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.packBodiesFrom !== undefined ? { packFrom: opts.packBodiesFrom } : {}),
  });
  const notifiers = opts.notifiers ?? createNotifiers(config, { write: opts.write, now: () => clock.now(), ...feedAttribution(config) });
  const enabledFeeds = config.feeds.filter((f) => f.enabled);
  const metrics: Metrics = opts.exportMetrics === false ? createUnexportedMetrics() : createMetrics({
    pendingAlerts: async () => (await store.countAlerts()).pending,
    feedHealth: async () => {
      const states = new Map((await store.listFeedStates()).map((s) => [s.name, s]));
      return enabledFeeds.map((f) => ({ feed: f.name, consecutiveErrors: states.get(f.name)?.consecutiveErrors ?? 0 }));
    },
    channelFailed: () => store.failedByChannel(),
  });
  const notices = createFeedHealthNotices({ store, notifiers, log, clock, notify: config.health.notify ?? [], afterFailures: config.health.after_failures });
  // A token of the process's claim owner: unique per App (two Apps on one file, as in tests, are
  // two pollers), and naming the process, so that another process on this host can tell when it is
  // gone and take its leases at once (claim-owner.ts).
  const claimOwner = opts.claimOwner ?? processClaimOwner();
  const leaseOwner = claimOwner.next();
  // Longer than any poll can take (the whole request is bounded by fetch.timeout; parsing and
  // storing take seconds), so a live poll keeps its lease and a dead process's lease soon expires.
  const leaseTtlMs = 2 * config.fetch.timeout + 60_000;
  const exchangeRates = { ...DEFAULT_EXCHANGE_RATES, ...config.exchange_rates };

  function matchContext(): MatchContext {
    return { now: clock.now(), maxAgeMs: config.max_age, exchangeRates };
  }

  // Built on first use: a command that never matches (a dry check, a poll where every feed is 304) never pays for it.
  let ruleIndex: RuleIndex | null = null;

  const digests = digestSchedules(config);
  const digestTimes = createDigestTimes();

  function decide(job: StoredJob): AlertIntent[] {
    const ctx = matchContext();
    const intents: AlertIntent[] = [];
    ruleIndex ??= createRuleIndex(rules);
    // The same rules, in the same order, with the same reasons as matchPosting + reasonsOf on each rule.
    for (const { rule, reasons } of ruleIndex.match(job, ctx)) {
      const schedule = digests.get(rule.name);
      // A digest that never fires again (a date long past) would hold the job forever: it goes now.
      const at = schedule ? digestTimes(schedule, ctx.now) : null;
      for (const channel of rule.notify) intents.push({ rule: rule.name, channel, reasons, ...(at ? { digest: { at: at.getTime() } } : {}) });
    }
    // One outbox row (one alert) per channel, however many rules matched the job.
    for (const channel of new Set(intents.map((i) => i.channel))) metrics.alertsQueued.inc({ channel });
    return intents;
  }

  const quietHours = channelQuietHours(config);
  const delivery: DeliveryState = {
    holds: new Map(),
    unrecorded: new Map(),
    gate: createWriteGate({ file: store.location, clock, log }),
    owner: claimOwner,
  };
  const shutdown = new AbortController();
  const reader = opts.reader ?? createWorkerFeedReader();
  // One budget for the main thread's heap, told after each stored batch and each sent message.
  const heapBudget = createHeapBudget(MAIN_HEAP_BUDGET);
  const pollDeps = {
    fetcher,
    store,
    clock,
    log,
    metrics,
    decide,
    signal: shutdown.signal,
    lease: { owner: leaseOwner, ttlMs: leaseTtlMs, isGone: (holder: string) => claimOwner.isGone(holder) },
    writeGate: delivery.gate,
    reader,
    maxAgeMs: config.max_age,
    skipUnchanged: opts.skipUnchanged ?? true,
    heapBudget,
  };

  async function pollOne(feed: FeedConfig, ingestTurn?: Promise<void>, readAhead?: ReadAhead): Promise<PollOutcome> {
    try {
      const outcome = await pollFeed(feed, ingestTurn && readAhead ? { ...pollDeps, ingestTurn, readAhead } : pollDeps);
      try {
        await notices.afterPoll(feed.name, identities.get(feed.name)?.url ?? null, outcome);
      } catch (err) {
        // A health notice that cannot be claimed now is decided again after the next poll.
        if (!isUnwritableError(err)) throw err;
        delivery.gate.failed(err);
      }
      return outcome;
    } catch (err) {
      throw isStoreFailure(err) ? databaseError(dbFile, err) : err;
    }
  }
  const app: App = {
    config,
    get db() {
      const db = sqliteConnectionOf(store);
      if (!db) throw new Error(`${store.location} is not a SQLite database`);
      return db;
    },
    store,
    fetcher,
    notifiers,
    metrics,
    log,
    clock,
    matchContext,
    pollFeed: (feed) => pollOne(feed),
    async pollAll() {
      let previous = Promise.resolve();
      const readAhead = createReadAhead(READ_AHEAD);
      const settled = await Promise.allSettled(
        enabledFeeds.map(async (f): Promise<PollOutcome> => {
          const ingestTurn = previous;
          let done!: () => void;
          previous = new Promise<void>((resolve) => (done = resolve));
          try {
            const blocked = await pollBlockedUntil(store, f.name, clock.now(), 'start');
            if (!blocked) return await pollOne(f, ingestTurn, readAhead);
            log.info({ feed: f.name, holdUntil: blocked.until.toISOString() }, 'Feed not polled: its server asked to wait (Retry-After)');
            return { feed: f.name, status: 'held', holdUntil: blocked.until };
          } finally {
            done();
          }
        }),
      );
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      return settled.map((r) => (r as PromiseFulfilledResult<PollOutcome>).value);
    },
    health: async () =>
      buildHealthReport({
        config,
        states: await store.listFeedStates(),
        channels: await store.channelStates(clock.now()),
        now: clock.now(),
        nextTick: nextTickAt,
        configHash: (f) => identities.get(f.name)?.configHash ?? '',
      }),
    dispatch: () =>
      dispatchDue({ store, notifiers, clock, log, metrics, giveUpAfterMs: config.delivery.give_up_after, state: delivery, dryRun: opts.dryRun ?? false, quietHours, heapBudget }),
    deliveryPausedUntil: () => delivery.gate.pausedUntil(),
    abortPolls: () => shutdown.abort(new Error('shutting down')),
    async close() {
      await notices.flush();
      await Promise.allSettled([fetcher.close(), reader.close(), ...[...notifiers.values()].map((n) => n.close())]);
      await store.close();
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
