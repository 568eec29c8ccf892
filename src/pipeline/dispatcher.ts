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
 * An outbox row is one job for one channel, naming every rule it matched, so the person gets
 * ONE message per job per channel however many rules matched. Email channels get one message
 * per batch of at most `max_jobs_per_email` jobs, cut further to stay under `max_email_bytes`,
 * and halved again when the server still refuses one as too large; Slack and console get one
 * message per job, except that more than `summary_after` jobs of one rule waiting for a Slack
 * channel go as one summary message (a new feed's backlog must not flood the channel), and that
 * when more than the notifier's `groupAfter` jobs (3 for Slack) still wait for it after the
 * summaries, they go as grouped messages of up to `maxJobsPerMessage` jobs, claimed, sent and
 * recorded together like an email batch (and a group left behind goes again as one). Each
 * message is claimed (with its batch), sent and recorded in one transaction on its own, and
 * logged in one line, so a crash can resend at most the one message in flight (for email with
 * the same Message-ID, as the batch keeps its claim token and so its ids). A transient failure
 * reschedules the message's alerts and defers the rest of that channel (a rate-limited API is
 * not hammered); a permanent one marks them failed. Channels are served concurrently so a slow
 * SMTP server never delays Slack. Due alerts are read a page at a time, with only the start of
 * their descriptions (store/outbox.ts, ALERT_DESCRIPTION_CHARS).
 *
 * Digests: rows waiting for a rule's digest (`digest` set, due at the digest's time) go, once due,
 * as ONE message per channel listing the newest DIGEST_SHOWN jobs and counting the rest (email: the
 * usual batches, newest first, every job listed), claimed, sent and recorded like any message, so a
 * crash resends at most the one in flight. Quiet hours: while a channel is in its quiet window
 * nothing is sent to it; its pending alerts are held (rescheduled, not attempted) until the window
 * ends, and then go out together (email batches, the Slack flood guard).
 */
import type { HeapBudget } from './heap-budget.js';
import type { Logger } from 'pino';
import type { Alert, Clock } from '../core/types.js';
import { NotifyError } from '../core/errors.js';
import { DIGEST_SHOWN, MessageTooLargeError, type DigestMessage, type Notifier, type SendOutcome } from '../notify/types.js';
import { digestHeadline, renderDigestText } from '../notify/render-digest.js';
import { quietUntil, type QuietHours } from './hold-times.js';
import { DEFAULT_MAX_JOBS_PER_EMAIL } from '../notify/email.js';
import type { AlertState, DigestRow, OutboxAlert, OutboxCursor, OutboxMark, Store } from '../store/store.js';
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

/** Jobs a Slack summary lists by name; the rest are counted. */
export const SUMMARY_SHOWN = 10;

/** Due alerts read per page (email pages are whole batches). */
const PAGE_SIZE = 500;

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
  /** The notifiers only print what would be sent (`run --dry-run`, notify/dry-run.ts: same grouping and splitting): the log must not say "sent". */
  dryRun?: boolean;
  /** Channel -> its quiet hours and their zone: nothing is sent to it inside them. */
  quietHours?: ReadonlyMap<string, { hours: QuietHours; timezone: string }>;
  /** Told after each message: its rendering is garbage once sent (a backlog is thousands of messages). */
  heapBudget?: HeapBudget;
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
  if (isPaused(deps) || !(await flushUnrecorded(deps))) return finish();

  const now = clock.now();
  // Claims whose process died on this host are taken over now rather than after their lease.
  const takeOver = (await store.claimTokens(now)).filter((t) => state.owner.isGone(t));
  const leftBehind = new Map<string, OutboxAlert[]>();
  for (const a of await store.leftBehindAlerts(now, takeOver)) {
    if (state.unrecorded.has(a.id)) continue;
    const list = leftBehind.get(a.channel);
    if (list) list.push(a);
    else leftBehind.set(a.channel, [a]);
  }
  const channels: string[] = [];
  for (const c of new Set([...leftBehind.keys(), ...(await store.dueChannels(now))])) {
    if ((state.holds.get(c) ?? 0) > now.getTime() || (await holdForQuietHours(c, now, deps))) continue;
    channels.push(c);
  }
  const results = await Promise.all(channels.map((channel) => dispatchChannel(channel, leftBehind.get(channel) ?? [], takeOver, now, deps)));
  for (const r of results) {
    total.sent += r.sent;
    total.retrying += r.retrying;
    total.failed += r.failed;
  }
  return finish();
}

