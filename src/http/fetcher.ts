/**
 * The one HTTP client every feed goes through: own undici Agent, a total timeout, a per-host
 * concurrency limit, bounded redirects, conditional GET, decompression and a body size limit
 * that holds for decompressed bytes too. Every failure is a FetchError with a human message.
 */
import { STATUS_CODES } from 'node:http';
import { Readable, pipeline as pipelineCallback } from 'node:stream';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zlibConstants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { Agent, EnvHttpProxyAgent } from 'undici';
import type { Dispatcher } from 'undici';
import { FetchError } from '../core/errors.js';
import { redactUrl, redactUrlsIn, safeDecode } from '../core/redact.js';
import { USER_AGENT } from '../version.js';
import { createBodyCollector } from './body-collector.js';
import { PackedBody } from './packed-body.js';
import { decodeBody } from './charset.js';
import { parseRetryAfter } from './retry-after.js';

export interface FetcherOptions {
  /** Total time for one fetch, redirects, headers and body included. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Limit on the body, compressed and decompressed. */
  maxBodyBytes: number;
  /** Bodies at least this big are kept packed (FetchResult.packed); default PACK_MIN_BYTES. */
  packFrom?: number;
  maxRedirects: number;
  /** Requests in flight to one origin at once. */
  perHost: number;
  userAgent?: string;
  /**
   * Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms) are read from; without
   * it, or with neither proxy variable set, every request goes straight to its host.
   */
  env?: NodeJS.ProcessEnv;
}

