/**
 * Feeds through an HTTP proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY, passed to the fetcher as its
 * env): a small proxy on 127.0.0.1 that forwards absolute-form requests, answers CONNECT, and
 * counts what it saw. Feed hosts under .invalid resolve nowhere: only a request that went through
 * the proxy can reach them.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createFetcher, proxySettings, type FetcherOptions } from '../src/http/fetcher.js';
import { FetchError } from '../src/core/errors.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { runCli } from './helpers/cli.js';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title><item><title>Senior ML Engineer (Remote)</title><link>https://jobs.example.com/1</link><guid>1</guid><description>Remote, $150k</description></item></channel></rss>';
const OPTS: Omit<FetcherOptions, 'env'> = { timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 1024 * 1024, maxRedirects: 3, perHost: 2 };

interface TestProxy {
  url: string;
  /** Absolute-form requests seen ("GET http://host/path"). */
  requests: string[];
  /** CONNECT targets seen ("host:443"). */
  connects: string[];
  /** Proxy-Authorization headers seen (absolute-form and CONNECT). */
  auth: Array<string | undefined>;
}

/**
 * A forward proxy: absolute-form requests are forwarded to `origin` (whatever host they name, so
 * unresolvable test hosts work), keeping the path; CONNECT is refused with 403 after being counted.
 * With `requireAuth` it answers 407 to requests without that Proxy-Authorization.
 */
async function startProxy(t: TestContext, origin: TestServer, requireAuth?: string): Promise<TestProxy> {
  const seen: TestProxy = { url: '', requests: [], connects: [], auth: [] };
  const server = createServer((req: IncomingMessage, res) => {
    seen.requests.push(`${req.method} ${req.url}`);
    seen.auth.push(req.headers['proxy-authorization']);
    if (requireAuth && req.headers['proxy-authorization'] !== requireAuth) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '/');
    const upstream = httpRequest(
      { host: '127.0.0.1', port: origin.port, method: req.method, path: target.pathname + target.search, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    seen.connects.push(req.url ?? '');
    seen.auth.push(req.headers['proxy-authorization']);
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  seen.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return seen;
}

async function feedServer(t: TestContext): Promise<{ server: TestServer; paths: string[] }> {
  const paths: string[] = [];
  const server = await startHttpServer((req, res) => {
    paths.push(`${req.headers.host} ${req.url}`);
    if (req.url === '/old') {
      res.writeHead(301, { location: '/jobs.rss' }).end();
      return;
    }
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(Buffer.alloc(2 * 1024 * 1024, 'a'));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
  });
  t.after(() => server.close());
  return { server, paths };
}

function fetcherWith(t: TestContext, env: NodeJS.ProcessEnv) {
  const fetcher = createFetcher({ ...OPTS, env });
  t.after(() => fetcher.close());
  return fetcher;
}

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof FetchError, `expected a FetchError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the fetch to fail');
}

test('HTTP_PROXY: an http feed goes through the proxy as an absolute-form request', async (t) => {
  const { server, paths } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTP_PROXY: proxy.url });
  const res = await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  assert.equal(res.notModified, false);
  assert.ok(!res.notModified && res.text.includes('Senior ML Engineer'));
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
  // The origin saw the feed's own Host, not the proxy's.
  assert.deepEqual(paths, ['feeds.example.invalid /jobs.rss']);
});

test('NO_PROXY: a matching host is fetched directly, the others through the proxy', async (t) => {
  const { server, paths } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' });
  await fetcher.fetch({ url: `${server.url}/jobs.rss` });
  assert.deepEqual(proxy.requests, [], 'the proxy saw nothing');
  assert.deepEqual(paths, [`127.0.0.1:${server.port} /jobs.rss`]);
  await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
});

test('NO_PROXY matches subdomains and a leading dot, as curl does', async (t) => {
  const { server } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTP_PROXY: proxy.url, NO_PROXY: '.other.invalid' });
  // Not in NO_PROXY: through the proxy.
  await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  // In NO_PROXY: direct, and this host resolves nowhere.
  const err = await failure(fetcher.fetch({ url: 'http://jobs.other.invalid/jobs.rss' }));
  assert.match(err.message, /host jobs\.other\.invalid not found/);
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
});

test('lower-case variables work and win over upper-case ones', async (t) => {
  const { server } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { http_proxy: proxy.url, HTTP_PROXY: 'http://127.0.0.1:1', no_proxy: 'elsewhere.invalid', NO_PROXY: 'feeds.example.invalid' });
  await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
  assert.deepEqual(proxySettings({ https_proxy: 'proxy.internal:3128' }), { httpProxy: '', httpsProxy: 'http://proxy.internal:3128', noProxy: 'localhost,127.0.0.1,[::1],::1' });
});

test('loopback is never proxied: a feed on 127.0.0.1 is fetched directly with HTTP_PROXY set', async (t) => {
  const { server, paths } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTP_PROXY: proxy.url, NO_PROXY: 'elsewhere.invalid' });
  const res = await fetcher.fetch({ url: `http://127.0.0.1:${server.port}/jobs.rss` });
  assert.equal(res.notModified, false);
  assert.deepEqual(proxy.requests, []);
  assert.equal(paths.length, 1);
  await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
});

test('no proxy variable in the env given: direct, whatever process.env holds', async (t) => {
  const { server, paths } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const saved = process.env.HTTP_PROXY;
  // The fetcher must read only the env it is given; process.env pointing at the proxy must change nothing.
  process.env.HTTP_PROXY = proxy.url;
  t.after(() => {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  });
  for (const env of [undefined, {}, { NO_PROXY: '*' }]) {
    const fetcher = createFetcher({ ...OPTS, ...(env ? { env } : {}) });
    try {
      await fetcher.fetch({ url: `${server.url}/jobs.rss` });
    } finally {
      await fetcher.close();
    }
  }
  assert.deepEqual(proxy.requests, []);
  assert.equal(paths.length, 3);
});

test('redirects and the body limit hold through the proxy', async (t) => {
  const { server } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTP_PROXY: proxy.url });
  const res = await fetcher.fetch({ url: 'http://feeds.example.invalid/old' });
  assert.equal(res.url, 'http://feeds.example.invalid/jobs.rss');
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/old', 'GET http://feeds.example.invalid/jobs.rss']);
  const err = await failure(fetcher.fetch({ url: 'http://feeds.example.invalid/big' }));
  assert.match(err.message, /response body exceeds 1 MB limit/);
});

