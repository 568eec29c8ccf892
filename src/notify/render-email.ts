/**
 * Email rendering (pure): one email listing a batch of alerts, as a subject, an HTML part
 * (inline styles, readable without images, in dark mode and on a phone) and a plain-text part.
 */
import type { Alert } from '../core/types.js';
import { cleanText, escapeHtml } from './escape.js';
import { alertFacts, footerText, headline, moreLine, renderAlertsText, ruleList, ruleNames, type AlertFacts, type FeedRef } from './render-text.js';
import { cutAtWord } from './snippet.js';
import type { RenderContext } from './types.js';

/** A rendered email. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** What renderEmail needs besides the alerts. */
export interface EmailRenderContext extends RenderContext {
  /** The channel's name, shown in the footer. */
  channel: string;
  /** Put before the subject (the channel's `subject_prefix`). */
  subjectPrefix?: string;
  /** Jobs of the same dispatch that follow in further emails (said under the headline). */
  more?: number;
}

// Inboxes show 40 to 80 characters of a subject (a phone the fewest): the first job must be in them.
/** The longest subject, subject_prefix included (unless the prefix alone leaves no room for a job). */
export const MAX_SUBJECT = 80;
// A title is cut no shorter than this, even under a very long subject_prefix: the job comes first.
const MIN_SUBJECT_TITLE = 24;
// A company name longer than this is cut so the title keeps its room.
const MAX_SUBJECT_COMPANY = 30;

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** Renders a batch of alerts (one channel, one poll) as one email; throws on an empty batch. */
export function renderEmail(alerts: Alert[], ctx: EmailRenderContext): RenderedEmail {
  if (alerts.length === 0) throw new Error('renderEmail needs at least one alert');
  const facts = alerts.map((a) => alertFacts(a, ctx));
  const subject = emailSubject(alerts, facts, ctx.subjectPrefix);
  return { subject, html: renderHtml(alerts, facts, subject, ctx), text: renderAlertsText(alerts, ctx) };
}

/** Renders the email `test-notify` sends, under the channel's subject prefix like every alert. */
export function renderTestEmail(channel: string, now: Date, subjectPrefix?: string): RenderedEmail {
  const name = cleanText(channel);
  const text = `This is a test message from jobalert for channel "${name}" (${now.toISOString()}).\nAlerts for this channel will arrive at this address.\n`;
  const html = page(
    'jobalert test message',
    `<tr><td class="ja-card" style="background:#ffffff;border:1px solid #dfe3e8;border-radius:8px;padding:16px;font-size:15px;line-height:1.5;">` +
      `This is a test message from jobalert for channel &quot;${escapeHtml(name)}&quot; (${escapeHtml(now.toISOString())}).<br>` +
      `Alerts for this channel will arrive at this address.</td></tr>`,
  );
  return { subject: prefixed(`jobalert test message (${name})`, subjectPrefix), html, text };
}

/**
 * "Senior ML Engineer at Nomad Health and 4 more", under MAX_SUBJECT with the prefix: the title is
 * cut at a word, the company beyond MAX_SUBJECT_COMPANY; the rule names follow ("— remote-ml") only
 * when they fit whole.
 */
function emailSubject(alerts: Alert[], facts: AlertFacts[], prefix: string | undefined): string {
  const first = facts[0]!;
  const pre = prefix ? cleanText(prefix) : '';
  const more = alerts.length > 1 ? ` and ${alerts.length - 1} more` : '';
  const at = first.company ? ` at ${cutAtWord(first.company, MAX_SUBJECT_COMPANY)}` : '';
  const room = MAX_SUBJECT - (pre ? pre.length + 1 : 0) - at.length - more.length;
  const job = `${cutAtWord(first.title, Math.max(MIN_SUBJECT_TITLE, room))}${at}${more}`;
  const rules = ` — ${ruleList(ruleNames(alerts))}`;
  const whole = (pre ? pre.length + 1 : 0) + job.length + rules.length <= MAX_SUBJECT;
  return prefixed(whole ? `${job}${rules}` : job, pre);
}

/** The subject after the channel's `subject_prefix`, if any. */
function prefixed(subject: string, prefix: string | undefined): string {
  const pre = prefix ? cleanText(prefix) : '';
  // cleanText strips CR/LF from every part: a title must not be able to add mail headers.
  return cleanText(pre ? `${pre} ${subject}` : subject);
}

