/**
 * Workable career pages: one public widget request returns every published job of an account,
 * descriptions included (`details=true`). No pay is published there; the remote flag is.
 */
import { z } from 'zod';
import type { RawPosting } from '../../core/types.js';
import { htmlToPlainText } from '../../normalize/html-text.js';
import { apiShapeError, date, expectArray, expectObject, fetchJson, httpUrl, isRecord, mapItems, notFoundAs, readableName, str } from '../json-api.js';
import type { FeedBase, SourceAdapter } from '../types.js';

const SOURCE = 'Workable';

type Feed = FeedBase & Record<string, unknown>;

/** The Workable widget endpoint of an account, descriptions included. */
export function workableEndpoint(account: string): string {
  return `https://apply.workable.com/api/v1/widget/accounts/${encodeURIComponent(account)}?details=true`;
}

/** The adapter for `type: workable` (key: `account`, as in apply.workable.com/{account}). */
export const workableAdapter: SourceAdapter = {
  types: ['workable'],
  label: 'Workable career page',
  keys: z.strictObject({
    account: z
      .string({ error: 'expected the Workable account name, as in apply.workable.com/ACCOUNT' })
      .min(1, 'expected the Workable account name, as in apply.workable.com/ACCOUNT'),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  companySlug: (feed) => ({ slug: String(feed.account ?? ''), always: false }),
  endpoint: (feed) => feed.url ?? workableEndpoint(accountOf(feed)),
  async read(feed, ctx) {
    const account = accountOf(feed);
    const url = workableAdapter.endpoint(feed);
    const res = await notFoundAs(fetchJson(ctx, SOURCE, url, { conditional: true }), `Workable account "${account}"`);
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, SOURCE, 'the top level');
    if (body.jobs === undefined) throw apiShapeError(SOURCE, 'no "jobs" list in the account response');
    const jobs = expectArray(body.jobs, SOURCE, 'jobs');
    const company = str(body.name) ?? readableName(account);
    const { postings, skipped } = mapItems(mergeByShortcode(jobs), (job) => mapJob(job, account, company));
    return { notModified: false, format: 'Workable career page', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
};

/**
 * Workable lists a job once per location, each entry with the same shortcode: that is one job
 * offered in several places. The entries become one, with every location (in the order listed)
 * and remote when any of them is; otherwise the last entry would win and the job be rewritten
 * on every poll.
 */
function mergeByShortcode(jobs: unknown[]): unknown[] {
  const out: unknown[] = [];
  const byCode = new Map<string, Record<string, unknown>>();
  for (const job of jobs) {
    const code = isRecord(job) ? str(job.shortcode) : null;
    if (!isRecord(job) || code === null) {
      out.push(job);
      continue;
    }
    const seen = byCode.get(code);
    if (seen === undefined) {
      const copy = { ...job, locations: locationsOf(job) };
      byCode.set(code, copy);
      out.push(copy);
      continue;
    }
    seen.locations = [...(seen.locations as unknown[]), ...locationsOf(job)];
    if (job.telecommuting === true) seen.telecommuting = true;
  }
  return out;
}

// The entry's `locations`, or its own city/state/country as one location.
function locationsOf(job: Record<string, unknown>): unknown[] {
  if (Array.isArray(job.locations) && job.locations.length > 0) return job.locations;
  return [{ city: job.city, region: job.state, country: job.country }];
}

function accountOf(feed: Feed): string {
  return String(feed.account ?? '');
}

function mapJob(job: Record<string, unknown>, account: string, company: string): RawPosting | string {
  const shortcode = str(job.shortcode);
  if (!shortcode) return 'no shortcode';
  const title = str(job.title);
  if (!title) return 'no title';
  const url = httpUrl(job.url) ?? httpUrl(job.shortlink) ?? `https://apply.workable.com/${encodeURIComponent(account)}/j/${encodeURIComponent(shortcode)}/`;
  // `telecommuting: false` says the job is not fully remote; it does not tell hybrid from on-site.
  const remote = job.telecommuting === true;
  const location = locationText(job) ?? (remote ? 'Remote' : null);
  const posting: RawPosting = {
    sourceId: shortcode,
    url,
    title,
    company,
    location,
    description: descriptionText(job),
    published: date(job.published_on) ?? date(job.created_at),
    tags: [...new Set([job.department, job.employment_type, job.experience].map(str).filter((t): t is string => t !== null))],
  };
  if (remote) posting.arrangement = 'remote';
  return posting;
}

/** "City, Region, Country" for each listed location (duplicates dropped), else the job's own city/state/country. */
function locationText(job: Record<string, unknown>): string | null {
  const places: string[] = [];
  if (Array.isArray(job.locations)) {
    for (const loc of job.locations) {
      if (typeof loc !== 'object' || loc === null) continue;
      const l = loc as Record<string, unknown>;
      if (l.hidden === true) continue;
      const place = joinParts([l.city, l.region, l.country ?? l.countryCode]);
      if (place && !places.includes(place)) places.push(place);
    }
  }
  if (places.length > 0) return places.join('; ');
  return joinParts([job.city, job.state, job.country]);
}

function joinParts(parts: unknown[]): string | null {
  const kept = parts.map(str).filter((p): p is string => p !== null);
  return kept.length > 0 ? kept.join(', ') : null;
}

/** The description, then requirements and benefits when the account publishes them as separate sections. */
function descriptionText(job: Record<string, unknown>): string {
  const sections: string[] = [];
  const main = str(job.description);
  if (main) sections.push(htmlToPlainText(main));
  for (const [field, heading] of [
    ['requirements', 'Requirements'],
    ['benefits', 'Benefits'],
  ] as const) {
    const html = str(job[field]);
    const text = html ? htmlToPlainText(html) : '';
    if (text) sections.push(`${heading}\n\n${text}`);
  }
  return sections.filter(Boolean).join('\n\n');
}

