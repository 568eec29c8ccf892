/**
 * Canonical URL for dedupe: the same posting reached through different links (tracking
 * parameters, fragments, host case, default port, trailing slash) gets one URL.
 *
 * Kept on purpose: path case (many ATSs have case-sensitive ids), "www." (a different host can
 * serve different content), the encoding of every kept parameter (re-encoding could change what
 * an opaque value means), and job-identifying parameters such as Greenhouse's gh_jid.
 */

/** Parameter names that only track how a visitor arrived (compared case-insensitively). */
const TRACKING_PARAMS = new Set([
  'ref', 'ref_src', 'ref_url', 'source', 'src', 'gh_src', 'lever-source', 'lever-origin', 'trk', 'trackingid',
  'fbclid', 'gclid', 'dclid', 'msclkid', 'mc_cid', 'mc_eid', '_hsenc', '_hsmi', 'igshid', 'cmp', 'campaign',
  '_ga', '_gl', 'mkt_tok',
]);

/** The URL without tracking parameters or fragment, scheme and host lower-cased, parameters sorted; invalid URLs come back trimmed. */
export function canonicalizeUrl(url: string): string {
  const trimmed = url.trim();
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return trimmed;

  // The URL parser already lower-cases scheme and host and drops the default port.
  const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/+$/, '') || '/' : parsed.pathname;
  const query = canonicalQuery(parsed.search);
  const auth = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  return `${parsed.protocol}//${auth}${parsed.host}${path}${query ? `?${query}` : ''}`;
}

/** Kept parameters, sorted by name (stable, so repeated names keep their order), as written. */
function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((raw) => ({ raw, name: paramName(raw) }))
    .filter(({ name }) => !isTracking(name));
  pairs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return pairs.map((p) => p.raw).join('&');
}

function paramName(pair: string): string {
  const eq = pair.indexOf('=');
  const raw = eq === -1 ? pair : pair.slice(0, eq);
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || TRACKING_PARAMS.has(lower);
}
