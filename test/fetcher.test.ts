import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, createGzip, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFetcher } from '../src/http/fetcher.js';
import type { Fetcher, FetcherOptions } from '../src/http/fetcher.js';
import { parseRetryAfter } from '../src/http/retry-after.js';
import { FetchError } from '../src/core/errors.js';
import { USER_AGENT } from '../src/version.js';
import { startHttpServer } from './helpers/http-server.js';
import type { TestHandler, TestServer } from './helpers/http-server.js';

const MB = 1024 * 1024;
const FEED = '<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Jobs — Zürich</title></channel></rss>';

const defaults: FetcherOptions = { timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * MB, maxRedirects: 5, perHost: 2 };

async function setup(t: TestContext, handler: TestHandler, opts: Partial<FetcherOptions> = {}): Promise<{ server: TestServer; fetcher: Fetcher }> {
  const server = await startHttpServer(handler);
  const fetcher = createFetcher({ ...defaults, ...opts });
  // Server first: closing it drops hung connections, so the fetcher's close does not wait on them.
  t.after(async () => {
    await server.close();
    await fetcher.close();
  });
  return { server, fetcher };
}

async function rejection(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof FetchError, `expected a FetchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the fetch to fail');
}

/** Writes `total` bytes in chunks, honouring backpressure, until done or the client goes away. */
async function stream(res: ServerResponse, total: number, chunk: Buffer, onWrite: (n: number) => void): Promise<void> {
  const closed = once(res, 'close');
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    onWrite(chunk.length);
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), closed]);
  }
  if (!res.destroyed) res.end();
}

test('200 with ETag, then 304 when If-None-Match matches', async (t) => {
  const seen: Array<string | undefined> = [];
  const { server, fetcher } = await setup(t, (req, res) => {
    seen.push(req.headers['if-none-match']);
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' });
    res.end(FEED);
  });
  const first = await fetcher.fetch({ url: `${server.url}/feed.xml` });
  assert.equal(first.notModified, false);
  assert.ok(!first.notModified);
  assert.equal(first.status, 200);
  assert.equal(first.etag, '"v1"');
  assert.equal(first.lastModified, null);
  assert.equal(first.contentType, 'application/rss+xml; charset=utf-8');
  assert.equal(first.text, FEED);
  assert.deepEqual(first.body, Buffer.from(FEED, 'utf8'));

  const second = await fetcher.fetch({ url: `${server.url}/feed.xml`, etag: first.etag });
  assert.deepEqual(second, { notModified: true, status: 304, url: `${server.url}/feed.xml` });
  assert.deepEqual(seen, [undefined, '"v1"']);
});

test('Last-Modified is returned and sent back as If-Modified-Since', async (t) => {
  const lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
  const seen: Array<string | undefined> = [];
  const { server, fetcher } = await setup(t, (req, res) => {
    seen.push(req.headers['if-modified-since']);
    if (req.headers['if-modified-since'] === lastModified) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml', 'last-modified': lastModified });
    res.end(FEED);
  });
  const first = await fetcher.fetch({ url: `${server.url}/feed` });
  assert.ok(!first.notModified);
  assert.equal(first.lastModified, lastModified);
  assert.equal(first.etag, null);
  const second = await fetcher.fetch({ url: `${server.url}/feed`, lastModified: first.lastModified, etag: null });
  assert.equal(second.notModified, true);
  assert.equal(second.status, 304);
  assert.deepEqual(seen, [undefined, lastModified]);
});

test('gzip, deflate (zlib and raw) and br bodies are decompressed', async (t) => {
  const plain = Buffer.from(FEED.repeat(50), 'utf8');
  const encoded: Record<string, [string, Buffer]> = {
    '/gzip': ['gzip', gzipSync(plain)],
    '/deflate': ['deflate', deflateSync(plain)],
    '/deflate-raw': ['deflate', deflateRawSync(plain)],
    '/br': ['br', brotliCompressSync(plain)],
    '/stacked': ['deflate, gzip', gzipSync(deflateSync(plain))],
  };
  const acceptEncodings: Array<string | undefined> = [];
  const { server, fetcher } = await setup(t, (req, res) => {
    acceptEncodings.push(req.headers['accept-encoding']);
    const [coding, body] = encoded[req.url!]!;
    res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': coding, 'content-length': body.length });
    res.end(body);
  });
  for (const path of Object.keys(encoded)) {
    assert.ok(encoded[path]![1].length < plain.length / 4, 'the fixture really is compressed');
    const result = await fetcher.fetch({ url: `${server.url}${path}` });
    assert.ok(!result.notModified);
    assert.equal(result.body.length, plain.length, path);
    assert.equal(result.text, plain.toString('utf8'), path);
  }
  assert.deepEqual(new Set(acceptEncodings), new Set(['gzip, deflate, br']));
});

test('a corrupt gzip body and an unknown Content-Encoding are FetchErrors', async (t) => {
  const { server, fetcher } = await setup(t, (req, res) => {
    res.writeHead(200, { 'content-encoding': req.url === '/corrupt' ? 'gzip' : 'zstd-9000' });
    res.end('this is not gzip at all');
  });
  const corrupt = await rejection(fetcher.fetch({ url: `${server.url}/corrupt` }));
  assert.match(corrupt.message, /^could not decompress the response body \(gzip\): GET http:\/\/127\.0\.0\.1:\d+\/corrupt$/);
  const unknown = await rejection(fetcher.fetch({ url: `${server.url}/unknown` }));
  assert.match(unknown.message, /^unsupported Content-Encoding "zstd-9000": GET /);
});

test('a 50 MB streamed body is refused early, the socket closed, memory bounded', async (t) => {
  let written = 0;
  let serverSawClose!: () => void;
  const serverClosed = new Promise<void>((resolve) => (serverSawClose = resolve));
  let finished = false;
  const { server, fetcher } = await setup(
    t,
    async (_req, res) => {
      res.on('close', () => serverSawClose());
      res.writeHead(200, { 'content-type': 'application/xml' }); // chunked: no Content-Length to refuse up front
      await stream(res, 50 * MB, Buffer.alloc(64 * 1024, 0x61), (n) => (written += n));
      finished = res.writableFinished;
    },
    // Small next to 50 MB, so reading on (or buffering everything) would show plainly in memory.
    { maxBodyBytes: 2 * MB },
  );

  const before = process.memoryUsage();
  let peakExternal = before.external + before.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers);
  }, 5);
  const started = Date.now();
  const err = await rejection(fetcher.fetch({ url: `${server.url}/huge.xml` }));
  clearInterval(sampler);

  assert.equal(err.message, `response body exceeds 2 MB limit: ${server.url}/huge.xml`);
  assert.ok(Date.now() - started < 3000, 'refused quickly');
  await Promise.race([serverClosed, sleep(2000).then(() => assert.fail('the server-side response was never closed'))]);
  assert.equal(finished, false, 'the server never got to finish the 50 MB');
  assert.ok(written < 20 * MB, `the server only managed to hand over ${written} bytes`);
  // Buffering the whole body measures well over 100 MB here (server and client share the process).
  const growth = peakExternal - (before.external + before.arrayBuffers);
  assert.ok(growth < 25 * MB, `buffer memory grew by ${Math.round(growth / MB)} MB`);
});

test('a Content-Length over the limit is refused before reading the body', async (t) => {
  let written = 0;
  const { server, fetcher } = await setup(t, async (_req, res) => {
    res.writeHead(200, { 'content-length': 50 * MB });
    await stream(res, 50 * MB, Buffer.alloc(64 * 1024), (n) => (written += n));
  });
  const err = await rejection(fetcher.fetch({ url: `${server.url}/declared` }));
  assert.equal(err.message, `response body exceeds 10 MB limit: ${server.url}/declared`);
  assert.ok(written < 10 * MB, `server wrote ${written} bytes`);
});

test('a gzip bomb (small compressed, huge decompressed) is refused', async (t) => {
  // 64 MB of zeros, gzipped as a stream so the test never holds 64 MB itself.
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (c: Buffer) => parts.push(c));
  const zeros = Buffer.alloc(MB);
  for (let i = 0; i < 64; i++) gzip.write(zeros);
  gzip.end();
  await once(gzip, 'end');
  const bomb = Buffer.concat(parts);
  assert.ok(bomb.length < 200 * 1024, `bomb is ${bomb.length} bytes compressed`);

  const { server, fetcher } = await setup(
    t,
    (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length });
      res.end(bomb);
    },
    { maxBodyBytes: 2 * MB },
  );
  const err = await rejection(fetcher.fetch({ url: `${server.url}/bomb.xml.gz` }));
  assert.equal(err.message, `response body exceeds 2 MB limit: ${server.url}/bomb.xml.gz`);
  assert.equal(err.status, null);
});

test('a server that accepts and never answers times out', async (t) => {
  const { server, fetcher } = await setup(t, () => {}, { timeoutMs: 300 });
  const started = Date.now();
  const err = await rejection(fetcher.fetch({ url: `${server.url}/hang` }));
  const elapsed = Date.now() - started;
  assert.equal(err.message, `timed out after 300ms: GET ${server.url}/hang`);
  assert.equal(err.url, `${server.url}/hang`);
  assert.ok(elapsed >= 280 && elapsed < 2000, `took ${elapsed} ms`);
});

test('a server that trickles the body times out on the total, not per chunk', async (t) => {
  const { server, fetcher } = await setup(
    t,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<rss>');
      const tick = setInterval(() => res.write(' '), 50); // never idle long enough for an idle timeout
      res.on('close', () => clearInterval(tick));
    },
    { timeoutMs: 400 },
  );
  const started = Date.now();
  const err = await rejection(fetcher.fetch({ url: `${server.url}/slow` }));
  const elapsed = Date.now() - started;
  assert.equal(err.message, `timed out after 400ms: GET ${server.url}/slow`);
  assert.ok(elapsed >= 380 && elapsed < 2000, `took ${elapsed} ms`);
});

test('HTTP 500 is a FetchError with the status', async (t) => {
  const { server, fetcher } = await setup(t, (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('boom');
  });
  const err = await rejection(fetcher.fetch({ url: `${server.url}/feed` }));
  assert.equal(err.status, 500);
  assert.equal(err.retryAfterMs, null);
  assert.equal(err.message, `HTTP 500 Internal Server Error: GET ${server.url}/feed`);
});

test('429 with Retry-After: 7 gives retryAfterMs 7000; 503 with an HTTP-date too', async (t) => {
  const { server, fetcher } = await setup(t, (req, res) => {
    if (req.url === '/429') res.writeHead(429, { 'retry-after': '7' });
    else res.writeHead(503, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() });
    res.end();
  });
  const tooMany = await rejection(fetcher.fetch({ url: `${server.url}/429` }));
  assert.equal(tooMany.status, 429);
  assert.equal(tooMany.retryAfterMs, 7000);
  assert.match(tooMany.message, /^HTTP 429 Too Many Requests: GET /);
  const unavailable = await rejection(fetcher.fetch({ url: `${server.url}/503` }));
  assert.equal(unavailable.status, 503);
  assert.ok(unavailable.retryAfterMs! > 115_000 && unavailable.retryAfterMs! <= 120_000, String(unavailable.retryAfterMs));
});

test('redirects: a relative chain within the limit is followed; beyond it fails naming the limit', async (t) => {
  let hits = 0;
  const { server, fetcher } = await setup(t, (req, res) => {
    hits++;
    const n = Number(/^\/r\/(\d+)$/.exec(req.url!)?.[1]);
    if (n > 0) {
      res.writeHead(n % 2 ? 302 : 301, { location: String(n - 1) }); // relative to /r/N
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml', etag: '"end"' });
    res.end('<end/>');
  });
  const ok = await fetcher.fetch({ url: `${server.url}/r/5` });
  assert.ok(!ok.notModified);
  assert.equal(ok.url, `${server.url}/r/0`);
  assert.equal(ok.text, '<end/>');
  assert.equal(ok.etag, '"end"');
  assert.equal(hits, 6);

  hits = 0;
  const err = await rejection(fetcher.fetch({ url: `${server.url}/r/6` }));
  assert.equal(err.message, `too many redirects (more than 5): GET ${server.url}/r/6 (redirected to ${server.url}/r/1)`);
  assert.equal(err.url, `${server.url}/r/6`);
  assert.equal(hits, 6, 'stops after following 5 redirects');
});

test('maxRedirects 0 refuses any redirect; a 304 after a redirect reports the final URL', async (t) => {
  const { server, fetcher } = await setup(
    t,
    (req, res) => {
      if (req.url === '/old') {
        res.writeHead(308, { location: '/new' });
        res.end();
      } else {
        res.writeHead(304);
        res.end();
      }
    },
    { maxRedirects: 0 },
  );
  const err = await rejection(fetcher.fetch({ url: `${server.url}/old` }));
  assert.match(err.message, /^too many redirects \(more than 0\)/);
  assert.equal(err.status, 308);

  const follows = createFetcher({ ...defaults, maxRedirects: 1 });
  t.after(() => follows.close());
  const res = await follows.fetch({ url: `${server.url}/old`, etag: '"x"' });
  assert.deepEqual(res, { notModified: true, status: 304, url: `${server.url}/new` });
});

test('credentials are not forwarded to another origin on redirect', async (t) => {
  const seen: Array<string | undefined> = [];
  const tokens: Array<string | undefined> = [];
  let validator: string | undefined;
  const { server: target } = await setup(t, (req, res) => {
    seen.push(req.headers.authorization);
    tokens.push(req.headers['x-careers-sites-token'] as string | undefined);
    validator = req.headers['if-none-match'];
    res.end('ok');
  });
  const { server, fetcher } = await setup(t, (req, res) => {
    seen.push(req.headers.authorization);
    tokens.push(req.headers['x-careers-sites-token'] as string | undefined);
    // A hop within the origin keeps what the caller added; the hop to another origin drops it all.
    if (req.url === '/start') res.writeHead(302, { location: '/next' });
    else res.writeHead(302, { location: `${target.url}/landing` });
    res.end();
  });
  const res = await fetcher.fetch({ url: `${server.url}/start`, etag: '"v1"', headers: { Authorization: 'Bearer secret', 'X-Careers-Sites-Token': 'tok' } });
  assert.ok(!res.notModified);
  assert.equal(res.url, `${target.url}/landing`);
  assert.deepEqual(seen, ['Bearer secret', 'Bearer secret', undefined]);
  assert.deepEqual(tokens, ['tok', 'tok', undefined], 'an adapter\'s own token header is a credential too');
  assert.equal(validator, '"v1"', 'the validator follows: it is the final URL\'s');
});

test('a URL\'s user:password@ is sent as Basic auth, percent-decoded, and not to another origin', async (t) => {
  const seen: Array<string | undefined> = [];
  const { server: target } = await setup(t, (req, res) => {
    seen.push(req.headers.authorization);
    res.end('ok');
  });
  const { server, fetcher } = await setup(t, (req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Basic ${Buffer.from('bob:p@ss#1').toString('base64')}`) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="feeds"' });
      res.end();
      return;
    }
    res.writeHead(302, { location: `${target.url}/landing` });
    res.end();
  });
  const url = new URL(`${server.url}/private.rss`);
  url.username = 'bob';
  url.password = 'p@ss#1';
  const res = await fetcher.fetch({ url: url.href });
  assert.ok(!res.notModified);
  assert.equal(res.url, `${target.url}/landing`);
  assert.deepEqual(seen, [`Basic ${Buffer.from('bob:p@ss#1').toString('base64')}`, undefined]);
});

