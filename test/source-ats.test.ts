import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError, FetchError, ParseError } from '../src/core/errors.js';
import type { ConfigIssue } from '../src/core/errors.js';
import type { RawPosting } from '../src/core/types.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { createFetcher } from '../src/http/fetcher.js';
import type { Fetcher } from '../src/http/fetcher.js';
import { ashbyAdapter } from '../src/sources/adapters/ashby.js';
import { greenhouseAdapter } from '../src/sources/adapters/greenhouse.js';
import { LEVER_PAGE_SIZE, leverAdapter } from '../src/sources/adapters/lever.js';
import { MAX_PAGES } from '../src/sources/json-api.js';
import { resolveFeed } from '../src/sources/registry.js';
import type { FeedBase, SourceAdapter, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer } from './helpers/http-server.js';
import type { TestHandler, TestServer } from './helpers/http-server.js';
import { posting, rejection } from './helpers/source.js';

type Feed = FeedBase & Record<string, unknown>;
type ReadOk = Extract<SourceRead, { notModified: false }>;

function fixture(path: string): string {
  return readFileSync(new URL(`./fixtures/sources/${path}`, import.meta.url), 'utf8');
}

function json(res: Parameters<TestHandler>[1], body: string, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

// One server per suite: `route` decides what each test's requests get; `requests` records them.
interface Harness {
  server: TestServer;
  fetcher: Fetcher;
  requests: string[];
  route: TestHandler;
}

function harness(): Harness {
  const h = { requests: [] as string[], route: ((_req, res) => res.end()) as TestHandler } as Harness;
  before(async () => {
    h.server = await startHttpServer((req, res) => {
      h.requests.push(req.url ?? '');
      return h.route(req, res);
    });
    h.fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 5, perHost: 2 });
  });
  after(async () => {
    await h.server.close();
    await h.fetcher.close();
  });
  return h;
}

function serve(h: Harness, route: TestHandler): void {
  h.requests.length = 0;
  h.route = route;
}

function ctxFor(h: Harness, opts: { log?: Logger; etag?: string | null } = {}): SourceContext {
  return {
    fetch: (r) => h.fetcher.fetch(r),
    log: opts.log ?? pino({ level: 'silent' }),
    now: new Date('2026-10-03T12:00:00Z'),
    etag: opts.etag ?? null,
    lastModified: null,
  };
}

async function readOk(adapter: SourceAdapter, feed: Feed, ctx: SourceContext): Promise<ReadOk> {
  const read = await adapter.read(feed, ctx);
  assert.equal(read.notModified, false);
  return read as ReadOk;
}

// Clean text: no tags, no entities left.
function assertCleanText(text: string): void {
  assert.doesNotMatch(text, /<\/?[a-z][^>]*>/i, 'HTML tag left');
  assert.doesNotMatch(text, /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i, 'entity left');
}

function notFound(_req: Parameters<TestHandler>[0], res: Parameters<TestHandler>[1]): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"status":404,"error":"Not Found"}');
}

function tooMany(_req: Parameters<TestHandler>[0], res: Parameters<TestHandler>[1]): void {
  res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '120' });
  res.end('Too Many Requests');
}

/** A pino logger whose JSON lines land in `lines`. */
function capturingLogger(lines: Record<string, unknown>[]): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'warn' }, stream);
}

function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail('expected a ConfigError, but the config was accepted');
}

// ---------------------------------------------------------------------------------------------