export interface FetchRequest {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type FetchResult =
  | { notModified: true; status: 304; url: string }
  | {
      notModified: false;
      status: number;
      /** Final URL after redirects. */
      url: string;
      /** The body; for a packed one (see `packed`), unpacked whole at each read: read `packed` instead when you can. */
      body: Buffer;
      /** A big body (PACK_MIN_BYTES or more), as it was kept: compressed in blocks, never whole (packed-body.ts). */
      packed?: PackedBody;
      /** The body decoded to text (see charset.ts). */
      text: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    };

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  /** Waits for requests in flight, then closes every connection. */
  close(): Promise<void>;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml, text/xml;q=0.9, */*;q=0.8';
const ACCEPT_ENCODING = 'gzip, deflate, br';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Servers often end gzip/deflate/brotli streams without the final block; browsers accept that.
const GZIP_OPTIONS = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
const BROTLI_OPTIONS = { finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH };

type Decoder = Transform | ((source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>);

interface BodyErrors {
  tooLarge(): FetchError;
  fail(reason: string, cause?: unknown): FetchError;
}

interface HostLimiter {
  acquire(origin: string, signal: AbortSignal): Promise<() => void>;
}

/** Creates a fetcher with its own connection pool; close it when done. */
export function createFetcher(opts: FetcherOptions): Fetcher {
  const agentOptions = {
    connections: opts.perHost,
    connect: { timeout: opts.connectTimeoutMs },
    // The total timer in fetchOnce is what should fire; these only back it up.
    headersTimeout: opts.timeoutMs + 1000,
    bodyTimeout: opts.timeoutMs + 1000,
  };
  const proxy = proxySettings(opts.env);
  let agent: Dispatcher;
  // A proxy variable that is not a URL fails every fetch with the reason (the feeds' errors show it) rather than
  // stopping the daemon; no request goes out directly behind the user's back.
  let proxyProblem: string | null = null;
  try {
    agent = proxy
      ? new EnvHttpProxyAgent({
          ...agentOptions,
          ...proxy,
          // http:// feeds are sent to the proxy as absolute-form requests (as curl does): many proxies
          // (Squid's default) allow CONNECT only to port 443. https:// ones are tunnelled with CONNECT.
          proxyTunnel: false,
          proxyTls: { timeout: opts.connectTimeoutMs },
        })
      : new Agent(agentOptions);
  } catch (err) {
    proxyProblem = `the proxy setting is not a valid URL (HTTP_PROXY ${JSON.stringify(redactUrl(proxy?.httpProxy ?? ''))}, HTTPS_PROXY ${JSON.stringify(redactUrl(proxy?.httpsProxy ?? ''))}: ${(err as Error).message})`;
    agent = new Agent(agentOptions);
  }
  const limiter = createHostLimiter(opts.perHost);
  let closed = false;
  return {
    async fetch(req) {
      if (closed) throw new FetchError(`fetcher is closed: GET ${redactUrl(req.url)}`, { url: redactUrl(req.url) });
      if (proxyProblem) throw new FetchError(`${proxyProblem}: GET ${redactUrl(req.url)}`, { url: redactUrl(req.url) });
      return fetchOnce(agent, limiter, opts, req);
    },
    async close() {
      closed = true;
      await agent.close();
    },
  };
}

async function fetchOnce(agent: Dispatcher, limiter: HostLimiter, opts: FetcherOptions, req: FetchRequest): Promise<FetchResult> {
  const start = parseHttpUrl(req.url);
  let current = start;
  // Every message and FetchError carries the URL redacted: a feed URL may hold user:password@ or ?token=.
  const shown = redactUrl(req.url);
  const describe = (): string => (current.href === start.href ? `GET ${shown}` : `GET ${shown} (redirected to ${redactUrl(current.href)})`);

  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  let callerAborted = false;
  let timer: NodeJS.Timeout | undefined;
  const onCallerAbort = (): void => {
    callerAborted = true;
    controller.abort(req.signal?.reason);
  };
  let stopListening: (() => void) | undefined;
  if (req.signal?.aborted) onCallerAbort();
  else if (req.signal) stopListening = onAbortOf(req.signal, onCallerAbort);

  let headers = requestHeaders(opts, req);
  let release: (() => void) | null = null;
  try {
    for (let redirects = 0; ; redirects++) {
      release = await limiter.acquire(current.origin, signal);
      // Time spent queued behind other requests to the same host is not this request's fault.
      timer ??= setTimeout(() => {
        timedOut = true;
        controller.abort(new Error('timeout'));
      }, opts.timeoutMs);

      // A copy: a proxy dispatcher adds a Host header to the object it is given.
      const res = await agent.request({ origin: current.origin, path: current.pathname + current.search, method: 'GET', headers: { ...headers }, signal });
      const status = res.statusCode;
      const location = header(res.headers, 'location');

      if (REDIRECT_STATUSES.has(status) && location) {
        await res.body.dump();
        if (redirects >= opts.maxRedirects) {
          throw new FetchError(`too many redirects (more than ${opts.maxRedirects}): ${describe()}`, { url: shown, status });
        }
        const next = resolveRedirect(location, current, shown);
        // Another origin gets none of the headers the caller added: an adapter's token (Recruitee's
        // X-Careers-Sites-Token) is a credential whatever its name. The validators stay: they are
        // the final URL's (http -> https is another origin too), so conditional GET keeps working.
        if (next.origin !== current.origin) headers = requestHeaders(opts, { url: next.href, etag: req.etag, lastModified: req.lastModified });
        release();
        release = null;
        current = next;
        continue;
      }

      if (status === 304) {
        await res.body.dump();
        return { notModified: true, status: 304, url: current.href };
      }

      if (status < 200 || status >= 300) {
        await res.body.dump();
        const reason = STATUS_CODES[status];
        throw new FetchError(`HTTP ${status}${reason ? ` ${reason}` : ''}: ${describe()}`, {
          url: shown,
          status,
          retryAfterMs: parseRetryAfter(header(res.headers, 'retry-after'), new Date()),
        });
      }

      const got = await readBody(res, opts.maxBodyBytes, signal, {
        tooLarge: () => new FetchError(`response body exceeds ${formatBytes(opts.maxBodyBytes)} limit: ${redactUrl(current.href)}`, { url: shown }),
        fail: (reason, cause) => new FetchError(`${reason}: ${describe()}`, { url: shown, cause }),
      }, opts.packFrom);
      const packed = got instanceof PackedBody ? got : undefined;
      const bodyOf = () => (packed ? packed.read(0, packed.length) : (got as Buffer));
      const contentType = header(res.headers, 'content-type');
      let text: string | undefined;
      return {
        notModified: false,
        status,
        url: current.href,
        get body() {
          return bodyOf();
        },
        ...(packed ? { packed } : {}),
        // Decoded when first read: a feed read in a worker thread (feed-reader.ts) decodes it there.
        get text() {
          return (text ??= decodeBody(bodyOf(), contentType));
        },
        contentType,
        etag: header(res.headers, 'etag'),
        lastModified: header(res.headers, 'last-modified'),
      };
    }
  } catch (err) {
    if (timedOut) throw new FetchError(`timed out after ${formatDuration(opts.timeoutMs)}: ${describe()}`, { url: shown, cause: err });
    if (err instanceof FetchError) throw err;
    if (callerAborted) throw new FetchError(`request aborted: ${describe()}`, { url: shown, cause: req.signal?.reason ?? err });
    throw new FetchError(`${describeFailure(err, opts, current)}: ${describe()}`, { url: shown, cause: err });
  } finally {
    clearTimeout(timer);
    stopListening?.();
    release?.();
  }
}

// The requests in flight per caller signal, each with its abort handler.
const callerRequests = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `onAbort` when `signal` aborts, until the returned function is called. The caller's signal is
 * usually the app's shutdown signal, shared by every poll: one listener of its own per request (50
 * feeds on one host queue behind the per-host limit, all listening) passed Node's limit of 10 and
 * printed a MaxListenersExceededWarning on every run with more than 10 feeds. So each signal gets
 * one listener, added once, that aborts whatever requests are in flight when it fires.
 */
