/**
 * What every alert rendering shows, worked out once (AlertFacts), and the plain-text
 * rendering used by the email text part and the console.
 */
import type { Alert, StoredJob } from '../core/types.js';
import { formatSalary } from '../match/format-salary.js';
import { distinctReasons } from '../match/reasons.js';
import { cleanText, safeHttpUrl, truncateText } from './escape.js';
import { descriptionSnippet } from './snippet.js';
import type { RenderContext } from './types.js';

// Caps per value, applied before any escaping so a hostile posting cannot blow the
// Slack block limits and truncation never has to cut through markup.
const MAX_TITLE = 200;
const MAX_COMPANY = 120;
const MAX_PLACE = 160;
const MAX_REASON = 200;
const MAX_REASONS = 12;
const MAX_NAME = 80;

/** A feed name with the link to show for it, when there is one. */
export interface FeedRef {
  name: string;
  url: string | null;
}

/** The displayable facts of one alert: cleaned and capped, not yet escaped for any markup. */
export interface AlertFacts {
  title: string;
  company: string | null;
  /** The posting's link when it is http(s); null when it must not be linked. */
  url: string | null;
  /** "Remote (US)", "Hybrid (Berlin)", "On-site (Austin, TX)", or the location text. */
  place: string | null;
  remote: boolean;
  /** "$135k–$180k / year". */
  salary: string | null;
  /** "posted 3 h ago · 3 Dec 2026" (or "seen ..." when the source gives no date), the date in the context's time zone. */
  age: string;
  /** About two lines of the description, plain text, about the job rather than the company; null when there is none. */
  snippet: string | null;
  feed: FeedRef;
  /** Other feeds the same job was seen in, each linking to the job's posting there (else the feed's own link). */
  alsoOn: FeedRef[];
  reasons: string[];
  rule: string;
}

// An email is rendered again and again while its size is fitted (and as HTML and as text): the
// snippet, the costly part of a card, is worked out once per job object. Jobs are not mutated.
const snippets = new WeakMap<Alert['job'], string | null>();

function snippetOf(job: Alert['job'], title: string, company: string | null): string | null {
  let snippet = snippets.get(job);
  if (snippet === undefined) {
    snippet = descriptionSnippet(job.description, { title, company });
    snippets.set(job, snippet);
  }
  return snippet;
}

/** Works out what an alert shows; pure. */
export function alertFacts(alert: Alert, ctx: RenderContext): AlertFacts {
  const job = alert.job;
  const feedRef = (name: string): FeedRef => {
    const credit = ctx.feedCredits?.[name];
    const shown = credit && credit.toLowerCase() !== name.toLowerCase() ? `${name} via ${credit}` : name;
    return { name: truncateText(cleanText(shown), MAX_NAME), url: safeHttpUrl(ctx.feedLinks?.[name]) };
  };
  const title = truncateText(cleanText(job.title), MAX_TITLE) || 'Untitled posting';
  const company = job.company ? truncateText(cleanText(job.company), MAX_COMPANY) || null : null;
  const since = job.published ?? job.firstSeen;
  return {
    title,
    company,
    url: safeHttpUrl(job.url),
    place: describePlace(job),
    remote: job.arrangement === 'remote',
    salary: job.salary ? cleanText(formatSalary(job.salary)) || null : null,
    age: `${job.published ? 'posted' : 'seen'} ${describeAge(since, ctx.now)} · ${formatDate(since, ctx.timeZone)}`,
    snippet: snippetOf(job, title, company),
    feed: feedRef(job.feed),
    alsoOn: [...new Set(job.feeds)].filter((f) => f !== job.feed).map((name) => {
      const ref = feedRef(name);
      const posting = safeHttpUrl(job.links?.find((l) => l.feed === name)?.url);
      return posting ? { ...ref, url: posting } : ref;
    }),
    reasons: distinctReasons(alert.reasons.map(cleanText))
      .map((r) => truncateText(r, MAX_REASON))
      .filter((r) => r.length > 0)
      .slice(0, MAX_REASONS),
    rule: ruleList(namesOf(alert)),
  };
}

/** Describes where the job is worked: "Remote (US, Canada)", "Hybrid (Berlin)", "On-site", or the location text; null when unknown. */
export function describePlace(job: Pick<StoredJob, 'arrangement' | 'remoteRegions' | 'location'>): string | null {
  const location = job.location ? truncateText(cleanText(job.location), MAX_PLACE) : '';
  switch (job.arrangement) {
    case 'remote': {
      const regions = job.remoteRegions.map(cleanText).filter(Boolean).join(', ');
      return truncateText(regions ? `Remote (${regions})` : 'Remote', MAX_PLACE);
    }
    case 'hybrid':
      return location ? `Hybrid (${location})` : 'Hybrid';
    case 'onsite':
      return location ? `On-site (${location})` : 'On-site';
    default:
      return location || null;
  }
}

/** Says how long ago `then` was, as a person would at a glance: "just now", "25 min ago", "3 h ago", "2 d ago". */
export function describeAge(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return 'just now'; // also a clock-skewed future date
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

// One formatter per zone: building one costs far more than formatting with it.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** "3 Dec 2026": the day `date` falls on in `timeZone` (an IANA zone; UTC when absent or unknown). */
export function formatDate(date: Date, timeZone = 'UTC'): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
    } catch {
      // The config loader checks the zone; a caller that did not still gets a date.
      format = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    }
    if (dateFormats.size >= 64) dateFormats.clear();
    dateFormats.set(timeZone, format);
  }
  return Number.isFinite(date.getTime()) ? format.format(date) : 'unknown date';
}

