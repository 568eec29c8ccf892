/**
 * Slack notifiers: a bot token (chat.postMessage through @slack/web-api) or an incoming
 * webhook (@slack/webhook). One message per alert for a few jobs, one grouped message for up to
 * SLACK_GROUP_MAX jobs when more than SLACK_GROUP_AFTER wait, or one summary for many jobs of one
 * rule (the dispatcher decides when, from these and the channel's `summary_after`). Neither the
 * token nor the webhook URL (both secrets) ever appears in an error message.
 */
import { createRequire } from 'node:module';
import type * as SlackWebApi from '@slack/web-api';
import type { Logger } from '@slack/web-api';
import type * as SlackWebhook from '@slack/webhook';
import type { IncomingWebhookDefaultArguments } from '@slack/webhook';
import { NotifyError } from '../core/errors.js';
import type { SlackBotChannel, SlackWebhookChannel } from '../config/schema.js';
import { parseRetryAfter } from '../http/retry-after.js';
import { cleanLines, cleanText, escapeMrkdwn, escapeMrkdwnInline, redactSecrets, truncateMrkdwn } from './escape.js';
import { renderSlackGroup, renderSlackMessage, renderSlackSummary, renderSlackTestMessage, SLACK_GROUP_MAX, type SlackMessage } from './render-slack.js';
import { renderSlackDigest } from './render-digest.js';
import { sendEachAlert } from './http-post.js';
import type { RenderContext, Notifier, SendOutcome } from './types.js';

// The Slack clients (and axios beneath them) load when a Slack channel is created, not at start-up:
// `query`, `--version` and a config without Slack never pay for them.
const require = createRequire(import.meta.url);
let webApi: typeof SlackWebApi | null = null;
let webhookApi: typeof SlackWebhook | null = null;
const slackWebApi = (): typeof SlackWebApi => (webApi ??= require('@slack/web-api') as typeof SlackWebApi);
const slackWebhook = (): typeof SlackWebhook => (webhookApi ??= require('@slack/webhook') as typeof SlackWebhook);