type Counts = Pick<DispatchResult, 'sent' | 'retrying' | 'failed'>;

/** How one message went, for the channel's loop: go on, or stop the channel for this dispatch. */
type Step = 'next' | 'stop';

/** One channel's dispatch: its notifier, its log, its running counts. */
interface ChannelRun {
  channel: string;
  notifier: Notifier | undefined;
  takeOver: readonly string[];
  now: Date;
  deps: DispatchDeps;
  log: Logger;
  result: Counts;
  /** Email: jobs still to be sent in this dispatch (each message says how many follow it). */
  remaining: number;
  /** Jobs one message may carry (email: max_jobs_per_email; others 1). */
  perMessage: number;
  /** The messages being sent are a digest's (an email says so in its subject). */
  digest: boolean;
}

/**
 * True when the channel is in its quiet hours: its pending alerts due before they end are held
 * until then (one statement; a database that cannot be written leaves them to the next dispatch).
 */
async function holdForQuietHours(channel: string, now: Date, deps: DispatchDeps): Promise<boolean> {
  const quiet = deps.quietHours?.get(channel);
  const until = quiet ? quietUntil(quiet.hours, quiet.timezone, now) : null;
  if (!until) return false;
  const held = await deps.state.gate.write(() => deps.store.holdChannel(channel, now, until));
  if (held.ok && held.value > 0) deps.log.info({ channel, jobs: held.value, until: until.toISOString(), quietHours: quiet!.hours.text }, 'Quiet hours: alerts held until they end');
  return true;
}

/** True while the write gate says not to try yet. */
function isPaused(deps: DispatchDeps): boolean {
  const until = deps.state.gate.pausedUntil();
  return until !== null && until.getTime() > deps.clock.now().getTime();
}

/** Writes the outcomes kept in memory; false when they still cannot be written. */
async function flushUnrecorded(deps: DispatchDeps): Promise<boolean> {
  const { state, store, log } = deps;
  if (state.unrecorded.size === 0) return true;
  const marks = [...state.unrecorded.values()];
  if (!(await state.gate.write(() => store.recordOutcomes(marks))).ok) return false;
  // Only the marks written: one kept meanwhile (another dispatch's, while this write was awaited) stays.
  for (const m of marks) if (state.unrecorded.get(m.id) === m) state.unrecorded.delete(m.id);
  log.info({ alerts: marks.length }, 'Recorded the outcome of alerts sent while the database could not be written');
  return true;
}

