/**
 * Dry-run notifiers (`run --dry-run`): for each configured channel a stand-in that gives the
 * dispatcher every answer the real notifier would (email: `max_jobs_per_email`, and how many jobs
 * fit under `max_email_bytes`, measured on the message as it would go; Slack: `summary_after`, and
 * when and how many jobs go in one grouped message),
 * so the dispatcher groups and splits exactly as in a real run, and that prints each message
 * under one `[dry run: would send to CHANNEL (TYPE)]` line instead of sending it. A relay's
 * "too large" refusal (which splits further) cannot be foreseen without sending.
 */
import type { Config } from '../config/schema.js';
import { NotifyError } from '../core/errors.js';
import { createConsoleNotifier } from './console.js';
import { createEmailNotifier, DEFAULT_MAX_JOBS_PER_EMAIL, subjectPrefixOf } from './email.js';
import { renderDigestText } from './render-digest.js';
import type { NotifierDeps } from './registry.js';
import { renderEmail, type RenderedEmail } from './render-email.js';
import { renderAlertText, renderGroupText, renderSummaryText } from './render-text.js';
import { SLACK_GROUP_MAX } from './render-slack.js';
import { DEFAULT_SUMMARY_AFTER, SLACK_GROUP_AFTER } from './slack.js';
import type { Notifier, RenderContext, SendOutcome } from './types.js';

/** One printing notifier per `config.channels` entry, keyed by channel name; nothing is ever sent. */
export function createDryRunNotifiers(config: Pick<Config, 'channels' | 'smtp'> & { timezone?: string }, given: NotifierDeps = {}): Map<string, Notifier> {
  const out = new Map<string, Notifier>();
  const timeZone = given.timeZone ?? config.timezone;
  const deps: NotifierDeps = timeZone ? { ...given, timeZone } : given;
  const write = deps.write ?? ((text: string) => void process.stdout.write(text));
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits, timeZone: deps.timeZone });
  for (const [name, channel] of Object.entries(config.channels)) {
    // One write per message, header included: the header is what counts as one message.
    const print = (text: string) => write(`[dry run: would send to ${name} (${channel.type})]\n${text}`);
    const printer = createConsoleNotifier(name, { ...deps, write: print });
    const ok = (n: number): SendOutcome[] => Array.from({ length: n }, () => ({ ok: true }));
    switch (channel.type) {
      case 'email': {
        // The real notifier measures sizes (its transport connects only to send, which it never does here).
        const real = config.smtp ? createEmailNotifier(name, channel, config.smtp, deps) : null;
        out.set(name, {
          ...printer,
          type: 'email',
          maxJobsPerMessage: real?.maxJobsPerMessage ?? channel.max_jobs_per_email ?? DEFAULT_MAX_JOBS_PER_EMAIL,
          ...(real?.fit ? { fit: real.fit } : {}),
          async send(alerts, batch) {
            if (alerts.length === 0) return [];
            let mail: RenderedEmail;
            try {
              mail = renderEmail(alerts, {
                ...context(),
                channel: name,
                ...subjectPrefixOf(channel.subject_prefix, batch?.digest),
                ...(batch?.more ? { more: batch.more } : {}),
              });
            } catch (err) {
              // As the real notifier: a batch that cannot be rendered fails, and would fail again.
              const error = new NotifyError(`could not render the email: ${err instanceof Error ? err.message : String(err)}`, { retryable: false });
              return alerts.map(() => ({ ok: false, error }));
            }
            print(`Subject: ${mail.subject}\n\n${mail.text}`);
            return ok(alerts.length);
          },
          close: async () => real?.close(),
        });
        break;
      }
      case 'slack':
        out.set(name, {
          ...printer,
          type: 'slack',
          summaryAfter: channel.summary_after ?? DEFAULT_SUMMARY_AFTER,
          groupAfter: SLACK_GROUP_AFTER,
          maxJobsPerMessage: SLACK_GROUP_MAX,
          async send(alerts) {
            for (const alert of alerts) print(renderAlertText(alert, context()));
            return ok(alerts.length);
          },
          async sendGroup(alerts) {
            print(renderGroupText(alerts, context()));
            return { ok: true };
          },
          async sendSummary(rule, total, shown) {
            print(renderSummaryText(rule, total, shown, context()));
            return { ok: true };
          },
          async sendDigest(digest) {
            print(renderDigestText(digest, context()));
            return { ok: true };
          },
        });
        break;
      case 'console':
        out.set(name, printer);
        break;
      default:
        // The HTTP channels send one message per job, as the console prints them.
        out.set(name, { ...printer, type: channel.type });
        break;
    }
  }
  return out;
}