test('per-host limit: perHost 2 with 6 concurrent requests, the server never sees more than 2', async (t) => {
  let active = 0;
  let maxActive = 0;
  const { server, fetcher } = await setup(
    t,
    async (_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(80);
      active--;
      res.end('ok');
    },
    { perHost: 2 },
  );
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => fetcher.fetch({ url: `${server.url}/feed/${i}` })));
  assert.equal(results.length, 6);
  assert.ok(results.every((r) => !r.notModified && r.text === 'ok'));
  assert.equal(maxActive, 2, 'exactly 2 in flight at the peak: limited, but still concurrent');
});

test('the per-host limit is per origin: a slow host does not hold up another', async (t) => {
  const { server: slow, fetcher } = await setup(
    t,
    async (_req, res) => {
      await sleep(400);
      res.end('slow');
    },
    { perHost: 1 },
  );
  const { server: fast } = await setup(t, (_req, res) => res.end('fast'));
  const order: string[] = [];
  await Promise.all([
    fetcher.fetch({ url: `${slow.url}/a` }).then(() => order.push('slow')),
    fetcher.fetch({ url: `${fast.url}/b` }).then(() => order.push('fast')),
  ]);
  assert.deepEqual(order, ['fast', 'slow']);
});

test('waiting for a per-host slot does not count against the timeout', async (t) => {
  const { server, fetcher } = await setup(
    t,
    async (_req, res) => {
      await sleep(200);
      res.end('ok');
    },
    { perHost: 1, timeoutMs: 350 },
  );
  // The third request waits ~400 ms for its slot, more than its 350 ms timeout.
  const results = await Promise.all([1, 2, 3].map((i) => fetcher.fetch({ url: `${server.url}/${i}` })));
  assert.equal(results.length, 3);
});

