/** Prometheus metrics, on a registry of their own (never prom-client's global one). */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Registry } from 'prom-client';

/** A counter as the pipeline uses it. */
export interface CounterLike<L extends string> {
  inc(labels: Partial<Record<L, string | number>>, value?: number): void;
}

/** A histogram as the pipeline uses it: time one operation. */
export interface TimerLike<L extends string> {
  startTimer(labels?: Partial<Record<L, string | number>>): () => unknown;
}

/** The metrics jobalert counts; `registry` is set when they are exported on /metrics. */
export interface Metrics {
  /** Null when nothing reads them (`run --once`): prom-client is then never loaded. */
  registry: Registry | null;
  polls: CounterLike<'feed' | 'outcome'>;
  fetchErrors: CounterLike<'feed'>;
  postingsNew: CounterLike<'feed'>;
  postingsSkipped: CounterLike<'feed'>;
  alertsQueued: CounterLike<'channel'>;
  alertsSent: CounterLike<'channel'>;
  alertsFailed: CounterLike<'channel'>;
  alertsRetried: CounterLike<'channel'>;
  pollDuration: TimerLike<'feed'>;
}

/** One configured feed's health as stored, for the per-feed gauges. */
export interface FeedHealthSample {
  feed: string;
  consecutiveErrors: number;
}

/** What the gauges read at scrape time; every function is optional. */
export interface MetricsSources {
  pendingAlerts?: () => Promise<number>;
  /** Every configured, enabled feed (never polled ones too), from the stored state. */
  feedHealth?: () => Promise<FeedHealthSample[]>;
  /** Failed (given up) alerts per configured channel. */
  channelFailed?: () => Promise<Array<{ channel: string; failed: number }>>;
  defaultMetrics?: boolean;
}

/**
 * Creates the metrics. Gauges of state (pending alerts, feed errors, failed alerts) are read from
 * the store at scrape time, so they are never stale and exist for every configured feed from the
 * first scrape on, a feed still backing off from before a restart included.
 */
export function createMetrics(opts: MetricsSources = {}): Metrics & { registry: Registry } {
  // Loaded here, not at start-up: a `run --once` from cron, `query` and `--version` never need it.
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = createRequire(import.meta.url)('prom-client') as typeof PromClient;
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'jobalert_' });
  const registers = [registry];
  const { pendingAlerts, feedHealth, channelFailed } = opts;
  const metrics = {
    registry,
    polls: new Counter({ name: 'jobalert_polls_total', help: 'Feed polls by outcome (ok, not_modified, error)', labelNames: ['feed', 'outcome'], registers }),
    fetchErrors: new Counter({ name: 'jobalert_fetch_errors_total', help: 'Failed polls (fetch or parse) by feed', labelNames: ['feed'], registers }),
    postingsNew: new Counter({ name: 'jobalert_postings_new_total', help: 'New jobs stored, by feed', labelNames: ['feed'], registers }),
    postingsSkipped: new Counter({ name: 'jobalert_postings_skipped_total', help: 'Feed items skipped as unreadable, by feed', labelNames: ['feed'], registers }),
    alertsQueued: new Counter({ name: 'jobalert_alerts_queued_total', help: 'Alerts written to the outbox, by channel', labelNames: ['channel'], registers }),
    alertsSent: new Counter({ name: 'jobalert_alerts_sent_total', help: 'Alerts delivered, by channel', labelNames: ['channel'], registers }),
    alertsFailed: new Counter({ name: 'jobalert_alerts_failed_total', help: 'Alerts given up on (permanent failure), by channel', labelNames: ['channel'], registers }),
    alertsRetried: new Counter({ name: 'jobalert_alerts_retried_total', help: 'Transient delivery failures scheduled for retry, by channel', labelNames: ['channel'], registers }),
    pollDuration: new Histogram({
      name: 'jobalert_poll_duration_seconds',
      help: 'Time to poll one feed (fetch, parse, store, match)',
      labelNames: ['feed'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
  };
  // The gauges of state register themselves and are read only at scrape time.
  new Gauge({
    name: 'jobalert_feed_consecutive_errors',
    help: 'Consecutive failed polls, by feed (0 when healthy or never polled)',
    labelNames: ['feed'],
    registers,
    async collect() {
      if (!feedHealth) return;
      // Read first, then reset and set with no await between: two scrapes at once never mix.
      const feeds = await feedHealth();
      this.reset();
      for (const f of feeds) this.set({ feed: f.feed }, f.consecutiveErrors);
    },
  });
  new Gauge({
    name: 'jobalert_feed_up',
    help: '1 unless the last poll of the feed failed, by feed',
    labelNames: ['feed'],
    registers,
    async collect() {
      if (!feedHealth) return;
      const feeds = await feedHealth();
      this.reset();
      for (const f of feeds) this.set({ feed: f.feed }, f.consecutiveErrors > 0 ? 0 : 1);
    },
  });
  new Gauge({
    name: 'jobalert_channel_failed_alerts',
    help: 'Alerts given up on and not requeued (retry-failed), by channel',
    labelNames: ['channel'],
    registers,
    async collect() {
      if (!channelFailed) return;
      const channels = await channelFailed();
      this.reset();
      for (const c of channels) this.set({ channel: c.channel }, c.failed);
    },
  });
  new Gauge({
    name: 'jobalert_outbox_pending',
    help: 'Alerts waiting to be delivered',
    registers,
    async collect() {
      if (pendingAlerts) this.set(await pendingAlerts());
    },
  });
  return metrics;
}

const NO_COUNTER: CounterLike<never> = { inc() {} };
const NO_TIMER: TimerLike<never> = { startTimer: () => () => undefined };

/** Metrics that count nothing, for a process nobody scrapes (`run --once`, `check`). */
export function createUnexportedMetrics(): Metrics {
  return {
    registry: null,
    polls: NO_COUNTER,
    fetchErrors: NO_COUNTER,
    postingsNew: NO_COUNTER,
    postingsSkipped: NO_COUNTER,
    alertsQueued: NO_COUNTER,
    alertsSent: NO_COUNTER,
    alertsFailed: NO_COUNTER,
    alertsRetried: NO_COUNTER,
    pollDuration: NO_TIMER,
  };
}
