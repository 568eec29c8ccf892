/**
 * Slack rendering (pure): one Block Kit message per alert, with the same content as a plain
 * mrkdwn `text` fallback (notifications, screen readers, clients without blocks), or one grouped
 * message listing several jobs, whose fallback lists them one line each. The title is the link: no
 * button, which would repeat it (and makes Slack warn when the app has no interactivity URL).
 */
import type { Alert } from '../core/types.js';
import { cleanText, escapeMrkdwn, escapeMrkdwnInline, slackLinkUrl, truncateMrkdwn, truncateText } from './escape.js';
import { alertFacts, headline, type AlertFacts, type FeedRef } from './render-text.js';
import type { RenderContext } from './types.js';

// Block Kit limits (https://api.slack.com/reference/block-kit): 50 blocks a message, section and
// context text 3000 characters, header text 150.
const MAX_SECTION = 3000;
const MAX_CONTEXT = 3000;
const MAX_HEADER = 150;
const MAX_BLOCKS = 50;
// A longer link would crowd the title out of the section; the title is then shown unlinked.
const MAX_INLINE_URL = 1500;
// Slack truncates `text` beyond 40k and advises staying under 4k.
const MAX_FALLBACK = 3000;

/** The most jobs one grouped message lists: three blocks each (section, context, divider), a header and a closing divider and context stay within Slack's 50. */
export const SLACK_GROUP_MAX = 10;

/** A rendered Slack message: blocks plus the plain mrkdwn fallback. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
}

/** Renders one alert as a Slack message; every posting value is escaped, links are http(s) only. */
export function renderSlackMessage(alert: Alert, ctx: RenderContext): SlackMessage {
  const job = jobBlocks(alertFacts(alert, ctx));
  return { text: truncateMrkdwn(job.text, MAX_FALLBACK), blocks: job.blocks };
}

/**
 * Renders several alerts as one message: a header ("5 new jobs"), then per job the same section
 * and context as its own message would have, divided. At most SLACK_GROUP_MAX jobs (the rest are
 * counted, never cut silently); throws on an empty list.
 */
export function renderSlackGroup(alerts: Alert[], ctx: RenderContext): SlackMessage {
  if (alerts.length === 0) throw new Error('renderSlackGroup needs at least one alert');
  const shown = alerts.slice(0, SLACK_GROUP_MAX);
  const head = headline(alerts);
  // One rule for every job (the usual case) is said once, at the end, not under each job.
  const rules = new Set(shown.map((a) => a.rule));
  const oneRule = rules.size === 1 ? alertFacts(shown[0]!, ctx).rule : null;
  const blocks: unknown[] = [{ type: 'header', text: { type: 'plain_text', text: truncateText(head, MAX_HEADER), emoji: true } }];
  // The fallback (notifications, screen readers) lists the jobs, one line each: ten full cards would pass Slack's advised 4,000 characters.
  const texts: string[] = [];
  shown.forEach((alert, i) => {
    const facts = alertFacts(alert, ctx);
    const job = jobBlocks(facts, oneRule === null);
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...job.blocks);
    texts.push(`• ${titleLine(facts)}${facts.place ? ` · ${escapeMrkdwnInline(facts.place)}` : ''}`);
  });
  const tail = [
    ...(alerts.length > shown.length ? [`…and ${alerts.length - shown.length} more (\`jobalert export\` lists every job)`] : []),
    ...(oneRule !== null ? [`rule: ${escapeMrkdwn(oneRule)}`] : []),
  ];
  if (tail.length > 0) {
    blocks.push({ type: 'divider' }, { type: 'context', elements: tail.map((t) => ({ type: 'mrkdwn', text: truncateMrkdwn(t, MAX_CONTEXT) })) });
    texts.push(tail.join(' — '));
  }
  // Guards the arithmetic above: Slack refuses the whole message beyond 50 blocks.
  if (blocks.length > MAX_BLOCKS) throw new Error(`a grouped Slack message of ${blocks.length} blocks exceeds Slack's ${MAX_BLOCKS}`);
  return { text: truncateMrkdwn(`*${head}*\n${texts.join('\n')}`, MAX_FALLBACK), blocks };
}

/** One job's blocks (a section with the title link, details and snippet; a context with reasons, rule and "also on") and its fallback text. */
function jobBlocks(facts: AlertFacts, showRule = true): { blocks: unknown[]; text: string } {
  const main = [titleLine(facts), detailLine(facts)];
  if (facts.snippet) main.push(escapeMrkdwnInline(facts.snippet));
  const reasons = facts.reasons.map((r) => `✓ ${escapeMrkdwnInline(r)}`).join(' · ');
  const rule = showRule ? `rule: ${escapeMrkdwn(facts.rule)}` : null;
  const alsoOn = facts.alsoOn.length > 0 ? `also on: ${facts.alsoOn.map(feedLink).join(', ')}` : null;
  const context = [reasons || null, rule, alsoOn].filter((t): t is string => t !== null);
  const blocks: unknown[] = [{ type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(main.join('\n'), MAX_SECTION) } }];
  if (context.length > 0) blocks.push({ type: 'context', elements: context.map((t) => ({ type: 'mrkdwn', text: truncateMrkdwn(t, MAX_CONTEXT) })) });
  const lines = [...main];
  if (reasons || rule) lines.push([reasons, rule].filter(Boolean).join(' — '));
  if (alsoOn) lines.push(alsoOn);
  return { blocks, text: lines.join('\n') };
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
