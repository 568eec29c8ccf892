import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../src/config/load.js';
import { FetchError, ParseError } from '../src/core/errors.js';
import { createFetcher } from '../src/http/fetcher.js';
import { himalayasAdapter } from '../src/sources/adapters/himalayas.js';
import { SOURCE_ADAPTERS } from '../src/sources/registry.js';
import type { FeedBase, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, configError, sourceContext, readOk } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/sources/himalayas/${name}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
/** Request paths with their query, in order. */
const requested: string[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    requested.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    switch (url.pathname) {
      case '/jobs/api':
        if (q.get('offset') === '0') return json(200, fixture('browse-0.json'));
        if (q.get('offset') === '2') return json(200, fixture('browse-2.json'));
        return json(200, fixture('empty.json'));
      case '/jobs/api/search':
        if (q.get('q') !== 'machine learning') return json(200, fixture('empty.json'));
        if (q.get('page') === '1') return json(200, fixture('search-1.json'));
        if (q.get('page') === '2') return json(200, fixture('search-2.json'));
        return json(200, fixture('empty.json'));
      case '/stuck/search':
        // Ignores paging entirely and claims more: the reader must notice it gets nothing new.
        return json(200, fixture('search-1.json').replace('"totalCount": 3', '"totalCount": 500'));
      case '/empty/api':
        return json(200, fixture('empty.json'));
      case '/busy/api':
        return json(429, '{"error":"Too many requests"}', { 'retry-after': '60' });
      case '/changed/api':
        return json(200, '{"data":[]}');
      default:
        return json(404, '{"error":"Not found"}');
    }
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(path: string, extra: Record<string, unknown> = {}): FeedBase & Record<string, unknown> {
  return { name: 'himalayas', type: 'himalayas', enabled: true, url: `${server.url}${path}`, ...extra };
}

function ctx(): SourceContext {
  return sourceContext(fetcher);
}

async function read(path: string, extra?: Record<string, unknown>): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(himalayasAdapter.read(feed(path, extra), ctx()));
}

const NOMAD = 'https://himalayas.app/companies/nomad-health/jobs/senior-machine-learning-engineer';
const KRAKEN = 'https://himalayas.app/companies/kraken-labs/jobs/customer-support-specialist';
const INITECH = 'https://himalayas.app/companies/initech-cloud/jobs/staff-platform-engineer';

