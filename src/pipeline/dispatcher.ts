/**
 * The dispatcher: claims due alerts from the outbox, sends them and records each outcome.
 *
 * Every send is preceded by a claim of its rows (a write, see store/outbox.ts): a delivery that
 * cannot be recorded is never sent, and two processes on one database never send the same
 * alert. When the claim cannot be written (database locked by another process, disk full)
 * delivery stops and the write gate backs off; when a send succeeded but its record cannot be
 * written, the outcome is kept in memory and written first thing next time, and the alert is
 * never sent again by this process meanwhile (its claim keeps other processes off it).
 *
 * Email channels get one message per batch of at most `max_jobs_per_email` jobs; Slack and
 * console get one message per job. Each batch is claimed, sent and recorded on its own, so a
 * crash can resend at most the one message in flight (for email with the same Message-ID, as
 * the batch keeps its claim token and so its ids). A transient failure reschedules the alert
 * (and the rest of that channel's batches: a rate-limited API is not hammered); a permanent one
 * marks it failed. Channels are served concurrently so a slow SMTP server never delays Slack.
 *
 * Alerts are (rule, job, channel) in the outbox, but when several rules match the same job
 * for the same channel the person gets ONE message naming every rule: the same job twice in
 * one Slack channel is exactly the noise jobalert exists to remove.
 */
import type { Logger } from 'pino';
import type { Alert, Clock } from '../core/types.js';
import { NotifyError } from '../core/errors.js';
import type { Notifier, SendOutcome } from '../notify/types.js';
import { DEFAULT_MAX_JOBS_PER_EMAIL } from '../notify/email.js';
import type { OutboxAlert, OutboxMark, Store } from '../store/store.js';
import type { Metrics } from '../ops/metrics.js';
import { alertBackoffMs } from './backoff.js';
import type { ClaimOwner } from './claim-owner.js';
import type { WriteGate } from './write-gate.js';

/** The longest a service's Retry-After holds a channel. */
export const MAX_SERVER_WAIT_MS = 3_600_000;

/**
 * How long a claim keeps other dispatchers off its rows: well beyond the longest send (SMTP and
 * Slack time out after 20 s per step), so a live sender never loses its batch; a dead one's
 * batch goes out again after at most this long (at once when it died on this host).
 */
export const CLAIM_LEASE_MS = 5 * 60_000;


/** What delivery remembers between dispatches; owned by the caller (one per database connection). */
export interface DeliveryState {
  /**
   * Channel -> epoch ms before which it is not sent to: set from a Retry-After, so a
   * rate-limited channel is left alone by every dispatch until then, not only by the one that
   * was told.
   */
  holds: Map<string, number>;
  /** Outcomes of sends that could not be recorded yet, by alert id: written before anything else, never resent meanwhile. */
  unrecorded: Map<number, OutboxMark>;
  gate: WriteGate;
  owner: ClaimOwner;
}

export interface DispatchDeps {
  store: Store;
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** A transiently failing alert older than this is given up on (marked failed). */
  giveUpAfterMs: number;
  state: DeliveryState;
  random?: () => number;
  /** Claim lease; default CLAIM_LEASE_MS. */
  leaseMs?: number;
  /** The notifiers only print what would be sent (`run --dry-run`): the log must not say "sent". */
  dryRun?: boolean;
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
  /** Set when delivery stopped because the database cannot be written: when it will try again. */
  pausedUntil: Date | null;
  /** Alerts sent whose outcome is not recorded yet (kept in memory; never resent by this process). */
  unrecorded: number;
}

/** Sends every due alert once; never throws for delivery failures or an unwritable database. */
export async function dispatchDue(deps: DispatchDeps): Promise<DispatchResult> {
  const { store, clock, state } = deps;
  const total: DispatchResult = { sent: 0, retrying: 0, failed: 0, pausedUntil: null, unrecorded: 0 };
  const finish = (): DispatchResult => {
    total.pausedUntil = state.gate.pausedUntil();
    total.unrecorded = state.unrecorded.size;
    return total;
  };
  if (isPaused(deps) || !flushUnrecorded(deps)) return finish();

  const now = clock.now();
  const free = store.dueAlerts(now);
  // Claims whose process died on this host are taken over now rather than after their lease.
  const orphaned = store.claimedAlerts(now).filter((a) => state.owner.isGone(a.claimedBy!));
  const takeOver = [...new Set(orphaned.map((a) => a.claimedBy!))];
  const candidates = [...free, ...orphaned]
    .filter((a) => (state.holds.get(a.channel) ?? 0) <= now.getTime() && !state.unrecorded.has(a.id))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  const byChannel = new Map<string, OutboxAlert[]>();
  for (const alert of candidates) {
    const list = byChannel.get(alert.channel);
    if (list) list.push(alert);
    else byChannel.set(alert.channel, [alert]);
  }
  const results = await Promise.all([...byChannel].map(([channel, alerts]) => dispatchChannel(channel, alerts, takeOver, deps)));
  for (const r of results) {
    total.sent += r.sent;
    total.retrying += r.retrying;
    total.failed += r.failed;
  }
  return finish();
}

