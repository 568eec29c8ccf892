/**
 * RawPosting -> Posting: repaired text plus everything normalization finds (salary, arrangement,
 * seniority, role, canonical URL). Structured fields from the source win over what the text says.
 */
import type { Arrangement, Posting, RawPosting, Salary } from '../core/types.js';
import { detectArrangement, detectRegions, offersOffice, statedAgainstRemote } from './arrangement.js';
import { canonicalizeUrl } from './canonical-url.js';
import { repairMojibake } from './mojibake.js';
import { decodeEntities } from './html-text.js';
import { detectRole } from './role.js';
import { annualize, extractSalary } from './salary.js';
import { saneSalary } from './salary-sanity.js';
import { detectSeniority } from './seniority.js';
import { stripNul, stripNulOrNull } from './nul.js';

/**
 * How far in the future a publish date may lie and still be believed: clocks drift and some
 * feeds write local time without a zone (up to 14 h ahead of UTC). A later date is unknown.
 */
export const MAX_FUTURE_PUBLISHED_MS = 24 * 3_600_000;

/**
 * Normalizes one posting from `feed`; pure. With `now`, a publish date more than a day ahead of
 * it (a year-9999 placeholder, a wrong year) is unknown rather than "posted just now".
 */
export function normalizePosting(given: RawPosting, feed: string, now?: Date): Posting {
  const raw = withoutNul(given);
  const title = cleanLine(raw.title) ?? '';
  const company = cleanLine(raw.company);
  const description = repairText(raw.description);
  // Many feeds carry the location only as a "Location: Berlin, Germany" line in the body.
  const location = cleanLine(raw.location) ?? locationLine(description);
  const tags = raw.tags ?? [];

  const salary = raw.payHidden ? null : payOf(saneSalary(raw.salary), extractSalary({ title, location, description }));
  const annual = salary ? annualize(salary) : { min: null, max: null };

  const textInput = { title, location, description, tags };
  const detected = detectArrangement(textInput);
  const arrangement = sourceArrangement(raw, textInput, detected.arrangement);
  let remoteRegions: string[] = [];
  if (arrangement === 'remote') {
    // The source may know a job is remote while the text never says so: regions still come from the text.
    remoteRegions = detected.arrangement === 'remote' ? detected.regions : detectRegions(textInput);
  }

  // "Work from our Denver office or remotely": the location is the office option of a remote job,
  // written so that every reader sees both ("Denver, CO or Remote (US)").
  const where =
    arrangement === 'remote' && location !== null && !/\bremote\b/i.test(location) && offersOffice(textInput)
      ? `${location} or Remote${remoteRegions.length > 0 ? ` (${remoteRegions.join(', ')})` : ''}`
      : location;

  return {
    feed,
    sourceId: raw.sourceId,
    url: raw.url.trim(),
    canonicalUrl: canonicalizeUrl(raw.url),
    title,
    company,
    location: where,
    description,
    published: believablePublished(raw.published, now),
    salary,
    annualMin: annual.min,
    annualMax: annual.max,
    arrangement,
    remoteRegions,
    seniority: detectSeniority(title),
    role: detectRole(title),
    tags,
  };
}

/** The raw posting with no NUL in any text that is stored (see nul.ts); the same object when it had none. */
function withoutNul(raw: RawPosting): RawPosting {
  const text = [raw.title, raw.company, raw.location, raw.description, raw.url, raw.sourceId, ...(raw.tags ?? [])];
  if (!text.some((t) => t !== null && t.includes('\u0000'))) return raw;
  return {
    ...raw,
    title: stripNul(raw.title),
    company: stripNulOrNull(raw.company),
    location: stripNulOrNull(raw.location),
    description: stripNul(raw.description),
    url: stripNul(raw.url),
    sourceId: stripNul(raw.sourceId),
    ...(raw.tags ? { tags: raw.tags.map(stripNul) } : {}),
  };
}

/** The publish date, or null when it lies further in the future than clock skew explains. */
function believablePublished(published: Date | null, now: Date | undefined): Date | null {
  if (!published || !now) return published;
  return published.getTime() - now.getTime() > MAX_FUTURE_PUBLISHED_MS ? null : published;
}

/**
 * The source's structured pay wins over the text, except when the text states the same pay as
 * written: then the text's wording is kept, because a feed may have converted it (Jobicy turns
 * "$27.02 - $48.55 per hour" into a yearly 54,000-98,000) or dropped its currency (RemoteOK's
 * numbers for "PLN 350,700 - 474,400").
 */
function payOf(structured: Salary | null, fromText: Salary | null): Salary | null {
  if (!structured) return fromText;
  if (!fromText) return structured;
  const a = annualize(structured);
  const b = annualize(fromText);
  const close = (x: number | null, y: number | null): boolean => x !== null && y !== null && Math.abs(x - y) <= 0.06 * Math.max(x, y);
  return close(a.min, b.min) && close(a.max, b.max) ? fromText : structured;
}

/**
 * The source's arrangement wins over the text, unless it is only what a remote-only board says of every job
 * on it: a posting there that states hybrid or on-site work for this role ("must live within commuting
 * distance of our Dublin hub", "Field-based in northwest Kansas") is what it says.
 */
function sourceArrangement(raw: RawPosting, input: Parameters<typeof statedAgainstRemote>[0], fromText: Arrangement): Arrangement {
  if (!raw.arrangement || raw.arrangement === 'unknown') return fromText;
  if (raw.arrangementFrom === 'board' && raw.arrangement === 'remote') return statedAgainstRemote(input) ?? 'remote';
  return raw.arrangement;
}

/** The value of a labelled location line in the text ("Location: Berlin, Germany"), or null. */
function locationLine(text: string): string | null {
  const m = LOCATION_LINE.exec(text.slice(0, 20_000));
  if (!m) return null;
  const value = m[1]!.replace(/[*_]+/g, '').replace(/[.\s]+$/, '').trim();
  return value.length >= 2 ? value : null;
}

// A line of its own, label first; a value longer than 80 characters is a sentence, not a place.
const LOCATION_LINE =
  /^[ \t*_#-]*(?:job\s+|office\s+|work\s+)?(?:locations?|standort|arbeitsort|lieu(?:\s+de\s+travail)?|ubicación|based\s+in)[ \t*_]*[:：–-][ \t*_]*([^\n]{2,80})$/im;

/**
 * Entities a scraper left in ("We&rsquo;re", "R&amp;D") decoded, then mojibake repaired (in that
 * order: "&acirc;&euro;&trade;" is mojibake spelled as entities). Sources hand over decoded
 * text already; this catches what they passed through, so it only runs when an entity is there.
 */
function repairText(text: string): string {
  return repairMojibake(ENTITY.test(text) ? decodeEntities(text) : text);
}

const ENTITY = /&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

/** Text repaired, whitespace collapsed; empty becomes null. */
function cleanLine(text: string | null): string | null {
  if (text === null) return null;
  const cleaned = repairText(text).replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}