/** Cuts a list into consecutive slices of at most `size`. */
function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function dispatchChannel(channel: string, leftBehind: OutboxAlert[], takeOver: readonly string[], now: Date, deps: DispatchDeps): Promise<Counts> {
  const notifier = deps.notifiers.get(channel);
  // A channel no longer configured fails in batches of a page: nothing can send its alerts.
  const groupMax = notifier && groups(notifier) ? Math.max(1, notifier.maxJobsPerMessage ?? 1) : 1;
  const perMessage = !notifier ? PAGE_SIZE : notifier.type === 'email' ? Math.max(1, notifier.maxJobsPerMessage ?? DEFAULT_MAX_JOBS_PER_EMAIL) : groupMax;
  const run: ChannelRun = {
    channel,
    notifier,
    takeOver,
    now,
    deps,
    log: deps.log.child({ channel }),
    result: { sent: 0, retrying: 0, failed: 0 },
    remaining: 0,
    perMessage,
    digest: false,
  };
  const email = notifier?.type === 'email';
  if (email) run.remaining = leftBehind.length + (await deps.store.countDue(now, channel));

  // First the batches a lapsed or dead claim left behind, each as it was claimed (so a resent
  // email is the same message).
  const byToken = new Map<string, OutboxAlert[]>();
  for (const a of leftBehind) {
    const list = byToken.get(a.claimedBy!);
    if (list) list.push(a);
    else byToken.set(a.claimedBy!, [a]);
  }
  for (const batch of byToken.values()) {
    if (batch.some((a) => a.digest !== null)) {
      if ((await resendDigest(batch, run)) === 'stop') return run.result;
      continue;
    }
    if (notifier?.sendSummary && notifier.summaryAfter !== undefined) {
      if ((await summarizeLeftBehind(batch, notifier, run)) === 'stop') return run.result;
      continue;
    }
    for (const part of chunks(batch, perMessage)) if ((await claimAndSend(part, run)) === 'stop') return run.result;
  }

  // Then the digests whose time has come: one message (email: the usual batches), newest first.
  // An email of the digest says how many of the digest's jobs follow it, not the alerts after it.
  const digestRows = (await deps.store.dueDigestRows(now, channel)).filter((r) => !deps.state.unrecorded.has(r.id));
  if (digestRows.length > 0) {
    run.remaining = digestRows.length;
    if ((await sendDigest(digestRows, run)) === 'stop') return run.result;
    if (email) run.remaining = await deps.store.countDue(now, channel);
  }

  // Then the Slack flood guard: one summary per rule with too many jobs waiting.
  if (notifier?.sendSummary && notifier.summaryAfter !== undefined) {
    if ((await summarizeFresh(notifier, notifier.summaryAfter, run)) === 'stop') return run.result;
  }

  // Then the rest, oldest first, a page at a time; an email page is whole batches. A channel that
  // groups sends one message per job unless more than `groupAfter` wait, then groups of even size
  // (11 jobs in groups of at most 10 go as 6 and 5, not 10 and a lone one).
  const fresh = email || !notifier ? perMessage : groupSize(notifier, await deps.store.countDue(now, channel));
  const pageSize = fresh * Math.max(1, Math.floor(PAGE_SIZE / fresh));
  let after: OutboxCursor | undefined;
  for (;;) {
    const page = await deps.store.dueAlerts(now, pageSize, after ? { channel, after } : { channel });
    if (page.length === 0) break;
    const last = page[page.length - 1]!;
    after = { createdAt: last.createdAt.getTime(), id: last.id };
    const todo = page.filter((a) => !deps.state.unrecorded.has(a.id));
    for (const part of chunks(todo, fresh)) if ((await claimAndSend(part, run)) === 'stop') return run.result;
    if (page.length < pageSize) break;
  }
  return run.result;
}

/**
 * Claims rows; returns those this dispatcher got (another may hold some), or null when the claim
 * could not be written (delivery pauses).
 */
async function claim<T extends AlertState>(alerts: readonly T[], run: ChannelRun): Promise<T[] | null> {
  const { state, store, clock } = run.deps;
  if (isPaused(run.deps)) return null;
  const now = clock.now();
  const claimed = await state.gate.write(() =>
    store.claimAlerts({ ids: alerts.map((a) => a.id), by: state.owner.next(), until: new Date(now.getTime() + (run.deps.leaseMs ?? CLAIM_LEASE_MS)), now, takeOver: run.takeOver }),
  );
  if (!claimed.ok) return null;
  const got = new Set(claimed.value);
  return alerts.filter((a) => got.has(a.id));
}

/** Claims one batch, then sends it (as one or more messages) and records each. */
async function claimAndSend(batch: OutboxAlert[], run: ChannelRun): Promise<Step> {
  const step = await claimAndSendOnce(batch, run);
  run.deps.heapBudget?.afterBatch();
  return step;
}

