/**
 * Jobicy (jobicy.com/api/v2/remote-jobs): one request returns up to 50 of the latest remote jobs
 * for a region, industry or tag; the API has no paging. Jobicy's notice says "accessing the Feed a
 * few times daily is sufficient and recommended" and that excessive querying may be restricted,
 * so the default schedule is every 6 hours and a faster feed schedule warns in `check`.
 */
import { z } from 'zod';
import type { RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { decodeEntities, htmlToPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { apiShapeError, expectArray, expectObject, fetchJson, mapItems, num, str } from '../json-api.js';
import type { FeedBase, SourceAdapter } from '../types.js';
import { pollingWarnings, utcDate } from './remotive.js';

const SOURCE = 'Jobicy';
const PUBLIC_ENDPOINT = 'https://jobicy.com/api/v2/remote-jobs';
/** The API's maximum; there is no second page to ask for. */
const COUNT = 50;
/** "A few times daily": the same bound as Remotive's explicit "max. 4 times a day". */
const MAX_RUNS_PER_DAY = 4;

const PERIODS: Readonly<Record<string, SalaryPeriod>> = {
  hour: 'hour', hourly: 'hour', hr: 'hour',
  day: 'day', daily: 'day',
  week: 'week', weekly: 'week',
  month: 'month', monthly: 'month',
  year: 'year', yearly: 'year', annual: 'year', annually: 'year', annum: 'year',
};

function endpoint(feed: FeedBase & Record<string, unknown>): string {
  const params = new URLSearchParams({ count: String(COUNT) });
  for (const key of ['geo', 'industry', 'tag'] as const) {
    if (typeof feed[key] === 'string') params.set(key, feed[key]);
  }
  return `${PUBLIC_ENDPOINT}?${params.toString()}`;
}

/**
 * Jobicy's pay: `annualSalaryMin` / `annualSalaryMax` (yearly, numeric strings) in the v2 API as
 * documented, or `salaryMin` / `salaryMax` with a `salaryPeriod` in newer responses; both carry
 * `salaryCurrency` (ISO 4217). Undefined when neither bound is given.
 */
function salaryOf(job: Record<string, unknown>): Salary | undefined {
  const positive = (v: unknown): number | null => {
    const n = num(v);
    return n !== null && n > 0 ? n : null;
  };
  let min = positive(job.annualSalaryMin);
  let max = positive(job.annualSalaryMax);
  let period: SalaryPeriod | null = 'year';
  if (min === null && max === null) {
    min = positive(job.salaryMin);
    max = positive(job.salaryMax);
    const stated = str(job.salaryPeriod)?.toLowerCase().replace(/^per\s+/, '');
    // An unknown period word is not guessed: the text extraction can still find the pay.
    period = stated === undefined ? 'year' : (PERIODS[stated] ?? null);
  }
  if ((min === null && max === null) || period === null) return undefined;
  return structuredPay({ min, max, currency: str(job.salaryCurrency), period, periodStated: true }) ?? undefined;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return str(value) ? [decodeEntities(value.trim())] : [];
  if (!Array.isArray(value)) return [];
  return value.map(str).filter((t): t is string => t !== null).map(decodeEntities);
}

/** One Jobicy job to a posting; a string is the reason it was skipped. */
function mapJob(job: Record<string, unknown>): RawPosting | string {
  const id = str(job.id);
  if (!id) return 'no id';
  const title = str(job.jobTitle);
  if (!title) return 'no jobTitle';
  const url = str(job.url);
  if (!url || !/^https?:\/\//i.test(url)) return 'no http(s) url';

  const company = str(job.companyName);
  const location = str(job.jobGeo);
  const level = str(job.jobLevel);
  const html = typeof job.jobDescription === 'string' ? job.jobDescription : typeof job.jobExcerpt === 'string' ? job.jobExcerpt : '';
  const posting: RawPosting = {
    sourceId: id,
    url,
    title: decodeEntities(title),
    company: company ? decodeEntities(company) : null,
    location: location ? decodeEntities(location) : null,
    description: htmlToPlainText(html),
    published: utcDate(job.pubDate),
    // Every Jobicy job is remote; jobGeo is where the hire may live ("Anywhere", "USA", "EMEA").
    arrangement: 'remote',
    arrangementFrom: 'board',
    // Industries, job types and the level ("Senior"; "Any" says nothing) as the board files them.
    tags: [...texts(job.jobIndustry), ...texts(job.jobType), ...(level && level !== 'Any' ? [decodeEntities(level)] : [])],
  };
  const salary = salaryOf(job);
  if (salary) posting.salary = salary;
  return posting;
}

/** The adapter for `type: jobicy`. */
export const jobicyAdapter: SourceAdapter = {
  types: ['jobicy'],
  label: 'Jobicy remote jobs',
  keys: z.strictObject({
    geo: z.string().min(1, 'must not be empty (a Jobicy region slug such as "usa", "europe" or "emea")').optional(),
    industry: z.string().min(1, 'must not be empty (a Jobicy industry slug such as "engineering" or "data-science")').optional(),
    tag: z.string().min(1, 'must not be empty (a word to search titles and descriptions for)').optional(),
  }),
  urlRequired: false,
  defaultSchedule: '0 */6 * * *',
  attribution: { text: 'Jobicy', url: 'https://jobicy.com' },
  endpoint,
  async read(feed, ctx) {
    const url = feed.url ?? endpoint(feed);
    const res = await fetchJson(ctx, SOURCE, url, { conditional: true });
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, SOURCE, 'the top level');
    // A filter that matches nothing may come back without a "jobs" list, but still with its count.
    if (!('jobs' in body) && num(body.jobCount) === 0) {
      return { notModified: false, format: 'Jobicy API', postings: [], skipped: [], etag: res.etag, lastModified: res.lastModified };
    }
    if (!('jobs' in body)) throw apiShapeError(SOURCE, 'no "jobs" list in the response');
    const { postings, skipped } = mapItems(expectArray(body.jobs, SOURCE, 'jobs'), mapJob);
    return { notModified: false, format: 'Jobicy API', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  warnings: (_feed, schedule) =>
    pollingWarnings(schedule, MAX_RUNS_PER_DAY, 'Jobicy recommends a few calls a day and may restrict excessive querying', '0 */6 * * *'),
};
