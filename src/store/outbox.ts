/**
 * The outbox: one row per (job, channel), listing the rules that matched the job (and each
 * rule's reasons), written in the same transaction as the job it is about, then claimed, sent
 * and marked by the dispatcher. A job that matches 70 rules is still one message per channel,
 * so it is one row, one claim, one mark. Marks only move a row out of 'pending', so a late or
 * repeated mark never resurrects or rewrites a settled alert.
 *
 * A claim (claimed_by, claim_until) is written BEFORE a send: a row another dispatcher holds is
 * not taken until its lease ends (or its owner is known to be dead), so two processes never send
 * the same alert, and a send whose claim could not be written (database locked or full) never
 * happens. Every mark clears the claim.
 */
import type Database from 'better-sqlite3';
import type { Alert, Clock } from '../core/types.js';
import { distinctReasons } from '../match/reasons.js';
import { rowToJob } from './jobs.js';
import type { JobRow } from './jobs.js';

/** An alert that rule matching wants queued for a new job: one rule, one channel. */
export interface AlertIntent {
  rule: string;
  channel: string;
  reasons: string[];
  /** The rule sends digests: the job waits for the rule's next digest, at `at` (epoch ms). */
  digest?: { at: number };
}

/** One rule a queued job matched, with that rule's reasons. */
export interface RuleMatch {
  rule: string;
  reasons: string[];
}

/**
 * A pending alert as the outbox holds it: one job for one channel, with every rule it matched
 * and the claim it carries, if any. As an Alert, `rule` names every rule ("a, b") and `reasons`
 * holds what the rules' reasons say, each once (distinctReasons), in rule order. Only the first
 * ALERT_DESCRIPTION_CHARS characters of the job's description are loaded (for the alert's snippet).
 */
export interface OutboxAlert extends Alert {
  /** The rules the job matched for this channel, config order, each with its reasons. */
  matches: RuleMatch[];
  /** The claim token of the dispatch that last claimed the row; null when unclaimed. */
  claimedBy: string | null;
  /** When that claim lapses; null when unclaimed. */
  claimUntil: Date | null;
  /** The rule whose digest the alert waits for (it goes in one digest message); null for an alert sent as it comes. */
  digest: string | null;
}

/** What delivery needs of an alert to record an outcome: no job, no rules. */
export interface AlertState {
  id: number;
  attempts: number;
  createdAt: Date;
}

/** A due digest row, without its job: what a digest is claimed and counted by. */
export interface DigestRow extends AlertState {
  digest: string;
}

/** Where a page of due alerts starts: after this row in (created_at, id) order. */
export interface OutboxCursor {
  createdAt: number;
  id: number;
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
  /**
   * Queues the intents for a job, one row per channel listing its rules; returns how many rows were
   * new (a (job, channel) already queued is left alone). A channel whose intents all come from
   * digest rules waits for the earliest of their digests; one immediate rule sends it now.
   */
  enqueue(jobId: number, intents: readonly AlertIntent[], now: number): number;
  /**
   * Due pending alerts no live claim holds, oldest first (created_at, id), at most `limit`. With
   * `page`: one channel's never-claimed ones only, after the cursor (a page of a dispatch).
   */
  dueAlerts(now: Date, limit?: number, page?: { channel: string; after?: OutboxCursor }): OutboxAlert[];
  /** Pending alerts held by a claim that has not lapsed yet (their owner may be dead). */
  claimedAlerts(now: Date): OutboxAlert[];
  /** Due pending alerts a claim left behind: lapsed, or held by one of `deadTokens`; oldest first. */
  leftBehindAlerts(now: Date, deadTokens: readonly string[]): OutboxAlert[];
  /** The distinct tokens of live claims on pending rows (to find those of dead owners without loading their rows). */
  claimTokens(now: Date): string[];
  /** Channels with due, never-claimed pending alerts (digest rows included). */
  dueChannels(now: Date): string[];
  /** A channel's due, never-claimed digest rows, newest job first (published, else first seen), without their jobs. */
  dueDigestRows(now: Date, channel: string): DigestRow[];
  /** How many due, never-claimed pending alerts (not digest rows) a channel has. */
  countDue(now: Date, channel: string): number;
  /** Per rule, how many due, never-claimed pending alerts of a channel list it, most first (for the Slack flood guard). */
  dueRuleCounts(now: Date, channel: string): Array<{ rule: string; n: number }>;
  /** A channel's due, never-claimed pending alerts that list a rule, oldest first, without their jobs. */
  dueOfRule(now: Date, channel: string, rule: string): AlertState[];
  /** Alerts by id, oldest first, whatever their state. */
  alertsById(ids: readonly number[]): OutboxAlert[];
  claimAlerts(claim: ClaimRequest): number[];
  recordOutcomes(marks: readonly OutboxMark[]): void;
  /** Reschedules a channel's due, unclaimed pending alerts (not attempted) to `until`; returns how many. */
  deferChannel(channel: string, now: Date, until: Date, error: string): number;
  /**
   * Quiet hours: holds every pending alert of a channel due before `until` (claims that lapsed
   * included, so a batch left behind is resent as it was, later) until then; returns how many.
   * Not an attempt, not an error; a never-attempted alert's give-up clock starts at `until`.
   */
  holdChannel(channel: string, now: Date, until: Date): number;
  /** Pending alerts waiting for their time (a digest or the end of quiet hours), never attempted: not undelivered. */
  countHeld(now: Date): number;
  nextAlertDueAt(): Date | null;
  markSent(ids: number[]): void;
  markRetry(id: number, v: { error: string; nextAttemptAt: Date }): void;
  markFailed(id: number, error: string): void;
  countAlerts(): { pending: number; sent: number; failed: number };
  requeueFailed(channel: string | null): number;
}

