/**
 * RemoteOK (remoteok.com/api): one request returns the latest jobs as a JSON array whose first
 * element is a legal notice, not a job. RemoteOK asks for a link back and not to poll too often,
 * so alerts credit it and the default schedule is hourly.
 */
import { z } from 'zod';
import type { RawPosting, Salary } from '../../core/types.js';
import { decodeEntities, htmlToPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { date, expectArray, fetchJson, mapItems, num, str } from '../json-api.js';
import type { SourceAdapter } from '../types.js';
import { pollingWarnings } from './remotive.js';

const SOURCE = 'RemoteOK';
const PUBLIC_ENDPOINT = 'https://remoteok.com/api';
/** The list changes a few times an hour at most; more than hourly only costs RemoteOK bandwidth. */
const MAX_RUNS_PER_DAY = 24;

/**
 * salary_min / salary_max as a Salary, or undefined when the job states none (RemoteOK writes 0
 * for "not given"). RemoteOK's salary fields are US dollars a year (its posting form asks for the
 * yearly USD range); numbers only plausible as an hourly rate ("30 / 30", "25 / 27") are hourly,
 * and an implausible figure is dropped (see structuredPay).
 */
function salaryOf(job: Record<string, unknown>): Salary | undefined {
  return structuredPay({ min: num(job.salary_min), max: num(job.salary_max), period: 'year', periodStated: false, assumeCurrency: 'USD' }) ?? undefined;
}

/** One RemoteOK element to a posting; null for the legal notice, a string for a skip reason. */
function mapJob(job: Record<string, unknown>): RawPosting | string | null {
  const id = str(job.id);
  // Element 0 is { last_updated, legal }: the API's terms, not a job.
  if (!id && 'legal' in job) return null;
  if (!id) return 'no id';
  const title = str(job.position);
  if (!title) return 'no position (title)';
  const slug = str(job.slug);
  const url = str(job.url) ?? (slug ? `https://remoteok.com/remote-jobs/${slug}` : null);
  if (!url || !/^https?:\/\//i.test(url)) return 'no http(s) url';

  const company = str(job.company);
  const location = str(job.location);
  const tags = Array.isArray(job.tags) ? job.tags.map(str).filter((t): t is string => t !== null) : [];
  const posting: RawPosting = {
    sourceId: id,
    url,
    title: decodeEntities(title),
    company: company ? decodeEntities(company) : null,
    location: location ? decodeEntities(location) : null,
    description: typeof job.description === 'string' ? htmlToPlainText(job.description) : '',
    published: date(job.date) ?? date(job.epoch),
    // A remote-only board: every job on it is remote (location, when given, is where the hire may live).
    arrangement: 'remote',
    arrangementFrom: 'board',
    tags,
  };
  const salary = salaryOf(job);
  if (salary) posting.salary = salary;
  return posting;
}

/** The adapter for `type: remoteok`. */
export const remoteokAdapter: SourceAdapter = {
  types: ['remoteok'],
  label: 'Remote OK jobs',
  keys: z.strictObject({}),
  urlRequired: false,
  defaultSchedule: '0 * * * *',
  attribution: { text: 'Remote OK', url: 'https://remoteok.com' },
  endpoint: () => PUBLIC_ENDPOINT,
  async read(feed, ctx) {
    const url = feed.url ?? PUBLIC_ENDPOINT;
    const res = await fetchJson(ctx, SOURCE, url, { conditional: true });
    if (res.notModified) return { notModified: true };
    const { postings, skipped } = mapItems(expectArray(res.data, SOURCE, 'the top level'), mapJob);
    return { notModified: false, format: 'Remote OK API', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  warnings: (_feed, schedule) =>
    pollingWarnings(schedule, MAX_RUNS_PER_DAY, 'Remote OK asks not to poll its API too often; its list changes slowly and hourly is plenty', '0 * * * *'),
};
