/**
 * Email notifier: one email per send() listing all its alerts, through one nodemailer SMTP
 * transport per channel. It tells the dispatcher how many alerts fit in one email under the
 * channel's `max_email_bytes` (measured on the message as it would be sent), and reports a
 * server's "message too big" (552, 5.3.4) as MessageTooLargeError so the dispatcher splits
 * instead of failing; a single job still too big goes once more as plain text alone. The SMTP password never appears in an error message, and over smtp://
 * it is only sent after STARTTLS unless the config explicitly allows otherwise.
 *
 * Each message's Message-ID is derived from the batch it carries (its outbox ids, channel and
 * jobs), so a batch sent again after a crash (the server had accepted it, the process died
 * before recording that) is recognisably the same message: mail clients and servers that
 * dedupe by Message-ID drop the copy.
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Alert } from '../core/types.js';
import { NotifyError } from '../core/errors.js';
import { urlSecrets } from '../core/redact.js';
import type { EmailChannel } from '../config/schema.js';
import { parseSmtpUrl, type SmtpUrlOptions } from '../config/smtp-url.js';
import { cleanLines, cleanText, escapeHtml, redactSecrets } from './escape.js';
import { renderEmail, renderTestEmail, type RenderedEmail } from './render-email.js';
import { MessageTooLargeError, type Notifier, type SendBatch, type SendOutcome } from './types.js';

/** The `smtp:` section of the config. */
export interface SmtpSettings {
  url: string;
  from: string;
  /** Log in over smtp:// even without STARTTLS (the password then travels in clear). */
  allow_insecure_auth?: boolean;
}

