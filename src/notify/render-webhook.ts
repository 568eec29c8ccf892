/**
 * The generic webhook's JSON bodies (pure): one versioned shape per event (a job, a test, a
 * notice), documented in the README. Values are plain text as the posting had them (control
 * characters removed): JSON.stringify is the only escaping, a receiver escapes for wherever it
 * shows them. Links are http(s) only, like every other channel's.
 */
import type { Alert } from '../core/types.js';
import type { RuleMatch } from '../store/outbox.js';
import { cleanLines, cleanText, safeHttpUrl } from './escape.js';

/** The version of the body shape: a field is only ever added within one version; a rename or removal makes a new one. */
export const WEBHOOK_BODY_VERSION = 1;

/** What every webhook body carries. */
interface BodyBase {
  version: typeof WEBHOOK_BODY_VERSION;
  event: 'job' | 'test' | 'notice';
  /** The channel's name in the config. */
  channel: string;
  /** When this request was made (ISO 8601); a retry has a later one. */
  sent_at: string;
}

/** The `job` object of a job event: the same names as `jobalert export --format jsonl`. */
export interface WebhookJob {
  id: number;
  title: string;
  company: string | null;
  url: string | null;
  urls: string[];
  location: string | null;
  remote: string;
  remote_regions: string[];
  seniority: string | null;
  role: string | null;
  salary: { min: number | null; max: number | null; currency: string | null; period: string } | null;
  annual_min: number | null;
  annual_max: number | null;
  published: string | null;
  first_seen: string;
  feed: string;
  feeds: string[];
}

/** A job matched rules for this channel. */
export interface WebhookJobBody extends BodyBase {
  event: 'job';
  /** The outbox row's id: the same job re-sent (after a crash or a retry) has the same one, so a receiver can drop repeats. */
  alert_id: number;
  job: WebhookJob;
  /** Every rule of this channel the job matched, each with its reasons. */
  rules: Array<{ name: string; reasons: string[] }>;
}

/** `jobalert test-notify`. */
export interface WebhookTestBody extends BodyBase {
  event: 'test';
  text: string;
}

/** A health message (a feed failing or recovered). */
export interface WebhookNoticeBody extends BodyBase {
  event: 'notice';
  subject: string;
  text: string;
}

export type WebhookBody = WebhookJobBody | WebhookTestBody | WebhookNoticeBody;

/** The body for one alert. */
export function renderWebhookJob(alert: Alert, channel: string, now: Date): WebhookJobBody {
  const job = alert.job;
  const urls = job.urls.map((u) => safeHttpUrl(u)).filter((u): u is string => u !== null);
  return {
    version: WEBHOOK_BODY_VERSION,
    event: 'job',
    channel,
    sent_at: now.toISOString(),
    alert_id: alert.id,
    job: {
      id: job.id,
      title: cleanText(job.title),
      company: job.company === null ? null : cleanText(job.company),
      url: safeHttpUrl(job.url),
      urls: [...new Set(urls)],
      location: job.location === null ? null : cleanText(job.location),
      remote: job.arrangement,
      remote_regions: job.remoteRegions.map(cleanText),
      seniority: job.seniority,
      role: job.role,
      salary: job.salary ? { min: job.salary.min, max: job.salary.max, currency: job.salary.currency, period: job.salary.period } : null,
      annual_min: job.annualMin,
      annual_max: job.annualMax,
      published: job.published?.toISOString() ?? null,
      first_seen: job.firstSeen.toISOString(),
      feed: job.feed,
      feeds: job.feeds,
    },
    rules: ruleMatches(alert),
  };
}

/** The rules with their reasons: the outbox's per-rule matches when the alert carries them, else the names with the shared reasons. */
function ruleMatches(alert: Alert): Array<{ name: string; reasons: string[] }> {
  const matches = (alert as Alert & { matches?: RuleMatch[] }).matches;
  if (matches && matches.length > 0) return matches.map((m) => ({ name: m.rule, reasons: m.reasons.map(cleanText) }));
  const names = alert.rule.split(', ').map(cleanText).filter(Boolean);
  return names.map((name) => ({ name, reasons: names.length === 1 ? alert.reasons.map(cleanText) : [] }));
}

/** The body `test-notify` sends. */
export function renderWebhookTest(channel: string, now: Date): WebhookTestBody {
  return {
    version: WEBHOOK_BODY_VERSION,
    event: 'test',
    channel,
    sent_at: now.toISOString(),
    text: `jobalert test message for channel "${cleanText(channel)}": alerts will arrive here.`,
  };
}

/** The body of a health message. */
export function renderWebhookNotice(subject: string, text: string, channel: string, now: Date): WebhookNoticeBody {
  return { version: WEBHOOK_BODY_VERSION, event: 'notice', channel, sent_at: now.toISOString(), subject: cleanText(subject), text: cleanLines(text) };
}
