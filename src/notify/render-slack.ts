/**
 * Slack rendering (pure): one Block Kit message per alert, with the same content as a plain
 * mrkdwn `text` fallback (notifications, screen readers, clients without blocks).
 */
import type { Alert } from '../core/types.js';
import { cleanText, escapeMrkdwn, escapeMrkdwnInline, slackLinkUrl, truncateMrkdwn, truncateText } from './escape.js';
import { alertFacts, type AlertFacts, type FeedRef } from './render-text.js';
import type { RenderContext } from './types.js';

// Block Kit limits (https://api.slack.com/reference/block-kit): section and context text
// 3000 characters, button text 75, button url 3000.
const MAX_SECTION = 3000;
const MAX_CONTEXT = 3000;
const MAX_BUTTON_TEXT = 75;
const MAX_BUTTON_URL = 3000;
// A longer link would crowd the title out of the section; the button still carries it.
const MAX_INLINE_URL = 1500;
// Slack truncates `text` beyond 40k and advises staying under 4k.
const MAX_FALLBACK = 3000;

/** A rendered Slack message: blocks plus the plain mrkdwn fallback. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/** Renders one alert as a Slack message; every posting value is escaped, links are http(s) only. */
export function renderSlackMessage(alert: Alert, ctx: RenderContext): SlackMessage {
  const facts = alertFacts(alert, ctx);
  const headline = titleLine(facts);
  const details = detailLine(facts);
  const reasons = facts.reasons.map((r) => `✓ ${escapeMrkdwnInline(r)}`).join(' · ');
  const rule = `rule: ${escapeMrkdwn(facts.rule)}`;
  const alsoOn = facts.alsoOn.length > 0 ? `also on: ${facts.alsoOn.map(feedLink).join(', ')}` : null;

  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(`${headline}\n${details}`, MAX_SECTION) } },
    {
      type: 'context',
      elements: [
        ...(reasons ? [{ type: 'mrkdwn', text: truncateMrkdwn(reasons, MAX_CONTEXT) }] : []),
        { type: 'mrkdwn', text: truncateMrkdwn(rule, MAX_CONTEXT) },
      ],
    },
  ];
  if (facts.url && facts.url.length <= MAX_BUTTON_URL) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'open_posting',
          text: { type: 'plain_text', text: truncateText('Open posting', MAX_BUTTON_TEXT), emoji: true },
          url: facts.url,
        },
      ],
    });
  }
  if (alsoOn) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(alsoOn, MAX_CONTEXT) }] });

  const textLines = [headline, details, reasons ? `${reasons} — ${rule}` : rule];
  if (alsoOn) textLines.push(alsoOn);
  return { text: truncateMrkdwn(textLines.join('\n'), MAX_FALLBACK), blocks };
}

/**
 * Renders the flood guard's one message for many jobs of one rule: "37 new jobs match
 * 'remote ML' — first 10:" and one line per shown job (title linked, company, place).
 */
export function renderSlackSummary(rule: string, total: number, shown: Alert[], ctx: RenderContext): SlackMessage {
  const name = escapeMrkdwnInline(truncateText(cleanText(rule), 200));
  const head = `*${total} new ${total === 1 ? 'job matches' : 'jobs match'} "${name}"*${shown.length < total ? ` — first ${shown.length}:` : ':'}`;
  const lines = shown.map((alert) => {
    const facts = alertFacts(alert, ctx);
    const place = facts.place ? ` · ${escapeMrkdwnInline(facts.place)}` : '';
    return `• ${titleLine(facts)}${place}`;
  });
  const rest = total - shown.length;
  const tail = rest > 0 ? `…and ${rest} more, in one message because so many matched at once (\`jobalert export\` lists every job) — rule: ${name}` : `rule: ${name}`;
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(head, MAX_SECTION) } },
    // One section per job: a long title or link cannot push the others past a block's limit.
    ...lines.map((line) => ({ type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(line, MAX_SECTION) } })),
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(tail, MAX_CONTEXT) }] },
  ];
  return { text: truncateMrkdwn([head, ...lines, tail].join('\n'), MAX_FALLBACK), blocks };
}

/** Renders the message `test-notify` sends to a Slack channel. */
export function renderSlackTestMessage(channelName: string, now: Date): SlackMessage {
  const text = `:white_check_mark: jobalert test message for channel *${escapeMrkdwnInline(channelName)}*: alerts will arrive here. (${now.toISOString()})`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function titleLine(facts: AlertFacts): string {
  const title = escapeMrkdwnInline(facts.title);
  const linked = facts.url && facts.url.length <= MAX_INLINE_URL ? `*<${slackLinkUrl(facts.url)}|${title}>*` : `*${title}*`;
  return facts.company ? `${linked} · ${escapeMrkdwnInline(facts.company)}` : linked;
}

function detailLine(facts: AlertFacts): string {
  const parts: string[] = [];
  if (facts.place) parts.push(`${facts.remote ? '🌎' : '📍'} ${escapeMrkdwnInline(facts.place)}`);
  if (facts.salary) parts.push(`💰 ${escapeMrkdwnInline(facts.salary)}`);
  parts.push(`${facts.age} on ${feedLink(facts.feed)}`);
  return parts.join(' · ');
}

function feedLink(feed: FeedRef): string {
  const name = escapeMrkdwn(feed.name);
  return feed.url ? `<${slackLinkUrl(feed.url)}|${name}>` : name;
}
