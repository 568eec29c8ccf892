import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { parseConfigText } from '../src/config/load.js';
import { FetchError, ParseError } from '../src/core/errors.js';
import { createFetcher } from '../src/http/fetcher.js';
import { recruiteeAdapter, recruiteeEndpoint } from '../src/sources/adapters/recruitee.js';
import { SOURCE_ADAPTERS } from '../src/sources/registry.js';
import type { FeedBase, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, configError, sourceContext, readOk } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/sources/recruitee/${name}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
const seenHeaders: IncomingHttpHeaders[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    seenHeaders.push(req.headers);
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    switch (new URL(req.url ?? '/', 'http://x').pathname) {
      case '/fastned/api/offers/':
        return json(200, fixture('offers.json'));
      case '/quiet/api/offers/':
        return json(200, fixture('empty.json'));
      case '/busy/api/offers/':
        return json(429, '{"error":"rate limited"}', { 'retry-after': '12' });
      case '/changed/api/offers/':
        return json(200, '{"offers":{"count":0}}');
      default:
        return json(404, '{"error":"Not found"}');
    }
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(company: string, extra: Record<string, unknown> = {}): FeedBase & Record<string, unknown> {
  return { name: `rc-${company}`, type: 'recruitee', enabled: true, company, url: `${server.url}/${company}/api/offers/`, ...extra };
}

function ctx(): SourceContext {
  return sourceContext(fetcher);
}

async function read(company: string, extra?: Record<string, unknown>): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(recruiteeAdapter.read(feed(company, extra), ctx()));
}

describe('recruitee adapter', () => {
  it('is registered and builds the public endpoint from the company subdomain', () => {
    assert.equal(SOURCE_ADAPTERS.get('recruitee'), recruiteeAdapter);
    assert.equal(recruiteeEndpoint('fastned'), 'https://fastned.recruitee.com/api/offers/');
    assert.equal(recruiteeAdapter.endpoint({ name: 'x', type: 'recruitee', enabled: true, company: 'fastned' }), 'https://fastned.recruitee.com/api/offers/');
  });

  it('maps a remote offer with a yearly salary: id, url, title, company, location, published, description, tags', async () => {
    const result = await read('fastned');

    assert.equal(result.format, 'Recruitee offers');
    const job = posting(result, '2736919');
    assert.equal(job.url, 'https://fastned.recruitee.com/o/senior-data-engineer');
    assert.equal(job.title, 'Senior Data Engineer');
    assert.equal(job.company, 'Fastned');
    assert.equal(job.location, 'Amsterdam, North Holland, Netherlands');
    assert.deepEqual(job.published, new Date('2026-09-10T07:25:25Z'));
    assert.equal(job.arrangement, 'remote');
    assert.deepEqual(job.salary, { min: 70000, max: 90000, currency: 'EUR', period: 'year' });
    assert.equal(job.description, 'About the role\n\nBuild our charging‑network data platform & its pipelines.\n\n- Python & SQL\n- Airflow');
    assert.deepEqual(job.tags, ['Data', 'fulltime_permanent', 'experienced', 'Python', 'Airflow']);
  });

  it('reads an hourly salary given as strings, upper-cases the currency, and maps hybrid', async () => {
    const result = await read('fastned');

    const job = posting(result, '2736920');
    assert.deepEqual(job.salary, { min: 18.5, max: 22, currency: 'EUR', period: 'hour' });
    assert.equal(job.arrangement, 'hybrid');
    assert.equal(job.description, 'Keep our stations running.');
  });

  it('maps on_site and leaves an empty salary object to the text', async () => {
    const result = await read('fastned');

    const job = posting(result, '2736921');
    assert.equal(job.arrangement, 'onsite');
    assert.equal(job.salary, undefined);
    assert.equal(job.description, 'Salary: €3,500 – €4,000 per month.');
  });

  it('skips an offer without a title and keeps the rest', async () => {
    const result = await read('fastned');

    assert.equal(result.postings.length, 3);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no title' }]);
  });

  it('sends the token as X-Careers-Sites-Token only when one is configured', async () => {
    await read('fastned', { token: 'cs-token-123' });
    assert.equal(seenHeaders.at(-1)!['x-careers-sites-token'], 'cs-token-123');

    await read('fastned');
    assert.equal(seenHeaders.at(-1)!['x-careers-sites-token'], undefined);
  });

  it('warns in check when no token is set (required from February 2027)', () => {
    const without = recruiteeAdapter.warnings!(feed('fastned'), '*/15 * * * *');
    const withToken = recruiteeAdapter.warnings!(feed('fastned', { token: 'x' }), '*/15 * * * *');

    assert.equal(without.length, 1);
    assert.match(without[0]!, /February 2027/);
    assert.match(without[0]!, /X-Careers-Sites-Token/);
    assert.deepEqual(withToken, []);
  });

  it('reads a career site without offers as zero postings', async () => {
    const result = await read('quiet');

    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it('fails an unknown company with a FetchError 404 naming it', async () => {
    const err = await rejection(recruiteeAdapter.read(feed('nosuch'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.status, 404);
    assert.match(err.message, /Recruitee company "nosuch" not found/);
  });

  it('turns 429 with Retry-After into a FetchError with retryAfterMs', async () => {
    const err = await rejection(recruiteeAdapter.read(feed('busy'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.retryAfterMs, 12_000);
  });

  it('refuses an unexpected response shape with an error naming Recruitee', async () => {
    const err = await rejection(recruiteeAdapter.read(feed('changed'), ctx()));

    assert.ok(err instanceof ParseError);
    assert.match(err.message, /^Recruitee: unexpected API response \(expected a list at offers, got object\)/);
  });
});

describe('recruitee feed config', () => {
  it('rejects a feed without company, naming the key and its line', () => {
    const err = configError('feeds:\n  - name: fastned\n    type: recruitee\n    token: abc\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].company');
    assert.ok(issue, err.message);
    assert.equal(typeof issue.line, 'number');
    assert.match(issue.message, /required key is missing.*recruitee\.com/);
  });

  it('suggests the right key for a typo', () => {
    const err = configError('feeds:\n  - name: fastned\n    type: recruitee\n    company: fastned\n    tokn: abc\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].tokn');
    assert.ok(issue, err.message);
    assert.equal(issue.line, 5);
    assert.match(issue.message, /did you mean "token"\?/);
  });

  it('refuses a full host name as company', () => {
    const err = configError('feeds:\n  - name: fastned\n    type: recruitee\n    company: fastned.recruitee.com\n');

    assert.ok(err.issues.some((i) => i.key === 'feeds[0].company' && /subdomain/.test(i.message)), err.message);
  });

  it('accepts company, token and a url: override', () => {
    const config = parseConfigText(
      'feeds:\n  - name: fastned\n    type: recruitee\n    company: fastned\n    token: abc\n    url: http://127.0.0.1:8080/offers\n',
      'c.yaml',
      {},
    );

    assert.equal(config.feeds[0]!.url, 'http://127.0.0.1:8080/offers');
    assert.equal((config.feeds[0] as unknown as Record<string, unknown>).token, 'abc');
  });
});