/** An outbox row joined with its job, as ALERT_COLUMNS selects it. */
export interface AlertRow extends JobRow {
  alert_id: number;
  rules: string;
  channel: string;
  reasons: string;
  attempts: number;
  created_at: number;
  claimed_by: string | null;
  claim_until: number | null;
  digest: string | null;
}

/** One outbox row to write for a job: a channel, its rules and reasons as JSON text, when it is due, and the digest it waits for. */
export interface OutboxRowValues {
  channel: string;
  rules: string;
  reasons: string;
  /** next_attempt_at and created_at. */
  at: number;
  digest: string | null;
}

/**
 * The outbox rows a job's intents make: one per channel listing its rules in the order decide()
 * gave them (config order), each once. A channel whose intents all come from digest rules waits
 * for the earliest of their digests; one immediate rule sends it now.
 */
export function outboxRowsOf(intents: readonly AlertIntent[], now: number): OutboxRowValues[] {
  // Per channel, the rules in the order decide() gave them (config order), each once.
  const byChannel = new Map<string, RuleMatch[]>();
  for (const intent of intents) {
    const list = byChannel.get(intent.channel);
    if (!list) byChannel.set(intent.channel, [{ rule: intent.rule, reasons: intent.reasons }]);
    else if (!list.some((m) => m.rule === intent.rule)) list.push({ rule: intent.rule, reasons: intent.reasons });
  }
  const rows: OutboxRowValues[] = [];
  for (const [channel, matches] of byChannel) {
    const rules = JSON.stringify(matches.map((m) => m.rule));
    const reasons = JSON.stringify(matches.map((m) => m.reasons));
    // One immediate rule sends the job now (and so not again in a digest: one row per job and
    // channel); else it waits for the first digest of its rules, whose time starts its give-up clock.
    const forChannel = intents.filter((i) => i.channel === channel);
    const digest = forChannel.every((i) => i.digest) ? forChannel.reduce((a, b) => (b.digest!.at < a.digest!.at ? b : a)) : null;
    const at = digest ? digest.digest!.at : now;
    rows.push({ channel, rules, reasons, at, digest: digest ? digest.rule : null });
  }
  return rows;
}

/** Turns an outbox row joined with its job (ALERT_COLUMNS) into an OutboxAlert. */
export function toAlert(row: AlertRow): OutboxAlert {
  const rules = JSON.parse(row.rules) as string[];
  const reasons = JSON.parse(row.reasons) as string[][];
  const matches = rules.map((rule, i) => ({ rule, reasons: reasons[i] ?? [] }));
  return {
    id: row.alert_id,
    rule: rules.join(', '),
    channel: row.channel,
    job: rowToJob(row),
    // Rules asking the same thing say it in the same words; one saying more covers the other's.
    reasons: distinctReasons(matches.flatMap((m) => m.reasons)),
    matches,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    claimedBy: row.claimed_by,
    claimUntil: row.claim_until === null ? null : new Date(row.claim_until),
    digest: row.digest,
  };
}

/**
 * How much of a job's description an alert loads: enough for its two-line snippet after a company
 * introduction (notify/snippet.ts), never the whole text (most of a job's bytes), so a page of due
 * alerts and a 50-job email stay small whatever the postings weigh.
 */
export const ALERT_DESCRIPTION_CHARS = 2000;