test('connection refused gives a clear message and keeps the cause', async () => {
  const closed = await startHttpServer((_req, res) => res.end());
  const url = `${closed.url}/feed.xml`;
  await closed.close();
  const fetcher = createFetcher(defaults);
  try {
    const err = await rejection(fetcher.fetch({ url }));
    assert.equal(err.message, `connection refused: GET ${url}`);
    assert.equal(err.status, null);
    assert.equal((err.cause as { code?: string }).code, 'ECONNREFUSED');
  } finally {
    await fetcher.close();
  }
});

test('a connection dropped mid-response is a FetchError, not a crash', async (t) => {
  const { server, fetcher } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-length': 1000 });
    res.write('<rss>');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  const err = await rejection(fetcher.fetch({ url: `${server.url}/drop` }));
  assert.match(err.message, /: GET http:\/\/127\.0\.0\.1:\d+\/drop$/);
  assert.ok(err.cause, 'cause kept');
});

test('User-Agent, Accept and caller headers are sent', async (t) => {
  const seen: Array<Record<string, string | string[] | undefined>> = [];
  const { server, fetcher } = await setup(t, (req, res) => {
    seen.push(req.headers);
    res.end('{}');
  });
  await fetcher.fetch({ url: `${server.url}/a` });
  assert.equal(seen[0]!['user-agent'], USER_AGENT);
  assert.match(USER_AGENT, /^jobalert\/\d+\.\d+\.\d+/);
  assert.equal(
    seen[0]!.accept,
    'application/rss+xml, application/atom+xml, application/feed+json, application/json, application/xml, text/xml;q=0.9, */*;q=0.8',
  );
  await fetcher.fetch({ url: `${server.url}/b`, headers: { Accept: 'application/json', 'X-Board': 'acme' } });
  assert.equal(seen[1]!.accept, 'application/json');
  assert.equal(seen[1]!['x-board'], 'acme');

  const custom = createFetcher({ ...defaults, userAgent: 'my-bot/1.0' });
  t.after(() => custom.close());
  await custom.fetch({ url: `${server.url}/c` });
  assert.equal(seen[2]!['user-agent'], 'my-bot/1.0');
});

