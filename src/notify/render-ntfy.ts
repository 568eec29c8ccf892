/**
 * ntfy rendering (pure): the fields of ntfy's JSON publish form for one alert. The message is
 * plain text, not Markdown: ntfy's phone apps show Markdown source as typed, and a phone is where
 * these are read; so there is no markup to escape, and values are only cleaned of control
 * characters. The posting's link is the notification's click target and an "Open posting" button.
 */
import type { Alert } from '../core/types.js';
import { cleanLines, cleanText, truncateText } from './escape.js';
import { alertFacts } from './render-text.js';
import type { RenderContext } from './types.js';

/**
 * The most bytes a message gets: ntfy turns a longer one into an attachment (its default
 * message-size-limit is 4096 bytes); the rest of the JSON body is outside that limit.
 */
export const NTFY_MAX_MESSAGE_BYTES = 3900;
const MAX_TITLE = 250;

/** One view action (a button opening a URL). */
export interface NtfyViewAction {
  action: 'view';
  label: string;
  url: string;
  clear: true;
}

/** The JSON publish fields jobalert sets besides `topic`. */
export interface NtfyMessage {
  title: string;
  message: string;
  /** Emoji short codes shown before the title. */
  tags: string[];
  click?: string;
  actions?: NtfyViewAction[];
}

/** Renders one alert as an ntfy notification: the job title as title, the details as the message. */
export function renderNtfyMessage(alert: Alert, ctx: RenderContext): NtfyMessage {
  const facts = alertFacts(alert, ctx);
  const head = [facts.company, facts.place ? `${facts.remote ? '🌎' : '📍'} ${facts.place}` : null, facts.salary ? `💰 ${facts.salary}` : null].filter(
    (p): p is string => Boolean(p),
  );
  const lines = [...(head.length ? [head.join(' · ')] : []), `${facts.age} on ${facts.feed.name}`];
  if (facts.reasons.length > 0) lines.push(facts.reasons.map((r) => `✓ ${r}`).join(' · '));
  if (facts.alsoOn.length > 0) lines.push(`also on: ${facts.alsoOn.map((f) => f.name).join(', ')}`);
  lines.push(`rule: ${facts.rule}`);
  const message: NtfyMessage = { title: truncateText(facts.title, MAX_TITLE), message: truncateBytes(lines.join('\n'), NTFY_MAX_MESSAGE_BYTES), tags: ['briefcase'] };
  if (facts.url) {
    message.click = facts.url;
    message.actions = [{ action: 'view', label: 'Open posting', url: facts.url, clear: true }];
  }
  return message;
}

/** Renders the notification `test-notify` sends. */
export function renderNtfyTest(channelName: string, now: Date): NtfyMessage {
  return {
    title: 'jobalert test message',
    message: `Alerts for channel "${truncateText(cleanText(channelName), 200)}" will arrive here. (${now.toISOString()})`,
    tags: ['white_check_mark'],
  };
}

/** Renders a health message: the subject as the title, the text as the message. */
export function renderNtfyNotice(subject: string, text: string): NtfyMessage {
  return { title: truncateText(cleanText(subject), MAX_TITLE) || 'jobalert', message: truncateBytes(cleanLines(text), NTFY_MAX_MESSAGE_BYTES), tags: ['warning'] };
}

/** Shortens text (ending in "…", never splitting a character) until its UTF-8 form is at most `max` bytes. */
export function truncateBytes(text: string, max: number): string {
  let out = text;
  while (Buffer.byteLength(out) > max && out.length > 0) out = truncateText(out, Math.max(0, out.length - Math.ceil((Buffer.byteLength(out) - max) / 4) - 1));
  return out;
}
