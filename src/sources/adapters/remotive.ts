/**
 * Remotive (remotive.com/api/remote-jobs): one request returns every live job of a category or
 * search; no paging. Remotive asks for at most a few calls a day and a link back, so the
 * default schedule is every 6 hours, and any faster schedule of a feed read from remotive.com
 * (this API or its RSS feeds) is replaced by it (pollLimit; `check` says so).
 */
import cron from 'node-cron';
import { z } from 'zod';
import type { RawPosting } from '../../core/types.js';
import { decodeEntities, htmlToPlainText } from '../../normalize/html-text.js';
import { apiShapeError, date, expectArray, expectObject, fetchJson, mapItems, str } from '../json-api.js';
import type { FeedBase, SourceAdapter } from '../types.js';

const SOURCE = 'Remotive';
const PUBLIC_ENDPOINT = 'https://remotive.com/api/remote-jobs';
/** Remotive's legal notice: "a couple of times a day (we advise max. 4 times a day)"; excessive requests are blocked. */
const MAX_RUNS_PER_DAY = 4;

/**
 * How many times a day a cron schedule fires on a day it runs (seconds x minutes x hours);
 * null when the expression cannot be read (the config loader reports that one).
 */
export function runsPerDay(schedule: string): number | null {
  try {
    const fields = cron.parse(schedule);
    return fields.second.length * fields.minute.length * fields.hour.length;
  } catch {
    return null;
  }
}

/**
 * The `check` warning for a schedule that fires more than `maxPerDay` times a day, or none;
 * `ask` says what the source's terms ask for, in its own words as far as possible.
 */
export function pollingWarnings(schedule: string, maxPerDay: number, ask: string, suggestion: string): string[] {
  const runs = runsPerDay(schedule);
  if (runs === null || runs <= maxPerDay) return [];
  return [`schedule "${schedule}" polls ${runs} times a day; ${ask} (suggested schedule: "${suggestion}")`];
}

/** A timestamp that may lack a zone ("2024-11-19T10:05:33", "2024-12-07 04:10:26"): read as UTC, not local time. */
export function utcDate(value: unknown): Date | null {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value.trim())) {
    return date(`${value.trim().replace(' ', 'T')}Z`);
  }
  return date(value);
}

function endpoint(feed: FeedBase & Record<string, unknown>): string {
  const params = new URLSearchParams();
  if (typeof feed.category === 'string') params.set('category', feed.category);
  if (typeof feed.search === 'string') params.set('search', feed.search);
  const query = params.toString();
  return query ? `${PUBLIC_ENDPOINT}?${query}` : PUBLIC_ENDPOINT;
}

/** One Remotive job to a posting; a string is the reason it was skipped. */
function mapJob(job: Record<string, unknown>): RawPosting | string {
  const id = str(job.id);
  if (!id) return 'no id';
  const title = str(job.title);
  if (!title) return 'no title';
  const url = str(job.url);
  if (!url || !/^https?:\/\//i.test(url)) return 'no http(s) url';

  const body = typeof job.description === 'string' ? htmlToPlainText(job.description) : '';
  // Remotive's salary is free text ("$120k - $150k", "€60-70k per year", "Competitive"): it is
  // put where the text analysis reads it rather than guessed into a structured Salary here.
  const salaryText = str(job.salary);
  const description = salaryText ? `Salary: ${decodeEntities(salaryText)}\n\n${body}`.trimEnd() : body;

  const tags = Array.isArray(job.tags) ? job.tags.map(str).filter((t): t is string => t !== null) : [];
  const category = str(job.category);
  const company = str(job.company_name);
  const location = str(job.candidate_required_location);
  return {
    sourceId: id,
    url,
    title: decodeEntities(title),
    company: company ? decodeEntities(company) : null,
    location: location ? decodeEntities(location) : null,
    description,
    published: utcDate(job.publication_date),
    // Remotive lists remote jobs only; candidate_required_location is where the hire may live.
    arrangement: 'remote',
    arrangementFrom: 'board',
    tags: category ? [decodeEntities(category), ...tags] : tags,
  };
}

/** The adapter for `type: remotive`. */
export const remotiveAdapter: SourceAdapter = {
  types: ['remotive'],
  label: 'Remotive remote jobs',
  keys: z.strictObject({
    category: z.string().min(1, 'must not be empty (a Remotive category slug such as "software-dev")').optional(),
    search: z.string().min(1, 'must not be empty (words to search titles and descriptions for)').optional(),
  }),
  urlRequired: false,
  defaultSchedule: '0 */6 * * *',
  attribution: { text: 'Remotive', url: 'https://remotive.com' },
  endpoint,
  async read(feed, ctx) {
    const url = feed.url ?? endpoint(feed);
    const res = await fetchJson(ctx, SOURCE, url, { conditional: true });
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, SOURCE, 'the top level');
    if (!('jobs' in body)) throw apiShapeError(SOURCE, 'no "jobs" list in the response');
    const { postings, skipped } = mapItems(expectArray(body.jobs, SOURCE, 'jobs'), mapJob);
    return { notModified: false, format: 'Remotive API', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  warnings: (_feed, schedule) =>
    pollingWarnings(schedule, MAX_RUNS_PER_DAY, `Remotive advises at most ${MAX_RUNS_PER_DAY} calls a day and blocks excessive requests`, '0 */6 * * *'),
  // Also its RSS feeds (remotive.com/remote-jobs/feed/...), which the default config reads as a plain feed.
  pollLimit: { hosts: ['remotive.com'], maxPerDay: MAX_RUNS_PER_DAY, schedule: '0 */6 * * *', ask: `Remotive advises at most ${MAX_RUNS_PER_DAY} calls a day and blocks excessive requests` },
};
