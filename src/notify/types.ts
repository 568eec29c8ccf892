/**
 * The notifier contract the dispatcher talks to. Rendering (render-*.ts) is pure and separate
 * from sending (slack.ts, email.ts, console.ts).
 */
import type { Alert } from '../core/types.js';
import { NotifyError } from '../core/errors.js';

/** What happened to one alert of a batch. */
export type SendOutcome = { ok: true } | { ok: false; error: NotifyError };

/** What identifies a batch besides its alerts: the outbox rows it records. */
export interface SendBatch {
  /** Outbox ids of every alert the batch carries (merged alerts included); the same ids make the same message. */
  alertIds: readonly number[];
  /** Jobs of this dispatch that go in further messages after this one (an email says how many follow). */
  more?: number;
  /** The batch is (part of) a digest: the jobs collected for a rule's `digest` times, newest first. */
  digest?: boolean;
}

/** A digest as one message (channels other than email): the newest jobs by name, the rest counted. */
export interface DigestMessage {
  /** The digest rules whose jobs it carries, first-seen order. */
  rules: string[];
  /** Jobs in the digest; `total - shown.length` are counted ("and N more"), not listed. */
  total: number;
  /** The newest jobs of the digest, newest first (at most DIGEST_SHOWN). */
  shown: Alert[];
}

/** Jobs a digest message lists by name (Slack: one block each, within its 50 blocks); the rest are counted. */
export const DIGEST_SHOWN = 20;

/**
 * The server refused a message as too large (SMTP 552, or enhanced status 5.3.4). The dispatcher
 * splits the message and tries again rather than failing its alerts; permanent for one job.
 */
export class MessageTooLargeError extends NotifyError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { retryable: false, cause: opts.cause });
    this.name = 'MessageTooLargeError';
  }
}

/** One configured channel. */
export interface Notifier {
  /** The channel's name in the config. */
  readonly name: string;
  readonly type: 'slack' | 'email' | 'console' | 'webhook' | 'discord' | 'telegram' | 'ntfy' | 'teams';
  /** Email: the most jobs one message lists (`max_jobs_per_email`); Slack: the most one grouped message lists; other channels send one job per message. */
  readonly maxJobsPerMessage?: number;
  /**
   * Email: how many of the leading alerts fit in one message under the channel's size cap
   * (`max_email_bytes`); at least 1 (a single job too big for the cap is still tried).
   */
  fit?(alerts: Alert[], batch: SendBatch): Promise<number>;
  /** Slack: more jobs than this pending for one rule go as one summary message (`summary_after`). */
  readonly summaryAfter?: number;
  /** Slack: one message saying `total` jobs match `rule`, listing `shown` (the first few). Never throws for a delivery failure. */
  sendSummary?(rule: string, total: number, shown: Alert[]): Promise<SendOutcome>;
  /**
   * A digest as ONE message (Slack, console). Never throws for a delivery failure. A channel without
   * it gets its digest through notice() as plain text; email digests are email batches (send with `digest`).
   */
  sendDigest?(digest: DigestMessage): Promise<SendOutcome>;
  /**
   * Slack: more jobs than this pending for the channel in one dispatch (after the flood guard's
   * summaries) go as grouped messages of up to `maxJobsPerMessage` (sendGroup); up to this many, one message each.
   */
  readonly groupAfter?: number;
  /** Slack: one message listing every alert (at most `maxJobsPerMessage`); delivered or not for all of them. Never throws for a delivery failure. */
  sendGroup?(alerts: Alert[]): Promise<SendOutcome>;
  /** Sends a batch of alerts for this channel; returns one outcome per alert, same order. Never throws for a delivery failure. */
  send(alerts: Alert[], batch?: SendBatch): Promise<SendOutcome[]>;
  /** Sends a test message (test-notify); throws NotifyError on failure. */
  sendTest(): Promise<void>;
  /**
   * Sends an operational message (a feed failing or recovered) as plain text, escaped for the
   * channel; throws NotifyError on failure. Optional so stand-in notifiers need not implement it.
   */
  notice?(subject: string, text: string): Promise<void>;
  /** Releases connections; the notifier is not used afterwards. */
  close(): Promise<void>;
}

/** What renderers need besides the alert itself. */
export interface RenderContext {
  /** "Posted 3 h ago" is relative to this. */
  now: Date;
  /** Feed name -> link shown for that feed (e.g. the job's page on that board); unlinked when absent. */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  /** IANA zone the absolute dates are written in ("posted 3 h ago · 3 Dec 2026"), the config's `timezone`; default UTC. */
  timeZone?: string;
}