test('the body is decoded with the charset the server declares', async (t) => {
  const { server, fetcher } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=ISO-8859-1' });
    res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x92]));
  });
  const res = await fetcher.fetch({ url: `${server.url}/latin1` });
  assert.ok(!res.notModified);
  assert.equal(res.text, 'café ’');
});

test('a caller abort stops the request with a FetchError', async (t) => {
  const { server, fetcher } = await setup(t, () => {});
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('shutting down')), 50);
  const started = Date.now();
  const err = await rejection(fetcher.fetch({ url: `${server.url}/hang`, signal: controller.signal }));
  assert.equal(err.message, `request aborted: GET ${server.url}/hang`);
  assert.ok(Date.now() - started < 1000);
});

test('30 requests to one host sharing one caller signal: no MaxListenersExceededWarning, and an abort still stops every one', async (t) => {
  // The app passes its shutdown signal with every fetch; 30 feeds on one host queue behind perHost.
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  t.after(() => void process.off('warning', onWarning));
  const { server, fetcher } = await setup(t, async (req, res) => {
    if (req.url?.startsWith('/hang')) return;
    await sleep(5);
    res.end('ok');
  });
  const shutdown = new AbortController();
  const done = await Promise.all(Array.from({ length: 30 }, (_, i) => fetcher.fetch({ url: `${server.url}/feed/${i}`, signal: shutdown.signal })));
  assert.equal(done.length, 30);
  // A second round on the same signal, this time cut short while most requests wait for a slot.
  const cut = Array.from({ length: 30 }, (_, i) => rejection(fetcher.fetch({ url: `${server.url}/hang/${i}`, signal: shutdown.signal })));
  await sleep(50);
  shutdown.abort(new Error('shutting down'));
  const errors = await Promise.all(cut);
  assert.ok(errors.every((e, i) => e.message === `request aborted: GET ${server.url}/hang/${i}`));
  await sleep(10); // warnings are emitted on the next tick
  assert.deepEqual(warnings.map((w) => `${w.name}: ${w.message}`), []);
});