async function claimAndSendOnce(batch: OutboxAlert[], run: ChannelRun): Promise<Step> {
  const got = await claim(batch, run);
  if (got === null) return 'stop';
  if (got.length === 0) return 'next';
  if (!run.notifier) {
    // The config no longer defines this channel (alerts queued before an edit): nothing can send them.
    const error = new NotifyError(`channel "${run.channel}" is not configured`, { retryable: false });
    return settle(got, { ok: false, error }, run, {});
  }
  if (run.notifier.type === 'email') return sendEmails(got, run.notifier, run);
  return got.length > 1 && run.notifier.sendGroup ? sendGroup(got, run.notifier, run) : sendEach(got, run.notifier, run);
}

/** Whether a notifier sends grouped messages (Slack) when many jobs wait. */
function groups(notifier: Notifier): boolean {
  return notifier.sendGroup !== undefined && notifier.groupAfter !== undefined;
}

/** Jobs per message for `waiting` jobs of a channel that is not email: 1 up to its `groupAfter`, else even groups of at most `maxJobsPerMessage`. */
function groupSize(notifier: Notifier, waiting: number): number {
  if (!groups(notifier) || waiting <= notifier.groupAfter!) return 1;
  const max = Math.max(1, notifier.maxJobsPerMessage ?? 1);
  return Math.ceil(waiting / Math.ceil(waiting / max));
}