describe('greenhouse adapter', () => {
  const h = harness();
  const feed = (extra: Record<string, unknown> = {}): Feed => ({
    name: 'acme',
    type: 'greenhouse',
    enabled: true,
    board: 'acmerobotics',
    url: `${h.server.url}/v1/boards/acmerobotics/jobs?content=true&pay_transparency=true`,
    ...extra,
  });

  it('maps id, url, title, company, location, published, clean description and the widest pay band', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/jobs.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    assert.equal(read.format, 'Greenhouse job board');
    assert.deepEqual(h.requests, ['/v1/boards/acmerobotics/jobs?content=true&pay_transparency=true'], 'url: replaces the endpoint as given');
    const job = posting(read, '4012345007');
    assert.equal(job.url, 'https://job-boards.greenhouse.io/acmerobotics/jobs/4012345007');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Acme Robotics');
    assert.equal(job.location, 'Remote - US');
    assert.deepEqual(job.published, new Date('2026-09-28T13:15:02Z'), 'first_published, not updated_at');
    // Two US pay zones in cents: the widest band, in units, per year.
    assert.deepEqual(job.salary, { min: 153_000, max: 240_000, currency: 'USD', period: 'year' });
    // The board's own location name says remote: an ATS field, so it wins over the prose.
    assert.equal(job.arrangement, 'remote', '"Remote - US" names the arrangement');
    assert.deepEqual(job.tags, ['Engineering', 'Machine Learning']);
    assertCleanText(job.description);
    assert.ok(job.description.startsWith('At Acme Robotics, we’re building warehouse robots'), job.description);
    assert.ok(job.description.includes("What you'll do"));
    assert.ok(job.description.includes('- Train and ship perception models to 2,000+ robots\n- Own the ML platform & its evaluation pipeline'));
    assert.ok(job.description.includes('$180,000—$240,000 USD'));
  });

  it('reads an hourly range as hourly and a workplace custom field as the arrangement', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/jobs.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    const tech = posting(read, '4012399007');
    assert.deepEqual(tech.salary, { min: 24.5, max: 31.25, currency: 'USD', period: 'hour' });
    assert.equal(tech.arrangement, 'onsite');
    assert.equal(tech.description, 'Keep our Reno fleet running: first-line repairs, battery swaps and calibration.');
  });

  it('takes the band in the first range’s currency and leaves the others out', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/jobs.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    const berlin = posting(read, '4012400007');
    assert.deepEqual(berlin.salary, { min: 70_000, max: 84_000, currency: 'EUR', period: 'year' });
    assert.equal(berlin.arrangement, 'hybrid');
    assert.equal(berlin.description, 'Build the APIs our customers’ warehouse systems talk to.\n\nGo, PostgreSQL & Kafka.');
  });

  it('names the company after the board when the job does not, and falls back to updated_at', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/jobs.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    const office = posting(read, '4012402007');
    assert.equal(office.company, 'Acmerobotics');
    assert.deepEqual(office.published, new Date('2026-09-18T16:30:00Z'));
    assert.equal(office.salary, null);
    assert.deepEqual(office.tags, ['G&A']);
  });

  it('offices keep the region a bare "Remote" location drops, and an office name sets the arrangement', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/offices.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));
    const at = (id: string) => {
      const job = posting(read, id);
      return { location: job.location, arrangement: job.arrangement };
    };

    assert.deepEqual(at('7000001'), { location: 'Columbus, Ohio, United States; Remote (US)', arrangement: 'remote' });
    assert.deepEqual(at('7000002'), { location: 'New York City, NY', arrangement: 'hybrid' }, '"New York City - Hybrid" office');
    assert.deepEqual(at('7000003'), { location: 'US Remote', arrangement: 'remote' }, 'a location with its region stays as written');
    assert.deepEqual(at('7000004'), { location: 'Madrid', arrangement: undefined }, 'the posted location wins over another office');
    assert.deepEqual(at('7000005'), { location: 'Remote (Malaysia)', arrangement: 'remote' }, 'an office named "Remote" keeps its country');
    assert.deepEqual(at('7000006'), { location: 'Bangalore, India', arrangement: 'remote' }, 'the office says the job is remote');
    assert.deepEqual(at('7000007'), { location: 'Remote; Columbus, Ohio, United States', arrangement: 'remote' }, 'remote, or at the office');
  });

  it('reads a job offered remote at one of its places as remote, whatever the workplace field says of its offices', async () => {
    const job = (id: number, location: string, offices: string[], workplace: string) => ({
      id,
      title: 'Research Fellow',
      absolute_url: `https://job-boards.greenhouse.io/acmerobotics/jobs/${id}`,
      location: { name: location },
      offices: offices.map((name, i) => ({ id: i + 1, name, location: null })),
      metadata: [{ id: 9, name: 'Location Type', value: workplace, value_type: 'single_select' }],
      content: '&lt;p&gt;We are also open to remote fellows in the UK, US, or Canada.&lt;/p&gt;',
      first_published: '2026-07-01T12:00:00-04:00',
    });
    const body = {
      jobs: [
        job(7100001, 'London, UK; Remote-Friendly, United States; San Francisco, CA', ['London, UK', 'Remote-Friendly US (Travel Required)', 'San Francisco, CA'], 'On-Site'),
        job(7100002, 'San Francisco, CA', ['San Francisco, CA'], 'On-Site'),
        job(7100003, 'Sydney, Australia', ['Sydney, Australia'], 'Remote'),
      ],
      meta: { total: 3 },
    };
    serve(h, (_req, res) => json(res, JSON.stringify(body)));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    assert.equal(posting(read, '7100001').arrangement, 'remote');
    assert.equal(posting(read, '7100002').arrangement, 'onsite', 'the workplace field, when no place says remote');
    assert.equal(posting(read, '7100003').arrangement, 'remote');
  });

  it('skips a job without a title and keeps the rest', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/jobs.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    assert.deepEqual(read.skipped, [{ index: 3, reason: 'no title' }]);
    assert.deepEqual(
      read.postings.map((p) => p.sourceId),
      ['4012345007', '4012399007', '4012400007', '4012402007'],
    );
  });

  it('sends the previous validators and reports a 304 as not modified', async () => {
    serve(h, (req, res) => {
      if (req.headers['if-none-match'] === '"gh-v1"') {
        res.writeHead(304);
        res.end();
        return;
      }
      json(res, fixture('greenhouse/empty.json'), { etag: '"gh-v1"' });
    });

    const first = await readOk(greenhouseAdapter, feed(), ctxFor(h));
    assert.equal(first.etag, '"gh-v1"');
    const second = await greenhouseAdapter.read(feed(), ctxFor(h, { etag: first.etag }));

    assert.deepEqual(second, { notModified: true });
  });

  it('reads an empty board as zero postings', async () => {
    serve(h, (_req, res) => json(res, fixture('greenhouse/empty.json')));

    const read = await readOk(greenhouseAdapter, feed(), ctxFor(h));

    assert.deepEqual(read.postings, []);
    assert.deepEqual(read.skipped, []);
  });

  it('fails a missing board with a FetchError 404 that names the board', async () => {
    serve(h, notFound);

    const err = await rejection(greenhouseAdapter.read(feed({ board: 'acme-typo' }), ctxFor(h)), FetchError);

    assert.equal(err.status, 404);
    assert.match(err.message, /^Greenhouse board "acme-typo" not found \(HTTP 404 Not Found: GET http:\/\/127\.0\.0\.1:\d+\/v1\/boards/);
  });

  it('passes a 429 on with its Retry-After', async () => {
    serve(h, tooMany);

    const err = await rejection(greenhouseAdapter.read(feed(), ctxFor(h)), FetchError);

    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 120_000);
  });

  it('reports a changed API shape as a ParseError naming the board', async () => {
    serve(h, (_req, res) => json(res, '{"postings": []}'));

    const err = await rejection(greenhouseAdapter.read(feed(), ctxFor(h)), ParseError);

    assert.equal(err.message, 'Greenhouse board "acmerobotics": unexpected API response (expected a list at "jobs", got undefined); the API may have changed');
  });

  it('builds the public endpoint from the board, URL-encoded', () => {
    assert.equal(
      greenhouseAdapter.endpoint({ name: 'x', type: 'greenhouse', enabled: true, board: 'acme robotics/eu' }),
      'https://boards-api.greenhouse.io/v1/boards/acme%20robotics%2Feu/jobs?content=true&pay_transparency=true',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('lever adapter', () => {
  const h = harness();
  const feed = (extra: Record<string, unknown> = {}): Feed => ({
    name: 'northwind',
    type: 'lever',
    enabled: true,
    site: 'northwind-labs',
    url: `${h.server.url}/v0/postings/northwind-labs?mode=json`,
    ...extra,
  });
  const page1 = fixture('lever/postings-page1.json');
  const page2 = fixture('lever/postings-page2.json');
  const byPage: TestHandler = (req, res) => {
    const skip = new URL(req.url ?? '/', 'http://x').searchParams.get('skip');
    json(res, skip === '0' ? page1 : skip === '100' ? page2 : '[]');
  };

  it('follows skip/limit pages until a short page', async () => {
    serve(h, byPage);

    const read = await readOk(leverAdapter, feed(), ctxFor(h));

    assert.equal(read.format, 'Lever job site');
    assert.deepEqual(h.requests, [
      '/v0/postings/northwind-labs?mode=json&skip=0&limit=100',
      '/v0/postings/northwind-labs?mode=json&skip=100&limit=100',
    ]);
    assert.equal(read.postings.length, 99 + 3);
    // Indexes count across pages: the 4th item of page one, the 4th of page two.
    assert.deepEqual(read.skipped, [
      { index: 3, reason: 'no title (text)' },
      { index: 103, reason: 'not an object' },
    ]);
    assert.equal(read.etag, null, 'paged: no conditional GET');
  });

  it('maps every field: title, company, url, location, published, description with its lists, pay and workplace', async () => {
    serve(h, byPage);

    const read = await readOk(leverAdapter, feed(), ctxFor(h));

    const job = posting(read, '5e1f0a3c-0000-4000-8000-000000001eef');
    assert.equal(job.url, 'https://jobs.lever.co/northwind-labs/5e1f0a3c-0000-4000-8000-000000001eef');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Northwind Labs');
    assert.equal(job.location, 'Remote - US');
    assert.deepEqual(job.published, new Date('2026-09-29T16:00:00Z'));
    assert.deepEqual(job.salary, { min: 165_000, max: 210_000, currency: 'USD', period: 'year' });
    assert.equal(job.arrangement, 'remote');
    assert.deepEqual(job.tags, ['Machine Learning', 'Engineering', 'Full-time']);
    assertCleanText(job.description);
    assert.equal(
      job.description,
      [
        'Northwind Labs builds forecasting tools for grocers.',
        '',
        "You'll own our demand models end to end & mentor two engineers.",
        '',
        "What you'll do",
        '- Design and ship forecasting models in Python',
        '- Run experiments on real store data',
        '',
        'What we look for',
        '- 5+ years of ML in production',
        '- PyTorch or JAX',
        '',
        'We are an equal opportunity employer.',
        '',
        'The base salary range for this role is $165,000 - $210,000.',
      ].join('\n'),
    );
  });

  it('maps hybrid, on-site and unspecified workplaces, all locations and every pay interval', async () => {
    serve(h, byPage);

    const read = await readOk(leverAdapter, feed(), ctxFor(h));
    const byTitle = (title: string): RawPosting => {
      const p = read.postings.find((x) => x.title === title);
      assert.ok(p, `no posting titled ${title}`);
      return p;
    };

    const designer = byTitle('Product Designer');
    assert.equal(designer.arrangement, 'hybrid');
    assert.equal(designer.location, 'London; Manchester');
    assert.deepEqual(designer.salary, { min: 70_000, max: 85_000, currency: 'GBP', period: 'year' });

    const support = byTitle('Customer Support Specialist');
    assert.equal(support.arrangement, 'onsite');
    assert.deepEqual(support.salary, { min: 24, max: 30, currency: 'USD', period: 'hour' });

    // Paid twice a month: twice the amount per month. Paid every two weeks: half per week.
    assert.deepEqual(byTitle('Data Analyst (Contract)').salary, { min: 5000, max: 6000, currency: 'EUR', period: 'month' });
    assert.equal(byTitle('Data Analyst (Contract)').arrangement, undefined, 'unspecified is left to the text');
    assert.deepEqual(byTitle('Summer Intern, Data Science').salary, { min: 1500, max: 1700, currency: 'CAD', period: 'week' });

    const staff = byTitle('Staff Platform Engineer');
    assert.equal(staff.salary, null, 'no salaryRange: the pay note stays in the text for normalization');
    assert.ok(staff.description.endsWith('Pay: $190,000 – $230,000 a year, plus equity.'));
  });

  it('reads a 0/0 salaryRange as no salary, and drops an implausible one', async () => {
    const item = (id: string, salaryRange: unknown): Record<string, unknown> => ({
      id, text: 'Data Engineer', categories: { location: 'Algiers', commitment: 'Full-time' }, createdAt: 1755700000000,
      hostedUrl: `https://jobs.lever.co/acme/${id}`, descriptionPlain: 'Build pipelines.', salaryRange,
    });
    serve(h, (_req, res) => json(res, JSON.stringify([
      item('zero', { min: 0, max: 0, currency: 'DZD', interval: 'per-month-salary' }),
      item('tiny', { min: 3, max: 4, currency: 'USD', interval: 'per-year-salary' }),
      item('fine', { min: 180000, max: 240000, currency: 'DZD', interval: 'per-month-salary' }),
    ])));
    const read = await readOk(leverAdapter, feed(), ctxFor(h));
    assert.equal(posting(read, 'zero').salary, null);
    assert.equal(posting(read, 'tiny').salary, null, '$3-$4 a year is not pay');
    assert.deepEqual(posting(read, 'fine').salary, { min: 180000, max: 240000, currency: 'DZD', period: 'month' });
  });

  it('names a bare country code when the posting has no location (IN is India, not Indiana)', async () => {
    const item = (id: string, country: string): Record<string, unknown> => ({
      id, text: 'Data Engineer', categories: { commitment: 'Full-time' }, country, createdAt: 1755700000000,
      hostedUrl: `https://jobs.lever.co/acme/${id}`, descriptionPlain: 'Build pipelines.',
    });
    serve(h, (_req, res) => json(res, JSON.stringify([item('in', 'IN'), item('co', 'CO'), item('odd', 'Mars')])));
    const read = await readOk(leverAdapter, feed(), ctxFor(h));
    assert.equal(posting(read, 'in').location, 'India');
    assert.equal(posting(read, 'co').location, 'Colombia');
    assert.equal(posting(read, 'odd').location, 'Mars', 'a value that is no ISO code is kept as written');
  });

  it('reads an empty site as zero postings after one request', async () => {
    serve(h, (_req, res) => json(res, '[]'));

    const read = await readOk(leverAdapter, feed(), ctxFor(h));

    assert.deepEqual(read.postings, []);
    assert.equal(h.requests.length, 1);
  });

  it('stops at the page bound and says so in the log', async () => {
    const template = JSON.parse(page1) as Record<string, unknown>[];
    serve(h, (req, res) => {
      const skip = new URL(req.url ?? '/', 'http://x').searchParams.get('skip');
      json(res, JSON.stringify(template.map((p, i) => ({ ...p, id: `${skip}-${i}` }))));
    });
    const lines: Record<string, unknown>[] = [];

    const read = await readOk(leverAdapter, feed(), ctxFor(h, { log: capturingLogger(lines) }));

    assert.equal(h.requests.length, MAX_PAGES);
    assert.equal(read.postings.length, MAX_PAGES * (LEVER_PAGE_SIZE - 1));
    assert.equal(lines.length, 1);
    assert.match(String(lines[0]!.msg), /stopped at the page limit/);
  });

  it('stops when a server ignores skip and repeats a page', async () => {
    serve(h, (_req, res) => json(res, page1));
    const lines: Record<string, unknown>[] = [];

    const read = await readOk(leverAdapter, feed(), ctxFor(h, { log: capturingLogger(lines) }));

    assert.equal(h.requests.length, 2);
    assert.equal(read.postings.length, 99);
    assert.match(String(lines[0]!.msg), /already read/);
  });

  it('fails a missing site with a FetchError 404 that names the site', async () => {
    serve(h, notFound);

    const err = await rejection(leverAdapter.read(feed({ site: 'northwnd' }), ctxFor(h)), FetchError);

    assert.equal(err.status, 404);
    assert.match(err.message, /^Lever site "northwnd" not found/);
  });

  it('turns Lever’s {"ok": false} answer into a clear error', async () => {
    serve(h, (_req, res) => json(res, fixture('lever/not-found.json')));

    const err = await rejection(leverAdapter.read(feed(), ctxFor(h)), ParseError);

    assert.match(err.message, /^Lever site "northwind-labs": the API answered "Document not found"/);
  });

  it('passes a 429 on with its Retry-After', async () => {
    serve(h, tooMany);

    const err = await rejection(leverAdapter.read(feed(), ctxFor(h)), FetchError);

    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 120_000);
  });

  it('builds the public endpoint for the region', () => {
    const base = { name: 'x', type: 'lever', enabled: true, site: 'northwind labs' };
    assert.equal(leverAdapter.endpoint(base), 'https://api.lever.co/v0/postings/northwind%20labs?mode=json&skip=0&limit=100');
    assert.equal(leverAdapter.endpoint({ ...base, region: 'eu' }), 'https://api.eu.lever.co/v0/postings/northwind%20labs?mode=json&skip=0&limit=100');
  });
});

// ---------------------------------------------------------------------------------------------

describe('ashby adapter', () => {
  const h = harness();
  const feed = (extra: Record<string, unknown> = {}): Feed => ({
    name: 'lumen',
    type: 'ashby',
    enabled: true,
    board: 'lumen-health',
    url: `${h.server.url}/posting-api/job-board/lumen-health?includeCompensation=true`,
    ...extra,
  });

  it('maps every field, with the Salary component as pay (not equity, not bonus)', async () => {
    serve(h, (_req, res) => json(res, fixture('ashby/board.json')));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    assert.equal(read.format, 'Ashby job board');
    assert.deepEqual(h.requests, ['/posting-api/job-board/lumen-health?includeCompensation=true']);
    const job = posting(read, '8d3c2b1a-4f5e-4a7b-9c0d-1e2f3a4b5c6d');
    assert.equal(job.url, 'https://jobs.ashbyhq.com/lumen-health/8d3c2b1a-4f5e-4a7b-9c0d-1e2f3a4b5c6d');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Lumen Health');
    assert.equal(job.location, 'Remote - US; New York');
    assert.deepEqual(job.published, new Date('2026-09-29T17:04:11.482Z'));
    assert.deepEqual(job.salary, { min: 190_000, max: 250_000, currency: 'USD', period: 'year' });
    assert.equal(job.arrangement, 'remote');
    assert.deepEqual(job.tags, ['Engineering', 'Applied ML']);
    assertCleanText(job.description);
    assert.equal(
      job.description,
      "About Lumen Health\n\nWe help clinics catch sepsis hours earlier.\n\nWhat you'll do\n\n- Train models on de-identified vitals\n- Own evaluation & monitoring",
    );
  });

  it('reads "1 HOUR" pay as hourly and OnSite / Hybrid workplaces', async () => {
    serve(h, (_req, res) => json(res, fixture('ashby/board.json')));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    const support = posting(read, '9e4d3c2b-5a6f-4b8c-8d1e-2f3a4b5c6d7e');
    assert.deepEqual(support.salary, { min: 28, max: 34, currency: 'USD', period: 'hour' });
    assert.equal(support.arrangement, 'onsite');
    const designer = posting(read, 'af5e4d3c-6b7a-4c9d-9e2f-3a4b5c6d7e8f');
    assert.equal(designer.arrangement, 'hybrid');
    assert.equal(designer.location, 'London; Manchester');
    // No summary: the tiers' salaries, widest band.
    assert.deepEqual(designer.salary, { min: 65_000, max: 85_000, currency: 'GBP', period: 'year' });
  });

  it('gives no salary for equity-only pay or hidden pay, and takes isRemote when workplaceType is absent', async () => {
    serve(h, (_req, res) => json(res, fixture('ashby/board.json')));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    const data = posting(read, 'd2817a6f-9e0d-4f2a-8b5c-6d7e8f901234');
    assert.equal(data.salary, null);
    assert.equal(data.arrangement, 'remote');
    assert.equal(data.description, 'Build pipelines for hospital data.\n\nPay: CA$140,000 – CA$165,000.', 'descriptionPlain when there is no HTML');
    const hidden = posting(read, 'e3928b7a-0f1e-4a3b-9c6d-7e8f90123456');
    assert.equal(hidden.salary, null, 'shouldDisplayCompensationOnJobPostings: false');
    // Hidden pay is not read back from the text either: what amounts remain there are benefits.
    assert.equal(hidden.payHidden, true);
    assert.equal(normalizePosting(hidden, 'ashby').salary, null);
    assert.equal(normalizePosting({ ...hidden, payHidden: false }, 'ashby').salary, null, 'a benefits-list amount is not pay either');
  });

  it('reads no base pay from Salary components its tiers label OTE, and the base where a tier names it', async () => {
    const component = (summary: string, min: number, max: number): Record<string, unknown> =>
      ({ compensationType: 'Salary', summary, interval: '1 YEAR', currencyCode: 'USD', minValue: min, maxValue: max });
    const job = (id: string, tiers: unknown[], summaryMin: number, summaryMax: number): Record<string, unknown> => ({
      id, title: 'Account Executive', location: 'New York', isListed: true, publishedAt: '2026-07-15T10:00:00.000+00:00',
      jobUrl: `https://jobs.ashbyhq.com/acme/${id}`, descriptionPlain: 'Sell.', shouldDisplayCompensationOnJobPostings: true,
      compensation: {
        compensationTiers: tiers,
        summaryComponents: [{ compensationType: 'Salary', interval: '1 YEAR', currencyCode: 'USD', minValue: summaryMin, maxValue: summaryMax }],
      },
    });
    serve(h, (_req, res) => json(res, JSON.stringify({ apiVersion: '1', jobs: [
      job('ote-only', [
        { title: 'SF/NY', tierSummary: 'OTE $168K – $231K • Offers Equity', components: [component('OTE $168K – $231K', 168_000, 231_000)] },
        { title: 'Nationwide', tierSummary: 'OTE $151K – $207K', components: [component('OTE $151K – $207K', 151_000, 207_000)] },
      ], 151_000, 231_000),
      job('base-and-ote', [
        { title: 'US', components: [component('OTE $200K – $240K', 200_000, 240_000), component('Target Base Salary $100K – $120K', 100_000, 120_000)] },
      ], 100_000, 240_000),
    ] })));
    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));
    assert.equal(posting(read, 'ote-only').salary, null);
    assert.deepEqual(posting(read, 'base-and-ote').salary, { min: 100_000, max: 120_000, currency: 'USD', period: 'year' });
  });

  it('reads a job with a remote location beside its HQ as remote, whatever workplaceType says of the HQ', async () => {
    const job = (id: string, location: string, secondary: string[], workplaceType: string) => ({
      id,
      title: 'Director, Performance Marketing',
      location,
      secondaryLocations: secondary.map((l) => ({ location: l })),
      workplaceType,
      isRemote: secondary.some((l) => l.includes('Remote')),
      isListed: true,
      publishedAt: '2026-06-11T17:21:26.410+00:00',
      descriptionPlain: 'Grow our paid channels.',
    });
    const body = {
      apiVersion: '1',
      jobs: [
        job('a1b2c3d4-0000-4000-8000-000000000001', 'New York, NY (HQ)', ['Remote (US)'], 'Hybrid'),
        job('a1b2c3d4-0000-4000-8000-000000000002', 'New York, NY (HQ)', [], 'Hybrid'),
      ],
    };
    serve(h, (_req, res) => json(res, JSON.stringify(body)));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    const both = posting(read, 'a1b2c3d4-0000-4000-8000-000000000001');
    assert.equal(both.location, 'New York, NY (HQ); Remote (US)');
    assert.equal(both.arrangement, 'remote');
    assert.equal(posting(read, 'a1b2c3d4-0000-4000-8000-000000000002').arrangement, 'hybrid');
  });

  it('drops unlisted postings silently and skips one without a title', async () => {
    serve(h, (_req, res) => json(res, fixture('ashby/board.json')));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    assert.deepEqual(read.skipped, [{ index: 4, reason: 'no title' }]);
    assert.equal(read.postings.length, 5);
    assert.ok(!read.postings.some((p) => p.title === 'Head of Partnerships'));
  });

  it('reads an empty board as zero postings', async () => {
    serve(h, (_req, res) => json(res, fixture('ashby/empty.json')));

    const read = await readOk(ashbyAdapter, feed(), ctxFor(h));

    assert.deepEqual(read.postings, []);
    assert.deepEqual(read.skipped, []);
  });

  it('fails a missing board with a FetchError 404 that names the board', async () => {
    serve(h, notFound);

    const err = await rejection(ashbyAdapter.read(feed({ board: 'lumen' }), ctxFor(h)), FetchError);

    assert.equal(err.status, 404);
    assert.match(err.message, /^Ashby job board "lumen" not found/);
  });

  it('passes a 429 on with its Retry-After', async () => {
    serve(h, tooMany);

    const err = await rejection(ashbyAdapter.read(feed(), ctxFor(h)), FetchError);

    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 120_000);
  });

  it('reports a body that is not a board as a ParseError naming the board', async () => {
    serve(h, (_req, res) => json(res, '[]'));

    const err = await rejection(ashbyAdapter.read(feed(), ctxFor(h)), ParseError);

    assert.match(err.message, /^Ashby job board "lumen-health": unexpected API response \(expected an object at the top level, got a list\)/);
  });

  it('builds the public endpoint from the board', () => {
    assert.equal(
      ashbyAdapter.endpoint({ name: 'x', type: 'ashby', enabled: true, board: 'Lumen Health' }),
      'https://api.ashbyhq.com/posting-api/job-board/Lumen%20Health?includeCompensation=true',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('ATS feeds in the config', () => {
  it('rejects a greenhouse feed without board, naming the key and its line', () => {
    const text = ['feeds:', '  - name: acme', '    type: greenhouse', ''].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));

    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.key, 'feeds[0].board');
    assert.equal(typeof issues[0]!.line, 'number');
    assert.match(issues[0]!.message, /^required key is missing \(expected the board name, the word after boards\.greenhouse\.io\/ in the board address\)$/);
  });

  it('suggests the right key for a typo', () => {
    const text = ['feeds:', '  - name: acme', '    type: greenhouse', '    bord: acme', ''].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));

    const typo = issues.find((i) => i.key === 'feeds[0].bord');
    assert.ok(typo, JSON.stringify(issues));
    assert.equal(typo.line, 4);
    assert.equal(typo.message, 'unknown key "bord" (did you mean "board"?)');
  });

  it('requires a lever site and accepts only us or eu as region', () => {
    const text = ['feeds:', '  - name: nw', '    type: lever', '    region: asia', ''].join('\n');

    const issues = issuesOf(() => parseConfigText(text, 'c.yaml', {}));

    assert.deepEqual(
      issues.map((i) => [i.key, i.line]),
      [
        ['feeds[0].site', 2],
        ['feeds[0].region', 4],
      ],
    );
    assert.match(issues[1]!.message, /expected "us" \(jobs\.lever\.co, the default\) or "eu"/);
  });

  it('accepts each ATS type with its keys and a url override', () => {
    const text = [
      'feeds:',
      '  - name: acme',
      '    type: greenhouse',
      '    board: acmerobotics',
      '  - name: nw',
      '    type: lever',
      '    site: northwind-labs',
      '    region: eu',
      '  - name: lumen',
      '    type: ashby',
      '    board: lumen-health',
      '    url: http://127.0.0.1:8080/ashby.json',
      '',
    ].join('\n');

    const config = parseConfigText(text, 'c.yaml', {});

    assert.deepEqual(config.feeds[0], { name: 'acme', type: 'greenhouse', board: 'acmerobotics', enabled: true });
    assert.deepEqual(config.feeds[1], { name: 'nw', type: 'lever', site: 'northwind-labs', region: 'eu', enabled: true });
    assert.equal(config.feeds[2]?.url, 'http://127.0.0.1:8080/ashby.json');
  });
});

