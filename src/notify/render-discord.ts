/**
 * Discord rendering (pure): one webhook message per alert with one embed (title linked to the
 * posting, the details in its description), within Discord's limits (title 256, description
 * 4096, 6000 characters over all embeds, 10 embeds, content 2000). Every posting value is
 * escaped for Discord markdown, and `allowed_mentions: {parse: []}` stops any ping.
 */
import type { Alert } from '../core/types.js';
import { cleanLines, cleanText } from './escape.js';
import { breakMentions, discordLinkUrl, escapeDiscord, fitEscaped, joinWithin } from './escape-chat.js';
import { alertFacts, type AlertFacts, type FeedRef } from './render-text.js';
import type { RenderContext } from './types.js';

/** Discord's limits on one message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = { title: 256, description: 4096, total: 6000, embeds: 10, content: 2000 } as const;

// A link longer than this is left out of the embed rather than risk a 400 for the whole message.
const MAX_URL = 2000;
// Budgets inside the description; their sum stays under the 4096 limit with room for the line breaks.
const MAX_HEAD = 700;
const MAX_REASONS = 1800;
const MAX_ALSO_ON = 1000;
const MAX_RULE = 400;

const JOB_COLOR = 0x2f80ed;
const NOTICE_COLOR = 0xe67e22;
const TEST_COLOR = 0x2ecc71;

/** One Discord embed. */
export interface DiscordEmbed {
  title?: string;
  url?: string;
  description?: string;
  color?: number;
  timestamp?: string;
}

/** The body of one webhook call. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: [] };
}

/** Escapes a posting value for Discord and breaks any @mention in it. */
function esc(text: string): string {
  return escapeDiscord(breakMentions(text));
}

/** Renders one alert as a Discord message with one embed. */
export function renderDiscordMessage(alert: Alert, ctx: RenderContext): DiscordMessage {
  const facts = alertFacts(alert, ctx);
  const embed: DiscordEmbed = { title: fitEscaped(facts.title, DISCORD_LIMITS.title, esc), description: description(facts), color: JOB_COLOR };
  if (facts.url && facts.url.length <= MAX_URL) embed.url = facts.url;
  const when = alert.job.published ?? alert.job.firstSeen;
  if (!Number.isNaN(when.getTime())) embed.timestamp = when.toISOString();
  return { embeds: [embed], allowed_mentions: { parse: [] } };
}

function description(facts: AlertFacts): string {
  const head: string[] = [];
  if (facts.company) head.push(`**${fitEscaped(facts.company, 300, esc)}**`);
  if (facts.place) head.push(`${facts.remote ? '🌎' : '📍'} ${esc(facts.place)}`);
  if (facts.salary) head.push(`💰 ${esc(facts.salary)}`);
  const lines = [joinWithin(head, ' · ', MAX_HEAD), `${esc(facts.age)} on ${feedLink(facts.feed)}`];
  if (facts.reasons.length > 0) lines.push(joinWithin(facts.reasons.map((r) => `✓ ${esc(r)}`), ' · ', MAX_REASONS));
  if (facts.alsoOn.length > 0) lines.push(`also on: ${joinWithin(facts.alsoOn.map(feedLink), ', ', MAX_ALSO_ON - 9)}`);
  lines.push(`rule: ${fitEscaped(facts.rule, MAX_RULE - 6, esc)}`);
  return lines.filter(Boolean).join('\n');
}

function feedLink(feed: FeedRef): string {
  const name = esc(feed.name);
  return feed.url && feed.url.length <= MAX_URL ? `[${name}](${discordLinkUrl(feed.url)})` : name;
}

/** Renders the message `test-notify` sends. */
export function renderDiscordTest(channelName: string, now: Date): DiscordMessage {
  return {
    embeds: [
      {
        title: 'jobalert test message',
        description: `Alerts for channel **${fitEscaped(cleanText(channelName), 200, esc)}** will arrive here.`,
        color: TEST_COLOR,
        timestamp: now.toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** Renders a health message: the subject as the title, the text (every character escaped) as the description. */
export function renderDiscordNotice(subject: string, text: string): DiscordMessage {
  return {
    embeds: [
      {
        title: fitEscaped(cleanText(subject), DISCORD_LIMITS.title, esc) || 'jobalert',
        description: fitEscaped(cleanLines(text), DISCORD_LIMITS.description, esc),
        color: NOTICE_COLOR,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** Characters of a message that count toward Discord's 6000 (titles, descriptions, content). */
export function discordMessageSize(message: DiscordMessage): number {
  return (message.content?.length ?? 0) + message.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
}
