/**
 * Read-only health queries over the outbox in PostgreSQL, for `check`, /status and /metrics: the
 * twin of ../health.ts, with the same rows in the same order.
 */
import type { PgConnections } from './pg-sql.js';
import { toChannelState, type ChannelStateRow } from '../health.js';
import type { Store } from '../store.js';

/** The health queries of ../health.ts, as the Store answers them. */
export type PgHealthQueries = Pick<Store, 'channelStates' | 'failedByChannel'>;

/** Builds the health queries on a pool; each call reads the outbox as it is now. */
export function createPgHealthQueries(pool: PgConnections): PgHealthQueries {
  return {
    async channelStates(now) {
      // Only unsent rows are read (the status index), so the cost follows the backlog, not history.
      const res = await pool.query<ChannelStateRow>(
        `SELECT o.channel,
           count(*) FILTER (WHERE o.status = 'pending') AS pending,
           count(*) FILTER (WHERE o.status = 'pending' AND o.attempts = 0 AND o.last_error IS NULL AND o.next_attempt_at > $1) AS held,
           count(*) FILTER (WHERE o.status = 'pending' AND o.last_error IS NOT NULL) AS retrying,
           count(*) FILTER (WHERE o.status = 'failed') AS failed,
           (SELECT e.last_error FROM outbox e
             WHERE e.channel = o.channel AND e.status IN ('pending', 'failed') AND e.last_error IS NOT NULL
             ORDER BY e.id DESC LIMIT 1) AS last_error,
           min(CASE WHEN o.status = 'pending' THEN o.created_at END) AS oldest_pending
         FROM outbox o
         WHERE o.status IN ('pending', 'failed')
         GROUP BY o.channel
         ORDER BY o.channel COLLATE "C"`,
        [now.getTime()],
      );
      return res.rows.map(toChannelState);
    },
    async failedByChannel() {
      const res = await pool.query<{ channel: string; failed: number }>(
        `SELECT channel, count(*) AS failed FROM outbox WHERE status = 'failed' GROUP BY channel ORDER BY channel COLLATE "C"`,
      );
      return res.rows;
    },
  };
}
