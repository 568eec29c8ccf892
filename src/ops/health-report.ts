/**
 * The health of a running or stopped jobalert, from what is stored: each feed (failing since
 * when, last error, next poll) and each channel (pending, failed, last error). `check`, /status
 * and /readyz all read this one report, so they never disagree. Pure: state and time are given.
 */
import type { Config } from '../config/schema.js';
import type { Backlog, FeedState } from '../store/feed-state.js';
import type { ChannelDeliveryState } from '../store/health.js';
import { effectiveSchedule } from '../sources/registry.js';

/** One configured feed's health. */
export interface FeedHealth {
  name: string;
  enabled: boolean;
  status: 'ok' | 'failing' | 'never polled' | 'disabled';
  consecutiveErrors: number;
  lastError: string | null;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastAttemptAt: Date | null;
  /** The tick of a running daemon that polls it next (after any backoff); null when disabled or never again. */
  nextPollAt: Date | null;
  /** Why the next poll is later than the schedule's next tick. */
  waitingFor: 'backoff' | 'retry-after' | null;
  /** True when the config no longer matches what the stored state is of: the next start resets it. */
  configChanged: boolean;
  /** What the feed's first stored poll took in, and when; null before it (or when it predates this record). */
  backlog: (Backlog & { at: Date }) | null;
}

/** One channel's delivery health. */
export interface ChannelHealth extends ChannelDeliveryState {
  configured: boolean;
  status: 'ok' | 'retrying' | 'failed';
}

/** Everything /status shows and `check` prints. */
export interface HealthReport {
  at: Date;
  feeds: FeedHealth[];
  channels: ChannelHealth[];
  enabledFeeds: number;
  failingFeeds: number;
  /** Channels with alerts given up on or failing right now. */
  undeliverableChannels: number;
}

export interface HealthInput {
  config: Pick<Config, 'feeds' | 'channels' | 'schedule' | 'timezone'>;
  states: FeedState[];
  channels: ChannelDeliveryState[];
  now: Date;
  /** The first tick of a schedule at or after a time (src/pipeline/next-poll.ts). */
  nextTick: (schedule: string, timezone: string, notBefore: Date) => Date | null;
  /** The current config hash of a feed, to tell a changed config; omitted: never "changed". */
  configHash?: (feed: Config['feeds'][number]) => string;
}

/** Builds the report; feeds in config order, then channels by name. */
export function buildHealthReport(input: HealthInput): HealthReport {
  const { config, now } = input;
  const byName = new Map(input.states.map((s) => [s.name, s]));
  const feeds = config.feeds.map((f): FeedHealth => {
    const s = byName.get(f.name);
    const configChanged = Boolean(s?.configHash && input.configHash && s.configHash !== input.configHash(f));
    // A changed config starts from a clean state at the next start: its stored errors are history.
    const errors = configChanged ? 0 : (s?.consecutiveErrors ?? 0);
    const status: FeedHealth['status'] = !f.enabled ? 'disabled' : errors > 0 ? 'failing' : s?.lastAttemptAt ? 'ok' : 'never polled';
    let notBefore = now;
    let waitingFor: FeedHealth['waitingFor'] = null;
    if (s && !configChanged) {
      // The server's word first: when it and the backoff end together, it is the reason.
      if (s.holdUntil && s.holdUntil > notBefore) [notBefore, waitingFor] = [s.holdUntil, 'retry-after'];
      if (s.nextCheckAt && s.nextCheckAt > notBefore) [notBefore, waitingFor] = [s.nextCheckAt, 'backoff'];
    }
    return {
      name: f.name,
      enabled: f.enabled,
      status,
      consecutiveErrors: errors,
      lastError: errors > 0 ? (s?.lastError ?? null) : null,
      failingSince: errors > 0 ? (s?.failingSince ?? s?.lastAttemptAt ?? null) : null,
      lastSuccessAt: s?.lastSuccessAt ?? null,
      lastAttemptAt: s?.lastAttemptAt ?? null,
      nextPollAt: f.enabled ? input.nextTick(effectiveSchedule(f, config.schedule), config.timezone, notBefore) : null,
      waitingFor,
      configChanged,
      backlog: !configChanged && s?.backlog && s.firstPollAt ? { ...s.backlog, at: s.firstPollAt } : null,
    };
  });
  const delivery = new Map(input.channels.map((c) => [c.channel, c]));
  const names = [...new Set([...Object.keys(config.channels), ...delivery.keys()])].sort();
  const channels = names.map((channel): ChannelHealth => {
    const d = delivery.get(channel) ?? { channel, pending: 0, held: 0, retrying: 0, failed: 0, lastError: null, oldestPendingAt: null };
    return { ...d, configured: channel in config.channels, status: d.failed > 0 ? 'failed' : d.retrying > 0 ? 'retrying' : 'ok' };
  });
  return {
    at: now,
    feeds,
    channels,
    enabledFeeds: feeds.filter((f) => f.enabled).length,
    failingFeeds: feeds.filter((f) => f.status === 'failing').length,
    undeliverableChannels: channels.filter((c) => c.status !== 'ok').length,
  };
}

/** Ready to do its job: some feed can be read (or there are none) and the report was readable at all. */
export function isReady(report: HealthReport): boolean {
  return report.enabledFeeds === 0 || report.failingFeeds < report.enabledFeeds;
}

/**
 * What a first poll took in, in words (the log line and `check` say it alike): "4,812 postings taken
 * in, 37 alerted (older than max_age: 4,700 not alerted)"; with max_age 0 there is no age limit.
 */
export function describeBacklog(b: Backlog, maxAgeMs: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const known = b.postings - b.newJobs;
  return (
    `${n(b.postings)} posting${b.postings === 1 ? '' : 's'} taken in, ${n(b.alerted)} alerted` +
    (maxAgeMs > 0 ? ` (older than max_age: ${n(b.old)} not alerted)` : '') +
    (known > 0 ? `; ${n(known)} already stored (seen before under this name or on another feed)` : '')
  );
}
