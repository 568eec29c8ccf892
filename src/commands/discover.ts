/** `jobalert discover URL`: the feeds and job boards a careers page links or embeds, as `feeds:` YAML. */
import { FetchError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { createFetcher, type FetcherOptions } from '../http/fetcher.js';
import { detectFormat } from '../sources/detect-format.js';
import { findFeedsInHtml } from '../sources/discover-page.js';
import { FeedList } from '../sources/feed-yaml.js';
import { CommandError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE } from './exit.js';

/** The fetch settings of a config left at its defaults (fetch: in the config reference). */
const DEFAULT_FETCH: Omit<FetcherOptions, 'env'> = { timeoutMs: 30_000, connectTimeoutMs: 10_000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 5, perHost: 2 };

const ACCEPT_PAGE = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8';

/** What discover uses besides its argument; the defaults are the real ones. */
export interface DiscoverDeps {
  /** Where HTTP(S)_PROXY / NO_PROXY are read from. */
  env?: NodeJS.ProcessEnv;
  out?: (s: string) => void;
  warn?: (s: string) => void;
  fetch?: Partial<Omit<FetcherOptions, 'env'>>;
}

/**
 * Fetches the page (through the feed fetcher: its timeouts, size limit and redirects) and prints
 * what it finds, each entry with a comment saying where. Finding nothing is not an error (exit 0,
 * said on stderr); an address that cannot be fetched is exit 2.
 */
export async function discoverCommand(address: string, deps: DiscoverDeps = {}): Promise<number> {
  const out = deps.out ?? ((s: string) => process.stdout.write(s));
  const warn = deps.warn ?? ((s: string) => process.stderr.write(s));
  const url = pageAddress(address);
  const fetcher = createFetcher({ ...DEFAULT_FETCH, ...deps.fetch, env: deps.env ?? process.env });
  let page;
  try {
    page = await fetcher.fetch({ url, headers: { accept: ACCEPT_PAGE } });
  } catch (err) {
    if (err instanceof FetchError) throw new CommandError(`cannot fetch the page: ${err.message}`, EXIT_RUNTIME);
    throw err;
  } finally {
    await fetcher.close();
  }
  // Never 304: no validators were sent.
  if (page.notModified) throw new CommandError(`cannot fetch the page: GET ${redactUrl(url)} answered 304 Not Modified`, EXIT_RUNTIME);

  const list = new FeedList();
  const shown = redactUrl(page.url);
  const format = detectFormat(page.text);
  if (format) list.add({ title: null, url: page.url, comment: `the address itself is a feed (${format}): ${shown}` });
  else for (const found of findFeedsInHtml(page.text, page.url)) list.add(found);

  const redirected = page.url !== url ? ` (redirected to ${shown})` : '';
  if (list.size === 0) {
    warn(
      `no feed links or job boards found on ${redactUrl(url)}${redirected}. A page that loads its jobs with JavaScript from ` +
        'another address shows nothing here: open the browser\'s network tab and try the address the jobs come from.\n',
    );
    return EXIT_OK;
  }
  warn(`found ${list.size} feed${list.size === 1 ? '' : 's'} on ${redactUrl(url)}${redirected}\n`);
  out(list.toYaml());
  return EXIT_OK;
}

/** The page's http(s) URL; "example.com/careers" is read as https://example.com/careers. */
function pageAddress(address: string): string {
  const text = address.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^/:]+:\d+(\/|$)/.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CommandError(`not a URL: ${JSON.stringify(address)}`, EXIT_USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CommandError(`not an http(s) URL: ${redactUrl(address)}`, EXIT_USAGE);
  return url.href;
}