/** The job columns an alert renders: JOB_COLUMNS (store/jobs.ts) with a bounded prefix of the description. */
const ALERT_JOB_COLUMNS = `
  j.id, j.title, j.company, j.location, substr(j.description, 1, ${ALERT_DESCRIPTION_CHARS}) AS description, j.published,
  j.salary_min, j.salary_max, j.salary_currency, j.salary_period, j.annual_min, j.annual_max,
  j.arrangement, j.remote_regions, j.seniority, j.role, j.tags, j.first_seen, j.last_seen,
  (SELECT json_group_array(json_array(p.feed, p.source_id, p.url, p.canonical_url) ORDER BY p.id)
     FROM postings p WHERE p.job_id = j.id) AS sightings`;

/** Prepares the outbox statements once for this connection. */
export function createOutboxRepo(db: Database.Database, clock: Clock): OutboxRepo {
  // ON CONFLICT on the unique key, not INSERT OR IGNORE: OR IGNORE would also swallow NOT NULL
  // and CHECK violations, hiding a bug as a silently missing alert.
  const insert = db.prepare<[number, string, string, string, number, number, string | null]>(`
    INSERT INTO outbox (job_id, channel, rules, reasons, next_attempt_at, created_at, digest)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (job_id, channel) DO NOTHING`);
  // The job comes in the same statement (a join), not one query per alert. A row claimed by a
  // live dispatch is not due; one whose claim lapsed is (with the old claim, so the batch it
  // belonged to can be resent as it was).
  const ALERT_COLUMNS = `o.id AS alert_id, o.rules, o.channel, o.reasons, o.attempts, o.created_at, o.claimed_by, o.claim_until, o.digest, ${ALERT_JOB_COLUMNS}`;
  const DUE = `o.status = 'pending' AND o.next_attempt_at <= @now AND (o.claim_until IS NULL OR o.claim_until <= @now)`;
  // Due and never claimed (or released by a mark): what a dispatch plans fresh messages from.
  // Rows a claim left behind are resent as they were claimed (leftBehindAlerts), not re-planned.
  const FRESH = `o.status = 'pending' AND o.next_attempt_at <= @now AND o.claimed_by IS NULL`;
  // Fresh rows sent as they come (one message per job, email batches, the flood guard); digest rows go their own way.
  const FRESH_NOW = `${FRESH} AND o.digest IS NULL`;
  const dueAll = db.prepare<{ now: number; limit: number }, AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE ${DUE}
    ORDER BY o.created_at, o.id
    LIMIT @limit`);
  // Pages by (created_at, id), a total order that does not move as rows are marked: a row
  // skipped (claimed elsewhere) is never read twice and a row queued later comes last. One
  // channel, fresh rows only: the partial index outbox_channel_pending serves it.
  const duePage = db.prepare<{ now: number; limit: number; channel: string; afterAt: number; afterId: number }, AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.channel = @channel AND ${FRESH_NOW}
      AND (o.created_at > @afterAt OR (o.created_at = @afterAt AND o.id > @afterId))
    ORDER BY o.created_at, o.id
    LIMIT @limit`);
  const claimed = db.prepare<{ now: number }, AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.status = 'pending' AND o.claim_until > @now
    ORDER BY o.created_at, o.id`);
  const leftBehind = db.prepare<{ now: number; tokens: string }, AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.status = 'pending' AND o.next_attempt_at <= @now AND o.claimed_by IS NOT NULL
      AND (o.claim_until <= @now OR o.claimed_by IN (SELECT value FROM json_each(@tokens)))
    ORDER BY o.created_at, o.id`);
  const tokens = db
    .prepare<[number], string>("SELECT DISTINCT claimed_by FROM outbox WHERE status = 'pending' AND claim_until > ? AND claimed_by IS NOT NULL")
    .pluck();
  const channels = db.prepare<{ now: number }, string>(`SELECT DISTINCT o.channel FROM outbox o WHERE ${FRESH} ORDER BY o.channel`).pluck();
  const countDue = db.prepare<{ now: number; channel: string }, number>(`SELECT count(*) FROM outbox o WHERE o.channel = @channel AND ${FRESH_NOW}`).pluck();
  // Newest first, as a digest lists them; the id breaks ties the same way every time.
  const digestRows = db.prepare<{ now: number; channel: string }, { id: number; attempts: number; created_at: number; digest: string }>(`
    SELECT o.id, o.attempts, o.created_at, o.digest
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.channel = @channel AND ${FRESH} AND o.digest IS NOT NULL
    ORDER BY coalesce(j.published, j.first_seen) DESC, o.id DESC`);
  // The only read inside a JSON column: the flood guard counts a channel's due jobs per rule.
  const ruleCounts = db.prepare<{ now: number; channel: string }, { rule: string; n: number }>(`
    SELECT r.value AS rule, count(*) AS n
    FROM outbox o, json_each(o.rules) r
    WHERE o.channel = @channel AND ${FRESH_NOW}
    GROUP BY r.value
    ORDER BY n DESC, rule`);
  const rowsOfRule = db.prepare<{ now: number; channel: string; rule: string }, { id: number; attempts: number; created_at: number }>(`
    SELECT o.id, o.attempts, o.created_at FROM outbox o
    WHERE o.channel = @channel AND ${FRESH_NOW} AND EXISTS (SELECT 1 FROM json_each(o.rules) r WHERE r.value = @rule)
    ORDER BY o.created_at, o.id`);
  const byIds = db.prepare<[string], AlertRow>(`
    SELECT ${ALERT_COLUMNS}
    FROM outbox o JOIN jobs j ON j.id = o.job_id
    WHERE o.id IN (SELECT value FROM json_each(?))
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
  // Not attempted, so attempts stay; the give-up clock (created_at) keeps running.
  const defer = db.prepare<{ now: number; channel: string; until: number; error: string }>(
    `UPDATE outbox AS o SET next_attempt_at = @until, last_error = @error WHERE o.channel = @channel AND ${FRESH}`,
  );
  // Every pending row due before the window ends, not only those due now: nothing wakes the daemon
  // in the middle of the night to find the channel still quiet. A never-attempted row's give-up
  // clock starts when it may first go.
  const hold = db.prepare<{ now: number; channel: string; until: number }>(`
    UPDATE outbox SET next_attempt_at = @until,
      created_at = CASE WHEN attempts = 0 AND created_at < @until THEN @until ELSE created_at END
    WHERE channel = @channel AND status = 'pending' AND next_attempt_at < @until AND (claim_until IS NULL OR claim_until <= @now)`);
  const held = db
    .prepare<[number], number>("SELECT count(*) FROM outbox WHERE status = 'pending' AND attempts = 0 AND last_error IS NULL AND next_attempt_at > ?")
    .pluck();
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
    for (const r of outboxRowsOf(intents, now)) queued += insert.run(jobId, r.channel, r.rules, r.reasons, r.at, r.at, r.digest).changes;
    return queued;
  }

  function dueAlerts(now: Date, limit?: number, page?: { channel: string; after?: OutboxCursor }): OutboxAlert[] {
    // LIMIT -1 is SQLite for "no limit".
    if (!page) return dueAll.all({ now: now.getTime(), limit: limit ?? -1 }).map(toAlert);
    const after = page.after ?? { createdAt: Number.MIN_SAFE_INTEGER, id: 0 };
    return duePage.all({ now: now.getTime(), limit: limit ?? -1, channel: page.channel, afterAt: after.createdAt, afterId: after.id }).map(toAlert);
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
    claimedAlerts: (now) => claimed.all({ now: now.getTime() }).map(toAlert),
    leftBehindAlerts: (now, dead) => leftBehind.all({ now: now.getTime(), tokens: JSON.stringify(dead) }).map(toAlert),
    claimTokens: (now) => tokens.all(now.getTime()),
    dueChannels: (now) => channels.all({ now: now.getTime() }),
    dueDigestRows: (now, channel) =>
      digestRows.all({ now: now.getTime(), channel }).map((r) => ({ id: r.id, attempts: r.attempts, createdAt: new Date(r.created_at), digest: r.digest })),
    countDue: (now, channel) => countDue.get({ now: now.getTime(), channel }) ?? 0,
    dueRuleCounts: (now, channel) => ruleCounts.all({ now: now.getTime(), channel }),
    dueOfRule: (now, channel, rule) =>
      rowsOfRule.all({ now: now.getTime(), channel, rule }).map((r) => ({ id: r.id, attempts: r.attempts, createdAt: new Date(r.created_at) })),
    alertsById: (ids) => (ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(toAlert)),
    claimAlerts(c) {
      // IMMEDIATE: the write lock is taken up front, so a locked database fails here, before
      // anything is sent, and never half-way.
      return c.ids.length === 0 ? [] : claimAll.immediate(c);
    },
    recordOutcomes(marks) {
      // One transaction per message, whatever the number of rows it carried.
      if (marks.length > 0) recordAll.immediate(marks, clock.now().getTime());
    },
    deferChannel(channel, now, until, error) {
      return defer.run({ now: now.getTime(), channel, until: until.getTime(), error }).changes;
    },
    holdChannel(channel, now, until) {
      return hold.run({ now: now.getTime(), channel, until: until.getTime() }).changes;
    },
    countHeld: (now) => held.get(now.getTime()) ?? 0,
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
