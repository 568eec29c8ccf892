/**
 * `database:` is an SQLite file path or a postgres:// URL. What of it may be printed, which part
 * is a secret, and whether a password was written in the file itself (it must come from the
 * environment: PGPASSWORD, or ${VAR} in the URL) are decided here, for config, commands and store.
 */
import { REDACTED, redactUrl, safeDecode } from './redact.js';

const ANY_URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const POSTGRES_URL_RE = /^postgres(?:ql)?:\/\//i;

/** True for a postgres:// or postgresql:// URL. */
export function isPostgresUrl(database: string): boolean {
  return POSTGRES_URL_RE.test(database.trim());
}

/** True when `database` is a URL of any scheme (scheme://...), not a file path. */
export function isDatabaseUrl(database: string): boolean {
  return ANY_URL_RE.test(database.trim());
}

/**
 * How `database` may be printed: a path as it is, a postgres URL with its password (in the
 * credentials or ?password=) as *** and its user name kept (a database role, not a token), any
 * other URL through redactUrl.
 */
export function describeDatabase(database: string): string {
  if (!isDatabaseUrl(database)) return database;
  const text = database.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return redactUrl(text);
  }
  if (!isPostgresUrl(text) || u.hash || /@/.test(u.pathname + u.search)) return redactUrl(text);
  const credentials = u.username || u.password ? `${u.username}${u.password ? `:${REDACTED}` : ''}@` : '';
  // redactUrl sees no credentials here, so it only hides secret query parameters (?password=).
  return redactUrl(`${u.protocol}//${u.host}${u.pathname}${u.search}`).replace('//', `//${credentials}`);
}

/** Why a URL given as `database:` cannot be used (never echoing it), or null when it can. Paths are not judged here. */
export function databaseUrlProblem(database: string): string | null {
  if (!isDatabaseUrl(database)) return null;
  const scheme = ANY_URL_RE.exec(database.trim())![0].slice(0, -3).toLowerCase();
  if (!isPostgresUrl(database)) return `expected an SQLite file path or a postgres:// URL, got a ${scheme}:// URL (jobalert stores in SQLite or PostgreSQL)`;
  const hint = 'write postgres://user@host:5432/database, percent-encoding reserved characters in the user name and password (@ as %40, : as %3A, / as %2F, ? as %3F, # as %23)';
  let u: URL;
  try {
    u = new URL(database.trim());
  } catch {
    return `the PostgreSQL URL cannot be parsed; ${hint}`;
  }
  // An unencoded "?" or "#" in the password ends the server part early: "@host" lands further on.
  if (u.hash || /@/.test(u.pathname + u.search)) return `the PostgreSQL URL is not what it seems (an "@" after the server name, or a "#"); ${hint}`;
  return null;
}

/**
 * True when the URL as WRITTEN in the file (before ${VAR} substitution) carries a literal password:
 * `postgres://user:secret@host/db` or `?password=secret`. A password that is, or contains, a
 * ${VAR} reference comes from the environment and is fine.
 */
export function hasWrittenPassword(written: string): boolean {
  // Each ${...} reference becomes one marker character, so it can neither end the user name nor
  // hide the "@": a password part holding a marker came from the environment.
  const masked = written.trim().replace(/\$\{[^}]*\}/g, ENV_MARK);
  if (!isPostgresUrl(masked)) return false;
  const rest = masked.replace(POSTGRES_URL_RE, '');
  // The last "@" before the query ends the credentials (an unencoded "/" in a password comes before it).
  const beforeQuery = rest.split('?')[0]!;
  const at = beforeQuery.lastIndexOf('@');
  const colon = at === -1 ? -1 : beforeQuery.slice(0, at).indexOf(':');
  if (colon !== -1 && isLiteral(beforeQuery.slice(colon + 1, at))) return true;
  const query = /\?([^#]*)/.exec(rest)?.[1] ?? '';
  return query.split('&').some((pair) => {
    const eq = pair.indexOf('=');
    return eq !== -1 && safeDecode(pair.slice(0, eq)).toLowerCase() === 'password' && isLiteral(pair.slice(eq + 1));
  });
}

const ENV_MARK = '\u0001';

function isLiteral(value: string): boolean {
  return value !== '' && !value.includes(ENV_MARK);
}

/** The password a database URL carries (raw and percent-decoded), for the logger to scrub; none for a path. */
export function databaseSecrets(database: string): string[] {
  if (!isDatabaseUrl(database)) return [];
  const out = new Set<string>();
  try {
    const u = new URL(database.trim());
    if (u.password) {
      out.add(u.password);
      out.add(safeDecode(u.password));
    }
    const fromQuery = u.searchParams.get('password');
    if (fromQuery) out.add(fromQuery);
  } catch {
    // Unparsable: what sits between the first ":" after the scheme and the last "@".
    const rest = database.trim().replace(ANY_URL_RE, '');
    const at = rest.lastIndexOf('@');
    const colon = rest.indexOf(':');
    if (at > 0 && colon !== -1 && colon < at) out.add(rest.slice(colon + 1, at));
  }
  return [...out].filter((s) => s !== REDACTED);
}
