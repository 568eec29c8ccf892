/**
 * The outbox: one row per alert (rule, job, channel), written in the same transaction as the
 * job it is about, then claimed, sent and marked by the dispatcher. Marks only move a row out of
 * 'pending', so a late or repeated mark never resurrects or rewrites a settled alert.
 *
 * A claim (claimed_by, claim_until) is written BEFORE a send: a row another dispatcher holds is
 * not taken until its lease ends (or its owner is known to be dead), so two processes never send
 * the same alert, and a send whose claim could not be written (database locked or full) never
 * happens. Every mark clears the claim.
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

/** A pending alert as the outbox holds it: with the claim it carries, if any. */
export interface OutboxAlert extends Alert {
  /** The claim token of the dispatch that last claimed the row; null when unclaimed. */
  claimedBy: string | null;
  /** When that claim lapses; null when unclaimed. */
  claimUntil: Date | null;
}

/** A claim on outbox rows: who (a token naming the process and the batch) and until when. */
export interface ClaimRequest {
  ids: readonly number[];
  by: string;
  until: Date;
  now: Date;
  /** Claim tokens of dead owners whose rows may be taken before their lease ends. */
  takeOver?: readonly string[];
}

/** An outcome to record for one alert; every mark clears the row's claim. */
export type OutboxMark =
  | { id: number; status: 'sent' }
  | { id: number; status: 'retry'; error: string; nextAttemptAt: Date }
  | { id: number; status: 'failed'; error: string };

/** Outbox reads and writes. */
export interface OutboxRepo {
  /** Queues the intents for a job; returns how many rows were new (duplicates are ignored). */
  enqueue(jobId: number, intents: readonly AlertIntent[], now: number): number;
  dueAlerts(now: Date, limit?: number): OutboxAlert[];
  claimedAlerts(now: Date): OutboxAlert[];
  claimAlerts(claim: ClaimRequest): number[];
  recordOutcomes(marks: readonly OutboxMark[]): void;
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
  claimed_by: string | null;
  claim_until: number | null;
}

/** Prepares the outbox statements once for this connection. */
export function createOutboxRepo(db: Database.Database, clock: Clock): OutboxRepo {
  // ON CONFLICT on the unique key, not INSERT OR IGNORE: OR IGNORE would also swallow NOT NULL
  // and CHECK violations, hiding a bug as a silently missing alert.
  const insert = db.prepare<[string, number, string, string, number, number]>(`
    INSERT INTO outbox (rule, job_id, channel, reasons, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (rule, job_id, channel) DO NOTHING`);
  // The job comes in the same statement (a join), not one query per alert. A row claimed by a
  // live dispatch is not due; one whose claim lapsed is (with the old claim, so the batch it
  // belonged to can be resent as it was).
  const ALERT_COLUMNS = `o.id AS alert_id, o.rule, o.channel, o.reasons, o.attempts, o.created_at, o.claimed_by, o.claim_until, ${JOB_COLUMNS}`;
  const due = db.prepare<[number, number, number], AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND (o.claim_until IS NULL OR o.claim_until <= ?)
    ORDER BY o.created_at, o.id
    LIMIT ?`);
  const claimed = db.prepare<[number], AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.status = 'pending' AND o.claim_until > ?
    ORDER BY o.created_at, o.id`);
  // One statement: the rows it returns are this claimer's and nobody else's. Only due rows: one
  // another process rescheduled since they were read is left alone.
  const claim = db.prepare<{ ids: string; by: string; until: number; now: number; takeOver: string }, number>(`
    UPDATE outbox SET claimed_by = @by, claim_until = @until
    WHERE id IN (SELECT value FROM json_each(@ids))
      AND status = 'pending' AND next_attempt_at <= @now
      AND (claimed_by IS NULL OR claim_until <= @now OR claimed_by IN (SELECT value FROM json_each(@takeOver)))
    RETURNING id`).pluck();
  // A claimed row is due again when its claim lapses (if its claimer never marks it).
  const nextDue = db
    .prepare<[], number | null>(
      "SELECT min(CASE WHEN claim_until > next_attempt_at THEN claim_until ELSE next_attempt_at END) FROM outbox WHERE status = 'pending'",
    )
    .pluck();
  const sent = db.prepare<[number, number]>(
    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL, claimed_by = NULL, claim_until = NULL WHERE id = ? AND status = 'pending'",
  );
  const retry = db.prepare<[string, number, number]>(
    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, claimed_by = NULL, claim_until = NULL WHERE id = ? AND status = 'pending'",
  );
  const failed = db.prepare<[string, number]>(
    "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?, claimed_by = NULL, claim_until = NULL WHERE id = ? AND status = 'pending'",
  );
  // A requeued alert starts over: no attempts, and its give-up clock restarts now.
  const requeue = db.prepare<[number, number, string | null, string | null]>(
    "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, created_at = ? WHERE status = 'failed' AND (? IS NULL OR channel = ?)",
  );
  const counts = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM outbox GROUP BY status');
  const markSentAll = db.transaction((ids: number[], now: number) => {
    for (const id of ids) sent.run(now, id);
  });
  const recordAll = db.transaction((marks: readonly OutboxMark[], now: number) => {
    for (const m of marks) {
      if (m.status === 'sent') sent.run(now, m.id);
      else if (m.status === 'retry') retry.run(m.error, m.nextAttemptAt.getTime(), m.id);
      else failed.run(m.error, m.id);
    }
  });
  const claimAll = db.transaction((c: ClaimRequest) =>
    claim.all({ ids: JSON.stringify(c.ids), by: c.by, until: c.until.getTime(), now: c.now.getTime(), takeOver: JSON.stringify(c.takeOver ?? []) }),
  );

  function enqueue(jobId: number, intents: readonly AlertIntent[], now: number): number {
    let queued = 0;
    for (const intent of intents) {
      queued += insert.run(intent.rule, jobId, intent.channel, JSON.stringify(intent.reasons), now, now).changes;
    }
    return queued;
  }

  function toAlert(row: AlertRow): OutboxAlert {
    return {
      id: row.alert_id,
      rule: row.rule,
      channel: row.channel,
      job: rowToJob(row),
      reasons: JSON.parse(row.reasons) as string[],
      attempts: row.attempts,
      createdAt: new Date(row.created_at),
      claimedBy: row.claimed_by,
      claimUntil: row.claim_until === null ? null : new Date(row.claim_until),
    };
  }

  function dueAlerts(now: Date, limit?: number): OutboxAlert[] {
    // LIMIT -1 is SQLite for "no limit".
    return due.all(now.getTime(), now.getTime(), limit ?? -1).map(toAlert);
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
    claimedAlerts: (now) => claimed.all(now.getTime()).map(toAlert),
    claimAlerts(c) {
      // IMMEDIATE: the write lock is taken up front, so a locked database fails here, before
      // anything is sent, and never half-way.
      return c.ids.length === 0 ? [] : claimAll.immediate(c);
    },
    recordOutcomes(marks) {
      if (marks.length > 0) recordAll.immediate(marks, clock.now().getTime());
    },
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