function renderHtml(alerts: Alert[], facts: AlertFacts[], subject: string, ctx: EmailRenderContext): string {
  const cards = facts.map(card).join('\n<tr><td style="height:12px;line-height:12px;font-size:0;">&nbsp;</td></tr>\n');
  const footer = footerText(alerts, ctx.channel).split('\n');
  const body =
    `<tr><td style="padding:4px 4px 16px 4px;"><h1 style="margin:0;font-size:20px;line-height:1.3;font-weight:600;">${escapeHtml(headline(alerts))}</h1>` +
    (ctx.more ? `<p class="ja-muted" style="margin:4px 0 0 0;font-size:14px;line-height:1.4;color:#5f6b7a;">${escapeHtml(moreLine(ctx.more))}</p>` : '') +
    `</td></tr>\n` +
    `${cards}\n` +
    `<tr><td class="ja-muted" style="padding:20px 4px 0 4px;font-size:12px;line-height:1.5;color:#5f6b7a;">` +
    `${footer.map(escapeHtml).join('<br>')}</td></tr>`;
  return page(subject, body, preheader(facts));
}

function card(f: AlertFacts): string {
  const title = f.url
    ? `<a href="${escapeHtml(f.url)}" style="color:#0b57d0;text-decoration:none;">${escapeHtml(f.title)}</a>`
    : escapeHtml(f.title);
  const details = [
    f.place ? `${f.remote ? '🌎' : '📍'} ${escapeHtml(f.place)}` : null,
    f.salary ? `💰 ${escapeHtml(f.salary)}` : null,
  ].filter((d): d is string => d !== null);
  // On one line that wraps: a list of five reasons would make every card on a phone five lines taller.
  const reasons = f.reasons.length
    ? `<div style="margin-top:8px;font-size:13px;line-height:1.5;">${f.reasons.map((r) => `✓&nbsp;${escapeHtml(r)}`).join(' &middot; ')}</div>`
    : '';
  const snippet = f.snippet
    ? `<div class="ja-snippet" style="margin-top:8px;font-size:14px;line-height:1.5;color:#3c4650;">${escapeHtml(f.snippet)}</div>`
    : '';
  const source = [`${escapeHtml(f.age)} on ${feedHtml(f.feed)}`];
  if (f.alsoOn.length) source.push(`also on: ${f.alsoOn.map(feedHtml).join(', ')}`);
  source.push(`rule: ${escapeHtml(f.rule)}`);
  const button = f.url
    ? `<p style="margin:14px 0 0 0;"><a class="ja-btn" href="${escapeHtml(f.url)}" style="display:inline-block;padding:8px 16px;border-radius:6px;background:#0b57d0;color:#ffffff;text-decoration:none;font-size:14px;font-weight:600;">Open posting</a></p>`
    : '';
  return (
    `<tr><td class="ja-card" style="background:#ffffff;border:1px solid #dfe3e8;border-radius:8px;padding:16px;">` +
    `<div style="font-size:17px;line-height:1.35;font-weight:600;">${title}</div>` +
    (f.company ? `<div style="margin-top:2px;font-size:15px;line-height:1.4;">${escapeHtml(f.company)}</div>` : '') +
    (details.length ? `<div style="margin-top:8px;font-size:14px;line-height:1.5;">${details.join(' &middot; ')}</div>` : '') +
    snippet +
    reasons +
    `<div class="ja-muted" style="margin-top:10px;font-size:12px;line-height:1.5;color:#5f6b7a;">${source.join(' &middot; ')}</div>` +
    button +
    `</td></tr>`
  );
}

function feedHtml(feed: FeedRef): string {
  const name = escapeHtml(feed.name);
  return feed.url ? `<a href="${escapeHtml(feed.url)}" style="color:inherit;">${name}</a>` : name;
}

// Inbox previews show the first text of the body; make it the jobs rather than the headline.
function preheader(facts: AlertFacts[]): string {
  return facts
    .slice(0, 3)
    .map((f) => (f.company ? `${f.title} at ${f.company}` : f.title))
    .join(' · ');
}

function page(title: string, rows: string, preview = ''): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(title)}</title>
<style>
@media (prefers-color-scheme: dark) {
  body, .ja-body { background:#0f1419 !important; color:#e3e8ee !important; }
  .ja-card { background:#1a2029 !important; border-color:#2d3642 !important; }
  .ja-muted { color:#9aa7b5 !important; }
  .ja-snippet { color:#c9d1d9 !important; }
  .ja-card a { color:#8ab4f8 !important; }
  .ja-card a.ja-btn { color:#ffffff !important; background:#1f6feb !important; }
}
</style>
</head>
<body class="ja-body" style="margin:0;padding:0;background:#f3f5f7;color:#1d2329;font-family:${FONT};">
${preview ? `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(preview)}</div>\n` : ''}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="ja-body" style="background:#f3f5f7;">
<tr><td align="center" style="padding:16px 8px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;">
${rows}
</table>
</td></tr>
</table>
</body>
</html>
`;
}
