/**
 * The notifier contract the dispatcher talks to. Rendering (render-*.ts) is pure and separate
 * from sending (slack.ts, email.ts, console.ts).
 */
import type { Alert } from '../core/types.js';
import type { NotifyError } from '../core/errors.js';

/** What happened to one alert of a batch. */
export type SendOutcome = { ok: true } | { ok: false; error: NotifyError };

/** What identifies a batch besides its alerts: the outbox rows it records. */
export interface SendBatch {
  /** Outbox ids of every alert the batch carries (merged alerts included); the same ids make the same message. */
  alertIds: readonly number[];
}

/** One configured channel. */
export interface Notifier {
  /** The channel's name in the config. */
  readonly name: string;
  readonly type: 'slack' | 'email' | 'console';
  /** Email: the most jobs one message lists (`max_jobs_per_email`); other channels send one job per message. */
  readonly maxJobsPerMessage?: number;
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
}