test('bad URLs and a closed fetcher are FetchErrors', async () => {
  const fetcher = createFetcher(defaults);
  assert.equal((await rejection(fetcher.fetch({ url: 'not a url' }))).message, 'invalid URL: not a url');
  assert.match((await rejection(fetcher.fetch({ url: 'ftp://example.com/x' }))).message, /^unsupported protocol ftp/);
  await fetcher.close();
  assert.equal((await rejection(fetcher.fetch({ url: 'http://127.0.0.1:1/' }))).message, 'fetcher is closed: GET http://127.0.0.1:1/');
});

test('parseRetryAfter: delta-seconds, HTTP-date, clamped to [0, 24 h]', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter(' 120 ', now), 120_000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:01:30 GMT', now), 90_000);
  assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0, 'a past date is now');
  assert.equal(parseRetryAfter('-5', now), 0);
  assert.equal(parseRetryAfter('999999', now), 24 * 3_600_000);
  assert.equal(parseRetryAfter('Fri, 01 Jan 2027 00:00:00 GMT', now), 24 * 3_600_000);
  assert.equal(parseRetryAfter(null, now), null);
  assert.equal(parseRetryAfter(undefined, now), null);
  assert.equal(parseRetryAfter('', now), null);
  assert.equal(parseRetryAfter('soon', now), null);
  assert.equal(parseRetryAfter('7 apples', now), null);
});

test('a big body of declared length arrives byte for byte, in one buffer of its own', async (t) => {
  // Every byte value, in a pattern that does not repeat at chunk boundaries.
  const body = Buffer.alloc(3 * MB + 12_345, 0);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 11)) & 0xff;
  const { server, fetcher } = await setup(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    // Written in odd-sized pieces, so chunks land anywhere in the buffer.
    for (let at = 0; at < body.length; at += 70_001) res.write(body.subarray(at, at + 70_001));
    res.end();
  });
  const r = await fetcher.fetch({ url: `${server.url}/big` });
  assert.equal(r.notModified, false);
  if (r.notModified) return;
  assert.ok(r.body.equals(body), 'the same bytes');
  // Handed to a worker thread without a copy (feed-reader.ts transfers a buffer it owns whole).
  assert.equal(r.body.byteOffset, 0);
  assert.equal(r.body.byteLength, r.body.buffer.byteLength);
});
