/** Prometheus metrics, on a registry of their own (never prom-client's global one). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics jobalert exports on /metrics. */
export interface Metrics {
  registry: Registry;
  polls: Counter<'feed' | 'outcome'>;
  fetchErrors: Counter<'feed'>;
  postingsNew: Counter<'feed'>;
  postingsSkipped: Counter<'feed'>;
  alertsQueued: Counter<'channel'>;
  alertsSent: Counter<'channel'>;
  alertsFailed: Counter<'channel'>;
  alertsRetried: Counter<'channel'>;
  pollDuration: Histogram<'feed'>;
  feedConsecutiveErrors: Gauge<'feed'>;
  outboxPending: Gauge;
}

/** Creates the metrics; `pendingAlerts` is read at scrape time so the gauge is never stale. */
export function createMetrics(opts: { pendingAlerts?: () => number; defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'jobalert_' });
  const registers = [registry];
  const pendingAlerts = opts.pendingAlerts;
  return {
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
    feedConsecutiveErrors: new Gauge({ name: 'jobalert_feed_consecutive_errors', help: 'Consecutive failed polls, by feed (0 when healthy)', labelNames: ['feed'], registers }),
    outboxPending: new Gauge({
      name: 'jobalert_outbox_pending',
      help: 'Alerts waiting to be delivered',
      registers,
      collect() {
        if (pendingAlerts) this.set(pendingAlerts());
      },
    }),
  };
}
