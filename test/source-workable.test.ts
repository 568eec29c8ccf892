import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { parseConfigText } from '../src/config/load.js';
import { FetchError, ParseError } from '../src/core/errors.js';
import { createFetcher } from '../src/http/fetcher.js';
import { workableAdapter, workableEndpoint } from '../src/sources/adapters/workable.js';
import { SOURCE_ADAPTERS } from '../src/sources/registry.js';
import type { FeedBase, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, configError, sourceContext, readOk } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/sources/workable/${name}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
const requests: IncomingMessage[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    requests.push(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    if (path === '/api/v1/widget/accounts/northwind') {
      if (req.headers['if-none-match'] === '"v1"') return json(304, '');
      return json(200, fixture('account.json'), { etag: '"v1"' });
    }
    if (path === '/api/v1/widget/accounts/quiet') return json(200, fixture('empty.json'));
    if (path === '/api/v1/widget/accounts/meseta') return json(200, fixture('one-job-two-countries.json'));
    if (path === '/api/v1/widget/accounts/busy') return json(429, '{"error":"slow down"}', { 'retry-after': '7' });
    if (path === '/api/v1/widget/accounts/changed') return json(200, '[{"title":"not an account"}]');
    if (path === '/api/v1/widget/accounts/nojobs') return json(200, '{"name":"Odd","results":[]}');
    return json(404, '{"error":"Not found"}');
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(account: string, extra: Record<string, unknown> = {}): FeedBase & Record<string, unknown> {
  return { name: `wk-${account}`, type: 'workable', enabled: true, account, url: `${server.url}/api/v1/widget/accounts/${account}?details=true`, ...extra };
}

function ctx(validators: { etag?: string } = {}): SourceContext {
  return sourceContext(fetcher, { etag: validators.etag });
}

async function read(account: string): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(workableAdapter.read(feed(account), ctx()));
}

describe('workable adapter', () => {
  it('reads one shortcode listed once per country as ONE posting with every location', async () => {
    const result = await read('meseta');

    assert.deepEqual(
      result.postings.map((p) => p.sourceId),
      ['AB12CD34EF', 'ZZ98YY76XX'],
      'one posting per shortcode',
    );
    const analyst = posting(result, 'AB12CD34EF');
    assert.equal(analyst.location, 'Spain; Portugal', 'both countries, in the order listed');
    assert.equal(analyst.arrangement, 'remote');
    assert.equal(analyst.company, 'Meseta Consulting');
    const coordinator = posting(result, 'ZZ98YY76XX');
    assert.equal(coordinator.location, 'Madrid, Community of Madrid, Spain', 'the same place listed twice is one place');
    assert.equal(coordinator.arrangement, undefined);
    assert.deepEqual(result.skipped, []);
  });

  it('is registered for type workable and builds the public endpoint from the account', () => {
    assert.equal(SOURCE_ADAPTERS.get('workable'), workableAdapter);
    assert.equal(workableAdapter.urlRequired, false);
    assert.equal(workableEndpoint('acme'), 'https://apply.workable.com/api/v1/widget/accounts/acme?details=true');
    assert.equal(
      workableAdapter.endpoint({ name: 'x', type: 'workable', enabled: true, account: 'a b/c' }),
      'https://apply.workable.com/api/v1/widget/accounts/a%20b%2Fc?details=true',
    );
  });

  it('maps a remote job: id, url, title, company, location, published, clean description, arrangement, tags', async () => {
    const result = await read('northwind');

    assert.equal(result.format, 'Workable career page');
    const job = posting(result, '5EA5DDE797');
    assert.equal(job.url, 'https://apply.workable.com/j/5EA5DDE797');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Northwind Robotics');
    assert.equal(job.location, 'Athens, Attica, Greece');
    assert.deepEqual(job.published, new Date('2026-03-27T00:00:00Z'));
    assert.equal(job.arrangement, 'remote');
    assert.equal(job.salary, undefined, 'the widget API publishes no pay: left to the text');
    assert.deepEqual(job.tags, ['Engineering', 'Full-time', 'Mid-Senior level']);
    assert.equal(
      job.description,
      'We train perception models for R&D robots.\n\n- PyTorch & ONNX\n- Own models end‑to‑end\n\nRequirements\n\n- 5+ years of ML in production\n\nBenefits\n\nRemote budget €1,000',
    );
  });

  it('leaves arrangement unknown for telecommuting: false, dedupes listed locations and skips hidden ones', async () => {
    const result = await read('northwind');

    const job = posting(result, 'A1B2C3D4E5');
    assert.equal(job.arrangement, undefined);
    assert.equal(job.location, 'Berlin, Berlin, Germany; Munich, Bavaria, Germany');
    assert.equal(job.url, 'https://apply.workable.com/northwind-robotics/j/A1B2C3D4E5/');
    assert.equal(job.description, 'Go services behind our fleet API.');
  });

  it('falls back to the top-level place and created_at, and drops empty tags', async () => {
    const result = await read('northwind');

    const job = posting(result, 'K1L2M3N4O5');
    assert.equal(job.location, 'Lisbon, Lisbon, Portugal');
    assert.deepEqual(job.published, new Date('2026-03-01T00:00:00Z'));
    assert.deepEqual(job.tags, ['Contract']);
    assert.equal(job.description, 'SQL and dashboards.');
  });

  it('skips a job without a title and keeps the rest', async () => {
    const result = await read('northwind');

    assert.equal(result.postings.length, 3);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no title' }]);
  });

  it('reads an account without jobs as zero postings', async () => {
    const result = await read('quiet');

    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it('sends the previous ETag and reports not modified on 304', async () => {
    const first = await read('northwind');
    assert.equal(first.etag, '"v1"');

    const second = await workableAdapter.read(feed('northwind'), ctx({ etag: '"v1"' }));

    assert.deepEqual(second, { notModified: true });
  });

  it('fails a missing account with a FetchError 404 naming it', async () => {
    const err = await rejection(workableAdapter.read(feed('nosuch'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.status, 404);
    assert.match(err.message, /Workable account "nosuch" not found \(HTTP 404/);
  });

  it('turns 429 with Retry-After into a FetchError with retryAfterMs', async () => {
    const err = await rejection(workableAdapter.read(feed('busy'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 7000);
  });

  it('refuses an unexpected response shape with an error naming Workable', async () => {
    const list = await rejection(workableAdapter.read(feed('changed'), ctx()));
    const noJobs = await rejection(workableAdapter.read(feed('nojobs'), ctx()));

    assert.ok(list instanceof ParseError);
    assert.match(list.message, /^Workable: unexpected API response \(expected an object at the top level, got a list\)/);
    assert.ok(noJobs instanceof ParseError);
    assert.match(noJobs.message, /^Workable: unexpected API response \(no "jobs" list/);
  });

  it('reads from the url: override instead of apply.workable.com', async () => {
    const before = requests.length;

    await read('northwind');

    assert.equal(requests.length, before + 1);
    assert.equal(requests.at(-1)!.url, '/api/v1/widget/accounts/northwind?details=true');
  });
});

describe('workable feed config', () => {
  it('rejects a workable feed without account, naming the key and its line', () => {
    const text = 'feeds:\n  - name: acme\n    type: workable\n';

    const err = configError(text);

    const issue = err.issues.find((i) => i.key === 'feeds[0].account');
    assert.ok(issue, err.message);
    assert.equal(typeof issue.line, 'number');
    assert.match(issue.message, /required key is missing/);
    assert.match(issue.message, /Workable account name/);
  });

  it('suggests the right key for a typo', () => {
    const err = configError('feeds:\n  - name: acme\n    type: workable\n    acount: acme\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].acount');
    assert.ok(issue, err.message);
    assert.equal(issue.line, 4);
    assert.match(issue.message, /did you mean "account"\?/);
  });

  it('accepts account with a url: override', () => {
    const config = parseConfigText('feeds:\n  - name: acme\n    type: workable\n    account: acme\n    url: http://127.0.0.1:8080/acme.json\n', 'c.yaml', {});

    assert.equal(config.feeds[0]!.url, 'http://127.0.0.1:8080/acme.json');
    assert.equal((config.feeds[0] as unknown as Record<string, unknown>).account, 'acme');
  });
});

