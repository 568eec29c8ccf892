/**
 * The outbox: one row per alert (rule, job, channel), written in the same transaction as the
 * job it is about, then sent and marked by the dispatcher. Marks only move a row out of
 * 'pending', so a late or repeated mark never resurrects or rewrites a settled alert.
 */
import type Database from 'better-sqlite3';
import type { Alert, Clock } from '../core/types.js';
import { JOB_COLUMNS, rowToJob } from './jobs.js';
import type { JobRow } from './jobs.js';

/** An alert that rule matching wants queued for a new job. */
export interface AlertIntent {
  rule: string;
  channel: string;
  reasons: string[];
}

/** Outbox reads and writes. */
export interface OutboxRepo {
  /** Queues the intents for a job; returns how many rows were new (duplicates are ignored). */
  enqueue(jobId: number, intents: readonly AlertIntent[], now: number): number;
  dueAlerts(now: Date, limit?: number): Alert[];
  nextAlertDueAt(): Date | null;
  markSent(ids: number[]): void;
  markRetry(id: number, v: { error: string; nextAttemptAt: Date }): void;
  markFailed(id: number, error: string): void;
  countAlerts(): { pending: number; sent: number; failed: number };
  requeueFailed(channel: string | null): number;
}

interface AlertRow extends JobRow {
  alert_id: number;
  rule: string;
  channel: string;
  reasons: string;
  attempts: number;
  created_at: number;
}

/** Prepares the outbox statements once for this connection. */
export function createOutboxRepo(db: Database.Database, clock: Clock): OutboxRepo {
  // ON CONFLICT on the unique key, not INSERT OR IGNORE: OR IGNORE would also swallow NOT NULL
  // and CHECK violations, hiding a bug as a silently missing alert.
  const insert = db.prepare<[string, number, string, string, number, number]>(`
    INSERT INTO outbox (rule, job_id, channel, reasons, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (rule, job_id, channel) DO NOTHING`);
  // The job comes in the same statement (a join), not one query per alert.
  const due = db.prepare<[number, number], AlertRow>(`
    SELECT o.id AS alert_id, o.rule, o.channel, o.reasons, o.attempts, o.created_at, ${JOB_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= ?
    ORDER BY o.created_at, o.id
    LIMIT ?`);
  const nextDue = db
    .prepare<[], number | null>("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'")
    .pluck();
  const sent = db.prepare<[number, number]>(
    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ? AND status = 'pending'",
  );
  const retry = db.prepare<[string, number, number]>(
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
  );
  const failed = db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'",
  );
  // A requeued alert starts over: no attempts, and its give-up clock restarts now.
  const requeue = db.prepare<[number, number, string | null, string | null]>(
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, created_at = ? WHERE status = 'failed' AND (? IS NULL OR channel = ?)",
  );
  const counts = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
  const markSentAll = db.transaction((ids: number[], now: number) => {
    for (const id of ids) sent.run(now, id);
  });

  function enqueue(jobId: number, intents: readonly AlertIntent[], now: number): number {
    let queued = 0;
    for (const intent of intents) {
      queued += insert.run(intent.rule, jobId, intent.channel, JSON.stringify(intent.reasons), now, now).changes;
    }
    return queued;
  }

  function dueAlerts(now: Date, limit?: number): Alert[] {
    // LIMIT -1 is SQLite for "no limit".
    return due.all(now.getTime(), limit ?? -1).map((row) => ({
      id: row.alert_id,
      rule: row.rule,
      channel: row.channel,
      job: rowToJob(row),
      reasons: JSON.parse(row.reasons) as string[],
      attempts: row.attempts,
      createdAt: new Date(row.created_at),
    }));
  }

  function countAlerts(): { pending: number; sent: number; failed: number } {
    const result = { pending: 0, sent: 0, failed: 0 };
    for (const { status, n } of counts.all()) {
      if (status === 'pending' || status === 'sent' || status === 'failed') result[status] = n;
    }
    return result;
  }

  return {
    enqueue,
    dueAlerts,
    nextAlertDueAt() {
      const ms = nextDue.get();
      return ms === null || ms === undefined ? null : new Date(ms);
    },
    markSent(ids) {
      if (ids.length > 0) markSentAll(ids, clock.now().getTime());
    },
    markRetry(id, v) {
      retry.run(v.error, v.nextAttemptAt.getTime(), id);
    },
    markFailed(id, error) {
      failed.run(error, id);
    },
    countAlerts,
    requeueFailed(channel) {
      const now = clock.now().getTime();
      return requeue.run(now, now, channel, channel).changes;
    },
  };
}
