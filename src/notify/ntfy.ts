/**
 * ntfy notifier: one notification per alert (render-ntfy.ts), sent in ntfy's JSON publish form:
 * a POST of {topic, title, message, tags, click, actions} to the server's root. JSON rather than
 * the Title/Tags/Click headers because a job title is UTF-8 text ("Développeur·se", "💰"): in a
 * header it would need RFC 2047 encoding and CR/LF policing, in JSON it is just a string. `token`
 * goes as a Bearer token; `user:password@` in the URL as Basic auth. A 429 is retried (after
 * Retry-After when given), 5xx too; 401/403 (no write access), 413 (too large) and 400 fail.
 */
import type { NtfyChannel } from '../config/schema.js';
import { ntfyTopic } from '../config/schema.js';
import type { NotifyError } from '../core/errors.js';
import { answerJson, createPoster, isSuccess, retryAfterHeader, sendEachAlert, statusError, type HttpNotifierDeps, type PostAnswer } from './http-post.js';
import { renderNtfyMessage, renderNtfyNotice, renderNtfyTest, type NtfyMessage } from './render-ntfy.js';
import type { Notifier, RenderContext } from './types.js';

/** The publish endpoint (the server root, sub-path kept) and topic of an ntfy topic URL. */
export function ntfyEndpoint(topicUrl: string): { root: string; topic: string } {
  const topic = ntfyTopic(topicUrl);
  if (topic === null) throw new Error('the ntfy url names no topic'); // the config loader rejects such a URL
  const u = new URL(topicUrl);
  const segments = u.pathname.split('/').filter(Boolean);
  segments.pop();
  u.pathname = `/${segments.map((s) => `${s}/`).join('')}`;
  u.search = '';
  u.hash = '';
  return { root: u.href, topic };
}

/** Creates the notifier for an ntfy channel. */
export function createNtfyNotifier(name: string, channel: NtfyChannel, deps: HttpNotifierDeps = {}): Notifier {
  const now = deps.now ?? (() => new Date());
  const context = (): RenderContext => ({ now: now(), feedLinks: deps.feedLinks, feedCredits: deps.feedCredits });
  const secrets = [channel.url, channel.token];
  const poster = createPoster({ service: 'ntfy', secrets, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const { root, topic } = ntfyEndpoint(channel.url);
  const headers: Record<string, string> = channel.token ? { authorization: `Bearer ${channel.token}` } : {};
  const post = async (message: NtfyMessage): Promise<void> => {
    const answer = await poster.post(root, JSON.stringify({ topic, ...message }), headers);
    if (isSuccess(answer.status)) return;
    throw classifyNtfyAnswer(answer, now(), secrets);
  };
  return {
    name,
    type: 'ntfy',
    send: (alerts) => sendEachAlert(alerts, (alert) => renderNtfyMessage(alert, context()), post),
    sendTest: () => post(renderNtfyTest(name, now())),
    notice: (subject, text) => post(renderNtfyNotice(subject, text)),
    close: () => poster.close(),
  };
}

/** The NotifyError for an ntfy refusal: its JSON `error` shown, with what to change for auth and size refusals. */
export function classifyNtfyAnswer(answer: PostAnswer, now: Date, secrets: Array<string | undefined> = []): NotifyError {
  const json = answerJson(answer);
  const error = typeof json?.error === 'string' ? json.error : null;
  const hint =
    answer.status === 401 || answer.status === 403
      ? 'the topic needs an access token with write permission: set token'
      : answer.status === 413
        ? 'the server refuses messages this large'
        : null;
  return statusError('ntfy', answer.status, { detail: error, hint, retryAfterMs: retryAfterHeader(answer, now), secrets });
}