test('HTTPS_PROXY: an https feed is tunnelled with CONNECT; a refusal says the proxy refused', async (t) => {
  const { server } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const fetcher = fetcherWith(t, { HTTPS_PROXY: proxy.url });
  const err = await failure(fetcher.fetch({ url: 'https://feeds.example.invalid/jobs.rss' }));
  assert.deepEqual(proxy.connects, ['feeds.example.invalid:443']);
  assert.match(err.message, /proxy refused the request.*403.*GET https:\/\/feeds\.example\.invalid\/jobs\.rss/);
  // HTTPS_PROXY alone leaves http:// feeds direct (this host resolves nowhere).
  await failure(fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' }));
  assert.deepEqual(proxy.requests, []);
});

test('proxy credentials in the URL are sent as Proxy-Authorization and never shown', async (t) => {
  const { server } = await feedServer(t);
  const good = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
  const proxy = await startProxy(t, server, good);
  const port = new URL(proxy.url).port;
  const fetcher = fetcherWith(t, { HTTP_PROXY: `http://alice:s3cret@127.0.0.1:${port}` });
  await fetcher.fetch({ url: 'http://feeds.example.invalid/jobs.rss' });
  assert.deepEqual(proxy.auth, [good]);

  const wrong = fetcherWith(t, { HTTP_PROXY: `http://alice:wrong@127.0.0.1:${port}` });
  const err = await failure(wrong.fetch({ url: 'http://feeds.example.invalid/jobs.rss' }));
  assert.match(err.message, /proxy refused the request \(Proxy Authentication Required \(407\)\)/);
  assert.doesNotMatch(err.message, /wrong|s3cret/);
});

test('a proxy variable that is not a URL fails each fetch with the reason, and sends nothing directly', async (t) => {
  const { server, paths } = await feedServer(t);
  const fetcher = fetcherWith(t, { HTTP_PROXY: 'http://user:pw@[not-a-host' });
  const err = await failure(fetcher.fetch({ url: `${server.url}/jobs.rss` }));
  assert.match(err.message, /the proxy setting is not a valid URL/);
  assert.doesNotMatch(err.message, /pw/);
  assert.deepEqual(paths, []);
});

test('jobalert run --once polls feeds through HTTP_PROXY from its environment', async (t) => {
  const { server } = await feedServer(t);
  const proxy = await startProxy(t, server);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-proxy-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(
    config,
    [
      'database: ./jobalert.db',
      'http:',
      '  port: 0',
      'feeds:',
      '  - name: proxied',
      '    url: http://feeds.example.invalid/jobs.rss',
      '  - name: direct',
      `    url: ${server.url}/jobs.rss`,
      'rules:',
      '  - name: ml',
      '    query: remote ML engineer',
      '',
    ].join('\n'),
  );
  const result = await runCli(['run', '--once', '--config', config], { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(proxy.requests, ['GET http://feeds.example.invalid/jobs.rss']);
  assert.match(result.stdout, /Senior ML Engineer/);
});
