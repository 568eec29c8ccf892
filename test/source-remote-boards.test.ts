import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError, FetchError, ParseError, type ConfigIssue } from '../src/core/errors.js';
import { createFetcher } from '../src/http/fetcher.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { jobicyAdapter } from '../src/sources/adapters/jobicy.js';
import { remoteokAdapter } from '../src/sources/adapters/remoteok.js';
import { remotiveAdapter, runsPerDay } from '../src/sources/adapters/remotive.js';
import { effectiveSchedule, SOURCE_ADAPTERS } from '../src/sources/registry.js';
import type { FeedBase, SourceAdapter, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, sourceContext, readOk } from './helpers/source.js';

const fixture = (path: string): string => readFileSync(new URL(`./fixtures/sources/${path}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
/** Request paths with their query, in order, and the If-None-Match each one carried. */
const requested: Array<{ url: string; ifNoneMatch: string | null }> = [];
let server: TestServer;

// Each path is one situation; the same paths serve all three boards.
const ROUTES: Record<string, { status: number; body?: string; headers?: Record<string, string> }> = {
  '/remoteok/api': { status: 200, body: fixture('remoteok/api.json'), headers: { etag: '"rok-1"' } },
  '/remoteok/legal-only': { status: 200, body: fixture('remoteok/legal-only.json') },
  '/remoteok/changed': { status: 200, body: '{"error":"Moved"}' },
  '/remoteok/odd-pay': { status: 200, body: JSON.stringify([{ last_updated: 1773720015, legal: 'API Terms of Service' }, ...[
    ['2001', 30, 30], ['2002', 25, 27], ['2003', 114, 225], ['2004', 9_000_000, 12_000_000], ['2005', 2, 3], ['2006', 0, 0], ['2007', 150000, 120000],
  ].map(([id, min, max]) => ({ id, slug: `job-${id}`, position: 'AI Trainer', company: 'Acme', location: 'Worldwide', description: '<p>Train models.</p>', salary_min: min, salary_max: max, date: '2026-03-17T00:00:00+00:00' }))]) },
  '/remotive/api/remote-jobs': { status: 200, body: fixture('remotive/remote-jobs.json') },
  '/remotive/empty': { status: 200, body: fixture('remotive/empty.json') },
  '/remotive/changed': { status: 200, body: '{"jobs":"none"}' },
  '/remotive/no-jobs': { status: 200, body: '{"0-legal-notice":"...","job-count":0}' },
  '/jobicy/api/v2/remote-jobs': { status: 200, body: fixture('jobicy/remote-jobs.json') },
  '/jobicy/empty': { status: 200, body: fixture('jobicy/empty.json') },
  '/jobicy/count-only': { status: 200, body: '{"apiVersion":"2.0","jobCount":0}' },
  '/jobicy/changed': { status: 200, body: '{"apiVersion":"3.0","results":[]}' },
  '/html': { status: 200, body: '<!doctype html><html><body>Just a moment...</body></html>', headers: { 'content-type': 'text/html' } },
  '/busy': { status: 429, body: '{"error":"Too Many Requests"}', headers: { 'retry-after': '120' } },
};

before(async () => {
  server = await startHttpServer((req, res) => {
    const etag = req.headers['if-none-match'];
    requested.push({ url: req.url ?? '', ifNoneMatch: typeof etag === 'string' ? etag : null });
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = ROUTES[path];
    if (route?.headers?.etag && etag === route.headers.etag) {
      res.writeHead(304, { etag: route.headers.etag });
      res.end();
      return;
    }
    res.writeHead(route?.status ?? 404, { 'content-type': 'application/json', ...route?.headers });
    res.end(route?.body ?? '{"error":"Not Found"}');
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(type: string, path: string | null, extra: Record<string, unknown> = {}): FeedBase & Record<string, unknown> {
  const base: FeedBase & Record<string, unknown> = { name: type, type, enabled: true, ...extra };
  if (path !== null) base.url = `${server.url}${path}`;
  return base;
}

function ctx(validators: { etag?: string } = {}): SourceContext {
  return sourceContext(fetcher, { etag: validators.etag });
}

async function read(adapter: SourceAdapter, path: string, extra?: Record<string, unknown>): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(adapter.read(feed(adapter.types[0]!, path, extra), ctx()));
}

function assertCleanText(text: string): void {
  assert.doesNotMatch(text, /<\/?[a-z][^>]*>/i, 'HTML tag left');
  assert.doesNotMatch(text, /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i, 'entity left');
}

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfigText(text, 'c.yaml', {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.issues;
  }
  assert.fail('expected a ConfigError, but the config was accepted');
}

describe('remoteok adapter', () => {
  it('maps id, position, company, url, location, date, tags, clean description, salary in US dollars, remote', async () => {
    const result = await read(remoteokAdapter, '/remoteok/api');

    assert.equal(result.format, 'Remote OK API');
    const job = posting(result, '1093421');
    assert.equal(job.url, 'https://remoteOK.com/remote-jobs/remote-senior-machine-learning-engineer-nomad-health-1093421');
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.location, 'United States');
    assert.deepEqual(job.published, new Date('2024-12-02T12:45:03Z'));
    assert.deepEqual(job.tags, ['machine learning', 'python', 'senior', 'engineer']);
    // RemoteOK states no currency: the numbers are kept, the currency is not invented.
    // RemoteOK's salary fields are yearly US dollars (issue 7: no longer left without a currency).
    assert.deepEqual(job.salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    assert.equal(job.arrangement, 'remote');
    assert.equal(job.arrangementFrom, 'board', 'the board’s remote, which the posting’s own statements may override');
    assertCleanText(job.description);
    assert.ok(job.description.startsWith('About Nomad Health\n\nNomad’s marketplace connects clinicians with hospitals & health systems.'), job.description);
    assert.ok(job.description.includes("What you'll do\n\n- Design & ship ML models\n- Own our feature store"), job.description);
  });

  it('drops the legal notice silently, skips an element without a position and keeps the rest', async () => {
    const result = await read(remoteokAdapter, '/remoteok/api');

    assert.deepEqual(result.postings.map((p) => p.sourceId), ['1093421', '1093398', '1093377', '1093311']);
    assert.deepEqual(result.skipped, [{ index: 4, reason: 'no position (title)' }]);
  });

  it('reads 0 as "no salary", keeps a lone minimum, decodes the company and leaves an empty location null', async () => {
    const result = await read(remoteokAdapter, '/remoteok/api');

    const staff = posting(result, '1093398');
    assert.equal(staff.salary, undefined);
    assert.equal(staff.company, 'Smith & Wesson Digital');
    assert.equal(staff.location, null);
    // Mojibake is the normalizer's job; after it the text reads right.
    assert.ok(normalizePosting(staff, 'remoteok').description.startsWith('We’re looking for a Staff Backend Engineer'));
    assert.deepEqual(posting(result, '1093377').salary, { min: 60000, max: null, currency: 'USD', period: 'year' });
    assert.equal(posting(result, '1093311').salary, undefined);
  });

  it('reads salary numbers only plausible as hourly as hourly, drops implausible ones and orders the bounds', async () => {
    const result = await read(remoteokAdapter, '/remoteok/odd-pay');
    const pay = (id: string): unknown => posting(result, id).salary;
    assert.deepEqual(pay('2001'), { min: 30, max: 30, currency: 'USD', period: 'hour' });
    assert.deepEqual(pay('2002'), { min: 25, max: 27, currency: 'USD', period: 'hour' });
    assert.deepEqual(pay('2003'), { min: 114, max: 225, currency: 'USD', period: 'hour' });
    assert.equal(pay('2004'), undefined); // $9M-$12M a year is not a salary: dropped, not stored
    assert.equal(pay('2005'), undefined); // $2-$3 an hour is not plausible pay either
    assert.equal(pay('2006'), undefined);
    assert.deepEqual(pay('2007'), { min: 120000, max: 150000, currency: 'USD', period: 'year' });
    // Dropped structured pay is not stored, and the text then gets its say (here it states none).
    assert.equal(normalizePosting(posting(result, '2004'), 'remoteok').salary, null);
  });

  it('gives zero postings, not an error, when only the legal notice comes back', async () => {
    const result = await read(remoteokAdapter, '/remoteok/legal-only');
    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it('sends the previous ETag and reports "not modified" on 304', async () => {
    const first = await read(remoteokAdapter, '/remoteok/api');
    assert.equal(first.etag, '"rok-1"');
    const again = await remoteokAdapter.read(feed('remoteok', '/remoteok/api'), ctx({ etag: '"rok-1"' }));
    assert.deepEqual(again, { notModified: true });
    assert.equal(requested.at(-1)?.ifNoneMatch, '"rok-1"');
  });

  it('names RemoteOK when the response is not the array it knows, or not JSON at all', async () => {
    const changed = await rejection(remoteokAdapter.read(feed('remoteok', '/remoteok/changed'), ctx()), ParseError);
    assert.match(changed.message, /^RemoteOK: unexpected API response \(expected a list at the top level, got object\)/);
    const html = await rejection(remoteokAdapter.read(feed('remoteok', '/html'), ctx()), ParseError);
    assert.match(html.message, /^RemoteOK: expected JSON from .*\/html, got an HTML page/);
  });

  it('lets a 404 and a 429 with Retry-After through as FetchErrors', async () => {
    const missing = await rejection(remoteokAdapter.read(feed('remoteok', '/nowhere'), ctx()), FetchError);
    assert.equal(missing.status, 404);
    const busy = await rejection(remoteokAdapter.read(feed('remoteok', '/busy'), ctx()), FetchError);
    assert.equal(busy.status, 429);
    assert.equal(busy.retryAfterMs, 120_000);
  });

  it('reads the public endpoint unless url: replaces it, credits Remote OK and polls hourly by default', () => {
    assert.equal(remoteokAdapter.endpoint(feed('remoteok', null)), 'https://remoteok.com/api');
    assert.deepEqual(remoteokAdapter.attribution, { text: 'Remote OK', url: 'https://remoteok.com' });
    assert.equal(effectiveSchedule(feed('remoteok', null), '*/15 * * * *'), '0 * * * *');
    assert.deepEqual(remoteokAdapter.warnings?.(feed('remoteok', null), '0 * * * *'), []);
    const [warning] = remoteokAdapter.warnings?.(feed('remoteok', null), '*/5 * * * *') ?? [];
    assert.match(warning ?? '', /polls 288 times a day; Remote OK asks not to poll its API too often/);
  });
});

describe('remotive adapter', () => {
  it('maps id, title, company, url, candidate_required_location, UTC publication date, category and tags, remote', async () => {
    const result = await read(remotiveAdapter, '/remotive/api/remote-jobs');

    assert.equal(result.format, 'Remotive API');
    const job = posting(result, '1934212');
    assert.equal(job.url, 'https://remotive.com/remote-jobs/software-dev/senior-ml-engineer-1934212');
    assert.equal(job.title, 'Senior ML Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.equal(job.location, 'USA');
    // publication_date has no zone: it is UTC, not the server's local time.
    assert.deepEqual(job.published, new Date('2024-11-20T08:12:45Z'));
    assert.deepEqual(job.tags, ['Software Development', 'machine learning', 'python', 'aws']);
    assert.equal(job.arrangement, 'remote');
    assert.equal(job.arrangementFrom, 'board', 'the board’s remote, which the posting’s own statements may override');
    assert.equal(job.salary, undefined);
  });

  it('puts the free-text salary first in the clean description, where the salary extraction reads it', async () => {
    const result = await read(remotiveAdapter, '/remotive/api/remote-jobs');

    const job = posting(result, '1934212');
    assertCleanText(job.description);
    assert.equal(
      job.description,
      'Salary: $135,000 - $180,000\n\nAbout Nomad Health\n\nNomad’s marketplace connects clinicians with hospitals.\n\nWhat you will do\n\n- Design & ship ML models\n- Own our stack end‑to‑end',
    );
    assert.deepEqual(normalizePosting(job, 'remotive').salary, { min: 135000, max: 180000, currency: 'USD', period: 'year' });
    const monthly = normalizePosting(posting(result, '1934288'), 'remotive');
    assert.deepEqual(monthly.salary, { min: 4500, max: 5500, currency: 'EUR', period: 'month' });
    // No salary text: no "Salary:" line.
    assert.equal(posting(result, '1934300').description, 'React, TypeScript. R&D team of 6.');
  });

  it('skips a job without a URL and keeps the others', async () => {
    const result = await read(remotiveAdapter, '/remotive/api/remote-jobs');
    assert.equal(result.postings.length, 3);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no http(s) url' }]);
  });

  it('gives zero postings for an empty category', async () => {
    const result = await read(remotiveAdapter, '/remotive/empty');
    assert.deepEqual(result.postings, []);
    assert.deepEqual(result.skipped, []);
  });

  it('names Remotive when the "jobs" list is missing or not a list', async () => {
    const notList = await rejection(remotiveAdapter.read(feed('remotive', '/remotive/changed'), ctx()), ParseError);
    assert.match(notList.message, /^Remotive: unexpected API response \(expected a list at jobs, got string\)/);
    const missing = await rejection(remotiveAdapter.read(feed('remotive', '/remotive/no-jobs'), ctx()), ParseError);
    assert.match(missing.message, /^Remotive: unexpected API response \(no "jobs" list/);
  });

  it('lets a 404 and a 429 with Retry-After through as FetchErrors', async () => {
    assert.equal((await rejection(remotiveAdapter.read(feed('remotive', '/nowhere'), ctx()), FetchError)).status, 404);
    assert.equal((await rejection(remotiveAdapter.read(feed('remotive', '/busy'), ctx()), FetchError)).retryAfterMs, 120_000);
  });

  it('builds the endpoint from category and search, and url: replaces it entirely', async () => {
    assert.equal(remotiveAdapter.endpoint(feed('remotive', null)), 'https://remotive.com/api/remote-jobs');
    assert.equal(
      remotiveAdapter.endpoint(feed('remotive', null, { category: 'software-dev', search: 'machine learning & AI' })),
      'https://remotive.com/api/remote-jobs?category=software-dev&search=machine+learning+%26+AI',
    );
    await read(remotiveAdapter, '/remotive/api/remote-jobs', { category: 'software-dev', search: 'ml' });
    assert.equal(requested.at(-1)?.url, '/remotive/api/remote-jobs');
  });

  it('polls 4 times a day by default, warns about a faster schedule, and credits Remotive', () => {
    assert.equal(effectiveSchedule(feed('remotive', null), '*/15 * * * *'), '0 */6 * * *');
    assert.equal(runsPerDay(remotiveAdapter.defaultSchedule!), 4);
    assert.deepEqual(remotiveAdapter.warnings?.(feed('remotive', null), '0 */6 * * *'), []);
    assert.deepEqual(remotiveAdapter.warnings?.(feed('remotive', null), '30 8,20 * * 1-5'), []);
    const warnings = remotiveAdapter.warnings?.(feed('remotive', null), '*/15 * * * *') ?? [];
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^schedule "\*\/15 \* \* \* \*" polls 96 times a day; Remotive advises at most 4 calls a day/);
    assert.equal(remotiveAdapter.warnings?.(feed('remotive', null), '0 */4 * * *').length, 1);
    assert.deepEqual(remotiveAdapter.attribution, { text: 'Remotive', url: 'https://remotive.com' });
  });
});

describe('jobicy adapter', () => {
  it('maps id, title, company, url, jobGeo, UTC pubDate, industries and types, clean description, remote', async () => {
    const result = await read(jobicyAdapter, '/jobicy/api/v2/remote-jobs');

    assert.equal(result.format, 'Jobicy API');
    const job = posting(result, '74847');
    assert.equal(job.url, 'https://jobicy.com/jobs/74847-research-scientist-2');
    assert.equal(job.title, 'Research Scientist – Voice AI Foundations');
    assert.equal(job.company, 'Deepgram');
    assert.equal(job.location, 'USA');
    assert.deepEqual(job.published, new Date('2024-12-07T04:03:02Z'));
    assert.deepEqual(job.tags, ['Data Science', 'full-time']);
    assert.equal(job.arrangement, 'remote');
    assert.equal(job.arrangementFrom, 'board', 'the board’s remote, which the posting’s own statements may override');
    assertCleanText(job.description);
    assert.ok(job.description.includes('our customers’ most challenging problems'), job.description);
    assert.ok(job.description.includes('What You’ll Do:\n\n- Design and carry out'), job.description);
  });

  it('reads annualSalaryMin/Max as yearly pay, and salaryMin/Max with salaryPeriod in newer responses', async () => {
    const result = await read(jobicyAdapter, '/jobicy/api/v2/remote-jobs');

    assert.deepEqual(posting(result, '74847').salary, { min: 150000, max: 220000, currency: 'USD', period: 'year' });
    const monthly = posting(result, '112540');
    assert.deepEqual(monthly.salary, { min: 3000, max: 4000, currency: 'EUR', period: 'month' });
    assert.deepEqual(monthly.tags, ['Marketing & Sales', 'contract', 'Midweight']);
    const none = posting(result, '113597');
    assert.equal(none.salary, undefined);
    assert.deepEqual(none.tags, ['Software Engineering', 'full-time', 'Senior']);
  });

  it('skips a job without a title and keeps the others', async () => {
    const result = await read(jobicyAdapter, '/jobicy/api/v2/remote-jobs');
    assert.deepEqual(result.postings.map((p) => p.sourceId), ['74847', '113597', '112540']);
    assert.deepEqual(result.skipped, [{ index: 3, reason: 'no jobTitle' }]);
  });

  it('gives zero postings for a filter that matches nothing, with or without an empty "jobs" list', async () => {
    assert.deepEqual((await read(jobicyAdapter, '/jobicy/empty')).postings, []);
    assert.deepEqual((await read(jobicyAdapter, '/jobicy/count-only')).postings, []);
  });

  it('names Jobicy when the response has no jobs list', async () => {
    const err = await rejection(jobicyAdapter.read(feed('jobicy', '/jobicy/changed'), ctx()), ParseError);
    assert.match(err.message, /^Jobicy: unexpected API response \(no "jobs" list/);
  });

  it('lets a 404 and a 429 with Retry-After through as FetchErrors', async () => {
    assert.equal((await rejection(jobicyAdapter.read(feed('jobicy', '/nowhere'), ctx()), FetchError)).status, 404);
    assert.equal((await rejection(jobicyAdapter.read(feed('jobicy', '/busy'), ctx()), FetchError)).retryAfterMs, 120_000);
  });

  it('builds the endpoint from geo, industry and tag, and url: replaces it entirely', async () => {
    assert.equal(jobicyAdapter.endpoint(feed('jobicy', null)), 'https://jobicy.com/api/v2/remote-jobs?count=50');
    assert.equal(
      jobicyAdapter.endpoint(feed('jobicy', null, { geo: 'usa', industry: 'data-science', tag: 'machine learning' })),
      'https://jobicy.com/api/v2/remote-jobs?count=50&geo=usa&industry=data-science&tag=machine+learning',
    );
    await read(jobicyAdapter, '/jobicy/api/v2/remote-jobs', { geo: 'usa' });
    assert.equal(requested.at(-1)?.url, '/jobicy/api/v2/remote-jobs');
  });

  it('polls 4 times a day by default and warns about a faster schedule', () => {
    assert.equal(effectiveSchedule(feed('jobicy', null), '*/15 * * * *'), '0 */6 * * *');
    assert.deepEqual(jobicyAdapter.warnings?.(feed('jobicy', null), '0 9,17 * * *'), []);
    const [warning] = jobicyAdapter.warnings?.(feed('jobicy', null), '0 * * * *') ?? [];
    assert.match(warning ?? '', /polls 24 times a day; Jobicy recommends a few calls a day/);
  });
});

describe('remote boards in the config', () => {
  it('registers remoteok, remotive and jobicy, none needing a url', () => {
    for (const type of ['remoteok', 'remotive', 'jobicy']) {
      assert.equal(SOURCE_ADAPTERS.get(type)?.urlRequired, false, type);
    }
    const config = parseConfigText(
      [
        'feeds:',
        '  - name: rok',
        '    type: remoteok',
        '  - name: remotive-ml',
        '    type: remotive',
        '    category: software-dev',
        '    search: machine learning',
        '  - name: jobicy-us',
        '    type: jobicy',
        '    geo: usa',
        '    industry: engineering',
        '    tag: python',
        '    url: http://127.0.0.1:9/jobicy',
      ].join('\n'),
      'c.yaml',
      {},
    );
    assert.equal(config.feeds.length, 3);
    assert.equal(config.feeds[1]?.category, 'software-dev');
    assert.equal(config.feeds[2]?.url, 'http://127.0.0.1:9/jobicy');
  });

  it('rejects an empty optional key with its line', () => {
    const text = 'feeds:\n  - name: r\n    type: remotive\n    category: ""\n';
    const [issue] = issuesOf(text);
    assert.equal(issue?.key, 'feeds[0].category');
    assert.equal(issue?.line, 4);
    assert.match(issue?.message ?? '', /must not be empty/);
  });

  it('suggests the right key for a typo', () => {
    const [remotive] = issuesOf('feeds:\n  - name: r\n    type: remotive\n    categroy: software-dev\n');
    assert.equal(remotive?.key, 'feeds[0].categroy');
    assert.equal(remotive?.line, 4);
    assert.equal(remotive?.message, 'unknown key "categroy" (did you mean "category"?)');
    const [jobicy] = issuesOf('feeds:\n  - name: j\n    type: jobicy\n    tags: python\n');
    assert.equal(jobicy?.message, 'unknown key "tags" (did you mean "tag"?)');
  });

  it('rejects another adapter\'s key on remoteok', () => {
    const [issue] = issuesOf('feeds:\n  - name: r\n    type: remoteok\n    board: acme\n');
    assert.equal(issue?.key, 'feeds[0].board');
    assert.match(issue?.message ?? '', /^unknown key "board"/);
  });
});
