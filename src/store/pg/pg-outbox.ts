/**
 * The outbox in PostgreSQL: the statements of ../outbox.ts, with the same semantics (see there),
 * and claims taken with FOR UPDATE SKIP LOCKED so that two workers never claim one row: a row
 * another worker is claiming right now is skipped, not waited for, and a row whose claim was
 * renewed in between is re-checked on its newest version before it is taken.
 *
 * Text ordering is COLLATE "C" wherever SQLite orders text, since SQLite compares bytes and a
 * PostgreSQL database may have been created with another collation.
 */
import type { Clock } from '../../core/types.js';
import { outboxRowsOf, toAlert, type AlertIntent, type AlertRow, type OutboxMark, type OutboxRepo } from '../outbox.js';
import { PG_ALERT_JOB_COLUMNS, inTransaction, pgText, type PgConnections, type Queryable } from './pg-sql.js';
import type { Store } from '../store.js';

/** The outbox repository over a pool: the Store's outbox methods; enqueue takes many jobs in one statement. */
export type PgOutboxRepo = Pick<Store, Exclude<keyof OutboxRepo, 'enqueue'>> & {
  /** Queues the intents of several jobs (one multi-row statement) on the given connection; returns how many rows were new. */
  enqueueMany(db: Queryable, jobs: ReadonlyArray<{ jobId: number; intents: readonly AlertIntent[] }>, now: number): Promise<number>;
};

const ALERT_COLUMNS = `o.id AS alert_id, o.rules::text AS rules, o.channel, o.reasons::text AS reasons, o.attempts, o.created_at, o.claimed_by, o.claim_until, o.digest, ${PG_ALERT_JOB_COLUMNS}`;
// $1 is always now. Due: not held by a live claim; fresh: never claimed (or released by a mark).
const DUE = `o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.claim_until IS NULL OR o.claim_until <= $1)`;
const FRESH = `o.status = 'pending' AND o.next_attempt_at <= $1 AND o.claimed_by IS NULL`;
const FRESH_NOW = `${FRESH} AND o.digest IS NULL`;
// Marks only move a row out of 'pending', so a late or repeated mark never rewrites a settled alert; every mark clears the claim.
const MARK_SENT =
  "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = $2, last_error = NULL, claimed_by = NULL, claim_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'pending'";
const MARK_RETRY =
  "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_by = NULL, claim_until = NULL WHERE id = $3 AND status = 'pending'";
const MARK_FAILED =
  "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $1, claimed_by = NULL, claim_until = NULL WHERE id = $2 AND status = 'pending'";

