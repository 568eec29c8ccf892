/**
 * Microsoft Teams rendering (pure): one Workflows webhook message per alert, carrying one
 * Adaptive Card (1.4). Every value from a posting sits in the `text` of a TextRun inside a
 * RichTextBlock, which Adaptive Cards render without Markdown (unlike TextBlock and FactSet), so
 * a hostile title shows as written with nothing to escape; only control characters and the
 * `{{DATE(...)}}` function syntax are neutralized. Links are http(s) only.
 */
import type { Alert } from '../core/types.js';
import { cleanLines, cleanText, truncateText } from './escape.js';
import { alertFacts, type FeedRef } from './render-text.js';
import type { RenderContext } from './types.js';

/** The content type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_TYPE = 'application/vnd.microsoft.card.adaptive';
/** The card schema version: 1.4 is what Teams renders on every client. */
export const ADAPTIVE_CARD_VERSION = '1.4';

// A card over about 28 KB is refused; values are capped upstream, these cap what is left.
const MAX_URL = 2000;
const MAX_NOTICE_LINES = 40;
const MAX_NOTICE_CHARS = 4000;

/** A TextRun: plain text (no Markdown), optionally a link. */
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  isSubtle?: true;
  selectAction?: { type: 'Action.OpenUrl'; url: string };
}

/** A card element jobalert uses. */
export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: 'None' | 'Small';
}

/** The body of one Workflows webhook call. */
export interface TeamsMessage {
  type: 'message';
  attachments: Array<{
    contentType: typeof ADAPTIVE_CARD_TYPE;
    contentUrl: null;
    content: {
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
      type: 'AdaptiveCard';
      version: typeof ADAPTIVE_CARD_VERSION;
      body: RichTextBlock[];
      actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
      msteams: { width: 'Full' };
    };
  }>;
}

/** Text for a TextRun: `{{` (the card's DATE()/TIME() function syntax) broken with a word joiner. */
export function teamsText(text: string): string {
  return text.replace(/\{\{/g, '{\u2060{');
}

function run(text: string, extra: Omit<TextRun, 'type' | 'text'> = {}): TextRun {
  return { type: 'TextRun', text: teamsText(text), ...extra };
}

function linked(url: string | null): Pick<TextRun, 'selectAction'> {
  return url && url.length <= MAX_URL ? { selectAction: { type: 'Action.OpenUrl', url } } : {};
}

function card(body: RichTextBlock[], openUrl: string | null): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_TYPE,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: ADAPTIVE_CARD_VERSION,
          body,
          ...(openUrl && openUrl.length <= MAX_URL ? { actions: [{ type: 'Action.OpenUrl' as const, title: 'Open posting', url: openUrl }] } : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

/** Renders one alert as a Teams message with one Adaptive Card. */
export function renderTeamsMessage(alert: Alert, ctx: RenderContext): TeamsMessage {
  const facts = alertFacts(alert, ctx);
  const body: RichTextBlock[] = [{ type: 'RichTextBlock', inlines: [run(facts.title, { weight: 'Bolder', size: 'Medium', ...linked(facts.url) })] }];
  const head: TextRun[] = [];
  if (facts.company) head.push(run(facts.company, { weight: 'Bolder' }));
  const details = [facts.place ? `${facts.remote ? '🌎' : '📍'} ${facts.place}` : null, facts.salary ? `💰 ${facts.salary}` : null].filter((d): d is string => d !== null);
  if (details.length) head.push(run(`${head.length ? ' · ' : ''}${details.join(' · ')}`));
  if (head.length) body.push({ type: 'RichTextBlock', inlines: head, spacing: 'Small' });
  body.push({ type: 'RichTextBlock', inlines: [run(`${facts.age} on `), feedRun(facts.feed)], spacing: 'None' });
  if (facts.reasons.length > 0) body.push({ type: 'RichTextBlock', inlines: [run(facts.reasons.map((r) => `✓ ${r}`).join(' · '))], spacing: 'Small' });
  if (facts.alsoOn.length > 0) {
    const inlines = [run('also on: ')];
    facts.alsoOn.forEach((f, i) => inlines.push(...(i > 0 ? [run(', ')] : []), feedRun(f)));
    body.push({ type: 'RichTextBlock', inlines, spacing: 'None' });
  }
  body.push({ type: 'RichTextBlock', inlines: [run(`rule: ${facts.rule}`, { isSubtle: true, size: 'Small' })], spacing: 'Small' });
  return card(body, facts.url);
}

function feedRun(feed: FeedRef): TextRun {
  return run(feed.name, linked(feed.url));
}

/** Renders the message `test-notify` sends. */
export function renderTeamsTest(channelName: string, now: Date): TeamsMessage {
  return card(
    [
      { type: 'RichTextBlock', inlines: [run('✅ jobalert test message', { weight: 'Bolder' })] },
      { type: 'RichTextBlock', inlines: [run(`Alerts for channel "${truncateText(cleanText(channelName), 200)}" will arrive here. (${now.toISOString()})`)] },
    ],
    null,
  );
}

/** Renders a health message: the subject in bold, then one block per line of the text. */
export function renderTeamsNotice(subject: string, text: string): TeamsMessage {
  const lines = truncateText(cleanLines(text), MAX_NOTICE_CHARS).split('\n').slice(0, MAX_NOTICE_LINES);
  return card(
    [
      { type: 'RichTextBlock', inlines: [run(truncateText(cleanText(subject), 300) || 'jobalert', { weight: 'Bolder' })] },
      ...lines.filter(Boolean).map((line): RichTextBlock => ({ type: 'RichTextBlock', inlines: [run(line)], spacing: 'None' })),
    ],
    null,
  );
}
