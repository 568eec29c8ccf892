/**
 * Ashby job boards (api.ashbyhq.com posting API): the whole board in one JSON response, with
 * workplace type and, asked with includeCompensation=true, structured pay per posting.
 */
import { z } from 'zod';
import { FetchError } from '../../core/errors.js';
import type { Arrangement, RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { tidyPlainText } from '../../normalize/html-text.js';
import { saneSalary, structuredPay } from '../../normalize/salary-sanity.js';
import { date, expectArray, expectObject, fetchJson, isRecord, mapItems, num, readableName, str } from '../json-api.js';
import type { SourceAdapter, SourceContext } from '../types.js';
import { atsHtmlToText, parseHttpUrl, pathSegments } from './greenhouse.js';

/** The adapter for `type: ashby` (key `board`). */
export const ashbyAdapter: SourceAdapter = {
  types: ['ashby'],
  label: 'Ashby job board',
  keys: z.strictObject({
    board: z
      .string({ error: 'expected the job board name, the word after jobs.ashbyhq.com/ in the board address' })
      .trim()
      .min(1, 'must not be empty'),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  companySlug: (feed) => ({ slug: String(feed.board ?? ''), always: true }),
  endpoint: (feed) => feed.url ?? publicEndpoint(String(feed.board)),
  async read(feed, ctx) {
    const board = String(feed.board);
    const source = `Ashby job board "${board}"`;
    const res = await fetchBoard(ctx, source, feed.url ?? publicEndpoint(board), board);
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, source, 'the top level');
    const jobs = expectArray(body.jobs, source, '"jobs"');
    const { postings, skipped } = mapItems(jobs, (job) => mapJob(job, board));
    return { notModified: false, format: 'Ashby job board', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  recognize(url) {
    const parsed = parseHttpUrl(url);
    if (!parsed) return null;
    const segments = pathSegments(parsed);
    if (parsed.hostname === 'jobs.ashbyhq.com' && segments[0]) return { type: 'ashby', board: segments[0] };
    if (parsed.hostname === 'api.ashbyhq.com' && segments[0] === 'posting-api' && segments[1] === 'job-board' && segments[2]) {
      return { type: 'ashby', board: segments[2] };
    }
    return null;
  },
};

function publicEndpoint(board: string): string {
  return `https://api.ashbyhq.com/posting-api/job-board/${encodeURIComponent(board)}?includeCompensation=true`;
}

// One request holds the whole board, so the previous poll's validators can be sent.
async function fetchBoard(ctx: SourceContext, source: string, url: string, board: string) {
  try {
    return await fetchJson(ctx, source, url, { conditional: true });
  } catch (err) {
    if (err instanceof FetchError && err.status === 404) {
      throw new FetchError(`Ashby job board "${board}" not found (${err.message}); the board name is the word after jobs.ashbyhq.com/ in the board address`, {
        url: err.url,
        status: 404,
        cause: err,
      });
    }
    throw err;
  }
}

function mapJob(job: Record<string, unknown>, board: string): RawPosting | string | null {
  // Unlisted postings are reachable by link only: not part of the board, not an error.
  if (job.isListed === false) return null;
  const id = str(job.id);
  if (!id) return 'no id';
  const title = str(job.title);
  if (!title) return 'no title';
  const posting: RawPosting = {
    sourceId: id,
    url: str(job.jobUrl) ?? str(job.applyUrl) ?? `https://jobs.ashbyhq.com/${encodeURIComponent(board)}/${encodeURIComponent(id)}`,
    title,
    company: readableName(board),
    location: locationOf(job),
    description: descriptionOf(job),
    published: date(job.publishedAt),
    // The employer chose not to show pay on the posting: not shown in alerts either.
    salary: job.shouldDisplayCompensationOnJobPostings === false ? null : salaryOf(job.compensation),
  };
  // ...and no pay is read from its text either: the amounts left there are benefits ("Fertility HRA
  // (up to $10,000 per year)"), not the hidden salary.
  if (job.shouldDisplayCompensationOnJobPostings === false) posting.payHidden = true;
  // "New York, NY (HQ)" with "Remote (US)" among its locations: the job can be done remotely, with the HQ as an
  // option, whatever workplaceType says of the primary location.
  const arrangement = /\bremote\b/i.test(posting.location ?? '') ? 'remote' : arrangementOf(job.workplaceType, job.isRemote);
  if (arrangement) posting.arrangement = arrangement;
  const tags = [str(job.department), str(job.team)].filter((t): t is string => t !== null);
  if (tags.length > 0) posting.tags = [...new Set(tags)];
  return posting;
}

function locationOf(job: Record<string, unknown>): string | null {
  const places: string[] = [];
  const primary = str(job.location);
  if (primary) places.push(primary);
  if (Array.isArray(job.secondaryLocations)) {
    for (const l of job.secondaryLocations) {
      const place = isRecord(l) ? str(l.location) : null;
      if (place) places.push(place);
    }
  }
  return places.length > 0 ? [...new Set(places)].join('; ') : null;
}

function descriptionOf(job: Record<string, unknown>): string {
  if (typeof job.descriptionHtml === 'string' && job.descriptionHtml.trim() !== '') return atsHtmlToText(job.descriptionHtml);
  return typeof job.descriptionPlain === 'string' ? tidyPlainText(job.descriptionPlain) : '';
}

// workplaceType is the posting's own statement; isRemote (the location's remote flag) is the
// older field and only says "remote" when it is true.
function arrangementOf(workplaceType: unknown, isRemote: unknown): Arrangement | undefined {
  switch (str(workplaceType)?.toLowerCase().replace(/[^a-z]/g, '')) {
    case 'remote':
      return 'remote';
    case 'hybrid':
      return 'hybrid';
    case 'onsite':
      return 'onsite';
    default:
      return isRemote === true ? 'remote' : undefined;
  }
}

const INTERVAL_RE = /^1\s+(YEAR|MONTH|WEEK|DAY|HOUR)S?$/i;

/**
 * Base pay is the "Salary" component; equity, bonus, commission and stipends are not salary.
 * summaryComponents already spans every tier; the tiers are read only when it has no salary.
 * Several salary components become the widest band in the first one's currency and interval.
 */
function salaryOf(compensation: unknown): Salary | null {
  if (!isRecord(compensation)) return null;
  const tiers = Array.isArray(compensation.compensationTiers) ? compensation.compensationTiers.filter(isRecord) : [];
  // A "Salary" component a tier labels as OTE ("OTE $168K – $231K") is on-target earnings, not base
  // pay; summaryComponents spans it too, so then only the tiers' base components are read.
  const labelledOte = tiers.some((tier) => salaryRecords(tier.components).some((c) => isOte(c.summary) || isOte(tier.tierSummary)));
  let salaries = labelledOte ? [] : salaryComponents(compensation.summaryComponents);
  if (salaries.length === 0) {
    salaries = tiers.flatMap((tier) =>
      isOte(tier.tierSummary) && !salaryRecords(tier.components).some((c) => /\bbase\b/i.test(str(c.summary) ?? '')) ? [] : salaryComponents(tier.components),
    );
  }
  const first = salaries[0];
  if (!first) return null;
  const same = salaries.filter((s) => s.currency === first.currency && s.period === first.period);
  const mins = same.map((s) => s.min).filter((v): v is number => v !== null);
  const maxes = same.map((s) => s.max).filter((v): v is number => v !== null);
  return saneSalary({
    min: mins.length > 0 ? Math.min(...mins) : null,
    max: maxes.length > 0 ? Math.max(...maxes) : null,
    currency: first.currency,
    period: first.period,
  });
}

function salaryRecords(components: unknown): Array<Record<string, unknown>> {
  return Array.isArray(components) ? components.filter((c): c is Record<string, unknown> => isRecord(c) && c.compensationType === 'Salary') : [];
}

function isOte(summary: unknown): boolean {
  return /\b(?:OTE|on[- ]target)\b/i.test(str(summary) ?? '');
}

function salaryComponents(components: unknown): Salary[] {
  const out: Salary[] = [];
  for (const c of salaryRecords(components)) {
    if (isOte(c.summary)) continue;
    const interval = INTERVAL_RE.exec(str(c.interval) ?? '');
    if (!interval) continue;
    const pay = structuredPay({ min: num(c.minValue), max: num(c.maxValue), currency: str(c.currencyCode), period: interval[1]!.toLowerCase() as SalaryPeriod, periodStated: true });
    if (pay) out.push(pay);
  }
  return out;
}