/** Dependencies of the Slack notifiers. */
export interface SlackDeps {
  /** Feed name -> link shown for it in alerts (sources that ask to be credited). */
  feedLinks?: Record<string, string>;
  /** Feed name -> the source's own name, shown with it ("remotive-dev via Remotive"): their terms ask to be named. */
  feedCredits?: Record<string, string>;
  now?: () => Date;
  /** IANA zone of the absolute dates in alerts (the config's `timezone`); default UTC. */
  timeZone?: string;
  /** Per-request timeout; a hung Slack must not hold up the dispatcher forever. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;

// Platform errors a later attempt can get past; every other `ok:false` error (invalid_auth,
// channel_not_found, not_in_channel, msg_too_long, invalid_blocks, ...) will fail again.
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'rate_limited']);

const PLATFORM_HINTS: Record<string, string> = {
  invalid_auth: 'the bot token is not valid',
  not_authed: 'no bot token was sent',
  account_inactive: 'the bot token belongs to a deactivated app or user',
  token_revoked: 'the bot token was revoked',
  token_expired: 'the bot token expired',
  channel_not_found: 'check the channel name or ID in the config',
  not_in_channel: 'invite the bot to the channel',
  is_archived: 'the channel is archived',
  missing_scope: 'the bot token lacks the chat:write scope',
  msg_too_long: 'the message is too long',
  invalid_blocks: 'Slack refused the message blocks',
};

/** Creates the notifier for a Slack channel configured with a bot token. */
export function createSlackBotNotifier(name: string, channel: SlackBotChannel, deps: SlackDeps = {}): Notifier {
  const client = new (slackWebApi().WebClient)(channel.token, {
    ...(channel.api_url ? { slackApiUrl: channel.api_url } : {}),
    // The dispatcher owns retries and backoff; the client must fail fast and say why.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logLevel: slackWebApi().LogLevel.ERROR,
    logger: quietLogger(),
    // The original axios error carries the request config, Authorization header included.
    attachOriginalToWebAPIRequestError: false,
    allowAbsoluteUrls: false,
  });
  const post = async (message: SlackMessage): Promise<void> => {
    try {
      await client.chat.postMessage({
        channel: channel.channel,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      throw classifySlackApiError(err, [channel.token]);
    }
  };
  return slackNotifier(name, deps, post, channel.summary_after);
}

/** Jobs of one rule in one dispatch beyond which a Slack channel gets one summary (`summary_after`). */
export const DEFAULT_SUMMARY_AFTER = 20;

/**
 * Jobs waiting for a Slack channel in one dispatch (after the summaries) up to which each gets its
 * own message; beyond, they go in grouped messages of up to SLACK_GROUP_MAX. Three messages read
 * well in a channel; a fourth starts to push the conversation away.
 */
export const SLACK_GROUP_AFTER = 3;

/** Creates the notifier for a Slack channel configured with an incoming webhook URL. */
export function createSlackWebhookNotifier(name: string, channel: SlackWebhookChannel, deps: SlackDeps = {}): Notifier {
  const defaults: IncomingWebhookDefaultArguments = { timeout: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS, retryConfig: { retries: 0 } };
  const hook = new (slackWebhook().IncomingWebhook)(channel.webhook_url, defaults);
  // The library copies its defaults into every message body ("timeout":20000 reached Slack) and
  // keeps this very object; the timeout already lives on its HTTP client, so it leaves the body.
  delete defaults.timeout;
  const post = async (message: SlackMessage): Promise<void> => {
    try {
      await hook.send({ text: message.text, blocks: message.blocks as never, unfurl_links: false });
    } catch (err) {
      throw classifyWebhookError(err, [channel.webhook_url]);
    }
  };
  return slackNotifier(name, deps, post, channel.summary_after);
}

/** The Notifier around one way of posting a Slack message (bot token or webhook). */
function slackNotifier(name: string, deps: SlackDeps, post: (m: SlackMessage) => Promise<void>, summaryAfter = DEFAULT_SUMMARY_AFTER): Notifier {
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits, timeZone: deps.timeZone });
  // One message for several jobs: rendered, then posted once; delivered or not for all of them.
  const postOne = async (what: string, render: () => SlackMessage): Promise<SendOutcome> => {
    let message: SlackMessage;
    try {
      message = render();
    } catch (err) {
      return { ok: false, error: new NotifyError(`could not render the ${what}: ${errorText(err)}`, { retryable: false }) };
    }
    try {
      await post(message);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof NotifyError ? err : new NotifyError(errorText(err), { retryable: true }) };
    }
  };
  return {
    name,
    type: 'slack',
    summaryAfter,
    groupAfter: SLACK_GROUP_AFTER,
    maxJobsPerMessage: SLACK_GROUP_MAX,
    sendSummary: (rule, total, shown) => postOne('summary', () => renderSlackSummary(rule, total, shown, context())),
    sendGroup: (alerts) => postOne('grouped message', () => renderSlackGroup(alerts, context())),
    sendDigest: (digest) => postOne('digest', () => renderSlackDigest(digest, context())),
    send: (alerts) => sendEachAlert(alerts, (alert) => renderSlackMessage(alert, context()), post),
    sendTest: () => post(renderSlackTestMessage(name, now())),
    notice: (subject, text) => post(renderSlackNotice(subject, text)),
    close: async () => {},
  };
}

/** An operational message as Slack mrkdwn: every character of it escaped (an error text may quote a hostile server), the subject in bold. */
export function renderSlackNotice(subject: string, text: string): SlackMessage {
  const head = escapeMrkdwnInline(cleanText(subject));
  const body = truncateMrkdwn(escapeMrkdwn(cleanLines(text)), 2800);
  return {
    text: `${head}: ${truncateMrkdwn(escapeMrkdwn(cleanText(text)), 300)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${head}*\n${body}` } }],
  };
}

