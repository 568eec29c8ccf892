/**
 * Microsoft Teams notifier: one Adaptive Card message per alert (render-teams.ts), POSTed to a
 * Workflows webhook (the "Post to a channel when a webhook request is received" flow), which
 * answers 202 Accepted. A 429 waits for Retry-After; 5xx is retried; other answers (a disabled or
 * deleted flow: 404, 401, 403; a card refused: 400) fail. The webhook URL carries its signature
 * (`sig=`): no message shows it.
 */
import type { TeamsChannel } from '../config/schema.js';
import type { NotifyError } from '../core/errors.js';
import { answerJson, createPoster, isSuccess, retryAfterHeader, sendEachAlert, statusError, type HttpNotifierDeps, type PostAnswer } from './http-post.js';
import { renderTeamsMessage, renderTeamsNotice, renderTeamsTest, type TeamsMessage } from './render-teams.js';
import type { Notifier, RenderContext } from './types.js';

/** Creates the notifier for a Teams channel. */
export function createTeamsNotifier(name: string, channel: TeamsChannel, deps: HttpNotifierDeps = {}): Notifier {
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits });
  const secrets = [channel.webhook_url];
  const poster = createPoster({ service: 'Teams', secrets, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const post = async (message: TeamsMessage): Promise<void> => {
    const answer = await poster.post(channel.webhook_url, JSON.stringify(message));
    if (isSuccess(answer.status)) return;
    throw classifyTeamsAnswer(answer, now(), secrets);
  };
  return {
    name,
    type: 'teams',
    send: (alerts) => sendEachAlert(alerts, (alert) => renderTeamsMessage(alert, context()), post),
    sendTest: () => post(renderTeamsTest(name, now())),
    notice: (subject, text) => post(renderTeamsNotice(subject, text)),
    close: () => poster.close(),
  };
}

/** The NotifyError for a refusal: Power Automate's `error.code` and `error.message` shown, with what to check. */
export function classifyTeamsAnswer(answer: PostAnswer, now: Date, secrets: string[] = []): NotifyError {
  const json = answerJson(answer);
  const error = (typeof json?.error === 'object' && json.error !== null ? json.error : {}) as { code?: unknown; message?: unknown };
  const detail = [error.code, error.message].filter((p): p is string => typeof p === 'string').join(': ') || null;
  const hint =
    answer.status === 401 || answer.status === 403 || answer.status === 404
      ? 'check webhook_url: the workflow may be turned off or deleted, or its URL changed'
      : answer.status === 400
        ? 'the workflow refused the card'
        : null;
  return statusError('Teams', answer.status, { detail, hint, retryAfterMs: retryAfterHeader(answer, now), secrets });
}
