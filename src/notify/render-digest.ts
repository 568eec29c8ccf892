/**
 * Digest rendering (pure) for channels that get a digest as ONE message: Slack (Block Kit: a
 * header, one section per job, a context line saying how many more) and plain text (console,
 * and any channel that only has notice()). Email digests are ordinary multi-job emails
 * (render-email.ts) with "Digest:" before the subject.
 */
import { cleanText, escapeMrkdwnInline, slackLinkUrl, truncateMrkdwn, truncateText } from './escape.js';
import { alertFacts, ruleList, type AlertFacts } from './render-text.js';
import type { SlackMessage } from './render-slack.js';
import type { DigestMessage, RenderContext } from './types.js';

// Block Kit: at most 50 blocks a message (a header, DIGEST_SHOWN jobs and the tail stay far
// under it) and 3000 characters a section or context text.
const MAX_SECTION = 3000;
const MAX_FALLBACK = 3000;
// A longer link would crowd the title out of its line; the jobs are listed, not carded.
const MAX_INLINE_URL = 1500;

/** "Digest: 12 new jobs for remote-ml" (rule names cleaned, at most five named). */
export function digestHeadline(d: DigestMessage): string {
  const rules = ruleList(d.rules.map((r) => truncateText(cleanText(r), 200)));
  return `Digest: ${d.total} new ${d.total === 1 ? 'job' : 'jobs'} for ${rules}`;
}

/** "…and 7 more" after the listed jobs, or null when every job is listed. */
function restLine(d: DigestMessage): string | null {
  const rest = d.total - d.shown.length;
  return rest > 0 ? `…and ${rest} more (\`jobalert export\` lists every job)` : null;
}

/** A digest as Slack mrkdwn blocks; every posting value escaped, links http(s) only. */
export function renderSlackDigest(d: DigestMessage, ctx: RenderContext): SlackMessage {
  const head = `*${escapeMrkdwnInline(digestHeadline(d))}*`;
  const lines = d.shown.map((alert) => slackLine(alertFacts(alert, ctx)));
  const rest = restLine(d);
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(head, MAX_SECTION) } },
    // One section per job: a long title or link cannot push the others past a block's limit.
    ...lines.map((line) => ({ type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(line, MAX_SECTION) } })),
  ];
  if (rest) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(rest, MAX_SECTION) }] });
  return { text: truncateMrkdwn([head, ...lines, ...(rest ? [rest] : [])].join('\n'), MAX_FALLBACK), blocks };
}

function slackLine(f: AlertFacts): string {
  const title = escapeMrkdwnInline(f.title);
  const linked = f.url && f.url.length <= MAX_INLINE_URL ? `*<${slackLinkUrl(f.url)}|${title}>*` : `*${title}*`;
  const parts = [f.company ? `${linked} · ${escapeMrkdwnInline(f.company)}` : linked];
  if (f.place) parts.push(`${f.remote ? '🌎' : '📍'} ${escapeMrkdwnInline(f.place)}`);
  if (f.salary) parts.push(`💰 ${escapeMrkdwnInline(f.salary)}`);
  parts.push(escapeMrkdwnInline(f.age));
  // Cross-posts show in a digest too (DESIGN.md: later sightings' links show in digests).
  if (f.alsoOn.length) parts.push(`also on: ${f.alsoOn.map((ref) => (ref.url && ref.url.length <= MAX_INLINE_URL ? `<${slackLinkUrl(ref.url)}|${escapeMrkdwnInline(ref.name)}>` : escapeMrkdwnInline(ref.name))).join(', ')}`);
  return `• ${parts.join(' · ')}`;
}

/** A digest as plain text (unescaped: the console prints it, notice() escapes it for its channel), ending with a newline. */
export function renderDigestText(d: DigestMessage, ctx: RenderContext): string {
  const lines = d.shown.map((alert) => {
    const f = alertFacts(alert, ctx);
    const alsoOn = f.alsoOn.length ? `also on: ${f.alsoOn.map((ref) => ref.name).join(', ')}` : null;
    const details = [f.place, f.salary, f.age, alsoOn].filter((x): x is string => Boolean(x)).join(' · ');
    const line = `  • ${f.company ? `${f.title} · ${f.company}` : f.title}${details ? ` · ${details}` : ''}`;
    return f.url ? `${line}\n    ${f.url}` : line;
  });
  const rest = restLine(d);
  return [`${digestHeadline(d)}:`, ...lines, ...(rest ? [`  ${rest}`] : [])].join('\n') + '\n';
}
