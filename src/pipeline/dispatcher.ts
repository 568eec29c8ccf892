/**
 * The dispatcher: sends due alerts from the outbox and records each outcome.
 *
 * Email channels get ONE message listing every due alert of the channel; Slack and console
 * get one message per job, and each alert is marked sent right after its own send, so a
 * crash can resend at most the one alert in flight. A transient failure reschedules the
 * alert (and, for per-job channels, the rest of that channel's batch: a rate-limited API is
 * not hammered); a permanent one marks it failed. Channels are served concurrently so a slow
 * SMTP server never delays Slack.
 *
 * Alerts are (rule, job, channel) in the outbox, but when several rules match the same job
 * for the same channel the person gets ONE message naming every rule: the same job twice in
 * one Slack channel is exactly the noise jobalert exists to remove.
 */
import type { Logger } from 'pino';
import type { Alert, Clock } from '../core/types.js';
import { NotifyError } from '../core/errors.js';
import type { Notifier, SendOutcome } from '../notify/types.js';
import type { Store } from '../store/store.js';
import type { Metrics } from '../ops/metrics.js';
import { alertBackoffMs } from './backoff.js';

/** The longest a service's Retry-After holds a channel. */
export const MAX_SERVER_WAIT_MS = 3_600_000;

export interface DispatchDeps {
  store: Store;
  notifiers: ReadonlyMap<string, Notifier>;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** A transiently failing alert older than this is given up on (marked failed). */
  giveUpAfterMs: number;
  /**
   * Channel -> epoch ms before which it is not sent to: set from a Retry-After, so a
   * rate-limited channel is left alone by every dispatch until then, not only by the one that
   * was told. Owned by the caller so it outlives a single dispatch.
   */
  holds?: Map<string, number>;
  random?: () => number;
}

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** Sends every due alert once; never throws for delivery failures. */
export async function dispatchDue(deps: DispatchDeps): Promise<DispatchResult> {
  const now = deps.clock.now().getTime();
  const due = deps.store.dueAlerts(deps.clock.now()).filter((a) => (deps.holds?.get(a.channel) ?? 0) <= now);
  const byChannel = new Map<string, AlertGroup[]>();
  const byChannelJob = new Map<string, AlertGroup>();
  for (const alert of due) {
    const key = `${alert.channel}\u0000${alert.job.id}`;
    const group = byChannelJob.get(key);
    if (group) {
      group.members.push(alert);
      continue;
    }
    const fresh: AlertGroup = { members: [alert] };
    byChannelJob.set(key, fresh);
    const list = byChannel.get(alert.channel);
    if (list) list.push(fresh);
    else byChannel.set(alert.channel, [fresh]);
  }
  const total: DispatchResult = { sent: 0, retrying: 0, failed: 0 };
  const results = await Promise.all([...byChannel].map(([channel, alerts]) => dispatchChannel(channel, alerts, deps)));
  for (const r of results) {
    total.sent += r.sent;
    total.retrying += r.retrying;
    total.failed += r.failed;
  }
  return total;
}

/** The alerts of one job for one channel: sent as one message, recorded per alert. */
interface AlertGroup {
  members: Alert[];
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

async function dispatchChannel(channel: string, groups: AlertGroup[], deps: DispatchDeps): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retrying: 0, failed: 0 };
  const log = deps.log.child({ channel });
  const notifier = deps.notifiers.get(channel);
  const recordGroup = (group: AlertGroup, outcome: SendOutcome) => {
    for (const a of group.members) record(a, outcome, deps, log, result);
  };
  if (!notifier) {
    // The config no longer defines this channel (alerts queued before an edit): nothing can send them.
    const outcome: SendOutcome = { ok: false, error: new NotifyError(`channel "${channel}" is not configured`, { retryable: false }) };
    for (const g of groups) recordGroup(g, outcome);
    return result;
  }
  if (notifier.type === 'email') {
    const outcomes = await safeSend(notifier, groups.map(mergedAlert));
    groups.forEach((g, i) => recordGroup(g, outcomes[i]!));
    return result;
  }
  for (let i = 0; i < groups.length; i++) {
    const [outcome] = await safeSend(notifier, [mergedAlert(groups[i]!)]);
    recordGroup(groups[i]!, outcome!);
    if (!outcome!.ok && outcome!.error.retryable) {
      for (const rest of groups.slice(i + 1)) recordGroup(rest, outcome!);
      break;
    }
  }
  return result;
}

/** A notifier must not throw, but if one does the alerts are retried rather than lost. */
async function safeSend(notifier: Notifier, alerts: Alert[]): Promise<SendOutcome[]> {
  try {
    const outcomes = await notifier.send(alerts);
    if (outcomes.length === alerts.length) return outcomes;
    throw new Error(`notifier returned ${outcomes.length} outcomes for ${alerts.length} alerts`);
  } catch (err) {
    const error = err instanceof NotifyError ? err : new NotifyError(err instanceof Error ? err.message : String(err), { retryable: true, cause: err });
    return alerts.map(() => ({ ok: false, error }));
  }
}

function record(alert: Alert, outcome: SendOutcome, deps: DispatchDeps, log: Logger, result: DispatchResult): void {
  const { store, metrics, clock } = deps;
  const ctx = { alertId: alert.id, rule: alert.rule, jobId: alert.job.id };
  if (outcome.ok) {
    store.markSent([alert.id]);
    metrics.alertsSent.inc({ channel: alert.channel });
    result.sent += 1;
    log.info(ctx, 'Alert sent');
    return;
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
  if (error.retryable && retryAfterMs !== null) deps.holds?.set(alert.channel, now.getTime() + retryAfterMs);
  if (error.retryable && age < deps.giveUpAfterMs) {
    const delay = alertBackoffMs(alert.attempts + 1, retryAfterMs, (deps.random ?? Math.random)());
    const nextAttemptAt = new Date(now.getTime() + delay);
    store.markRetry(alert.id, { error: error.message, nextAttemptAt });
    metrics.alertsRetried.inc({ channel: alert.channel });
    result.retrying += 1;
    log.warn({ ...ctx, error: error.message, attempts: alert.attempts + 1, nextAttemptAt: nextAttemptAt.toISOString() }, 'Alert delivery failed; will retry');
    return;
  }
  const reason = error.retryable ? `gave up after ${Math.round(age / 3_600_000)} h of retries: ${error.message}` : error.message;
  store.markFailed(alert.id, reason);
  metrics.alertsFailed.inc({ channel: alert.channel });
  result.failed += 1;
  log.error({ ...ctx, error: reason }, 'Alert delivery failed permanently');
}
