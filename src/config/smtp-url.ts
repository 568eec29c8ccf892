/**
 * The SMTP URL, parsed once, the same way for `check` and for sending. nodemailer is given the
 * options object built here, never the URL: its own parser falls back to Node's legacy url.parse()
 * on a URL WHATWG refuses, and that prints the whole URL, password included, in a DEP0170
 * warning. Problems are described without echoing any part of the URL that may be the secret.
 */

/** The nodemailer SMTP transport options a URL stands for (the same keys nodemailer's parseConnectionUrl sets). */
export interface SmtpUrlOptions {
  host: string;
  port?: number;
  secure: boolean;
  auth?: { user: string; pass: string };
  tls?: Record<string, unknown>;
  /** Other nodemailer options written as query parameters (?requireTLS=false, ?name=...). */
  [option: string]: unknown;
}

export type SmtpUrlResult = { ok: true; options: SmtpUrlOptions } | { ok: false; problem: string };

const ENCODE_HINT = 'write # as %23, / as %2F, ? as %3F, @ as %40, : as %3A (in the user name), % as %25 and a space as %20';

/** Parses an smtp:// or smtps:// URL into nodemailer options; a problem names what is wrong, never the password. */
export function parseSmtpUrl(url: string): SmtpUrlResult {
  const text = url.trim();
  const scheme = /^(smtps?):\/\//i.exec(text);
  if (!scheme) return { ok: false, problem: 'expected an smtp:// or smtps:// URL (smtp://user:password@host:587)' };
  const rest = text.slice(scheme[0].length);
  const secure = scheme[1]!.toLowerCase() === 'smtps';

  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, problem: diagnoseUnparsable(rest) };
  }
  // WHATWG took an early "#", "/" or "?" (from the password) as the end of the server name, so the
  // real "@host" landed in the path, query or fragment: the URL parsed, but not as meant.
  if (/@/.test(u.pathname + u.search + u.hash)) return { ok: false, problem: credentialsProblem(rest) };
  if (u.hash) return { ok: false, problem: `the URL has a "#" fragment, which SMTP does not use; if it is part of the password, ${ENCODE_HINT}` };
  if (u.pathname !== '' && u.pathname !== '/') return { ok: false, problem: 'the URL has a path after the server, which SMTP does not use; write smtp://user:password@host:port' };
  if (u.hostname === '') return { ok: false, problem: 'the URL names no server; write smtp://user:password@host:port' };
  if (u.port === '0') return { ok: false, problem: 'the port must be a number from 1 to 65535' };

  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(u.username);
    pass = decodeURIComponent(u.password);
  } catch {
    return { ok: false, problem: `a "%" in the user name or password does not start a valid %XX escape; write a literal % as %25 (the user name and password must be percent-encoded: ${ENCODE_HINT})` };
  }

  // Bracketed IPv6 is what WHATWG keeps; net.connect wants the bare address.
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const options: SmtpUrlOptions = { host, secure };
  if (u.port) options.port = Number(u.port);
  if (user || pass) options.auth = { user, pass };
  for (const [key, raw] of u.searchParams) applyQueryOption(options, key, raw);
  return { ok: true, options };
}

// Mirrors nodemailer's parseConnectionUrl: numbers and true/false are converted, `tls.x` goes
// under tls, other dotted keys are ignored, and an option already set is not overwritten.
function applyQueryOption(options: SmtpUrlOptions, key: string, raw: string): void {
  let value: unknown = raw;
  if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
  else if (raw === 'true') value = true;
  else if (raw === 'false') value = false;
  let target: Record<string, unknown> = options;
  let name = key;
  if (key.startsWith('tls.')) {
    name = key.slice(4);
    options.tls ??= {};
    target = options.tls;
  } else if (key.includes('.')) {
    return;
  }
  if (name === '__proto__' || name === 'constructor' || name === 'prototype' || name in target) return;
  target[name] = value;
}

/** Why `new URL()` refused it: a reserved character in the credentials, or a bad port. Never echoes the URL. */
function diagnoseUnparsable(rest: string): string {
  const at = rest.lastIndexOf('@');
  if (at !== -1 && /[#/?\\\s[\]^|"<>`{}]/.test(rest.slice(0, at))) return credentialsProblem(rest);
  const authority = (at === -1 ? rest : rest.slice(at + 1)).split(/[/?#]/)[0]!;
  const port = /:([^:\]]*)$/.exec(authority)?.[1];
  const valid = port !== undefined && /^\d{1,5}$/.test(port) && Number(port) <= 65535;
  if (port !== undefined && !valid) {
    // "smtp://user:pass" with the "@host" forgotten reads as server "user" and port "pass".
    const hint = at === -1 ? ' (if this is user:password, the "@host:port" part is missing)' : '';
    return `the port after the server name must be a number from 1 to 65535${hint}`;
  }
  return `the URL cannot be parsed; check the server name and port, and percent-encode the user name and password (${ENCODE_HINT})`;
}

function credentialsProblem(rest: string): string {
  const at = rest.lastIndexOf('@');
  const userinfo = at === -1 ? '' : rest.slice(0, at);
  const found = [...new Set(userinfo.match(/[#/?\s]/g) ?? [])].map((c) => (c.trim() === '' ? 'a space' : `"${c}"`));
  const which = found.length > 0 ? ` (it contains ${found.join(' and ')})` : '';
  return `the user name and password must be percent-encoded${which}: ${ENCODE_HINT}`;
}