function onAbortOf(signal: AbortSignal, onAbort: () => void): () => void {
  let requests = callerRequests.get(signal);
  if (!requests) {
    const inFlight = new Set<() => void>();
    requests = inFlight;
    callerRequests.set(signal, inFlight);
    // Kept for the signal's life (the set empties and fills again); it goes with the signal.
    signal.addEventListener('abort', () => {
      for (const abort of [...inFlight]) abort();
      inFlight.clear();
    }, { once: true });
  }
  const set = requests;
  set.add(onAbort);
  return () => void set.delete(onAbort);
}

/** The proxies `env` names (lower-case names first, as curl reads them), or null when it names none. */
export function proxySettings(env: NodeJS.ProcessEnv | undefined): { httpProxy: string; httpsProxy: string; noProxy: string } | null {
  if (!env) return null;
  const read = (name: string): string => env[name]?.trim() || env[name.toUpperCase()]?.trim() || '';
  const httpProxy = read('http_proxy');
  const httpsProxy = read('https_proxy');
  if (!httpProxy && !httpsProxy) return null;
  // All three are always passed, '' for unset: undici reads process.env for any left undefined.
  // Loopback never goes through a proxy (as in Go's net/http): the proxy's own loopback is not
  // this machine's, so a feed or test server on 127.0.0.1 could only fail that way.
  const noProxy = [read('no_proxy'), 'localhost', '127.0.0.1', '[::1]', '::1'].filter(Boolean).join(',');
  return { httpProxy: withScheme(httpProxy), httpsProxy: withScheme(httpsProxy), noProxy };
}

// "proxy.internal:3128" (no scheme) is how many set these variables; curl reads it as http://.
function withScheme(proxy: string): string {
  return proxy === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function requestHeaders(opts: FetcherOptions, req: FetchRequest): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent ?? USER_AGENT,
    accept: ACCEPT,
    'accept-encoding': ACCEPT_ENCODING,
  };
  if (req.etag) headers['if-none-match'] = req.etag;
  if (req.lastModified) headers['if-modified-since'] = req.lastModified;
  // A feed URL's user:password@ is HTTP Basic auth, as in a browser or curl; it goes in a header
  // (the URL's userinfo is never sent), and a redirect to another origin drops it with the rest.
  const basic = basicAuth(req.url);
  if (basic) headers.authorization = basic;
  // Lower-cased so a caller's "Accept" replaces ours instead of being sent twice.
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  return headers;
}

