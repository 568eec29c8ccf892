/**
 * Recruitee career sites through the Careers Site API: one request returns every published
 * offer with its description, remote / hybrid / on-site flags and, when the employer publishes
 * it, a structured salary. Recruitee requires a Careers Site token (X-Careers-Sites-Token) from
 * February 2027; it is optional until then.
 */
import { z } from 'zod';
import type { Arrangement, RawPosting, Salary, SalaryPeriod } from '../../core/types.js';
import { htmlToPlainText } from '../../normalize/html-text.js';
import { structuredPay } from '../../normalize/salary-sanity.js';
import { apiShapeError, date, expectArray, expectObject, fetchJson, httpUrl, mapItems, notFoundAs, num, readableName, str } from '../json-api.js';
import type { FeedBase, SourceAdapter } from '../types.js';

const SOURCE = 'Recruitee';

type Feed = FeedBase & Record<string, unknown>;

/** The Careers Site API offers list of a Recruitee company (its careers-site subdomain). */
export function recruiteeEndpoint(company: string): string {
  return `https://${encodeURIComponent(company)}.recruitee.com/api/offers/`;
}

/** The adapter for `type: recruitee` (keys: `company`, the subdomain of {company}.recruitee.com; `token`, optional until February 2027). */
export const recruiteeAdapter: SourceAdapter = {
  types: ['recruitee'],
  label: 'Recruitee career site',
  keys: z.strictObject({
    company: z
      .string({ error: 'expected the Recruitee company subdomain, as in COMPANY.recruitee.com' })
      .min(1, 'expected the Recruitee company subdomain, as in COMPANY.recruitee.com')
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'expected the Recruitee company subdomain (letters, digits and "-"), as in COMPANY.recruitee.com'),
    token: z.string({ error: 'expected the Careers Site token (a string)' }).min(1, 'expected the Careers Site token (a string)').optional(),
  }),
  urlRequired: false,
  defaultSchedule: null,
  attribution: null,
  endpoint: (feed) => feed.url ?? recruiteeEndpoint(companyOf(feed)),
  async read(feed, ctx) {
    const company = companyOf(feed);
    const url = recruiteeAdapter.endpoint(feed);
    const token = typeof feed.token === 'string' && feed.token !== '' ? feed.token : null;
    const headers = token ? { 'x-careers-sites-token': token } : undefined;
    const res = await notFoundAs(fetchJson(ctx, SOURCE, url, { conditional: true, ...(headers ? { headers } : {}) }), `Recruitee company "${company}"`);
    if (res.notModified) return { notModified: true };
    const body = expectObject(res.data, SOURCE, 'the top level');
    if (body.offers === undefined) throw apiShapeError(SOURCE, 'no "offers" list in the response');
    const offers = expectArray(body.offers, SOURCE, 'offers');
    const { postings, skipped } = mapItems(offers, (offer) => mapOffer(offer, company));
    return { notModified: false, format: 'Recruitee offers', postings, skipped, etag: res.etag, lastModified: res.lastModified };
  },
  warnings(feed) {
    if (typeof feed.token === 'string' && feed.token !== '') return [];
    return [
      'no `token`: Recruitee requires a Careers Site token (sent as X-Careers-Sites-Token) from February 2027; ' +
        'ask the company for its careers-site token and add `token:` to this feed before then',
    ];
  },
};

function companyOf(feed: Feed): string {
  return String(feed.company ?? '');
}

function mapOffer(offer: Record<string, unknown>, company: string): RawPosting | string {
  const id = str(offer.id);
  if (!id) return 'no id';
  const title = str(offer.title);
  if (!title) return 'no title';
  const slug = str(offer.slug);
  const url = httpUrl(offer.careers_url) ?? (slug ? `https://${encodeURIComponent(company)}.recruitee.com/o/${encodeURIComponent(slug)}` : null);
  if (!url) return 'no careers_url';
  const posting: RawPosting = {
    sourceId: id,
    url,
    title,
    company: str(offer.company_name) ?? readableName(company),
    location: str(offer.location) ?? joinParts([offer.city, offer.country]),
    description: descriptionText(offer),
    published: date(offer.published_at) ?? date(offer.created_at),
    tags: [
      ...new Set(
        [offer.department, offer.employment_type_code, offer.experience_code, ...(Array.isArray(offer.tags) ? offer.tags : [])]
          .map(str)
          .filter((t): t is string => t !== null),
      ),
    ],
  };
  const salary = salaryOf(offer.salary);
  if (salary) posting.salary = salary;
  const arrangement = arrangementOf(offer);
  if (arrangement) posting.arrangement = arrangement;
  return posting;
}

/**
 * The three flags are the employer's own choice. A job that takes remote applicants is remote
 * even when it also takes on-site ones (what a remote job seeker needs to know); hybrid before on-site.
 */
function arrangementOf(offer: Record<string, unknown>): Arrangement | undefined {
  if (offer.remote === true) return 'remote';
  if (offer.hybrid === true) return 'hybrid';
  if (offer.on_site === true) return 'onsite';
  return undefined;
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
 * Recruitee's salary object: {min, max, period, currency}, amounts often as strings ("18.50"),
 * in currency units. Without a known period the numbers cannot be compared, so they are left to
 * the text parser rather than guessed.
 */
function salaryOf(value: unknown): Salary | null {
  if (typeof value !== 'object' || value === null) return null;
  const s = value as Record<string, unknown>;
  const min = positive(num(s.min));
  const max = positive(num(s.max));
  if (min === null && max === null) return null;
  const period = PERIODS[(str(s.period) ?? '').toLowerCase()];
  if (!period) return null;
  // A salary without a currency keeps currency null: matching then says the currency is unknown.
  return structuredPay({ min, max, currency: str(s.currency), period, periodStated: true });
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}

/** The description, then the requirements (Recruitee keeps them in a separate HTML field). */
function descriptionText(offer: Record<string, unknown>): string {
  const description = str(offer.description);
  const requirements = str(offer.requirements);
  const parts = [description ? htmlToPlainText(description) : '', requirements ? htmlToPlainText(requirements) : ''];
  return parts.filter(Boolean).join('\n\n');
}

function joinParts(parts: unknown[]): string | null {
  const kept = parts.map(str).filter((p): p is string => p !== null);
  return kept.length > 0 ? kept.join(', ') : null;
}