type Counts = Pick<DispatchResult, 'sent' | 'retrying' | 'failed'>;

/** The alerts of one job for one channel: sent as one message, recorded per alert. */
interface AlertGroup {
  members: OutboxAlert[];
}

/** What one send carries: one job for Slack and console, up to max_jobs_per_email jobs for email. */
interface Batch {
  groups: AlertGroup[];
}

/** True while the write gate says not to try yet. */
function isPaused(deps: DispatchDeps): boolean {
  const until = deps.state.gate.pausedUntil();
  return until !== null && until.getTime() > deps.clock.now().getTime();
}

/** Writes the outcomes kept in memory; false when they still cannot be written. */
function flushUnrecorded(deps: DispatchDeps): boolean {
  const { state, store, log } = deps;
  if (state.unrecorded.size === 0) return true;
  const marks = [...state.unrecorded.values()];
  if (!state.gate.write(() => store.recordOutcomes(marks)).ok) return false;
  state.unrecorded.clear();
  log.info({ alerts: marks.length }, 'Recorded the outcome of alerts sent while the database could not be written');
  return true;
}

/** Groups by job (in order of first appearance), then cuts into batches of at most `max` jobs. */
function batchesOf(alerts: OutboxAlert[], max: number): Batch[] {
  const groups = new Map<number, AlertGroup>();
  for (const a of alerts) {
    const g = groups.get(a.job.id);
    if (g) g.members.push(a);
    else groups.set(a.job.id, { members: [a] });
  }
  const list = [...groups.values()];
  const out: Batch[] = [];
  for (let i = 0; i < list.length; i += max) out.push({ groups: list.slice(i, i + max) });
  return out;
}

/**
 * The channel's batches: first those a lapsed or dead claim left behind, each as it was claimed
 * (so a resent email is the same message), then the rest, oldest first.
 */
function channelBatches(alerts: OutboxAlert[], max: number): Batch[] {
  const leftBehind = new Map<string, OutboxAlert[]>();
  const fresh: OutboxAlert[] = [];
  for (const a of alerts) {
    if (a.claimedBy === null) fresh.push(a);
    else {
      const list = leftBehind.get(a.claimedBy);
      if (list) list.push(a);
      else leftBehind.set(a.claimedBy, [a]);
    }
  }
  return [...[...leftBehind.values()].flatMap((list) => batchesOf(list, max)), ...batchesOf(fresh, max)];
}

/** The one alert shown for a group: every matching rule named, every reason kept once. */
function mergedAlert(group: AlertGroup): Alert {
  const [first, ...rest] = group.members;
  if (!rest.length) return first!;
  return {
    ...first!,
    rule: group.members.map((a) => a.rule).join(', '),
    reasons: [...new Set(group.members.flatMap((a) => a.reasons))],
  };
}

const idsOf = (batches: Batch[]): number[] => batches.flatMap((b) => b.groups.flatMap((g) => g.members.map((a) => a.id)));

/**
 * Claims a batch's rows; returns the batch cut down to the rows this dispatcher got (another may
 * hold some), or null when the claim could not be written (delivery pauses).
 */
function claimBatch(batch: Batch, takeOver: readonly string[], deps: DispatchDeps): Batch | null {
  const { state, store, clock } = deps;
  if (isPaused(deps)) return null;
  const now = clock.now();
  const claim = state.gate.write(() =>
    store.claimAlerts({ ids: idsOf([batch]), by: state.owner.next(), until: new Date(now.getTime() + (deps.leaseMs ?? CLAIM_LEASE_MS)), now, takeOver }),
  );
  if (!claim.ok) return null;
  const got = new Set(claim.value);
  const groups = batch.groups.map((g) => ({ members: g.members.filter((a) => got.has(a.id)) })).filter((g) => g.members.length > 0);
  return { groups };
}

/** Writes the marks of one send; when they cannot be written they are kept in memory (and delivery pauses). */
function recordMarks(marks: OutboxMark[], deps: DispatchDeps, log: Logger): boolean {
  if (deps.state.gate.write(() => deps.store.recordOutcomes(marks)).ok) return true;
  for (const m of marks) deps.state.unrecorded.set(m.id, m);
  log.warn({ alerts: marks.length }, 'Delivery outcome not recorded yet (database cannot be written); kept in memory and not resent');
  return false;
}

