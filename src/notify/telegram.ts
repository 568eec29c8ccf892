/**
 * Telegram notifier: one sendMessage per alert (render-telegram.ts) through the Bot API
 * (`api_url` replaces https://api.telegram.org). The bot token is part of the request PATH
 * (/bot<token>/sendMessage), so no error message ever shows the URL: they name the method and
 * what Telegram answered, with the token scrubbed from that too. A 429 waits for the
 * `parameters.retry_after` of Telegram's answer (else the Retry-After header); 5xx is retried;
 * other refusals (401 bad token, 400 chat not found, 403 bot removed) fail.
 */
import type { TelegramChannel } from '../config/schema.js';
import type { NotifyError } from '../core/errors.js';
import { answerJson, createPoster, isSuccess, retryAfterHeader, secondsToMs, sendEachAlert, statusError, type HttpNotifierDeps, type PostAnswer } from './http-post.js';
import { renderTelegramMessage, renderTelegramNotice, renderTelegramTest, type TelegramMessage } from './render-telegram.js';
import type { Notifier, RenderContext } from './types.js';

/** Where the Bot API is when `api_url` does not say. */
export const TELEGRAM_API_URL = 'https://api.telegram.org';

/** Creates the notifier for a Telegram channel. */
export function createTelegramNotifier(name: string, channel: TelegramChannel, deps: HttpNotifierDeps = {}): Notifier {
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits });
  const secrets = [channel.token];
  const poster = createPoster({ service: 'Telegram', secrets, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const url = `${(channel.api_url ?? TELEGRAM_API_URL).replace(/\/+$/, '')}/bot${channel.token}/sendMessage`;
  const post = async (message: TelegramMessage): Promise<void> => {
    const answer = await poster.post(url, JSON.stringify({ chat_id: channel.chat_id, ...message }));
    const json = answerJson(answer);
    // A proxy in front of the API may answer 2xx without Telegram's envelope; only an explicit ok:false is a refusal.
    if (isSuccess(answer.status) && json?.ok !== false) return;
    throw classifyTelegramAnswer(answer, now(), secrets);
  };
  return {
    name,
    type: 'telegram',
    send: (alerts) => sendEachAlert(alerts, (alert) => renderTelegramMessage(alert, context()), post),
    sendTest: () => post(renderTelegramTest(name, now())),
    notice: (subject, text) => post(renderTelegramNotice(subject, text)),
    close: () => poster.close(),
  };
}

/** The NotifyError for a Telegram refusal: `description` shown, `parameters.retry_after` honoured, a group turned supergroup named. */
export function classifyTelegramAnswer(answer: PostAnswer, now: Date, secrets: string[] = []): NotifyError {
  const json = answerJson(answer);
  const parameters = (typeof json?.parameters === 'object' && json.parameters !== null ? json.parameters : {}) as { retry_after?: unknown; migrate_to_chat_id?: unknown };
  // Telegram's own error_code is the HTTP status it meant (a 2xx carrying ok:false included).
  const status = isSuccess(answer.status) && typeof json?.error_code === 'number' ? json.error_code : answer.status;
  const description = typeof json?.description === 'string' ? json.description : null;
  const retryAfterMs = secondsToMs(parameters.retry_after) ?? retryAfterHeader(answer, now);
  return statusError('Telegram sendMessage', status, { detail: description, hint: telegramHint(status, description, parameters.migrate_to_chat_id), retryAfterMs, secrets });
}

function telegramHint(status: number, description: string | null, migrateTo: unknown): string | null {
  if (typeof migrateTo === 'number') return `the group became a supergroup: set chat_id to ${migrateTo}`;
  if (status === 401 || status === 404) return 'the bot token is not valid; get it again from @BotFather';
  if (status === 403) return 'the bot cannot post in this chat: add it to the group, or make it an administrator of the channel';
  if (status === 400 && description && /chat not found/i.test(description)) return 'check chat_id; the bot must be a member of the chat';
  return null;
}
