/**
 * The feed's `company:` key, applied in one place to what every adapter read: it names the
 * employer where the source names none (Lever, Ashby: the adapter only has the board slug) and
 * replaces the slug's readable form, but never a company the posting itself states.
 */
import type { RawPosting } from '../core/types.js';
import { readableName } from './json-api.js';
import type { FeedBase, SourceAdapter } from './types.js';

type Feed = FeedBase & Record<string, unknown>;

/** The configured company of a feed, unless the adapter uses `company` as its own key (SmartRecruiters, Recruitee). */
export function configuredCompany(adapter: SourceAdapter, feed: Feed): string | null {
  if ('company' in adapter.keys.shape) return null;
  const name = typeof feed.company === 'string' ? feed.company.trim() : '';
  return name === '' ? null : name;
}

/** The postings with the feed's configured company where they have none or only the slug guess. */
export function withFeedCompany(postings: RawPosting[], adapter: SourceAdapter, feed: Feed): RawPosting[] {
  const company = configuredCompany(adapter, feed);
  if (company === null) return postings;
  const slug = adapter.companySlug?.(feed) ?? null;
  const guess = slug === null ? null : readableName(slug.slug);
  return postings.map((p) => (p.company === null || p.company.trim() === '' || p.company === guess ? { ...p, company } : p));
}

/** What `check` says about a feed whose postings are named after its board slug, or null. */
export function slugCompanyNote(adapter: SourceAdapter, feed: Feed): string | null {
  if (configuredCompany(adapter, feed) !== null) return null;
  const slug = adapter.companySlug?.(feed) ?? null;
  if (slug === null || !slug.always) return null;
  return `company from the board slug '${slug.slug}' ("${readableName(slug.slug)}"); set company: to name it`;
}
