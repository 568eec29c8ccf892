/**
 * Telegram rendering (pure): one sendMessage body per alert in Telegram's HTML parse mode, every
 * posting value escaped (`&`, `<`, `>`, `"`) and any @mention broken, within the 4096-character
 * limit. A one-job message previews the posting's own page (not the first link it happens to
 * hold); a message with no single posting (test, notice) has no preview at all.
 */
import type { Alert } from '../core/types.js';
import { cleanLines, cleanText } from './escape.js';
import { breakMentions, escapeTelegramHtml, fitEscaped, joinWithin } from './escape-chat.js';
import { alertFacts, type AlertFacts, type FeedRef } from './render-text.js';
import type { RenderContext } from './types.js';

/** Telegram's limit on a message's text, in characters after entities are parsed (the HTML source is longer, so it is kept under this). */
export const TELEGRAM_MAX_TEXT = 4096;

// Budgets per part. Together they can pass 4096 only with extreme values; then the least useful lines go.
const MAX_URL = 1000;
const MAX_COMPANY = 400;
const MAX_DETAILS = 900;
const MAX_REASONS = 1200;
const MAX_ALSO_ON = 500;
const MAX_RULE = 240;

/** The sendMessage fields jobalert sets besides chat_id. */
export interface TelegramMessage {
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: true } | { url: string; prefer_small_media: true };
}

/** Escapes a posting value for Telegram HTML and breaks any @mention in it. */
function esc(text: string): string {
  return escapeTelegramHtml(breakMentions(text));
}

/** A link; the URL is an http(s) one (safeHttpUrl), escaped for the attribute. */
function link(url: string, labelHtml: string): string {
  return `<a href="${escapeTelegramHtml(url)}">${labelHtml}</a>`;
}

/** Renders one alert as a Telegram message. */
export function renderTelegramMessage(alert: Alert, ctx: RenderContext): TelegramMessage {
  const facts = alertFacts(alert, ctx);
  return {
    text: alertHtml(facts),
    parse_mode: 'HTML',
    link_preview_options: facts.url ? { url: facts.url, prefer_small_media: true } : { is_disabled: true },
  };
}

function alertHtml(facts: AlertFacts): string {
  const title = fitEscaped(facts.title, 800, esc);
  const url = facts.url && escapeTelegramHtml(facts.url).length <= MAX_URL ? facts.url : null;
  const titled = url ? `<b>${link(url, title)}</b>` : `<b>${title}</b>`;
  const head = facts.company ? `${titled} · ${fitEscaped(facts.company, MAX_COMPANY, esc)}` : titled;
  const details: string[] = [];
  if (facts.place) details.push(`${facts.remote ? '🌎' : '📍'} ${esc(facts.place)}`);
  if (facts.salary) details.push(`💰 ${esc(facts.salary)}`);
  details.push(`${esc(facts.age)} on ${feedLink(facts.feed)}`);
  const rule = `<i>rule: ${fitEscaped(facts.rule, MAX_RULE, esc)}</i>`;
  // Least useful first: what is dropped when the whole would pass Telegram's limit.
  const optional = [
    facts.alsoOn.length > 0 ? `also on: ${joinWithin(facts.alsoOn.map(feedLink), ', ', MAX_ALSO_ON)}` : null,
    facts.reasons.length > 0 ? joinWithin(facts.reasons.map((r) => `✓ ${esc(r)}`), ' · ', MAX_REASONS) : null,
    joinWithin(details, ' · ', MAX_DETAILS),
  ];
  const compose = () => [head, optional[2], optional[1], optional[0], rule].filter((l): l is string => Boolean(l)).join('\n');
  let text = compose();
  for (let i = 0; text.length > TELEGRAM_MAX_TEXT && i < optional.length; i++) {
    optional[i] = null;
    text = compose();
  }
  return text;
}

function feedLink(feed: FeedRef): string {
  const name = esc(feed.name);
  return feed.url && escapeTelegramHtml(feed.url).length <= MAX_URL ? link(feed.url, name) : name;
}

/** Renders the message `test-notify` sends. */
export function renderTelegramTest(channelName: string, now: Date): TelegramMessage {
  return {
    text: `✅ jobalert test message for channel <b>${fitEscaped(cleanText(channelName), 200, esc)}</b>: alerts will arrive here. (${now.toISOString()})`,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

/** Renders a health message: the subject in bold, then the text, every character escaped. */
export function renderTelegramNotice(subject: string, text: string): TelegramMessage {
  const head = `<b>${fitEscaped(cleanText(subject), 300, esc)}</b>`;
  return {
    text: `${head}\n${fitEscaped(cleanLines(text), TELEGRAM_MAX_TEXT - head.length - 1, esc)}`,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}