describe('type: auto with a pasted board URL', () => {
  const auto = (url: string): Feed => ({ name: 'pasted', type: 'auto', enabled: true, url });

  it('reads a Greenhouse board URL through the greenhouse adapter', () => {
    for (const url of [
      'https://boards.greenhouse.io/acmerobotics',
      'https://job-boards.greenhouse.io/acmerobotics/jobs/4012345007?gh_jid=4012345007',
      'https://boards.greenhouse.io/embed/job_board?for=acmerobotics',
    ]) {
      const { adapter, feed } = resolveFeed(auto(url));
      assert.equal(adapter, greenhouseAdapter, url);
      assert.equal(feed.type, 'greenhouse');
      assert.equal(feed.board, 'acmerobotics');
      assert.equal(feed.url, undefined, 'the public endpoint is read, not the page');
    }
  });

  it('reads a Lever site URL through the lever adapter, with its region', () => {
    const us = resolveFeed(auto('https://jobs.lever.co/northwind-labs/5e1f0a3c-0000-4000-8000-000000001eef'));
    assert.equal(us.adapter, leverAdapter);
    assert.deepEqual([us.feed.type, us.feed.site, us.feed.region], ['lever', 'northwind-labs', 'us']);
    assert.equal(leverAdapter.endpoint(us.feed), 'https://api.lever.co/v0/postings/northwind-labs?mode=json&skip=0&limit=100');

    const eu = resolveFeed(auto('https://jobs.eu.lever.co/northwind-labs'));
    assert.deepEqual([eu.feed.site, eu.feed.region], ['northwind-labs', 'eu']);
    assert.equal(leverAdapter.endpoint(eu.feed), 'https://api.eu.lever.co/v0/postings/northwind-labs?mode=json&skip=0&limit=100');
  });

  it('reads an Ashby board URL through the ashby adapter', () => {
    const { adapter, feed } = resolveFeed(auto('https://jobs.ashbyhq.com/lumen-health/8d3c2b1a-4f5e-4a7b-9c0d-1e2f3a4b5c6d/application'));

    assert.equal(adapter, ashbyAdapter);
    assert.deepEqual([feed.type, feed.board, feed.url], ['ashby', 'lumen-health', undefined]);
  });

  it('leaves other URLs, and the boards’ bare hosts, to the plain-feed adapter', () => {
    for (const url of ['https://weworkremotely.com/remote-jobs.rss', 'https://boards.greenhouse.io/', 'https://jobs.lever.co', 'https://jobs.ashbyhq.com/']) {
      const { adapter, feed } = resolveFeed(auto(url));
      assert.equal(feed.type, 'auto', url);
      assert.deepEqual(adapter.types.includes('auto'), true, url);
    }
  });

  it('recognizes a board URL in a parsed config', () => {
    const config = parseConfigText(['feeds:', '  - name: acme', '    url: https://boards.greenhouse.io/acmerobotics', ''].join('\n'), 'c.yaml', {});

    const { adapter, feed } = resolveFeed(config.feeds[0]!);

    assert.equal(adapter, greenhouseAdapter);
    assert.equal(feed.board, 'acmerobotics');
  });
});
