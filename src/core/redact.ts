/**
 * The one place that decides what of a URL may be printed. A URL from the config can carry a
 * secret in three spots: `user:password@`, a lone `token@` (how many services take an API key),
 * and query parameters such as `?token=` or `?api_key=`. Everything that prints a configured URL
 * (logs, `check`, fetch and delivery errors) goes through redactUrl.
 */

/** What replaces a secret in printed text. */
export const REDACTED = '***';

// Parameter names (lower-cased, "-" and "_" removed) whose values are credentials.
const SECRET_PARAM_EXACT = new Set(['key', 'pass', 'pwd', 'auth', 'sig', 'signature', 'accesskey', 'privatekey', 'apikey', 'clientsecret']);
const SECRET_PARAM_PART = /token|secret|passw(?:or)?d|apikey/;

/** True when a query parameter of this name carries a credential (token, api_key, secret, password, ...). */
export function isSecretParam(name: string): boolean {
  const n = safeDecode(name).toLowerCase().replace(/[-_]/g, '');
  return SECRET_PARAM_EXACT.has(n) || SECRET_PARAM_PART.test(n);
}

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)/;

/**
 * The URL with its credentials replaced by "***": `https://user:***@host/feed`, `https://***@host/`
 * (a lone user name is often a token, so it is hidden too) and `?token=***`. A string that does
 * not parse as a URL loses everything between "://" and its last "@", wherever that is.
 */
export function redactUrl(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (parsed && parsed.host !== '' && SCHEME_RE.test(url)) {
    const auth = parsed.password ? `${parsed.username}:${REDACTED}@` : parsed.username ? `${REDACTED}@` : '';
    return `${parsed.protocol}//${auth}${parsed.host}${parsed.pathname === '/' && !url.replace(SCHEME_RE, '').includes('/') ? '' : parsed.pathname}${redactQuery(parsed.search)}${parsed.hash}`;
  }
  const scheme = SCHEME_RE.exec(url)?.[1];
  if (!scheme) return redactQuery(url);
  const rest = url.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  // Unparsable: a "#", "/" or "?" inside the password moves the apparent end of the authority,
  // so the only safe cut is at the last "@" (which is where the server name starts).
  return at === -1 ? `${scheme}${redactQuery(rest)}` : `${scheme}${REDACTED}@${redactQuery(rest.slice(at + 1))}`;
}

/** `?a=1&token=xyz` -> `?a=1&token=***`; works on a whole URL string or just its query. */
function redactQuery(text: string): string {
  const q = text.indexOf('?');
  if (q === -1) return text;
  const hash = text.indexOf('#', q);
  const end = hash === -1 ? text.length : hash;
  const params = text
    .slice(q + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      return isSecretParam(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
  return `${text.slice(0, q + 1)}${params.join('&')}${text.slice(end)}`;
}

// A URL inside free text ends at whitespace or a character that cannot be in one unencoded.
const URL_IN_TEXT_RE = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;

/** Applies redactUrl to every URL found in a message (third-party errors echo the URL they were given). */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT_RE, (url) => redactUrl(url));
}

/**
 * The secret values a URL carries, in every form they may be printed (raw and percent-decoded),
 * so a logger can scrub them from text that never went through redactUrl.
 */
export function urlSecrets(url: string): string[] {
  const out = new Set<string>();
  const add = (value: string): void => {
    if (!value) return;
    out.add(value);
    out.add(safeDecode(value));
  };
  try {
    const u = new URL(url);
    if (u.password) {
      add(u.password);
      add(`${u.username}:${u.password}`);
    } else {
      add(u.username);
    }
    for (const pair of u.search.slice(1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq !== -1 && isSecretParam(pair.slice(0, eq))) add(pair.slice(eq + 1));
    }
  } catch {
    // Unparsable: what sits between "://" and the last "@" is the credential.
    const scheme = SCHEME_RE.exec(url)?.[1];
    const rest = scheme ? url.slice(scheme.length) : '';
    const at = rest.lastIndexOf('@');
    if (at > 0) {
      const userinfo = rest.slice(0, at);
      add(userinfo);
      const colon = userinfo.indexOf(':');
      if (colon !== -1) add(userinfo.slice(colon + 1));
    }
  }
  return [...out];
}

/** decodeURIComponent, or the text as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