/** One grouped message for several alerts (Slack), recorded for all of them in one transaction, like an email batch. */
async function sendGroup(alerts: OutboxAlert[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  let outcome: SendOutcome;
  try {
    outcome = await notifier.sendGroup!(alerts);
  } catch (err) {
    outcome = { ok: false, error: asNotifyError(err) };
  }
  return settle(alerts, outcome, run, { jobIds: alerts.map((a) => a.job.id), grouped: true });
}

/** One message per alert (Slack, console), each recorded as it goes. */
async function sendEach(alerts: OutboxAlert[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  for (let i = 0; i < alerts.length; i++) {
    const alert = alerts[i]!;
    const [outcome] = await safeSend(notifier, [alert], { alertIds: [alert.id] });
    if ((await settle([alert], outcome!, run, { jobIds: [alert.job.id], rule: alert.rule })) === 'stop') return 'stop';
  }
  return 'next';
}

/**
 * A batch as emails: cut to what fits under the channel's size cap, and a message the server
 * refuses as too large is halved and tried again (down to one job), so size never fails a batch.
 */
async function sendEmails(batch: OutboxAlert[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  const queue: OutboxAlert[][] = [batch];
  while (queue.length > 0) {
    let part = queue.shift()!;
    const more = (): number => Math.max(0, run.remaining - part.length);
    if (notifier.fit) {
      const n = await safeFit(notifier, part, more(), run.digest);
      if (n < part.length) {
        queue.unshift(part.slice(n));
        part = part.slice(0, n);
      }
    }
    const ids = part.map((a) => a.id);
    const outcomes = await safeSend(notifier, part, { alertIds: ids, more: more(), ...(run.digest ? { digest: true } : {}) });
    const tooLarge = outcomes.find((o) => !o.ok && o.error instanceof MessageTooLargeError);
    if (tooLarge && part.length > 1) {
      const half = Math.ceil(part.length / 2);
      run.log.warn({ jobs: part.length, error: tooLarge.ok ? '' : tooLarge.error.message }, 'Email refused as too large; sending it in two halves');
      queue.unshift(part.slice(0, half), part.slice(half));
      continue;
    }
    run.remaining = more();
    if ((await settle(part, outcomes[0]!, run, { jobIds: part.map((a) => a.job.id) })) === 'stop') return 'stop';
  }
  return 'next';
}

/**
 * The Slack flood guard over fresh rows: for each rule with more than `after` jobs waiting on this
 * channel (most first), one summary message covers them all; a job of two such rules goes in the
 * first one's summary only.
 */
async function summarizeFresh(notifier: Notifier, after: number, run: ChannelRun): Promise<Step> {
  const { store } = run.deps;
  const taken = new Set<number>();
  // No rule can have more untaken jobs than are left: once at most `after` are, no summary can follow.
  let left = await store.countDue(run.now, run.channel);
  for (const { rule, n } of await store.dueRuleCounts(run.now, run.channel)) {
    if (n <= after || left <= after) break;
    const rows = (await store.dueOfRule(run.now, run.channel, rule)).filter((r) => !taken.has(r.id) && !run.deps.state.unrecorded.has(r.id));
    if (rows.length <= after) continue;
    for (const r of rows) taken.add(r.id);
    left -= rows.length;
    if ((await claimAndSummarize(rule, rows, notifier, run)) === 'stop') return 'stop';
  }
  return 'next';
}

/** A left-behind Slack batch: a summary again when it is one (or has grown into one), else planned like fresh jobs (grouped beyond `groupAfter`). */
async function summarizeLeftBehind(batch: OutboxAlert[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  const after = notifier.summaryAfter ?? Number.MAX_SAFE_INTEGER;
  let rest = batch;
  for (;;) {
    const counts = new Map<string, number>();
    for (const a of rest) for (const m of a.matches) counts.set(m.rule, (counts.get(m.rule) ?? 0) + 1);
    const top = [...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0];
    if (!top || top[1] <= after) break;
    const rows = rest.filter((a) => a.matches.some((m) => m.rule === top[0]));
    rest = rest.filter((a) => !a.matches.some((m) => m.rule === top[0]));
    if ((await claimAndSummarize(top[0], rows, notifier, run)) === 'stop') return 'stop';
  }
  // A grouped message left behind (more than groupAfter jobs) goes as one again.
  for (const part of chunks(rest, groupSize(notifier, rest.length))) if ((await claimAndSend(part, run)) === 'stop') return 'stop';
  return 'next';
}

/** Newest job first (published, else first seen), as a digest lists them; ties by id, newest first. */
function newestFirst(a: OutboxAlert, b: OutboxAlert): number {
  const at = (x: OutboxAlert) => (x.job.published ?? x.job.firstSeen).getTime();
  return at(b) - at(a) || b.id - a.id;
}

/** Alerts by id, in the order of `rows` (alertsById reads them oldest first); rows gone meanwhile are left out. */
async function loadInOrder(rows: readonly AlertState[], store: Store): Promise<OutboxAlert[]> {
  const byId = new Map((await store.alertsById(rows.map((r) => r.id))).map((a) => [a.id, a]));
  return rows.map((r) => byId.get(r.id)).filter((a): a is OutboxAlert => a !== undefined);
}

/**
 * A channel's due digest rows (newest first): one digest message claiming them all, or for email
 * the usual batches, each claimed, sent and recorded on its own. A channel that can send neither a
 * digest nor a notice gets the jobs one message each.
 */
async function sendDigest(rows: DigestRow[], run: ChannelRun): Promise<Step> {
  const { notifier } = run;
  if (notifier && notifier.type !== 'email' && (notifier.sendDigest || notifier.notice)) return claimAndSendDigest(rows, notifier, run);
  run.digest = true;
  try {
    for (const part of chunks(rows, run.perMessage)) if ((await claimAndSend(await loadInOrder(part, run.deps.store), run)) === 'stop') return 'stop';
    return 'next';
  } finally {
    run.digest = false;
  }
}

/** A digest batch a lapsed or dead claim left behind, resent as the message it was (the email batch, or the one digest). */
async function resendDigest(batch: OutboxAlert[], run: ChannelRun): Promise<Step> {
  const rows = [...batch].sort(newestFirst).map((a) => ({ ...a, digest: a.digest ?? '' }));
  return sendDigest(rows, run);
}

/** Claims every row of a digest, sends it as one message (its newest DIGEST_SHOWN jobs listed) and records them all in one transaction. */
async function claimAndSendDigest(rows: readonly DigestRow[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  const got = await claim(rows, run);
  if (got === null) return 'stop';
  if (got.length === 0) return 'next';
  const digest: DigestMessage = {
    rules: [...new Set(got.map((r) => r.digest).filter(Boolean))],
    total: got.length,
    shown: await loadInOrder(got.slice(0, DIGEST_SHOWN), run.deps.store),
  };
  let outcome: SendOutcome;
  try {
    if (notifier.sendDigest) outcome = await notifier.sendDigest(digest);
    else {
      // A channel type without its own digest rendering: one plain-text message, escaped by notice() for the channel.
      await notifier.notice!(digestHeadline(digest), renderDigestText(digest, { now: run.deps.clock.now() }));
      outcome = { ok: true };
    }
  } catch (err) {
    outcome = { ok: false, error: asNotifyError(err) };
  }
  return settle(got, outcome, run, { digest: digest.rules.join(', ') });
}

/** Claims every row of one rule's summary, sends the one message and records them all in one transaction. */
async function claimAndSummarize(rule: string, rows: readonly AlertState[], notifier: Notifier, run: ChannelRun): Promise<Step> {
  const got = await claim(rows, run);
  if (got === null) return 'stop';
  if (got.length === 0) return 'next';
  const shown = await run.deps.store.alertsById(got.slice(0, SUMMARY_SHOWN).map((r) => r.id));
  let outcome: SendOutcome;
  try {
    outcome = await notifier.sendSummary!(rule, got.length, shown);
  } catch (err) {
    outcome = { ok: false, error: asNotifyError(err) };
  }
  return settle(got, outcome, run, { rule, summary: true });
}

/** A notifier must not throw, but if one does the alerts are retried rather than lost. */
async function safeSend(notifier: Notifier, alerts: Alert[], batch: { alertIds: number[]; more?: number }): Promise<SendOutcome[]> {
  try {
    const outcomes = await notifier.send(alerts, batch);
    if (outcomes.length === alerts.length) return outcomes;
    throw new Error(`notifier returned ${outcomes.length} outcomes for ${alerts.length} alerts`);
  } catch (err) {
    const error = asNotifyError(err);
    return alerts.map(() => ({ ok: false, error }));
  }
}

/** How many leading alerts fit one message; on a rendering error, all (the send reports it). */
async function safeFit(notifier: Notifier, alerts: Alert[], more: number, digest: boolean): Promise<number> {
  try {
    const n = await notifier.fit!(alerts, { alertIds: alerts.map((a) => a.id), more, ...(digest ? { digest: true } : {}) });
    return Math.min(alerts.length, Math.max(1, Math.floor(n)));
  } catch {
    return alerts.length;
  }
}

function asNotifyError(err: unknown): NotifyError {
  return err instanceof NotifyError ? err : new NotifyError(err instanceof Error ? err.message : String(err), { retryable: true, cause: err });
}

/**
 * Records what one message's outcome means for its alerts, in one transaction, with one log
 * line; after a transient failure the rest of the channel waits (deferred in one statement).
 */
async function settle(alerts: readonly AlertState[], outcome: SendOutcome, run: ChannelRun, info: Record<string, unknown>): Promise<Step> {
  const { deps, log, result, channel } = run;
  const { metrics, clock } = deps;
  const jobs = alerts.length;
  if (outcome.ok) {
    metrics.alertsSent.inc({ channel }, jobs);
    result.sent += jobs;
    log.info({ ...info, jobs }, deps.dryRun ? 'Alert would be sent (dry run)' : 'Alert sent');
    return (await recordMarks(alerts.map((a) => ({ id: a.id, status: 'sent' as const })), run)) ? 'next' : 'stop';
  }
  const { error } = outcome;
  const now = clock.now();
  // A service's Retry-After is honoured up to an hour: a year-long one would park the channel out of
  // reach of give_up_after and retry-failed. The wait counts toward give_up_after (age grows).
  const retryAfterMs = error.retryAfterMs === null ? null : Math.min(error.retryAfterMs, MAX_SERVER_WAIT_MS);
  if (error.retryAfterMs !== null && error.retryAfterMs > MAX_SERVER_WAIT_MS) {
    log.warn({ ...info, retryAfterS: Math.round(error.retryAfterMs / 1000), waitS: MAX_SERVER_WAIT_MS / 1000 }, 'Retry-After longer than an hour; waiting an hour');
  }
  if (error.retryable && retryAfterMs !== null) deps.state.holds.set(channel, now.getTime() + retryAfterMs);
  // One draw per message: its alerts retry together, so a digest or an email batch is not cut up by jitter.
  const jitter = (deps.random ?? Math.random)();
  const marks: OutboxMark[] = [];
  let latest: Date | null = null;
  let gaveUp = 0;
  let attempts = 0;
  for (const a of alerts) {
    const age = now.getTime() - a.createdAt.getTime();
    if (error.retryable && age < deps.giveUpAfterMs) {
      const nextAttemptAt = new Date(now.getTime() + alertBackoffMs(a.attempts + 1, retryAfterMs, jitter));
      if (!latest || nextAttemptAt > latest) latest = nextAttemptAt;
      attempts = Math.max(attempts, a.attempts + 1);
      marks.push({ id: a.id, status: 'retry', error: error.message, nextAttemptAt });
    } else {
      const reason = error.retryable ? `gave up after ${Math.round(age / 3_600_000)} h of retries: ${error.message}` : error.message;
      gaveUp++;
      marks.push({ id: a.id, status: 'failed', error: reason });
    }
  }
  const retrying = jobs - gaveUp;
  if (retrying > 0) {
    metrics.alertsRetried.inc({ channel }, retrying);
    result.retrying += retrying;
    log.warn({ ...info, jobs: retrying, error: error.message, attempts, nextAttemptAt: latest!.toISOString() }, 'Alert delivery failed; will retry');
  }
  if (gaveUp > 0) {
    metrics.alertsFailed.inc({ channel }, gaveUp);
    result.failed += gaveUp;
    const failedMark = marks.find((m) => m.status === 'failed') as Extract<OutboxMark, { status: 'failed' }>;
    log.error({ ...info, jobs: gaveUp, error: failedMark.error }, 'Alert delivery failed permanently');
  }
  if (!(await recordMarks(marks, run))) return 'stop';
  if (!error.retryable) return 'next';
  // The rest of the channel waits with it: a failing or rate-limited service is not hammered.
  const until = latest ?? new Date(now.getTime() + alertBackoffMs(1, retryAfterMs, jitter));
  const deferred = await deps.state.gate.write(() => deps.store.deferChannel(channel, now, until, `not attempted: ${error.message}`));
  if (deferred.ok && deferred.value > 0) {
    metrics.alertsRetried.inc({ channel }, deferred.value);
    result.retrying += deferred.value;
    log.info({ jobs: deferred.value, nextAttemptAt: until.toISOString() }, 'The rest of the channel waits for the next attempt');
  }
  return 'stop';
}

/** Writes the marks of one message in one transaction; when they cannot be written they are kept in memory (and delivery pauses). */
async function recordMarks(marks: OutboxMark[], run: ChannelRun): Promise<boolean> {
  const { deps, log } = run;
  if ((await deps.state.gate.write(() => deps.store.recordOutcomes(marks))).ok) return true;
  for (const m of marks) deps.state.unrecorded.set(m.id, m);
  log.warn({ alerts: marks.length }, 'Delivery outcome not recorded yet (database cannot be written); kept in memory and not resent');
  return false;
}