/** Builds the outbox repository on a pool; times come from the clock, as in SQLite. */
export function createPgOutboxRepo(pool: PgConnections, clock: Clock): PgOutboxRepo {
  async function alerts(sql: string, values: unknown[]) {
    const res = await pool.query<AlertRow>(sql, values);
    return res.rows.map(toAlert);
  }

  async function states(sql: string, values: unknown[]) {
    const res = await pool.query<{ id: number; attempts: number; created_at: number }>(sql, values);
    return res.rows.map((r) => ({ id: r.id, attempts: r.attempts, createdAt: new Date(r.created_at) }));
  }

  return {
    async enqueueMany(db, jobs, now) {
      const rows = jobs.flatMap(({ jobId, intents }) =>
        outboxRowsOf(intents.map((i) => ({ ...i, reasons: i.reasons.map(pgText) })), now).map((r) => ({ job_id: jobId, ...r })),
      );
      if (rows.length === 0) return 0;
      // ON CONFLICT on the unique key only (as in SQLite): a NOT NULL or CHECK violation still fails loudly.
      const res = await db.query(
        `INSERT INTO outbox (job_id, channel, rules, reasons, next_attempt_at, created_at, digest)
         SELECT x.job_id, x.channel, x.rules::jsonb, x.reasons::jsonb, x.at, x.at, x.digest
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (job_id bigint, channel text, rules text, reasons text, at bigint, digest text))
           WITH ORDINALITY AS x(job_id, channel, rules, reasons, at, digest, n)
         ORDER BY x.n
         ON CONFLICT (job_id, channel) DO NOTHING`,
        [JSON.stringify(rows)],
      );
      return res.rowCount ?? 0;
    },
    dueAlerts(now, limit, page) {
      // LIMIT NULL is no limit.
      if (!page) {
        return alerts(`SELECT ${ALERT_COLUMNS} FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE ${DUE} ORDER BY o.created_at, o.id LIMIT $2`, [
          now.getTime(),
          limit ?? null,
        ]);
      }
      // Pages by (created_at, id), a total order that does not move as rows are marked.
      const after = page.after ?? { createdAt: Number.MIN_SAFE_INTEGER, id: 0 };
      return alerts(
        `SELECT ${ALERT_COLUMNS} FROM outbox o JOIN jobs j ON j.id = o.job_id
         WHERE o.channel = $3 AND ${FRESH_NOW} AND (o.created_at, o.id) > ($4::bigint, $5::bigint)
         ORDER BY o.created_at, o.id LIMIT $2`,
        [now.getTime(), limit ?? null, page.channel, after.createdAt, after.id],
      );
    },
    claimedAlerts: (now) =>
      alerts(`SELECT ${ALERT_COLUMNS} FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE o.status = 'pending' AND o.claim_until > $1 ORDER BY o.created_at, o.id`, [
        now.getTime(),
      ]),
    leftBehindAlerts: (now, dead) =>
      alerts(
        `SELECT ${ALERT_COLUMNS} FROM outbox o JOIN jobs j ON j.id = o.job_id
         WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND o.claimed_by IS NOT NULL
           AND (o.claim_until <= $1 OR o.claimed_by = ANY($2::text[]))
         ORDER BY o.created_at, o.id`,
        [now.getTime(), dead],
      ),
    async claimTokens(now) {
      const res = await pool.query<{ t: string }>(
        `SELECT claimed_by AS t FROM outbox WHERE status = 'pending' AND claim_until > $1 AND claimed_by IS NOT NULL
         GROUP BY claimed_by ORDER BY claimed_by COLLATE "C"`,
        [now.getTime()],
      );
      return res.rows.map((r) => r.t);
    },
    async dueChannels(now) {
      const res = await pool.query<{ channel: string }>(`SELECT o.channel FROM outbox o WHERE ${FRESH} GROUP BY o.channel ORDER BY o.channel COLLATE "C"`, [now.getTime()]);
      return res.rows.map((r) => r.channel);
    },
    async dueDigestRows(now, channel) {
      // Newest first, as a digest lists them; the id breaks ties the same way every time.
      const res = await pool.query<{ id: number; attempts: number; created_at: number; digest: string }>(
        `SELECT o.id, o.attempts, o.created_at, o.digest FROM outbox o JOIN jobs j ON j.id = o.job_id
         WHERE o.channel = $2 AND ${FRESH} AND o.digest IS NOT NULL
         ORDER BY coalesce(j.published, j.first_seen) DESC, o.id DESC`,
        [now.getTime(), channel],
      );
      return res.rows.map((r) => ({ id: r.id, attempts: r.attempts, createdAt: new Date(r.created_at), digest: r.digest }));
    },
    async countDue(now, channel) {
      const res = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM outbox o WHERE o.channel = $2 AND ${FRESH_NOW}`, [now.getTime(), channel]);
      return res.rows[0]?.n ?? 0;
    },
    async dueRuleCounts(now, channel) {
      const res = await pool.query<{ rule: string; n: number }>(
        `SELECT r.rule, count(*) AS n FROM outbox o, jsonb_array_elements_text(o.rules) AS r(rule)
         WHERE o.channel = $2 AND ${FRESH_NOW}
         GROUP BY r.rule ORDER BY n DESC, r.rule COLLATE "C"`,
        [now.getTime(), channel],
      );
      return res.rows.map((r) => ({ rule: r.rule, n: r.n }));
    },
    dueOfRule: (now, channel, rule) =>
      // jsonb ?: the array holds this string.
      states(`SELECT o.id, o.attempts, o.created_at FROM outbox o WHERE o.channel = $2 AND ${FRESH_NOW} AND o.rules ? $3 ORDER BY o.created_at, o.id`, [
        now.getTime(),
        channel,
        rule,
      ]),
    async alertsById(ids) {
      if (ids.length === 0) return [];
      return alerts(`SELECT ${ALERT_COLUMNS} FROM outbox o JOIN jobs j ON j.id = o.job_id WHERE o.id = ANY($1::bigint[]) ORDER BY o.created_at, o.id`, [ids]);
    },
    async claimAlerts(c) {
      if (c.ids.length === 0) return [];
      // One statement: the rows locked by the subquery are this claimer's and nobody else's; a row
      // another transaction holds locked is skipped (SKIP LOCKED), and a row whose claim changed since
      // this statement began is re-checked on its newest version (READ COMMITTED re-evaluates the
      // WHERE of a row it locks), so a live claim is never taken over unless its owner is named dead.
      const res = await pool.query<{ id: number }>(
        `WITH claimed AS (
           UPDATE outbox SET claimed_by = $2, claim_until = $3
           WHERE id IN (
             SELECT id FROM outbox
             WHERE id = ANY($1::bigint[]) AND status = 'pending' AND next_attempt_at <= $4
               AND (claimed_by IS NULL OR claim_until <= $4 OR claimed_by = ANY($5::text[]))
             FOR UPDATE SKIP LOCKED)
           RETURNING id)
         SELECT id FROM claimed ORDER BY id`,
        [c.ids, c.by, c.until.getTime(), c.now.getTime(), c.takeOver ?? []],
      );
      return res.rows.map((r) => r.id);
    },
    async recordOutcomes(marks) {
      if (marks.length === 0) return;
      const now = clock.now().getTime();
      const ids = marks.map((m) => m.id);
      if (new Set(ids).size !== ids.length) {
        // The same row marked twice: applied in order, as SQLite does (the first mark settles it, or a retry then a send both count).
        await recordInOrder(pool, marks, now);
        return;
      }
      // One statement, so one transaction, per message whatever the number of rows it carried.
      await pool.query(
        `UPDATE outbox o SET
           status = CASE m.kind WHEN 'sent' THEN 'sent' WHEN 'failed' THEN 'failed' ELSE o.status END,
           attempts = o.attempts + 1,
           sent_at = CASE WHEN m.kind = 'sent' THEN $5 ELSE o.sent_at END,
           last_error = CASE WHEN m.kind = 'sent' THEN NULL ELSE m.error END,
           next_attempt_at = CASE WHEN m.kind = 'retry' THEN m.at ELSE o.next_attempt_at END,
           claimed_by = NULL, claim_until = NULL
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS m(id, kind, error, at)
         WHERE o.id = m.id AND o.status = 'pending'`,
        [
          ids,
          marks.map((m) => m.status),
          marks.map((m) => (m.status === 'sent' ? null : pgText(m.error))),
          marks.map((m) => (m.status === 'retry' ? m.nextAttemptAt.getTime() : null)),
          now,
        ],
      );
    },
    async deferChannel(channel, now, until, error) {
      // Not attempted, so attempts stay; the give-up clock (created_at) keeps running.
      const res = await pool.query(`UPDATE outbox o SET next_attempt_at = $3, last_error = $4 WHERE o.channel = $2 AND ${FRESH}`, [
        now.getTime(),
        channel,
        until.getTime(),
        pgText(error),
      ]);
      return res.rowCount ?? 0;
    },
    async holdChannel(channel, now, until) {
      // Every pending row due before the window ends; a never-attempted row's give-up clock starts when it may first go.
      const res = await pool.query(
        `UPDATE outbox SET next_attempt_at = $3,
           created_at = CASE WHEN attempts = 0 AND created_at < $3 THEN $3 ELSE created_at END
         WHERE channel = $2 AND status = 'pending' AND next_attempt_at < $3 AND (claim_until IS NULL OR claim_until <= $1)`,
        [now.getTime(), channel, until.getTime()],
      );
      return res.rowCount ?? 0;
    },
    async countHeld(now) {
      const res = await pool.query<{ n: number }>(
        "SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND attempts = 0 AND last_error IS NULL AND next_attempt_at > $1",
        [now.getTime()],
      );
      return res.rows[0]?.n ?? 0;
    },
    async nextAlertDueAt() {
      // A claimed row is due again when its claim lapses (if its claimer never marks it).
      const res = await pool.query<{ t: number | null }>(
        "SELECT min(CASE WHEN claim_until > next_attempt_at THEN claim_until ELSE next_attempt_at END) AS t FROM outbox WHERE status = 'pending'",
      );
      const ms = res.rows[0]?.t ?? null;
      return ms === null ? null : new Date(ms);
    },
    async markSent(ids) {
      if (ids.length === 0) return;
      await pool.query(MARK_SENT, [ids, clock.now().getTime()]);
    },
    async markRetry(id, v) {
      await pool.query(MARK_RETRY, [pgText(v.error), v.nextAttemptAt.getTime(), id]);
    },
    async markFailed(id, error) {
      await pool.query(MARK_FAILED, [pgText(error), id]);
    },
    async countAlerts() {
      const result = { pending: 0, sent: 0, failed: 0 };
      const res = await pool.query<{ status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
      for (const { status, n } of res.rows) {
        if (status === 'pending' || status === 'sent' || status === 'failed') result[status] = n;
      }
      return result;
    },
    async requeueFailed(channel) {
      // A requeued alert starts over: no attempts, and its give-up clock restarts now.
      const now = clock.now().getTime();
      const res = await pool.query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, created_at = $1 WHERE status = 'failed' AND ($2::text IS NULL OR channel = $2)",
        [now, channel],
      );
      return res.rowCount ?? 0;
    },
  };
}

/** Marks applied one by one in one transaction: the rare list that marks one row twice. */
async function recordInOrder(pool: PgConnections, marks: readonly OutboxMark[], now: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    for (const m of marks) {
      if (m.status === 'sent') await client.query(MARK_SENT, [[m.id], now]);
      else if (m.status === 'retry') await client.query(MARK_RETRY, [pgText(m.error), m.nextAttemptAt.getTime(), m.id]);
      else await client.query(MARK_FAILED, [pgText(m.error), m.id]);
    }
  });
}
