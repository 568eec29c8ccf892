/**
 * Job-board (ATS) addresses as people meet them (a board page, an embed script, an API URL) turned
 * into the typed feed entry that reads the board: `type: greenhouse` + `board: acme`, and so on.
 * Used by `import-opml` and `discover`; every entry returned passes its adapter's key schema, so
 * what is printed loads with `check`.
 */
import { ashbyAdapter } from './adapters/ashby.js';
import { greenhouseAdapter, parseHttpUrl, pathSegments } from './adapters/greenhouse.js';
import { leverAdapter } from './adapters/lever.js';
import { SOURCE_ADAPTERS } from './registry.js';

/** A typed feed entry without its name: `{ type: 'greenhouse', board: 'acme' }`. */
export type AtsFeed = { type: string } & Record<string, string>;

// Path words on the ATS hosts that are pages of the ATS itself, never an account name.
const WORKABLE_RESERVED = new Set(['api', 'j', 'assets', 'static', 'careers', 'jobs', 'oauth', 'login', 'signup']);
const WORKABLE_LEGACY_RESERVED = new Set(['www', 'apply', 'jobs', 'api', 'help', 'resources', 'careers', 'status', 'blog', 'developers', 'engineering', 'static', 'assets', 'app']);
const SMARTRECRUITERS_RESERVED = new Set(['oneclick-ui', 'sr-jobs', 'api', 'static', 'assets', 'cdn', 'search', 'company', 'job', 'jobs']);
const RECRUITEE_RESERVED = new Set(['www', 'app', 'api', 'career', 'careers', 'support', 'help', 'blog', 'status', 'cdn', 'docs', 'partners', 'marketplace', 'developers']);

/**
 * The typed feed an ATS address stands for, or null when it is not one this tool reads:
 * Greenhouse, Lever and Ashby as their adapters recognize them (`type: auto`), plus Workable
 * (apply.workable.com/ACCOUNT), SmartRecruiters (jobs. / careers.smartrecruiters.com/COMPANY, the
 * postings API) and Recruitee (COMPANY.recruitee.com).
 */
export function recognizeAtsUrl(url: string): AtsFeed | null {
  const parsed = parseHttpUrl(url);
  if (!parsed) return null;
  const found = fromAdapters(parsed.href) ?? workable(parsed) ?? smartRecruiters(parsed) ?? recruitee(parsed);
  return found && validKeys(found) ? found : null;
}

/** A short name for a typed feed ("acme-greenhouse"), before it is made valid and unique. */
export function atsFeedName(feed: AtsFeed): string {
  const key = feed.board ?? feed.site ?? feed.account ?? feed.company ?? '';
  return `${key}-${feed.type}`;
}

/** Two entries that read the same board give the same string. */
export function atsFeedKey(feed: AtsFeed): string {
  // Board names are case-insensitive in every ATS read here; the region is part of a Lever site's identity.
  const key = (feed.board ?? feed.site ?? feed.account ?? feed.company ?? '').toLowerCase();
  return `${feed.type}:${feed.region ?? ''}:${key}`;
}

function fromAdapters(href: string): AtsFeed | null {
  for (const adapter of [greenhouseAdapter, leverAdapter, ashbyAdapter]) {
    const match = adapter.recognize?.(href);
    if (!match) continue;
    const out: AtsFeed = { type: match.type };
    for (const [k, v] of Object.entries(match)) {
      if (typeof v !== 'string' || k === 'type') continue;
      // region: us is the default; printed only when it is not.
      if (k === 'region' && v === 'us') continue;
      out[k] = v;
    }
    return out;
  }
  return null;
}

function workable(url: URL): AtsFeed | null {
  const host = url.hostname.toLowerCase();
  const segments = pathSegments(url);
  if (host === 'apply.workable.com') {
    // The widget API the adapter reads: /api/v1/widget/accounts/ACCOUNT (also /api/v3/accounts/ACCOUNT).
    if (segments[0] === 'api') {
      const i = segments.indexOf('accounts');
      return i >= 0 && segments[i + 1] ? { type: 'workable', account: segments[i + 1]! } : null;
    }
    const account = segments[0];
    return account && !WORKABLE_RESERVED.has(account.toLowerCase()) ? { type: 'workable', account } : null;
  }
  // Older career pages live on ACCOUNT.workable.com (they redirect to apply.workable.com/ACCOUNT).
  const sub = subdomainOf(host, 'workable.com');
  return sub && !WORKABLE_LEGACY_RESERVED.has(sub) ? { type: 'workable', account: sub } : null;
}

function smartRecruiters(url: URL): AtsFeed | null {
  const host = url.hostname.toLowerCase();
  const segments = pathSegments(url);
  if (host === 'api.smartrecruiters.com') {
    // /v1/companies/COMPANY/postings
    const i = segments.indexOf('companies');
    return i >= 0 && segments[i + 1] ? { type: 'smartrecruiters', company: segments[i + 1]! } : null;
  }
  if (host !== 'jobs.smartrecruiters.com' && host !== 'careers.smartrecruiters.com') return null;
  // Apply links: jobs.smartrecruiters.com/oneclick-ui/company/COMPANY/publication/...
  if (segments[0] === 'oneclick-ui' && segments[1] === 'company' && segments[2]) return { type: 'smartrecruiters', company: segments[2] };
  const company = segments[0];
  return company && !SMARTRECRUITERS_RESERVED.has(company.toLowerCase()) ? { type: 'smartrecruiters', company } : null;
}

function recruitee(url: URL): AtsFeed | null {
  const sub = subdomainOf(url.hostname.toLowerCase(), 'recruitee.com');
  return sub && !RECRUITEE_RESERVED.has(sub) ? { type: 'recruitee', company: sub } : null;
}

/** The one label before `domain` (acme for acme.recruitee.com), or null for the domain itself or deeper names. */
function subdomainOf(host: string, domain: string): string | null {
  if (!host.endsWith(`.${domain}`)) return null;
  const sub = host.slice(0, -(domain.length + 1));
  return sub && !sub.includes('.') ? sub : null;
}

// What the adapter would refuse at `check` (a Recruitee subdomain with odd characters) is not offered.
function validKeys(feed: AtsFeed): boolean {
  const adapter = SOURCE_ADAPTERS.get(feed.type);
  if (!adapter) return false;
  const { type: _type, ...keys } = feed;
  return adapter.keys.safeParse(keys).success;
}
