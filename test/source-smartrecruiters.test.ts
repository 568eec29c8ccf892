import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { FetchError, ParseError } from '../src/core/errors.js';
import { createFetcher } from '../src/http/fetcher.js';
import { smartRecruitersAdapter, smartRecruitersEndpoint } from '../src/sources/adapters/smartrecruiters.js';
import { MAX_PAGES } from '../src/sources/json-api.js';
import { SOURCE_ADAPTERS } from '../src/sources/registry.js';
import type { FeedBase, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, configError, readOk, sourceContext } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/sources/smartrecruiters/${name}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
/** Request paths with their query, in order. */
const requested: string[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    requested.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const offset = url.searchParams.get('offset');
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    };
    switch (url.pathname) {
      case '/v1/companies/wise/postings':
        if (offset === '0') return json(200, fixture('page-0.json'));
        if (offset === '2') return json(200, fixture('page-1.json'));
        return json(200, '{"offset":9,"limit":100,"totalFound":4,"content":[]}');
      case '/v1/companies/acmefashion/postings':
        return json(200, fixture('legacy.json'));
      case '/v1/companies/quiet/postings':
        return json(200, fixture('empty.json'));
      case '/v1/companies/endless/postings': {
        // Claims far more than it ever delivers: the page bound must stop the reader.
        const id = `9${offset}`;
        return json(200, JSON.stringify({ offset: Number(offset), limit: 100, totalFound: 1_000_000, content: [{ id, name: `Job ${id}`, company: { identifier: 'endless' } }] }));
      }
      case '/v1/companies/busy/postings':
        return json(429, '{"message":"Too many requests"}', { 'retry-after': '30' });
      case '/v1/companies/changed/postings':
        return json(200, '{"postings":[]}');
      default:
        return json(404, '{"message":"Company not found"}');
    }
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(company: string): FeedBase & Record<string, unknown> {
  return { name: `sr-${company}`, type: 'smartrecruiters', enabled: true, company, url: `${server.url}/v1/companies/${company.toLowerCase()}/postings` };
}

function ctx(log?: Logger): SourceContext {
  return sourceContext(fetcher, log ? { log } : {});
}

async function read(company: string, log?: Logger): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(smartRecruitersAdapter.read(feed(company), ctx(log)));
}