// Rule names shown in one place; a job matching 70 rules must not bury its alert under 70 names.
const MAX_RULES_SHOWN = 5;

// An alert's rule names: one outbox row names every rule that matched, joined by ", " (a rule
// name has no comma).
function namesOf(alert: Alert): string[] {
  return cleanText(alert.rule).split(', ').filter(Boolean);
}

/** "a, b, c", or beyond five names "a, b, c, d, e and 68 more". */
export function ruleList(names: readonly string[]): string {
  if (names.length <= MAX_RULES_SHOWN) return names.join(', ');
  return `${names.slice(0, MAX_RULES_SHOWN).join(', ')} and ${names.length - MAX_RULES_SHOWN} more`;
}

/** The rule names of a batch, first-seen order, without repeats. */
export function ruleNames(alerts: Alert[]): string[] {
  return [...new Set(alerts.flatMap(namesOf))];
}

/** "New job" or "3 new jobs": about the jobs (which rules matched is said on each job and in the footer). */
export function headline(alerts: readonly Alert[]): string {
  return alerts.length === 1 ? 'New job' : `${alerts.length} new jobs`;
}

/** The lines of one alert in plain text: title line, details, snippet, reasons, sources, rule, link. */
export function alertTextLines(facts: AlertFacts): string[] {
  const lines = [facts.company ? `${facts.title} · ${facts.company}` : facts.title];
  const details = [
    facts.place ? `${facts.remote ? '🌎' : '📍'} ${facts.place}` : null,
    facts.salary ? `💰 ${facts.salary}` : null,
    `${facts.age} on ${facts.feed.name}`,
  ].filter((d): d is string => d !== null);
  lines.push(details.join(' · '));
  if (facts.snippet) lines.push(facts.snippet);
  if (facts.reasons.length > 0) lines.push(facts.reasons.map((r) => `✓ ${r}`).join(' · '));
  if (facts.alsoOn.length > 0) lines.push(`also on: ${facts.alsoOn.map(textFeed).join(', ')}`);
  lines.push(`rule: ${facts.rule}`);
  if (facts.url) lines.push(facts.url);
  return lines;
}

/** Renders one alert as readable plain text (console output), ending with a newline. */
export function renderAlertText(alert: Alert, ctx: RenderContext): string {
  const [first, ...rest] = alertTextLines(alertFacts(alert, ctx));
  return [`${headline([alert])}: ${first}`, ...rest.map((l) => `  ${l}`)].join('\n') + '\n';
}

/**
 * The Slack flood guard's one message for many jobs of one rule, as plain text (what
 * `run --dry-run` prints): the count, one line per shown job, how many more.
 */
export function renderSummaryText(rule: string, total: number, shown: Alert[], ctx: RenderContext): string {
  // The same cap as the Slack summary's rule name.
  const name = truncateText(cleanText(rule), 200);
  const head = `${total} new ${total === 1 ? 'job matches' : 'jobs match'} "${name}"${shown.length < total ? ` — first ${shown.length}:` : ':'}`;
  const lines = shown.map((alert) => {
    const facts = alertFacts(alert, ctx);
    const line = `  • ${facts.company ? `${facts.title} · ${facts.company}` : facts.title}${facts.place ? ` · ${facts.place}` : ''}`;
    return facts.url ? `${line}\n    ${facts.url}` : line;
  });
  const rest = total - shown.length;
  const tail = rest > 0 ? `  …and ${rest} more, in one message because so many matched at once (\`jobalert export\` lists every job) — rule: ${name}` : `  rule: ${name}`;
  return [head, ...lines, tail].join('\n') + '\n';
}

/** Renders a batch as the plain-text part of an email: headline, one numbered block per job, footer. */
export function renderAlertsText(alerts: Alert[], ctx: RenderContext & { channel: string; more?: number }): string {
  const head = ctx.more ? [headline(alerts), moreLine(ctx.more)] : [headline(alerts)];
  return [...head, '', numberedBlocks(alerts, ctx), '', '-- ', footerText(alerts, ctx.channel), ''].join('\n');
}

/** Renders a Slack grouped message as plain text (what `run --dry-run` prints): headline, one numbered block per job. */
export function renderGroupText(alerts: Alert[], ctx: RenderContext): string {
  return `${headline(alerts)}\n\n${numberedBlocks(alerts, ctx)}\n`;
}

function numberedBlocks(alerts: Alert[], ctx: RenderContext): string {
  return alerts
    .map((alert, i) => {
      const [first, ...rest] = alertTextLines(alertFacts(alert, ctx));
      const num = `${i + 1}. `;
      const pad = ' '.repeat(num.length);
      return [`${num}${first}`, ...rest.map((l) => `${pad}${l}`)].join('\n');
    })
    .join('\n\n');
}

/** "12 more new jobs follow in further emails." under the headline of an email that is not the last. */
export function moreLine(more: number): string {
  return `${more} more new ${more === 1 ? 'job follows in another email' : 'jobs follow in further emails'}.`;
}

/** The footer: which rule(s) sent this and how to change it. */
export function footerText(alerts: Alert[], channel: string): string {
  const rules = ruleNames(alerts);
  const ruleText = `${rules.length === 1 ? 'rule' : 'rules'} ${ruleList(rules)}`;
  return `Sent by jobalert to channel "${cleanText(channel)}" for ${ruleText}.\nTo change what you receive, edit the rule in your jobalert config.`;
}

function textFeed(feed: FeedRef): string {
  return feed.url ? `${feed.name} (${feed.url})` : feed.name;
}
