/**
 * Generic webhook notifier: each alert POSTed as one JSON body (render-webhook.ts). With a
 * `secret`, every request is signed: `X-Jobalert-Signature: sha256=<hex>` is the HMAC-SHA256 of
 * `<timestamp>.<body>` (the exact bytes sent) under the secret, and `X-Jobalert-Timestamp` is that
 * timestamp in Unix seconds, so a receiver can refuse a replayed old request. Any 2xx is
 * delivered; 408, 429 (Retry-After honoured) and 5xx are retried; any other answer fails.
 */
import crypto from 'node:crypto';
import type { WebhookChannel } from '../config/schema.js';
import { createPoster, isSuccess, retryAfterHeader, sendEachAlert, statusError, type HttpNotifierDeps } from './http-post.js';
import { renderWebhookJob, renderWebhookNotice, renderWebhookTest, type WebhookBody } from './render-webhook.js';
import type { Notifier } from './types.js';

/** The header carrying the signature. */
export const SIGNATURE_HEADER = 'x-jobalert-signature';
/** The header carrying the signed timestamp (Unix seconds). */
export const TIMESTAMP_HEADER = 'x-jobalert-timestamp';

/** `sha256=<hex>`: the HMAC-SHA256 under `secret` of `<timestamp>.<body>`. */
export function webhookSignature(secret: string, timestamp: number, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Creates the notifier for a generic webhook channel. */
export function createWebhookNotifier(name: string, channel: WebhookChannel, deps: HttpNotifierDeps = {}): Notifier {
  const now = deps.now ?? (() => new Date());
  const secrets = [channel.url, channel.secret];
  const poster = createPoster({ service: 'Webhook', secrets, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
  const post = async (message: WebhookBody): Promise<void> => {
    const body = JSON.stringify(message);
    const headers: Record<string, string> = {};
    if (channel.secret) {
      const timestamp = Math.floor(now().getTime() / 1000);
      headers[TIMESTAMP_HEADER] = String(timestamp);
      headers[SIGNATURE_HEADER] = webhookSignature(channel.secret, timestamp, body);
    }
    const answer = await poster.post(channel.url, body, headers);
    if (isSuccess(answer.status)) return;
    // A receiver's body is its own; only a short plain-text one is worth showing.
    const detail = /^[\x20-\x7e]{1,200}$/.test(answer.text.trim()) ? answer.text.trim() : null;
    throw statusError('Webhook', answer.status, { detail, retryAfterMs: retryAfterHeader(answer, now()), secrets });
  };
  return {
    name,
    type: 'webhook',
    send: (alerts) => sendEachAlert(alerts, (alert) => renderWebhookJob(alert, name, now()), post),
    sendTest: () => post(renderWebhookTest(name, now())),
    notice: (subject, text) => post(renderWebhookNotice(subject, text, name, now())),
    close: () => poster.close(),
  };
}
