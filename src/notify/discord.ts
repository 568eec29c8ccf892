/**
 * Discord notifier: one webhook message per alert (render-discord.ts), posted with `?wait=true`
 * so Discord confirms the message exists (without it a 204 says only that it was queued).
 * A 429 is retried after the `retry_after` Discord puts in its JSON body (seconds, fractional),
 * else after the Retry-After header; 5xx is retried; other answers (404 Unknown Webhook, 400
 * Invalid Form Body, 401) fail. The webhook URL holds the webhook's token: no message shows it.
 */
import type { DiscordChannel } from '../config/schema.js';
import { answerJson, createPoster, isSuccess, retryAfterHeader, secondsToMs, sendEachAlert, statusError, type HttpNotifierDeps, type PostAnswer } from './http-post.js';
import { renderDiscordMessage, renderDiscordNotice, renderDiscordTest, type DiscordMessage } from './render-discord.js';
import type { Notifier, RenderContext } from './types.js';
import type { NotifyError } from '../core/errors.js';

// Discord's JSON error codes worth a hint (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json).
const DISCORD_HINTS: Record<number, string> = {
  10015: 'the webhook no longer exists: create a new one and update webhook_url',
  50027: 'the webhook token in webhook_url is not valid',
  50035: 'Discord refused the message content',
  50006: 'the message was empty',
};

/** Creates the notifier for a Discord channel. */
export function createDiscordNotifier(name: string, channel: DiscordChannel, deps: HttpNotifierDeps = {}): Notifier {
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits });
  const secrets = [channel.webhook_url];
  const poster = createPoster({ service: 'Discord', secrets, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const target = new URL(channel.webhook_url);
  target.searchParams.set('wait', 'true');
  const url = target.href;
  const post = async (message: DiscordMessage): Promise<void> => {
    const answer = await poster.post(url, JSON.stringify(message));
    if (isSuccess(answer.status)) return;
    throw classifyDiscordAnswer(answer, now(), secrets);
  };
  return {
    name,
    type: 'discord',
    send: (alerts) => sendEachAlert(alerts, (alert) => renderDiscordMessage(alert, context()), post),
    sendTest: () => post(renderDiscordTest(name, now())),
    notice: (subject, text) => post(renderDiscordNotice(subject, text)),
    close: () => poster.close(),
  };
}

/** The NotifyError for a non-2xx Discord answer: the body's `retry_after` wins over the header, its `message` and `code` are shown. */
export function classifyDiscordAnswer(answer: PostAnswer, now: Date, secrets: string[] = []): NotifyError {
  const json = answerJson(answer);
  const code = typeof json?.code === 'number' ? json.code : null;
  const message = typeof json?.message === 'string' ? json.message : null;
  const retryAfterMs = answer.status === 429 ? (secondsToMs(json?.retry_after) ?? retryAfterHeader(answer, now)) : retryAfterHeader(answer, now);
  const detail = message ? `${message}${code !== null ? ` (code ${code})` : ''}` : null;
  const hint = code !== null ? (DISCORD_HINTS[code] ?? null) : answer.status === 404 ? 'check webhook_url: the webhook may have been deleted' : null;
  return statusError('Discord', answer.status, { detail, hint, retryAfterMs, secrets });
}