/** Turns whatever WebClient threw into a NotifyError: rate limits, 5xx and network failures are retryable, Slack's `ok:false` errors permanent. */
export function classifySlackApiError(err: unknown, secrets: string[] = []): NotifyError {
  const e = (err ?? {}) as { code?: unknown; message?: unknown; retryAfter?: unknown; data?: { error?: unknown }; statusCode?: unknown; original?: { code?: unknown } };
  switch (e.code) {
    case slackWebApi().ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : null;
      return new NotifyError(`Slack rate limited the message${seconds === null ? '' : `; retry after ${seconds} s`}`, {
        retryable: true,
        retryAfterMs: seconds === null ? null : seconds * 1000,
      });
    }
    case slackWebApi().ErrorCode.PlatformError: {
      const code = slackCode(e.data?.error);
      const hint = PLATFORM_HINTS[code];
      return new NotifyError(`Slack API error: ${code}${hint ? ` (${hint})` : ''}`, { retryable: TRANSIENT_PLATFORM_ERRORS.has(code) });
    }
    case slackWebApi().ErrorCode.HTTPError: {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      return new NotifyError(`Slack API answered HTTP ${status}`, { retryable: isRetryableStatus(status) });
    }
    case slackWebApi().ErrorCode.RequestError:
      return new NotifyError(`Slack API request failed: ${networkCode(e.original?.code) ?? redactSecrets(errorText(err), secrets)}`, { retryable: true });
    default: {
      const message = redactSecrets(errorText(err), secrets);
      // WebClient throws a plain Error for a 429 whose Retry-After it cannot read.
      if (/rate limit|retry header/i.test(message)) return new NotifyError('Slack rate limited the message', { retryable: true });
      return new NotifyError(`Slack API call failed: ${message}`, { retryable: true });
    }
  }
}

/** Turns whatever IncomingWebhook threw into a NotifyError: 429, 5xx and network failures are retryable, other 4xx permanent. */
export function classifyWebhookError(err: unknown, secrets: string[] = []): NotifyError {
  const e = (err ?? {}) as {
    code?: unknown;
    original?: { code?: unknown; response?: { status?: unknown; headers?: Record<string, unknown>; data?: unknown } };
  };
  if (e.code === slackWebhook().ErrorCode.HTTPError) {
    const res = e.original?.response;
    const status = typeof res?.status === 'number' ? res.status : 0;
    // Slack answers webhook errors with a bare code ("no_service", "invalid_token"); anything else is not echoed.
    const body = typeof res?.data === 'string' && /^[a-z0-9_]{1,60}$/.test(res.data.trim()) ? ` ${res.data.trim()}` : '';
    if (status === 429) {
      const header: unknown = res?.headers?.['retry-after'];
      const retryAfterMs = parseRetryAfter(typeof header === 'string' ? header : Array.isArray(header) ? String(header[0]) : null, new Date());
      return new NotifyError(`Slack webhook rate limited the message${retryAfterMs === null ? '' : `; retry after ${retryAfterMs / 1000} s`}`, {
        retryable: true,
        retryAfterMs,
      });
    }
    return new NotifyError(`Slack webhook answered HTTP ${status}${body}`, { retryable: isRetryableStatus(status) });
  }
  if (e.code === slackWebhook().ErrorCode.RequestError) {
    return new NotifyError(`Slack webhook request failed: ${networkCode(e.original?.code) ?? 'no response'}`, { retryable: true });
  }
  return new NotifyError(`Slack webhook call failed: ${redactSecrets(errorText(err), secrets)}`, { retryable: true });
}

function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

function slackCode(value: unknown): string {
  return typeof value === 'string' && /^[a-z0-9_.]{1,80}$/i.test(value) ? value : 'unknown_error';
}

function networkCode(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Z0-9_]{2,40}$/.test(value) ? value : null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// WebClient logs request failures (and, at debug, request details) through its logger; the
// dispatcher already logs every outcome, so the client stays silent.
function quietLogger(): Logger {
  let level = slackWebApi().LogLevel.ERROR;
  const noop = (): void => {};
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: noop,
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: noop,
  };
}