/** The Basic Authorization header for a URL's user:password@, or null when it has none. */
function basicAuth(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.username && !parsed.password) return null;
  const pair = `${safeDecode(parsed.username)}:${safeDecode(parsed.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new FetchError(`invalid URL: ${redactUrl(url)}`, { url: redactUrl(url), cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError(`unsupported protocol ${parsed.protocol.replace(/:$/, '')} (expected http or https): ${redactUrl(url)}`, { url: redactUrl(url) });
  }
  return parsed;
}

/** The redirect target; `requestUrl` is already redacted, and the Location is redacted before it is shown. */
function resolveRedirect(location: string, current: URL, requestUrl: string): URL {
  let next: URL;
  try {
    next = new URL(location, current);
  } catch (err) {
    throw new FetchError(`invalid redirect Location "${redactUrlsIn(location)}": GET ${requestUrl}`, { url: requestUrl, cause: err });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new FetchError(`redirect to unsupported URL ${redactUrl(next.href)}: GET ${requestUrl}`, { url: requestUrl });
  }
  return next;
}

/** Reads the body as a stream, decompressing, and stops as soon as it passes the limit. */
async function readBody(res: Dispatcher.ResponseData, limit: number, signal: AbortSignal, errors: BodyErrors, packFrom: number | undefined): Promise<Buffer | PackedBody> {
  const tooBig = errors.tooLarge;
  const declared = Number(header(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    discard(res.body);
    throw tooBig();
  }
  const contentEncoding = header(res.headers, 'content-encoding');
  const decoders = contentDecoders(contentEncoding);
  if (decoders === null) {
    discard(res.body);
    throw errors.fail(`unsupported Content-Encoding "${contentEncoding}"`);
  }

  // A body of declared length, not compressed, is read straight into one buffer of that size.
  const collector = createBodyCollector(decoders.length === 0 && Number.isFinite(declared) && declared > 0 ? declared : null, packFrom);
  let rawBytes = 0;
  let bytes = 0;
  const countRaw = async function* (source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of source) {
      rawBytes += chunk.length;
      if (rawBytes > limit) throw tooBig();
      yield chunk;
    }
  };
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      bytes += chunk.length;
      // Checked on decompressed bytes: a small gzip can inflate to gigabytes.
      if (bytes > limit) throw tooBig();
      collector.push(chunk);
    }
  };
  try {
    // The typings have no overload for a variable number of stages.
    await (pipeline as (streams: unknown[], options: { signal: AbortSignal }) => Promise<void>)(
      [res.body, countRaw, ...decoders, collect],
      { signal },
    );
  } catch (err) {
    if (isDecompressionError(err)) throw errors.fail(`could not decompress the response body (${contentEncoding})`, err);
    throw err;
  }
  return collector.finish();
}

/**
 * Decoders in the order to apply them (Content-Encoding lists codings in the order they were
 * applied); null when one is not supported.
 */
function contentDecoders(contentEncoding: string | null): Decoder[] | null {
  if (!contentEncoding) return [];
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .reverse();
  if (!codings.every((c) => ['gzip', 'x-gzip', 'deflate', 'br'].includes(c))) return null;
  // Built only once all are known, so no zlib stream is left unused.
  return codings.map((coding): Decoder => {
    if (coding === 'deflate') return inflateAuto;
    if (coding === 'br') return createBrotliDecompress(BROTLI_OPTIONS);
    return createGunzip(GZIP_OPTIONS);
  });
}

/**
 * "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate, which browsers
 * accept; the first two bytes tell which.
 */
async function* inflateAuto(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < 2) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  if (headBytes === 0) return;
  const first = Buffer.concat(head);
  const inflater = isZlibHeader(first) ? createInflate(GZIP_OPTIONS) : createInflateRaw(GZIP_OPTIONS);
  const replay = async function* (): AsyncIterable<Buffer> {
    yield first;
    if (ended) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  };
  // Errors on either side destroy the inflater, so iterating it rethrows them.
  yield* pipelineCallback(Readable.from(replay()), inflater, () => {}) as AsyncIterable<Buffer>;
}

function isZlibHeader(b: Buffer): boolean {
  const cmf = b[0]!;
  const flg = b[1]!;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

function isDecompressionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // zlib reports Z_DATA_ERROR and friends, brotli ERR__ERROR_FORMAT_... / ERR_BROTLI_...
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ERR__ERROR') || code.startsWith('ERR_BROTLI'));
}

/** A short human reason for a network-level failure ("connection refused"). */
function describeFailure(err: unknown, opts: FetcherOptions, url: URL): string {
  const code = errorCode(err);
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return `host ${url.hostname} not found`;
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset by server';
    case 'UND_ERR_SOCKET':
      return 'connection closed by server';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `connect timed out after ${formatDuration(opts.connectTimeoutMs)}`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `timed out after ${formatDuration(opts.timeoutMs)}`;
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return 'response body shorter or longer than its Content-Length';
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return 'fetcher is closed';
  }
  if (code?.startsWith('HPE_')) return 'invalid HTTP response';
  // undici's proxy failures: "Proxy response (407) !== 200 when HTTP Tunneling", "Proxy Authentication Required (407)".
  if (err instanceof Error && /\bproxy\b/i.test(err.message)) return `the proxy refused the request (${redactUrlsIn(err.message)})`;
  if (code && (/CERT|SSL|TLS/.test(code) || code.startsWith('ERR_TLS'))) return `TLS error (${code})`;
  if (isDecompressionError(err)) return 'could not decompress the response body';
  // Third-party messages may echo the URL they were given.
  const message = redactUrlsIn(err instanceof Error ? err.message : String(err));
  return code ? `request failed (${code}: ${message})` : `request failed (${message})`;
}

function errorCode(err: unknown): string | null {
  const e = err as { code?: unknown; cause?: { code?: unknown }; errors?: Array<{ code?: unknown }> } | null;
  // With several addresses per host (happy eyeballs) Node reports an AggregateError whose
  // members carry the codes.
  const candidates = [e?.code, e?.cause?.code, e?.errors?.[0]?.code];
  const found = candidates.find((c) => typeof c === 'string');
  return typeof found === 'string' ? found : null;
}

/** Drops a body unread; the connection is closed rather than drained. */
function discard(body: Readable): void {
  // Destroying an unfinished undici body emits an AbortError nobody else listens for.
  body.on('error', () => {});
  body.destroy();
}

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | null {
  const value = headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function createHostLimiter(perHost: number): HostLimiter {
  const hosts = new Map<string, { active: number; waiting: Array<() => void> }>();
  return {
    acquire(origin, signal) {
      let slot = hosts.get(origin);
      if (!slot) {
        slot = { active: 0, waiting: [] };
        hosts.set(origin, slot);
      }
      const host = slot;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        const next = host.waiting.shift();
        // The slot passes straight to the next waiter, so `active` stays the same.
        if (next) next();
        else if (--host.active === 0) hosts.delete(origin);
      };
      if (host.active < perHost) {
        host.active++;
        return Promise.resolve(release);
      }
      return new Promise((resolve, reject) => {
        const grant = (): void => {
          signal.removeEventListener('abort', onAbort);
          resolve(release);
        };
        const onAbort = (): void => {
          const i = host.waiting.indexOf(grant);
          if (i >= 0) host.waiting.splice(i, 1);
          reject(signal.reason);
        };
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        host.waiting.push(grant);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** "300ms", "2s", "1.5s", "2m". */
function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Number((ms / 1000).toFixed(2))}s`;
}

/** "10 MB", "1.5 MB", "512 KB", "100 bytes". */
function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KB`;
  return `${n} bytes`;
}