describe('himalayas adapter', () => {
  it('is registered, credits Himalayas, and picks the browse or search endpoint from query', () => {
    assert.equal(SOURCE_ADAPTERS.get('himalayas'), himalayasAdapter);
    assert.deepEqual(himalayasAdapter.attribution, { text: 'Himalayas', url: 'https://himalayas.app/jobs' });
    const base = { name: 'h', type: 'himalayas', enabled: true };
    assert.equal(himalayasAdapter.endpoint(base), 'https://himalayas.app/jobs/api?limit=20&offset=0');
    assert.equal(himalayasAdapter.endpoint({ ...base, query: 'ML engineer & data' }), 'https://himalayas.app/jobs/api/search?q=ML+engineer+%26+data&page=1');
  });

  it('browses the board by limit/offset pages until totalCount is reached', async () => {
    const before = requested.length;

    const result = await read('/jobs/api');

    assert.deepEqual(requested.slice(before), ['/jobs/api?limit=20&offset=0', '/jobs/api?limit=20&offset=2']);
    assert.equal(result.format, 'Himalayas jobs');
    assert.deepEqual(
      result.postings.map((p) => p.sourceId),
      [NOMAD, KRAKEN, INITECH],
    );
  });

  it('maps guid, Himalayas link, title, company, restrictions, pubDate, clean description, remote and annual pay', async () => {
    const result = await read('/jobs/api');

    const job = posting(result, NOMAD);
    assert.equal(job.url, NOMAD, 'links to the Himalayas page, not the tracked application link');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.location, 'United States, Canada');
    assert.deepEqual(job.published, new Date(1786148790000));
    assert.equal(job.description, 'Own the ranking models behind our marketplace & ship them.\n\n- Python\n- GCP');
    assert.equal(job.arrangement, 'remote');
    assert.equal(job.arrangementFrom, 'board');
    assert.deepEqual(job.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.deepEqual(job.tags, ['Senior', 'Full Time']);
  });

  it('reads a monthly salaryPeriod, pubDate in seconds, and no restrictions as Worldwide', async () => {
    const result = await read('/jobs/api');

    const job = posting(result, KRAKEN);
    assert.deepEqual(job.salary, { min: 2500, max: 3200, currency: 'EUR', period: 'month' });
    assert.deepEqual(job.published, new Date(1786062390 * 1000));
    assert.equal(job.location, 'Worldwide');
    assert.equal(job.arrangement, 'remote');
  });

  it('names the company from its slug when companyName is empty, falls back to the excerpt, and leaves null pay out', async () => {
    const result = await read('/jobs/api');

    const job = posting(result, INITECH);
    assert.equal(job.company, 'Initech Cloud');
    assert.equal(job.description, 'Run our Kubernetes platform.');
    assert.equal(job.salary, undefined);
    assert.equal(job.location, 'Germany');
  });

  it('skips a job without a title and keeps the rest, numbering items across pages', async () => {
    const result = await read('/jobs/api');

    assert.equal(result.postings.length, 3);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no title' }]);
  });

  it('searches with q and numbered pages when query is set', async () => {
    const before = requested.length;

    const result = await read('/jobs/api/search', { query: 'machine learning' });

    assert.deepEqual(requested.slice(before), ['/jobs/api/search?q=machine+learning&page=1', '/jobs/api/search?q=machine+learning&page=2']);
    assert.equal(result.format, 'Himalayas search');
    assert.deepEqual(
      result.postings.map((p) => p.title),
      ['Machine Learning Engineer, Search', 'ML Engineer', 'Senior ML Engineer'],
    );
  });

  it('reads an hourly salaryPeriod, and a salary without currency keeps currency null', async () => {
    const result = await read('/jobs/api/search', { query: 'machine learning' });

    const hourly = posting(result, 'https://himalayas.app/companies/globex/jobs/machine-learning-engineer-search');
    assert.deepEqual(hourly.salary, { min: 60, max: 85, currency: 'USD', period: 'hour' });
    const noCurrency = posting(result, 'https://himalayas.app/companies/hooli/jobs/ml-engineer');
    assert.deepEqual(noCurrency.salary, { min: 120000, max: null, currency: null, period: 'year' });
  });

  it('stops when a page brings nothing new (a server that ignores paging)', async () => {
    const before = requested.length;

    const result = await read('/stuck/search', { query: 'machine learning' });

    assert.equal(requested.length - before, 2);
    assert.equal(result.postings.length, 2);
  });

  it('reads an empty answer as zero postings', async () => {
    const result = await read('/empty/api');

    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it('turns 429 with Retry-After into a FetchError with retryAfterMs, and 404 into a FetchError 404', async () => {
    const busy = await rejection(himalayasAdapter.read(feed('/busy/api'), ctx()));
    const missing = await rejection(himalayasAdapter.read(feed('/gone/api'), ctx()));

    assert.ok(busy instanceof FetchError);
    assert.equal(busy.retryAfterMs, 60_000);
    assert.ok(missing instanceof FetchError);
    assert.equal(missing.status, 404);
  });

  it('refuses an unexpected response shape with an error naming Himalayas', async () => {
    const err = await rejection(himalayasAdapter.read(feed('/changed/api'), ctx()));

    assert.ok(err instanceof ParseError);
    assert.match(err.message, /^Himalayas: unexpected API response \(no "jobs" list/);
  });
});

describe('himalayas feed config', () => {
  it('needs no key: a feed with only name and type is valid', () => {
    const config = parseConfigText('feeds:\n  - name: himalayas\n    type: himalayas\n', 'c.yaml', {});

    assert.equal(config.feeds[0]!.type, 'himalayas');
  });

  it('suggests the right key for a typo', () => {
    const err = configError('feeds:\n  - name: himalayas\n    type: himalayas\n    querry: machine learning\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].querry');
    assert.ok(issue, err.message);
    assert.equal(issue.line, 4);
    assert.match(issue.message, /did you mean "query"\?/);
  });

  it('refuses an empty query and accepts a url: override', () => {
    const err = configError('feeds:\n  - name: himalayas\n    type: himalayas\n    query: ""\n');
    assert.ok(err.issues.some((i) => i.key === 'feeds[0].query'), err.message);

    const config = parseConfigText('feeds:\n  - name: himalayas\n    type: himalayas\n    query: rust\n    url: http://127.0.0.1:8080/search\n', 'c.yaml', {});
    assert.equal(config.feeds[0]!.url, 'http://127.0.0.1:8080/search');
  });
});