async function dispatchChannel(channel: string, alerts: OutboxAlert[], takeOver: readonly string[], deps: DispatchDeps): Promise<Counts> {
  const result: Counts = { sent: 0, retrying: 0, failed: 0 };
  const log = deps.log.child({ channel });
  const notifier = deps.notifiers.get(channel);
  const perMessage = notifier?.type === 'email' ? Math.max(1, notifier.maxJobsPerMessage ?? DEFAULT_MAX_JOBS_PER_EMAIL) : 1;
  const batches = channelBatches(alerts, notifier ? perMessage : Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < batches.length; i++) {
    const batch = claimBatch(batches[i]!, takeOver, deps);
    if (batch === null) break;
    if (batch.groups.length === 0) continue;
    let outcomes: SendOutcome[];
    if (!notifier) {
      // The config no longer defines this channel (alerts queued before an edit): nothing can send them.
      const error = new NotifyError(`channel "${channel}" is not configured`, { retryable: false });
      outcomes = batch.groups.map(() => ({ ok: false, error }));
    } else {
      outcomes = await safeSend(notifier, batch.groups.map(mergedAlert), { alertIds: idsOf([batch]) });
    }
    const marks = batch.groups.flatMap((g, k) => g.members.map((a) => outcomeMark(a, outcomes[k]!, deps, log, result)));
    if (!recordMarks(marks, deps, log)) break;
    const transient = outcomes.find((o): o is Extract<SendOutcome, { ok: false }> => !o.ok && o.error.retryable);
    if (transient && i + 1 < batches.length) {
      // The rest of the channel waits with it: a failing or rate-limited service is not hammered.
      const rest = claimBatch({ groups: batches.slice(i + 1).flatMap((b) => b.groups) }, takeOver, deps);
      if (rest === null) break;
      const restMarks = rest.groups.flatMap((g) => g.members.map((a) => outcomeMark(a, transient, deps, log, result)));
      recordMarks(restMarks, deps, log);
      break;
    }
  }
  return result;
}

/** A notifier must not throw, but if one does the alerts are retried rather than lost. */
async function safeSend(notifier: Notifier, alerts: Alert[], batch: { alertIds: number[] }): Promise<SendOutcome[]> {
  try {
    const outcomes = await notifier.send(alerts, batch);
    if (outcomes.length === alerts.length) return outcomes;
    throw new Error(`notifier returned ${outcomes.length} outcomes for ${alerts.length} alerts`);
  } catch (err) {
    const error = err instanceof NotifyError ? err : new NotifyError(err instanceof Error ? err.message : String(err), { retryable: true, cause: err });
    return alerts.map(() => ({ ok: false, error }));
  }
}

/** What a send's outcome means for one alert (logged and counted here), as the mark to record. */
function outcomeMark(alert: Alert, outcome: SendOutcome, deps: DispatchDeps, log: Logger, result: Counts): OutboxMark {
  const { metrics, clock } = deps;
  const ctx = { alertId: alert.id, rule: alert.rule, jobId: alert.job.id };
  if (outcome.ok) {
    metrics.alertsSent.inc({ channel: alert.channel });
    result.sent += 1;
    log.info(ctx, deps.dryRun ? 'Alert would be sent (dry run)' : 'Alert sent');
    return { id: alert.id, status: 'sent' };
  }
  const { error } = outcome;
  const now = clock.now();
  const age = now.getTime() - alert.createdAt.getTime();
  // A service's Retry-After is honoured up to an hour: a year-long one would park the channel out of
  // reach of give_up_after and retry-failed. The wait counts toward give_up_after (age grows).
  const retryAfterMs = error.retryAfterMs === null ? null : Math.min(error.retryAfterMs, MAX_SERVER_WAIT_MS);
  if (error.retryAfterMs !== null && error.retryAfterMs > MAX_SERVER_WAIT_MS) {
    log.warn({ ...ctx, retryAfterS: Math.round(error.retryAfterMs / 1000), waitS: MAX_SERVER_WAIT_MS / 1000 }, 'Retry-After longer than an hour; waiting an hour');
  }
  if (error.retryable && retryAfterMs !== null) deps.state.holds.set(alert.channel, now.getTime() + retryAfterMs);
  if (error.retryable && age < deps.giveUpAfterMs) {
    const delay = alertBackoffMs(alert.attempts + 1, retryAfterMs, (deps.random ?? Math.random)());
    const nextAttemptAt = new Date(now.getTime() + delay);
    metrics.alertsRetried.inc({ channel: alert.channel });
    result.retrying += 1;
    log.warn({ ...ctx, error: error.message, attempts: alert.attempts + 1, nextAttemptAt: nextAttemptAt.toISOString() }, 'Alert delivery failed; will retry');
    return { id: alert.id, status: 'retry', error: error.message, nextAttemptAt };
  }
  const reason = error.retryable ? `gave up after ${Math.round(age / 3_600_000)} h of retries: ${error.message}` : error.message;
  metrics.alertsFailed.inc({ channel: alert.channel });
  result.failed += 1;
  log.error({ ...ctx, error: reason }, 'Alert delivery failed permanently');
  return { id: alert.id, status: 'failed', error: reason };
}
