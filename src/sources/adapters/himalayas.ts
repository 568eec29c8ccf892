/**
 * Himalayas, a remote-only job board, through its public JSON API: the newest jobs of the whole
 * board (`/jobs/api`, limit/offset pages), or a keyword search (`/jobs/api/search`, numbered
 * pages) when `query` is set. Pay is structured (minSalary / maxSalary / currency, annual unless
 * the job says otherwise). Himalayas asks API users to credit it and link back: every posting
 * links to its Himalayas page and alerts name Himalayas as the source.
 */
import { z } from 'zod';
import type { RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { htmlToPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { apiShapeError, date, expectArray, expectObject, fetchJson, httpUrl, mapItems, MAX_PAGES, num, readableName, str } from '../json-api.js';
import type { FeedBase, SkippedItem, SourceAdapter } from '../types.js';

const SOURCE = 'Himalayas';
/** The most jobs the API returns per request. */
const PAGE_SIZE = 20;
/**
 * Without a query the board lists its ~100k open jobs newest first. An alert daemon needs the
 * newest only, so browsing stops after this many pages (200 jobs, 10 requests a poll); a search
 * (`query`) is followed to MAX_PAGES.
 */
const BROWSE_PAGES = 10;

const BROWSE_URL = 'https://himalayas.app/jobs/api';
const SEARCH_URL = 'https://himalayas.app/jobs/api/search';

type Feed = FeedBase & Record<string, unknown>;

/** The adapter for `type: himalayas` (key: `query`, optional keywords for Himalayas' search). */
export const himalayasAdapter: SourceAdapter = {
  types: ['himalayas'],
  label: 'Himalayas remote jobs',
  keys: z.strictObject({
    query: z.string({ error: 'expected search keywords (a string)' }).min(1, 'expected search keywords (a string)').optional(),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: { text: 'Himalayas', url: 'https://himalayas.app/jobs' },
  endpoint: (feed) => pageUrl(feed, 0, 0),
  async read(feed, ctx) {
    const query = queryOf(feed);
    const maxPages = query ? MAX_PAGES : BROWSE_PAGES;
    const postings: RawPosting[] = [];
    const skipped: SkippedItem[] = [];
    const seen = new Set<string>();
    let read = 0;
    let total: number | null = null;
    for (let page = 0; ; page++) {
      if (page === maxPages) {
        const detail = { source: SOURCE, pages: maxPages, read, total };
        // Browsing is cut on purpose (newest first); a search cut short may miss matches.
        if (query) ctx.log.warn(detail, `${SOURCE}: stopped after ${maxPages} pages of search results; narrow the query to see them all`);
        else ctx.log.debug(detail, `${SOURCE}: read the newest ${read} jobs of the board`);
        break;
      }
      const url = pageUrl(feed, page, read);
      const res = await fetchJson(ctx, SOURCE, url);
      if (res.notModified) throw apiShapeError(SOURCE, `304 Not Modified to an unconditional request for ${url}`);
      const body = expectObject(res.data, SOURCE, 'the top level');
      if (body.jobs === undefined) throw apiShapeError(SOURCE, 'no "jobs" list in the response');
      const jobs = expectArray(body.jobs, SOURCE, 'jobs');
      total = num(body.totalCount) ?? total;
      const mapped = mapItems(jobs, mapJob, read);
      skipped.push(...mapped.skipped);
      let fresh = 0;
      for (const p of mapped.postings) {
        // Pages shift while new jobs arrive: a job may show up again on the next page.
        if (seen.has(p.sourceId)) continue;
        seen.add(p.sourceId);
        postings.push(p);
        fresh++;
      }
      read += jobs.length;
      // A page of nothing new means the server ignored the page parameter: stop rather than loop.
      if (jobs.length === 0 || (total !== null && read >= total) || (fresh === 0 && mapped.postings.length > 0)) break;
    }
    return { notModified: false, format: query ? 'Himalayas search' : 'Himalayas jobs', postings, skipped, etag: null, lastModified: null };
  },
};

function queryOf(feed: Feed): string | null {
  return typeof feed.query === 'string' && feed.query.trim() !== '' ? feed.query.trim() : null;
}

/**
 * Page `page` (from 0), starting at job `offset`. Browse pages by offset, search by page number
 * (from 1); a `url:` override replaces the endpoint and keeps its own parameters, these are added.
 */
function pageUrl(feed: Feed, page: number, offset: number): string {
  const query = queryOf(feed);
  const u = new URL(feed.url ?? (query ? SEARCH_URL : BROWSE_URL));
  if (query) {
    u.searchParams.set('q', query);
    u.searchParams.set('page', String(page + 1));
  } else {
    u.searchParams.set('limit', String(PAGE_SIZE));
    u.searchParams.set('offset', String(offset));
  }
  return u.href;
}

function mapJob(job: Record<string, unknown>): RawPosting | string {
  const title = str(job.title);
  if (!title) return 'no title';
  const guid = str(job.guid);
  const applicationLink = httpUrl(job.applicationLink);
  const sourceId = guid ?? applicationLink;
  if (!sourceId) return 'no guid';
  // The guid is the job's Himalayas page: linking there is the link back Himalayas asks for.
  const url = httpUrl(guid) ?? applicationLink;
  if (!url) return 'no link (guid or applicationLink)';
  const html = str(job.description);
  const posting: RawPosting = {
    sourceId,
    url,
    title,
    company: str(job.companyName) ?? (str(job.companySlug) ? readableName(str(job.companySlug)!) : null),
    location: locationText(job.locationRestrictions),
    description: html ? htmlToPlainText(html) : htmlToPlainText(str(job.excerpt) ?? ''),
    published: date(job.pubDate),
    // Every Himalayas job is remote; locationRestrictions only narrow where from.
    arrangement: 'remote',
    arrangementFrom: 'board',
    tags: [...new Set([...(Array.isArray(job.seniority) ? job.seniority : []), job.employmentType].map(str).filter((t): t is string => t !== null))],
  };
  const salary = salaryOf(job);
  if (salary) posting.salary = salary;
  return posting;
}

/** Countries (or regions) candidates must live in; none listed means anywhere. */
function locationText(restrictions: unknown): string {
  const places: string[] = [];
  if (Array.isArray(restrictions)) {
    for (const r of restrictions) {
      // Documented as Location objects; most answers carry plain names.
      const name = typeof r === 'object' && r !== null ? str((r as Record<string, unknown>).name) : str(r);
      if (name && !places.includes(name)) places.push(name);
    }
  }
  return places.length > 0 ? places.join(', ') : 'Worldwide';
}

const PERIODS: Readonly<Record<string, SalaryPeriod>> = {
  hour: 'hour',
  hourly: 'hour',
  day: 'day',
  daily: 'day',
  week: 'week',
  weekly: 'week',
  month: 'month',
  monthly: 'month',
  year: 'year',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
};

/**
 * minSalary / maxSalary in currency units. Himalayas documents them as annual; a job that carries
 * a salaryPeriod says otherwise, and an unknown period leaves the numbers to the text parser.
 */
function salaryOf(job: Record<string, unknown>): Salary | null {
  const min = positive(num(job.minSalary));
  const max = positive(num(job.maxSalary));
  if (min === null && max === null) return null;
  const stated = str(job.salaryPeriod);
  const period = stated ? PERIODS[stated.toLowerCase()] : 'year';
  if (!period) return null;
  // No currency given: kept null, so matching reports the currency as unknown instead of assuming USD.
  return structuredPay({ min, max, currency: str(job.currency), period, periodStated: stated !== null });
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}