describe('smartrecruiters adapter', () => {
  it('is registered and builds the public endpoint from the company identifier', () => {
    assert.equal(SOURCE_ADAPTERS.get('smartrecruiters'), smartRecruitersAdapter);
    assert.equal(smartRecruitersEndpoint('BoschGroup'), 'https://api.smartrecruiters.com/v1/companies/BoschGroup/postings');
    assert.equal(
      smartRecruitersAdapter.endpoint({ name: 'x', type: 'smartrecruiters', enabled: true, company: 'Bosch Group' }),
      'https://api.smartrecruiters.com/v1/companies/Bosch%20Group/postings?limit=100&offset=0',
    );
  });

  it('follows limit/offset pages until totalFound is reached', async () => {
    const before = requested.length;

    const result = await read('Wise');

    assert.deepEqual(requested.slice(before), ['/v1/companies/wise/postings?limit=100&offset=0', '/v1/companies/wise/postings?limit=100&offset=2']);
    assert.deepEqual(
      result.postings.map((p) => p.sourceId),
      ['744000119316797', '744000134517094', '744000141002233'],
    );
  });

  it('maps id, public URL, name, company, fullLocation, releasedDate, labels, and the hybrid flag', async () => {
    const result = await read('Wise');

    assert.equal(result.format, 'SmartRecruiters postings');
    const job = posting(result, '744000119316797');
    assert.equal(job.url, 'https://jobs.smartrecruiters.com/Wise/744000119316797');
    assert.equal(job.title, 'Engineering Lead II - Database - Platform');
    assert.equal(job.company, 'Wise');
    assert.equal(job.location, 'London, England, United Kingdom');
    assert.deepEqual(job.published, new Date('2026-04-08T09:20:59.461Z'));
    assert.equal(job.arrangement, 'hybrid');
    assert.deepEqual(job.tags, ['Mid-Senior Level', 'Full-time', 'Engineering']);
    assert.equal(job.description, '', 'the list endpoint carries no job text');
    assert.equal(job.salary, undefined);
  });

  it('reads remote: true as remote, both flags false as on-site, and drops the empty part of fullLocation', async () => {
    const result = await read('Wise');

    const remote = posting(result, '744000134517094');
    assert.equal(remote.arrangement, 'remote');
    assert.equal(remote.location, 'Tallinn, Estonia');
    assert.equal(posting(result, '744000141002233').arrangement, 'onsite');
  });

  it('leaves the arrangement unknown when only remote: false is given, and names the company from the key', async () => {
    const result = await read('AcmeFashion');

    const job = posting(result, '743999663339278');
    assert.equal(job.arrangement, undefined);
    assert.equal(job.company, 'AcmeFashion');
    assert.equal(job.location, 'Dubai, AE');
    assert.equal(job.url, 'https://jobs.smartrecruiters.com/AcmeFashion/743999663339278');
  });

  it('skips a posting without a name and keeps the rest, numbering items across pages', async () => {
    const result = await read('Wise');

    assert.equal(result.postings.length, 3);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no name (title)' }]);
  });

  it('reads a company without postings as zero postings', async () => {
    const result = await read('quiet');

    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it(`stops after ${MAX_PAGES} pages and logs a warning`, async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
    const before = requested.length;

    const result = await read('endless', log);

    assert.equal(requested.length - before, MAX_PAGES);
    assert.equal(result.postings.length, MAX_PAGES);
    assert.equal(lines.length, 1);
    assert.match(JSON.parse(lines[0]!).msg, new RegExp(`stopped after ${MAX_PAGES} pages`));
  });

  it('fails an unknown company with a FetchError 404 naming it', async () => {
    const err = await rejection(smartRecruitersAdapter.read(feed('nosuch'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.status, 404);
    assert.match(err.message, /SmartRecruiters company "nosuch" not found/);
  });

  it('turns 429 with Retry-After into a FetchError with retryAfterMs', async () => {
    const err = await rejection(smartRecruitersAdapter.read(feed('busy'), ctx()));

    assert.ok(err instanceof FetchError);
    assert.equal(err.retryAfterMs, 30_000);
  });

  it('refuses an unexpected response shape with an error naming SmartRecruiters', async () => {
    const err = await rejection(smartRecruitersAdapter.read(feed('changed'), ctx()));

    assert.ok(err instanceof ParseError);
    assert.match(err.message, /^SmartRecruiters: unexpected API response \(no "content" list/);
  });
});

describe('smartrecruiters feed config', () => {
  it('rejects a feed without company, naming the key and its line', () => {
    const err = configError('feeds:\n  - name: bosch\n    type: smartrecruiters\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].company');
    assert.ok(issue, err.message);
    assert.equal(typeof issue.line, 'number');
    assert.match(issue.message, /required key is missing.*company identifier/);
  });

  it('suggests the right key for a typo', () => {
    const err = configError('feeds:\n  - name: bosch\n    type: smartrecruiters\n    compnay: BoschGroup\n');

    const issue = err.issues.find((i) => i.key === 'feeds[0].compnay');
    assert.ok(issue, err.message);
    assert.equal(issue.line, 4);
    assert.match(issue.message, /did you mean "company"\?/);
  });

  it('accepts company with a url: override', () => {
    const config = parseConfigText('feeds:\n  - name: bosch\n    type: smartrecruiters\n    company: BoschGroup\n    url: http://127.0.0.1:8080/postings\n', 'c.yaml', {});

    assert.equal(config.feeds[0]!.url, 'http://127.0.0.1:8080/postings');
  });
});

