/**
 * Read-only health queries over the outbox, for `check`, /status and /metrics: how each channel
 * is delivering. Writes to the outbox stay in outbox.ts.
 */
import type Database from 'better-sqlite3';
import { fromMs } from './jobs.js';

/** One channel's delivery state. */
export interface ChannelDeliveryState {
  channel: string;
  /** Alerts waiting to be sent (retrying and held ones included). */
  pending: number;
  /** Pending alerts waiting for their time (a digest, the end of quiet hours), never attempted: not a problem. */
  held: number;
  /** Pending alerts whose last attempt failed: the channel is failing right now. */
  retrying: number;
  /** Alerts given up on (`retry-failed` sends them again). */
  failed: number;
  /** The newest error of a pending or failed alert. */
  lastError: string | null;
  /** When the oldest pending alert was queued. */
  oldestPendingAt: Date | null;
}

/** A channel's row of the delivery-state query, as both stores' SQL names its columns. */
export interface ChannelStateRow {
  channel: string;
  pending: number;
  held: number;
  retrying: number;
  failed: number;
  last_error: string | null;
  oldest_pending: number | null;
}

/** Prepares the queries once; each call reads the outbox as it is now. */
export function createHealthQueries(db: Database.Database): { channelStates(now?: Date): ChannelDeliveryState[]; failedByChannel(): Array<{ channel: string; failed: number }> } {
  // Only unsent rows are read (the status index), so the cost follows the backlog, not history.
  const states = db.prepare<{ now: number }, ChannelStateRow>(`
    SELECT o.channel,
      sum(o.status = 'pending') AS pending,
      sum(o.status = 'pending' AND o.attempts = 0 AND o.last_error IS NULL AND o.next_attempt_at > @now) AS held,
      sum(o.status = 'pending' AND o.last_error IS NOT NULL) AS retrying,
      sum(o.status = 'failed') AS failed,
      (SELECT e.last_error FROM outbox e
        WHERE e.channel = o.channel AND e.status IN ('pending', 'failed') AND e.last_error IS NOT NULL
        ORDER BY e.id DESC LIMIT 1) AS last_error,
      min(CASE WHEN o.status = 'pending' THEN o.created_at END) AS oldest_pending
    FROM outbox o
    WHERE o.status IN ('pending', 'failed')
    GROUP BY o.channel
    ORDER BY o.channel`);
  const failed = db.prepare<[], { channel: string; failed: number }>(
    "SELECT channel, count(*) AS failed FROM outbox WHERE status = 'failed' GROUP BY channel ORDER BY channel",
  );
  return {
    channelStates: (now = new Date()) =>
      states.all({ now: now.getTime() }).map(toChannelState),
    failedByChannel: () => failed.all(),
  };
}

/** A row of the delivery-state query as the health report takes it. */
export function toChannelState(r: ChannelStateRow): ChannelDeliveryState {
  return {
    channel: r.channel,
    pending: r.pending,
    held: r.held,
    retrying: r.retrying,
    failed: r.failed,
    lastError: r.last_error,
    oldestPendingAt: fromMs(r.oldest_pending),
  };
}