/** Dependencies of the email notifier. */
export interface EmailDeps {
  /** Feed name -> link shown for it in alerts (sources that ask to be credited). */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  now?: () => Date;
  /** IANA zone of the absolute dates in alerts (the config's `timezone`); default UTC. */
  timeZone?: string;
  /** Connection, greeting and socket timeout; a hung server must not hold up the dispatcher. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/** Jobs one email lists at most when the channel does not say (`max_jobs_per_email`). */
export const DEFAULT_MAX_JOBS_PER_EMAIL = 50;

/** The largest email when the channel does not say (`max_email_bytes`): most relays take far more, every client shows it. */
export const DEFAULT_MAX_EMAIL_BYTES = 1024 * 1024;

// What the SMTP envelope and the headers a relay adds (Received, DKIM) may add to a message measured here.
const SIZE_HEADROOM = 4 * 1024;

// Failures with no SMTP reply that will recur on every attempt: missing or refused
// credentials, a malformed envelope or message, a config the transport cannot use.
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS', 'EMAXRECIPIENTS']);

/** Creates the notifier for an email channel. */
export function createEmailNotifier(name: string, channel: EmailChannel, smtp: SmtpSettings, deps: EmailDeps = {}): Notifier {
  const timeout = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const options = smtpTransportOptions(smtp);
  const transport = nodemailer.createTransport({
    ...options,
    // One email per channel per poll: a pooled connection would only sit idle between polls.
    pool: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const secrets = smtpSecrets(smtp.url, options);
  const tlsRequired = options.requireTLS === true;
  const now = deps.now ?? (() => new Date());
  const idDomain = messageIdDomain(smtp.from);
  const message = (mail: RenderedEmail, messageId?: string) => ({
    ...(messageId ? { messageId } : {}),
    from: smtp.from,
    to: channel.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    // RFC 3834: tells vacation responders and ticket systems not to answer.
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  const deliver = async (mail: RenderedEmail, messageId?: string): Promise<void> => {
    try {
      await transport.sendMail(message(mail, messageId));
    } catch (err) {
      throw classifySmtpError(err, secrets, { tlsRequired });
    }
  };
  const maxBytes = Math.max(0, (channel.max_email_bytes ?? DEFAULT_MAX_EMAIL_BYTES) - SIZE_HEADROOM);
  const render = (alerts: Alert[], more: number | undefined, digest?: boolean) =>
    renderEmail(alerts, {
      now: now(),
      feedLinks: deps.feedLinks,
      feedCredits: deps.feedCredits,
      timeZone: deps.timeZone,
      channel: name,
      ...subjectPrefixOf(channel.subject_prefix, digest),
      ...(more ? { more } : {}),
    });
  // The size of the message exactly as it would go (MIME, encoded), Message-ID included.
  const size = async (alerts: Alert[], batch: SendBatch): Promise<number> =>
    (await new MailComposer(message(render(alerts, batch.more, batch.digest), batchMessageId(name, alerts, batch, idDomain))).compile().build()).length;
  return {
    name,
    type: 'email',
    maxJobsPerMessage: channel.max_jobs_per_email ?? DEFAULT_MAX_JOBS_PER_EMAIL,
    async fit(alerts, batch) {
      // The most leading alerts whose email is under the cap (sizes grow with the count), at least one.
      const sized = async (n: number) =>
        size(alerts.slice(0, n), { alertIds: batch.alertIds.slice(0, n), more: (batch.more ?? 0) + alerts.length - n, ...(batch.digest ? { digest: true } : {}) });
      if (alerts.length <= 1) return alerts.length;
      // Encoding at most triples a byte (quoted-printable =XX): a batch under a third of the cap fits without building it.
      const whole = render(alerts, batch.more, batch.digest);
      if ((Buffer.byteLength(whole.subject) + Buffer.byteLength(whole.text) + Buffer.byteLength(whole.html)) * 3 + SIZE_HEADROOM <= maxBytes) return alerts.length;
      if ((await sized(alerts.length)) <= maxBytes) return alerts.length;
      let lo = 1;
      let hi = alerts.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if ((await sized(mid)) <= maxBytes) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
    async send(alerts, batch): Promise<SendOutcome[]> {
      if (alerts.length === 0) return [];
      let outcome: SendOutcome;
      const messageId = batch ? batchMessageId(name, alerts, batch, idDomain) : undefined;
      try {
        let mail: RenderedEmail;
        try {
          mail = render(alerts, batch?.more, batch?.digest);
        } catch (err) {
          throw new NotifyError(`could not render the email: ${redactSecrets(errorText(err), secrets)}`, { retryable: false });
        }
        try {
          await deliver(mail, messageId);
        } catch (err) {
          if (!(err instanceof MessageTooLargeError) || alerts.length > 1) throw err;
          // One job is as small as a batch gets: once more as plain text alone, then it fails.
          try {
            await deliver({ subject: mail.subject, text: mail.text, html: '' }, messageId);
          } catch (again) {
            if (!(again instanceof MessageTooLargeError)) throw again;
            throw new NotifyError(
              `the SMTP server refuses even a one-job email, as plain text, as too large (${again.message}); raise its message size limit`,
              { retryable: false },
            );
          }
        }
        outcome = { ok: true };
      } catch (err) {
        const error = err instanceof NotifyError ? err : new NotifyError(redactSecrets(errorText(err), secrets), { retryable: true });
        outcome = { ok: false, error };
      }
      // One email carries the whole batch, so it is delivered (or not) for all of them.
      return alerts.map(() => outcome);
    },
    sendTest: () => deliver(renderTestEmail(name, now(), channel.subject_prefix)),
    notice: (subject, text) => deliver(renderNoticeEmail(subject, text, channel.subject_prefix)),
    async close() {
      transport.close();
    },
  };
}

/** The subject prefix of an alert email: the channel's own, then "Digest:" for a digest's emails. */
export function subjectPrefixOf(prefix: string | undefined, digest: boolean | undefined): { subjectPrefix?: string } {
  const parts = [prefix, digest ? 'Digest:' : undefined].filter((p): p is string => Boolean(p));
  return parts.length ? { subjectPrefix: parts.join(' ') } : {};
}

/** An operational message as an email: the subject on one line, the text as-is and as escaped HTML. */
export function renderNoticeEmail(subject: string, text: string, subjectPrefix?: string): RenderedEmail {
  const body = cleanLines(text);
  return {
    subject: cleanText(`${subjectPrefix ? `${subjectPrefix} ` : ''}${subject}`),
    text: `${body}\n`,
    html: `<pre style="font-family: inherit; white-space: pre-wrap">${escapeHtml(body)}</pre>`,
  };
}

/**
 * The Message-ID of a batch: a hash of the channel, its outbox ids and its jobs (id and first
 * sighting, which differ between two installs whose outbox ids happen to match), so the same
 * batch always gets the same id and two different batches never do.
 */
export function batchMessageId(channel: string, alerts: readonly Alert[], batch: SendBatch, domain: string): string {
  const ids = [...batch.alertIds].sort((a, b) => a - b);
  const jobs = alerts.map((a) => `${a.job.id}@${a.job.firstSeen.getTime()}`).sort();
  const hash = crypto.createHash('sha256').update(JSON.stringify([channel, ids, jobs])).digest('hex').slice(0, 32);
  return `<jobalert.${hash}@${domain}>`;
}

/** The domain of the From address (stable across restarts and hosts, unlike a container's hostname); 'jobalert' when it has none. */
export function messageIdDomain(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return m ? m[1]!.toLowerCase() : 'jobalert';
}

const TLS_CERT_ERROR = /certificate|self[- ]signed|unable to verify|CERT_|DEPTH_ZERO/i;

/**
 * The nodemailer options for the config's SMTP settings: the URL parsed by the same function the
 * config loader checks it with (so nodemailer never parses a URL itself), and STARTTLS required
 * before a password is sent over smtp:// unless `allow_insecure_auth` (or ?requireTLS=false) says so.
 */
export function smtpTransportOptions(smtp: SmtpSettings): SmtpUrlOptions {
  const parsed = parseSmtpUrl(smtp.url);
  // The loader rejects these; a caller that skipped it still gets the problem, never the URL.
  if (!parsed.ok) throw new NotifyError(`invalid smtp.url: ${parsed.problem}`, { retryable: false });
  const options = parsed.options;
  if (options.auth && !options.secure && !smtp.allow_insecure_auth && !('requireTLS' in options)) options.requireTLS = true;
  return options;
}

/** Turns a nodemailer error into a NotifyError: SMTP 4xx and connection failures are retryable, 5xx and refused credentials permanent. */
export function classifySmtpError(err: unknown, secrets: string[] = [], context: { tlsRequired?: boolean } = {}): NotifyError {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; permanent?: unknown; response?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : null;
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  let retryable: boolean;
  if (typeof e.permanent === 'boolean') retryable = !e.permanent; // nodemailer's own reading of the reply class (503 is not permanent)
  else if (responseCode !== null) retryable = responseCode < 500 || responseCode >= 600;
  else retryable = !(code !== null && PERMANENT_CODES.has(code)); // connection, DNS, TLS, timeouts: try again later
  const detail = redactSecrets(errorText(err), secrets).replace(/\s+/g, ' ').trim();
  const prefix = [code, responseCode].filter((p) => p !== null).join(' ');
  if (isTooLarge(responseCode, `${typeof e.response === 'string' ? e.response : ''} ${detail}`)) {
    return new MessageTooLargeError(`SMTP server refused the message as too large${prefix ? ` (${prefix})` : ''}: ${detail}`, { cause: err });
  }
  if (context.tlsRequired && code === 'ETLS' && /STARTTLS/i.test(detail)) {
    // Waiting will not make the server offer STARTTLS; the config has to change.
    return new NotifyError(
      `SMTP delivery failed${prefix ? ` (${prefix})` : ''}: the server does not offer STARTTLS, so the password was not sent (jobalert sends it only over TLS). Use smtps:// (port 465) or a server with STARTTLS; if the connection is private, set smtp.allow_insecure_auth: true. Server said: ${detail}`,
      { retryable: false },
    );
  }
  // A certificate problem does not heal by waiting: retrying it for days only hides it.
  if (TLS_CERT_ERROR.test(detail)) {
    return new NotifyError(
      `SMTP delivery failed${prefix ? ` (${prefix})` : ''}: ${detail} (the server's TLS certificate was refused; fix it, or if you trust this server add ?tls.rejectUnauthorized=false to the SMTP URL)`,
      { retryable: false },
    );
  }
  return new NotifyError(`SMTP delivery failed${prefix ? ` (${prefix})` : ''}: ${detail}`, { retryable });
}

/**
 * A refusal for size: enhanced status 5.3.4 ("message too big for system"), or 552 saying so.
 * A bare 552 may also be a full mailbox (5.2.2), which splitting would not help.
 */
function isTooLarge(responseCode: number | null, text: string): boolean {
  if (/\b5\.3\.4\b/.test(text)) return true;
  return responseCode === 552 && !/\b5\.2\.2\b/.test(text) && /size|too (big|large)|exceed/i.test(text);
}

/** The credentials in an smtp(s):// URL, in every form a message could carry them, to keep them out of messages. */
function smtpSecrets(url: string, options: SmtpUrlOptions): string[] {
  const pass = options.auth?.pass ?? '';
  return [...urlSecrets(url), pass, options.auth && pass ? `${options.auth.user}:${pass}` : '', url].filter(Boolean);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
