/**
 * What the HTTP channels (webhook, Discord, Telegram, ntfy, Teams) share: one undici Agent per
 * channel posting JSON with a total timeout, the reading of an answer (status, Retry-After, a
 * capped body), the mapping of an HTTP status to a retryable or permanent NotifyError, and the
 * one-message-per-alert send loop Slack uses. No error message ever carries the URL posted to:
 * webhook URLs and the Telegram bot path hold the channel's credentials.
 */
import { Agent } from 'undici';
import type { Alert } from '../core/types.js';
import { NotifyError } from '../core/errors.js';
import { redactUrlsIn } from '../core/redact.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { USER_AGENT } from '../version.js';
import { cleanText, redactSecrets, truncateText } from './escape.js';
import type { SendOutcome } from './types.js';

/** The per-request timeout when the channel's caller does not set one: a hung service must not hold up the dispatcher. */
export const DEFAULT_POST_TIMEOUT_MS = 20_000;

// An answer is read for its error code and retry time; nothing a service says needs more.
const MAX_ANSWER_BYTES = 64 * 1024;

/** Dependencies of the HTTP notifiers. */
export interface HttpNotifierDeps {
  /** Feed name -> link shown for it in alerts (sources that ask to be credited). */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  now?: () => Date;
  /** Per-request timeout. */
  timeoutMs?: number;
}

/** A service's answer to one POST. */
export interface PostAnswer {
  status: number;
  /** Header values by lower-case name (first value when repeated). */
  headers: Record<string, string>;
  /** The body as text, cut at 64 KB. */
  text: string;
}

/** Posts bodies for one channel; close() releases its connections. */
export interface Poster {
  /** Sends one POST; resolves with any HTTP answer, rejects with a retryable NotifyError when no answer came. */
  post(url: string, body: string, headers?: Record<string, string>): Promise<PostAnswer>;
  close(): Promise<void>;
}

/** Options of a poster: what to call the service in messages, the secrets its errors must never show. */
export interface PosterOptions {
  /** "Discord", "Telegram", ...: how error messages name the service. */
  service: string;
  /** Values scrubbed from every error message (tokens, webhook URLs). */
  secrets: Array<string | null | undefined>;
  timeoutMs?: number;
}

/** Creates a poster with its own connection pool; redirects are never followed (a webhook that moved must be reconfigured). */
export function createPoster(opts: PosterOptions): Poster {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_POST_TIMEOUT_MS;
  const agent = new Agent({
    connections: 2,
    connect: { timeout: timeoutMs },
    // The total timer below is what should fire; these only back it up.
    headersTimeout: timeoutMs + 1000,
    bodyTimeout: timeoutMs + 1000,
  });
  return {
    async post(url, body, headers = {}) {
      try {
        const target = new URL(url);
        const res = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': USER_AGENT, ...authHeader(target), ...headers },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const answerHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) answerHeaders[k.toLowerCase()] = Array.isArray(v) ? String(v[0]) : String(v);
        return { status: res.statusCode, headers: answerHeaders, text: await readCapped(res.body) };
      } catch (err) {
        throw new NotifyError(`${opts.service} request failed: ${networkReason(err, opts.secrets)}`, { retryable: true });
      }
    },
    close: () => agent.close(),
  };
}

/** `user:password@` in a configured URL becomes HTTP Basic auth (undici would not send it). */
function authHeader(url: URL): Record<string, string> {
  if (!url.username && !url.password) return {};
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = MAX_ANSWER_BYTES - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= MAX_ANSWER_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why no answer came, in words safe to log: an error code, a timeout, or the message without URLs or secrets. */
function networkReason(err: unknown, secrets: Array<string | null | undefined>): string {
  const e = (err ?? {}) as { code?: unknown; name?: unknown; message?: unknown; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  const code = typeof e.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(e.code) ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : null;
  if (code) return code;
  return truncateText(cleanText(redactUrlsIn(redactSecrets(typeof e.message === 'string' ? e.message : String(err), secrets))), 200);
}

/** True for a 2xx answer. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** 408, 425, 429 and 5xx are worth another try later; any other 4xx (and 3xx: redirects are not followed) will fail again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** The wait a Retry-After header asks for, in ms; null when absent or unreadable. */
export function retryAfterHeader(answer: PostAnswer, now: Date): number | null {
  return parseRetryAfter(answer.headers['retry-after'] ?? null, now);
}

/** Seconds (a number, possibly fractional, as Discord and Telegram send them in their bodies) as ms; null when not a usable number. */
export function secondsToMs(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return Math.min(Math.ceil(value * 1000), 24 * 3_600_000);
}

/**
 * The NotifyError for a non-2xx answer: retryable per isRetryableStatus, with the service's own
 * words (`detail`, cleaned, capped, secrets removed) and `hint` when there is one.
 */
export function statusError(
  service: string,
  status: number,
  opts: { detail?: string | null; hint?: string | null; retryAfterMs?: number | null; secrets?: Array<string | null | undefined> } = {},
): NotifyError {
  const detail = opts.detail ? truncateText(cleanText(redactUrlsIn(redactSecrets(opts.detail, opts.secrets ?? []))), 200) : '';
  const wait = opts.retryAfterMs != null ? `; retry after ${Math.round(opts.retryAfterMs / 100) / 10} s` : '';
  const what = status === 429 ? `${service} rate limited the message (HTTP 429)` : `${service} answered HTTP ${status}`;
  const redirect = status >= 300 && status < 400 ? ' (redirects are not followed: configure the URL it points to)' : '';
  return new NotifyError(`${what}${detail ? `: ${detail}` : ''}${opts.hint ? ` (${opts.hint})` : ''}${redirect}${wait}`, {
    retryable: isRetryableStatus(status),
    retryAfterMs: opts.retryAfterMs ?? null,
  });
}

/** The answer's body as JSON, or null when it is not JSON. */
export function answerJson(answer: PostAnswer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(answer.text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Sends alerts one message each, in order, as Slack does: a rendering failure fails that alert
 * alone; after a retryable failure the rest of the batch gets the same outcome unsent (hammering
 * a rate-limited or failing service only makes it worse). Never throws.
 */
export async function sendEachAlert<M>(alerts: Alert[], render: (alert: Alert) => M, post: (message: M) => Promise<void>): Promise<SendOutcome[]> {
  const outcomes: SendOutcome[] = [];
  for (const alert of alerts) {
    let message: M;
    try {
      message = render(alert);
    } catch (err) {
      outcomes.push({ ok: false, error: new NotifyError(`could not render the alert: ${errorText(err)}`, { retryable: false }) });
      continue;
    }
    try {
      await post(message);
      outcomes.push({ ok: true });
    } catch (err) {
      const error = err instanceof NotifyError ? err : new NotifyError(errorText(err), { retryable: true });
      outcomes.push({ ok: false, error });
      if (error.retryable) {
        while (outcomes.length < alerts.length) outcomes.push({ ok: false, error });
        break;
      }
    }
  }
  return outcomes;
}

/** An error's message, or the value as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
