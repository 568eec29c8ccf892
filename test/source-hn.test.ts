import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError, FetchError, ParseError } from '../src/core/errors.js';
import type { RawPosting } from '../src/core/types.js';
import { createFetcher } from '../src/http/fetcher.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { hnAdapter } from '../src/sources/adapters/hn.js';
import { parseHnHeader, roleInProse, splitRoles, type HnHeader } from '../src/sources/adapters/hn-first-line.js';
import { effectiveSchedule } from '../src/sources/registry.js';
import type { FeedBase, SourceContext, SourceRead } from '../src/sources/types.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { posting, rejection, sourceContext, readOk } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/sources/hn/${name}`, import.meta.url), 'utf8');

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
/** Request paths with their query, in order. */
const requested: string[] = [];
let server: TestServer;

before(async () => {
  server = await startHttpServer((req, res) => {
    requested.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://x');
    const page = url.searchParams.get('page') ?? '0';
    const json = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body);
    };
    // Every situation is a base URL of its own: /<situation>/api/v1/...
    const [, situation, ...rest] = url.pathname.split('/');
    const endpoint = `/${rest.join('/')}`;
    const search = endpoint === '/api/v1/search_by_date';
    if (search && url.searchParams.get('tags') !== 'story,author_whoishiring') return json(400, '{"message":"bad tags"}');
    switch (`${situation} ${search ? 'search' : endpoint}`) {
      case 'hn search':
        return json(200, fixture('search.json'));
      case 'hn /api/v1/items/42297424':
        return json(200, fixture('items-42297424.json'));
      case 'paged search':
        return json(200, fixture(page === '1' ? 'search-paged-1.json' : 'search-paged-0.json'));
      case 'paged /api/v1/items/42297424':
        return json(200, fixture('items-42297424.json'));
      case 'none search':
        return json(200, fixture('search-none.json'));
      case 'empty search':
        return json(200, fixture('search.json'));
      case 'empty /api/v1/items/42297424':
        return json(200, fixture('items-empty.json'));
      case 'gone search':
        return json(200, fixture('search.json'));
      case 'busy search':
        return json(429, '{"message":"Too many requests"}', { 'retry-after': '30' });
      case 'changed search':
        return json(200, '{"results":[]}');
      case 'lines search':
        return json(200, fixture('search.json'));
      case 'lines /api/v1/items/42297424':
        return json(200, fixture('items-lines.json'));
      case 'bands search':
        return json(200, fixture('search.json'));
      case 'bands /api/v1/items/42297424':
        return json(200, fixture('items-bands.json'));
      case 'nochildren search':
        return json(200, fixture('search.json'));
      case 'nochildren /api/v1/items/42297424':
        return json(200, '{"id":42297424,"type":"story","title":"Ask HN: Who is hiring? (December 2024)"}');
      default:
        return json(404, '{"error":"Not Found"}');
    }
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

function feed(situation: string | null): FeedBase & Record<string, unknown> {
  const f: FeedBase & Record<string, unknown> = { name: 'hn', type: 'hn', enabled: true };
  if (situation !== null) f.url = `${server.url}/${situation}/api/v1`;
  return f;
}

function ctx(): SourceContext {
  return sourceContext(fetcher);
}

async function read(situation: string): Promise<Extract<SourceRead, { notModified: false }>> {
  return readOk(hnAdapter.read(feed(situation), ctx()));
}

function header(text: string): HnHeader {
  const result = parseHnHeader(text);
  assert.ok(result.ok, `expected a posting, got: ${result.ok ? '' : result.reason}`);
  return result.header;
}

describe('hn adapter: finding the thread', () => {
  it('reads the newest "Ask HN: Who is hiring?" thread, not "Who wants to be hired?" listed before it', async () => {
    const before = requested.length;
    const result = await read('hn');

    assert.equal(result.format, 'HN Who is hiring (Algolia)');
    assert.deepEqual(requested.slice(before), ['/hn/api/v1/search_by_date?tags=story,author_whoishiring', '/hn/api/v1/items/42297424']);
    assert.equal(result.etag, null);
  });

  it('follows search pages until the thread turns up', async () => {
    const before = requested.length;
    const result = await read('paged');

    assert.deepEqual(requested.slice(before), [
      '/paged/api/v1/search_by_date?tags=story,author_whoishiring',
      '/paged/api/v1/search_by_date?tags=story,author_whoishiring&page=1',
      '/paged/api/v1/items/42297424',
    ]);
    assert.equal(result.postings.length, 16);
  });

  it('gives zero postings when there is no thread, or the thread has no comments yet', async () => {
    assert.deepEqual((await read('none')).postings, []);
    const empty = await read('empty');
    assert.deepEqual(empty.postings, []);
    assert.deepEqual(empty.skipped, []);
  });

  it('lets a 404 and a 429 with Retry-After through as FetchErrors', async () => {
    const gone = await rejection(hnAdapter.read(feed('gone'), ctx()), FetchError);
    assert.equal(gone.status, 404);
    assert.match(gone.message, /items\/42297424/);
    const busy = await rejection(hnAdapter.read(feed('busy'), ctx()), FetchError);
    assert.equal(busy.status, 429);
    assert.equal(busy.retryAfterMs, 30_000);
  });

  it('names the source when the API answers a shape it does not know', async () => {
    const search = await rejection(hnAdapter.read(feed('changed'), ctx()), ParseError);
    assert.match(search.message, /^Hacker News \(Algolia\): unexpected API response \(expected a list at hits, got undefined\)/);
    const items = await rejection(hnAdapter.read(feed('nochildren'), ctx()), ParseError);
    assert.match(items.message, /expected a list at items\/42297424\.children/);
  });

  it('reads the public Algolia API unless url: replaces its base; polls hourly by default; needs no keys', async () => {
    assert.equal(hnAdapter.endpoint(feed(null)), 'https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring');
    const withSlash = { ...feed('hn'), url: `${server.url}/hn/api/v1/` };
    const result = await hnAdapter.read(withSlash, ctx());
    assert.equal(result.notModified, false);
    assert.equal(effectiveSchedule(feed(null), '*/15 * * * *'), '0 * * * *');

    const config = parseConfigText('feeds:\n  - name: hn\n    type: hn\n', 'c.yaml', {});
    assert.equal(config.feeds[0]?.type, 'hn');
    try {
      parseConfigText('feeds:\n  - name: hn\n    type: hn\n    ur: https://example.com\n', 'c.yaml', {});
      assert.fail('expected a ConfigError');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.issues[0]?.key, 'feeds[0].ur');
      assert.equal(err.issues[0]?.line, 4);
      assert.equal(err.issues[0]?.message, 'unknown key "ur" (did you mean "url"?)');
    }
  });
});

describe('hn adapter: one posting per top-level comment', () => {
  it('maps a conventional comment: company, role, place, arrangement, pay, HN link, time, clean text', async () => {
    const result = await read('hn');

    const job = posting(result, '42297510');
    assert.equal(job.url, 'https://news.ycombinator.com/item?id=42297510');
    assert.equal(job.company, 'Northwind Payments');
    assert.equal(job.title, 'Software Engineer, Payments Infrastructure');
    assert.equal(job.location, 'San Francisco, Seattle, NYC, Remote (US)');
    assert.equal(job.arrangement, 'remote');
    assert.deepEqual(job.salary, { min: 180000, max: 250000, currency: 'USD', period: 'year' });
    assert.deepEqual(job.tags, ['Full-time']);
    assert.deepEqual(job.published, new Date('2024-12-02T16:01:55Z'));
    assert.equal(
      job.description,
      'Northwind Payments | Software Engineer, Payments Infrastructure | San Francisco, Seattle, NYC, Remote (US) | Full-time | $180k-$250k + equity | https://northwind.example/jobs\n\n' +
        "We move money for 40,000 small businesses. We're a team of 60 engineers and we're hiring for our ledger and payouts teams.\n\n" +
        'Stack: Go, Postgres, Kafka, Kubernetes. Apply at https://northwind.example/jobs or email hiring@northwind.example.',
    );
  });

  it('reads every realistic comment as a careful reader would', async () => {
    const result = await read('hn');
    const expected: Record<string, Partial<RawPosting>> = {
      '42297533': { company: 'Acme Robotics', title: 'Senior Backend Engineer', location: 'Boston, MA', arrangement: 'onsite', salary: { min: 160000, max: 210000, currency: 'USD', period: 'year' } },
      '42297560': { company: 'Datadog', title: 'Senior SRE', location: 'New York, NY', arrangement: 'hybrid', salary: { min: 200000, max: 250000, currency: 'USD', period: 'year' } },
      '42297588': { company: 'Linear', title: 'Multiple roles', location: 'Remote (North America, Europe)', arrangement: 'remote' },
      '42297601': { company: 'Zed Industries', title: 'Senior Rust Engineer', location: 'Boulder, CO or Remote', arrangement: 'remote', salary: { min: 180000, max: 220000, currency: 'USD', period: 'year' } },
      '42297620': { company: 'Fernhill Labs', title: 'Senior Go Engineer', location: null, arrangement: 'remote' },
      '42297670': { company: 'Helsing', title: 'Backend Engineer (Python)', location: 'Berlin, Munich', arrangement: 'onsite', salary: { min: 85000, max: 120000, currency: 'EUR', period: 'year' } },
      '42297702': { company: 'Ginkgo Bioworks', title: 'Software Engineering Intern (Summer 2025)', location: 'Boston, MA', arrangement: 'onsite', salary: { min: 45, max: 45, currency: 'USD', period: 'hour' } },
      '42297730': { company: 'Monzo', title: 'Staff Data Scientist', location: 'London, UK', arrangement: 'hybrid', salary: { min: 95000, max: 120000, currency: 'GBP', period: 'year' } },
      '42297755': { company: 'Kraken Systems', title: 'Senior Elixir Developer', location: 'REMOTE (worldwide)', arrangement: 'remote', salary: { min: 90, max: 110, currency: 'USD', period: 'hour' }, tags: ['Contract'] },
      '42297781': { company: 'Oxide Computer Company', title: 'Hardware Engineer', location: 'Emeryville, CA or Remote (US)', arrangement: 'remote', salary: { min: 207264, max: 207264, currency: 'USD', period: 'year' } },
      // "onsite, 4 days a week": four office days make it hybrid (DESIGN's 1-4 days rule).
      '42297802': { company: 'Parabola', title: 'Founding Designer', location: 'NYC', arrangement: 'hybrid' },
      '42297830': { company: 'Nomad Health', title: 'Senior Machine Learning Engineer', location: 'Remote (US only)', arrangement: 'remote', salary: { min: 135000, max: 180000, currency: 'USD', period: 'year' } },
      '42297858': { company: 'fly.io', title: 'Platform Engineer', location: 'Remote (US, EU)', arrangement: 'remote', tags: ['Full-time'] },
      '42297930': { company: 'Quill Analytics', title: 'Senior Data Engineer', location: 'Austin, TX', arrangement: 'remote', salary: { min: 150000, max: 185000, currency: 'USD', period: 'year' } },
      '42297905': { company: 'Sentry', title: 'Senior Software Engineer, Ingest', location: 'Toronto, Vienna, SF', arrangement: 'remote', salary: { min: 170000, max: 210000, currency: 'CAD', period: 'year' } },
    };
    for (const [id, want] of Object.entries(expected)) {
      const got = posting(result, id);
      for (const [key, value] of Object.entries(want)) {
        assert.deepEqual(got[key as keyof RawPosting], value, `${id}.${key}`);
      }
      assert.equal(got.url, `https://news.ycombinator.com/item?id=${id}`);
      assert.doesNotMatch(got.description, /<\/?[a-z][^>]*>|&(?:#x?[0-9a-f]+|[a-z]+);/i, `${id}: markup left in the description`);
    }
    // Several roles: the first is the title, all of them stay in the description.
    assert.match(posting(result, '42297533').description, /^Acme Robotics \(YC W21\) \| Senior Backend Engineer, ML Engineer \|/);
    assert.ok(posting(result, '42297588').description.includes('- Senior Product Engineer\n\n- Product Designer'));
  });

  it('skips comments that are not postings with a reason, drops deleted ones and ignores replies', async () => {
    const result = await read('hn');

    assert.equal(result.postings.length, 16);
    assert.deepEqual(result.skipped, [
      { index: 6, reason: 'no recognizable company in the first line' },
      { index: 16, reason: 'no recognizable company in the first line' },
    ]);
    assert.ok(!result.postings.some((p) => p.sourceId === '42297655'), 'a deleted comment is no posting');
    assert.ok(!result.postings.some((p) => p.sourceId === '42297999'), 'a reply is no posting');
  });

  it('normalizes into what matching needs: seniority, role, remote regions, pay', async () => {
    const result = await read('hn');

    const nomad = normalizePosting(posting(result, '42297830'), 'hn');
    assert.equal(nomad.seniority, 'senior');
    assert.equal(nomad.role, 'ml engineer');
    assert.equal(nomad.arrangement, 'remote');
    assert.deepEqual(nomad.remoteRegions, ['US']);
    assert.equal(nomad.annualMax, 180000);
    const kraken = normalizePosting(posting(result, '42297755'), 'hn');
    assert.equal(kraken.annualMax, 110 * 2080);
    // Prose comment: pay found by the text extraction, as for any description.
    const fernhill = normalizePosting(posting(result, '42297620'), 'hn');
    assert.deepEqual(fernhill.salary, { min: 170000, max: 200000, currency: 'USD', period: 'year' });
  });
});

describe('hn adapter: pay of a comment that states several bands', () => {
  it('takes the envelope of the header band and the bands of the other roles in the comment', async () => {
    const result = await read('bands');
    // Two header lines, each with its band: the envelope (README, salary: several bands).
    assert.deepEqual(posting(result, '42298101').salary, { min: 45000, max: 160000, currency: 'USD', period: 'year' });
    // An open-ended header band stays open; a perk amount in the body does not narrow it.
    assert.deepEqual(posting(result, '42298102').salary, { min: 95000, max: null, currency: 'GBP', period: 'year' });
    // A band in another currency is not merged into the header's.
    assert.deepEqual(posting(result, '42298103').salary, { min: 190000, max: 240000, currency: 'USD', period: 'year' });
  });
});

describe('hn adapter: line breaks typed inside a paragraph, and posts that offer no job', () => {
  it('keeps a typed line break as a line: a "Company:" form, a name alone above its fields, a place line above the header', async () => {
    const result = await read('lines');

    const form = posting(result, '42298001');
    assert.equal(form.company, 'Tulpa');
    assert.equal(form.location, 'Leiden, Netherlands (Hybrid Mon/Wed)');
    assert.equal(form.arrangement, 'hybrid');
    assert.equal(form.title, 'Medior Backend Developer');
    assert.deepEqual(form.salary, { min: 4000, max: 4500, currency: 'EUR', period: 'month' });
    assert.ok(form.description.startsWith('Company: Tulpa\nLocation: Leiden'));
    const alone = posting(result, '42298002');
    assert.equal(alone.company, 'Corvid Labs');
    assert.equal(alone.arrangement, 'remote');
    const placeFirst = posting(result, '42298003');
    assert.equal(placeFirst.company, 'Brightloop');
    assert.equal(placeFirst.arrangement, 'remote');
    assert.equal(placeFirst.title, 'Founding Engineer');
    // "Hacker News Post - Who is hiring?" echoes the thread: the header is the next line.
    const echo = posting(result, '42298008');
    assert.equal(echo.company, 'KOBALT');
    assert.equal(echo.location, 'Oslo, Norway');
    assert.equal(echo.arrangement, 'remote');
  });

  it('skips job seekers, a résumé form, unpaid volunteering and a one-word comment, each with its reason', async () => {
    const result = await read('lines');

    assert.deepEqual(
      result.postings.map((p) => p.sourceId),
      ['42298001', '42298002', '42298003', '42298008'],
    );
    assert.deepEqual(result.skipped, [
      { index: 3, reason: 'a job seeker, not a job' },
      { index: 4, reason: 'a job seeker, not a job' },
      { index: 5, reason: 'unpaid volunteering, not a job' },
      { index: 6, reason: 'no recognizable company in the first line' },
    ]);
  });
});

describe('parseHnHeader(): which field is the company', () => {
  it('takes the field that is no role, place, marker, link, pay or perk, wherever it stands', () => {
    const titleFirst = header('Senior Software Engineer | Lumen Data Systems | ONSITE (Pune, India) | Full-Time | https://lumen.example');
    assert.equal(titleFirst.company, 'Lumen Data Systems');
    assert.equal(titleFirst.title, 'Senior Software Engineer');
    assert.equal(titleFirst.location, 'ONSITE (Pune, India)');
    assert.equal(titleFirst.arrangement, 'onsite');
    assert.equal(header('Data Analyst | Civic Maps Hub | Remote (US)').company, 'Civic Maps Hub');
    assert.equal(header('CS PhD position | Aarhus University | Denmark | ONSITE').company, 'Aarhus University');
    assert.equal(header('Cologne, Germany | UMX | Product Engineer | 55 - 85k EUR | ONSITE (part remote)').company, 'UMX');
    assert.equal(header('Engineering Director, Platform | Company: Brightline| Austin | Hybrid |').company, 'Brightline');
    // The name keeps what it is called; the aside says where, a batch or an affiliation is dropped.
    const aside = header('Fernleaf Health (Austin, TX) | Founding Engineer | ONSITE Austin | Fractional or full-time');
    assert.equal(aside.company, 'Fernleaf Health');
    assert.deepEqual(aside.jobTypes, ['Fractional', 'full-time']);
    assert.equal(header('Quillpad (Remote US) — Full-Stack Software Engineer — TypeScript / Postgres').company, 'Quillpad');
    assert.equal(header('7 Sisters YC P26 | Robotics Engineering | Austin, ONSITE').company, '7 Sisters');
    assert.equal(header('ORCA Cloud, NTNU | Trondheim, Norway | Platform engineer | ONSITE').company, 'ORCA Cloud');
    assert.equal(header('[Tessel](http://tessel.example/) | VoiceAI | webRTC | Remote | Full Time').company, 'Tessel');
    // Words that are perks in later fields are names in the first: these are companies.
    assert.equal(header('Seed Health | Senior Data Engineer | Venice, CA | Hybrid').company, 'Seed Health');
    assert.equal(header('People Data Labs | Backend Engineer | REMOTE (US)').company, 'People Data Labs');
    assert.equal(header('Seeking Alpha | Staff Engineer | NYC | Hybrid').company, 'Seeking Alpha');
  });

  it('splits on "/", ";" and dashes inside a "|" field when those are what separates the fields', () => {
    const slashed = header('Kestrel Networks / Mobile Software Engineer/ Fully Remote/ Full-Time/ US Citizen');
    assert.equal(slashed.company, 'Kestrel Networks');
    assert.equal(slashed.arrangement, 'remote');
    const semi = header('Ombra; Fulltime; Onsite, Lisbon, Portugal.');
    assert.equal(semi.company, 'Ombra');
    assert.equal(semi.arrangement, 'onsite');
    assert.equal(header('90NORTH - Full-time Remote | Senior QA Engineer').company, '90NORTH');
    // Roles stay whole: "Backend / Frontend / Android" is one field of a "|" line.
    assert.equal(header('Tango Me | Senior Backend / Frontend / Android / QA | Limassol, Cyprus | Hybrid | Relocation').company, 'Tango Me');
  });

  it('names a domain by the word the posting uses for itself, and keeps the domain when it uses no other', () => {
    assert.equal(header('Wrenly.ai | ML Scientist | Remote or Hybrid (Boston)\nAt Wrenly we build models of cells.').company, 'Wrenly');
    assert.equal(header('Quillo.tech | Remote-first with PST overlap | iOS, Android\nHi, I am the founder of Quillo.tech.').company, 'Quillo.tech');
    assert.equal(header('Slatework.com | Founding Engineer | NYC (On-site)\nSlatework helps brands find copycats.').company, 'Slatework');
  });

  it('takes the company from its own link, then from the body, when the header names none', () => {
    const link = header('Head of Platform | Full-Time | Remote | $150k - $190k - https://harbormill.io/jobs/head-of-platform\nKeep Harbormill fast for 2 million members.');
    assert.equal(link.company, 'Harbormill');
    assert.equal(link.arrangement, 'remote');
    const joined = header('Senior Python Backend Engineer | REMOTE (EMEA/APAC)\nWe need engineers for a GPU scheduler. Sounds fun? Join Pellucid Technologies and own it.');
    assert.equal(joined.company, 'Pellucid Technologies');
    assert.equal(header('Rust engineer Quokka\nTYPE: full-time\nLOCATION: Utrecht\nREMOTE: Optional\nDESCRIPTION: Quokka is the company behind the Quokka OSS project.').company, 'Quokka');
    const labelled = header('Rust engineer Quokka\nTYPE: full-time\nLOCATION: Utrecht\nREMOTE: Optional\nDESCRIPTION: Quokka is the company behind the Quokka OSS project.');
    assert.equal(labelled.location, 'Utrecht');
    assert.equal(labelled.arrangement, 'remote');
    assert.deepEqual(labelled.jobTypes, ['full-time']);
    // Links to where postings, documents or profiles are hosted name no employer.
    assert.equal(header('Founding GTM Lead | Denver | Hybrid | Full-Time\nApply: https://jobs.ashbyhq.com/x or https://docs.google.com/d/1').company, null);
  });

  it('reads prose openings that name the employer as a subject, an object or an appositive', () => {
    assert.equal(header('Quarry Health is a series B clinic software company, remote across the US.\nWe are hiring full stack engineers.').company, 'Quarry Health');
    const aside = header('Hey all, Ledgerly (https://ledgerly.io, Series A, ONSITE: Chicago) is growing fast and hiring senior engineers in Chicago.');
    assert.equal(aside.company, 'Ledgerly');
    assert.equal(aside.arrangement, 'onsite');
    assert.equal(aside.location, 'Chicago');
    assert.equal(header('Hiring for several roles at Brindle, an edtech studio making cartoons.\nOpen roles: Animators, Writers, a Producer.').company, 'Brindle');
    assert.equal(header("Hey HN! I'm hiring to grow our team at Skyfold Analytics (https://skyfold.io)\nSenior engineers, onsite in Boston.").company, 'Skyfold Analytics');
    assert.equal(header('Backed by Acme Ventures, Tallow is the operations platform for plants | In-office 4 days | $130,000 - $200,000').company, 'Tallow');
    assert.equal(header('kelp (YC F24) looking for ambitious engineers to join our small, in-person team in Berlin').company, 'kelp');
  });

  it('posts a job with no company when the poster describes the employer instead of naming it', () => {
    for (const text of [
      'Stealth AI Startup (Funded) | Senior Software Engineers | REMOTE (US)',
      'Freight Brokerage | NJ | Founding Backend Architect | Remote (US) | $150K',
      '(AU ONLY / REMOTE)\nSenior engineer to step into a 30k LOC Python system. Email me.',
    ]) {
      const result = parseHnHeader(text);
      assert.ok(result.ok, text);
      assert.equal(result.header.company, null, text);
    }
  });

  it('tells job seekers, volunteering and meta comments from offers', () => {
    for (const text of [
      'SEEKING | AI/ML Engineer | Auburn AL → SF/Remote |\nF-1 STEM OPT',
      'Location: Fremont, CA\nRemote: Yes\nWilling to relocate: No\nTechnologies: Go',
      'Subject: Full Stack Engineer Application - Sam Doe\nLocation: Remote (PKT)\nHi, I’m reaching out regarding your post.',
      'Volunteer (unpaid) | remote anywhere | Infrastructure Engineer | Part time',
      'Quick heads-up! Please list the location (REMOTE / ONSITE), post only if you’re hiring for your company.',
      '213 comments as of noon, 11 hours after the thread opened. Lower than usual.',
      'Great Thread\nSo many good companies this month, thanks all.',
      'Remote',
    ]) {
      assert.equal(parseHnHeader(text).ok, false, text);
    }
  });
});

describe('parseHnHeader(): hostile input', () => {
  it('stays linear on long runs of dots, brackets, capitalised words and separators', () => {
    for (const text of [
      'a.'.repeat(100_000),
      `Role | ${'('.repeat(50_000)}`,
      `${'Acme '.repeat(40_000)}is`,
      `We are ${'x'.repeat(100_000)}`,
      `Engineer | ${'| '.repeat(50_000)}`,
      `Head of Platform | Remote\n${'https://a.b.c.d.e.f '.repeat(10_000)}`,
    ]) {
      const started = performance.now();
      parseHnHeader(text);
      assert.ok(performance.now() - started < 1500, `${text.slice(0, 20)}... took too long`);
    }
  });
});

describe('parseHnHeader(): how and where the work is done', () => {
  it('reads HN markers, not the country named: "Sweden | ONSITE" is onsite in Sweden', () => {
    const h = header('Nordlys | Research Engineer | Sweden | ONSITE');
    assert.equal(h.arrangement, 'onsite');
    assert.equal(h.location, 'Sweden');
    assert.equal(header('Nordlys | Research Engineer | Sweden').arrangement, undefined);
  });

  it('counts every option of a field: any remote option makes it remote, part-remote is hybrid, exceptions do not count', () => {
    assert.equal(header('Acme | Senior Engineers | Durham, NC | Hybrid (open to remote)').arrangement, 'remote');
    assert.equal(header('Acme | Chicago | Remote, Onsite, Hybrid').arrangement, 'remote');
    assert.equal(header('Acme | Curie | AI Engineer | Hybrid (Chicago), Remote (San Francisco)').arrangement, 'remote');
    assert.equal(header('Acme | London, UK | Full-Time | ONSITE+PART REMOTE').arrangement, 'hybrid');
    assert.equal(header('Acme | Amsterdam | Onsite (2 days remote OK) | €70-100k').arrangement, 'hybrid');
    assert.equal(header('Acme | Onsite, San Francisco + remote for some roles | Acme builds things').arrangement, 'onsite');
  });

  it('reads capitalised markers inside long or run-on fields', () => {
    assert.equal(header('Zephyr (https://zephyr.example) | Bengaluru, India | Full-time | ONSITE Zephyr is a customer journey platform for enterprises that want agents').arrangement, 'onsite');
    const long = header('RINSO | REMOTE or San Francisco, Los Angeles, Chicago, Boston, New York City, New Jersey, Seattle, Austin, Toronto, or Washington DC | Software Engineer');
    assert.equal(long.arrangement, 'remote');
    assert.match(long.location ?? '', /^REMOTE or San Francisco/);
  });

  it('does not take "Visa" or "Relocation" for a place', () => {
    assert.equal(header('Acme | Research Engineer | Full Time | Visa | Relocation').location, null);
  });
});

describe('parseHnHeader()', () => {
  it('takes fields in any order after the company, with "|" or dashes', () => {
    assert.deepEqual(header('Acme | REMOTE (EU) | Full-time, Contract | Data Engineer | acme.io/jobs'), {
      company: 'Acme',
      title: 'Data Engineer',
      roles: ['Data Engineer'],
      location: 'REMOTE (EU)',
      arrangement: 'remote',
      jobTypes: ['Full-time', 'Contract'],
      payFields: [],
    });
    const dashed = header('Stripe — Staff Engineer, Payments — Dublin, Ireland — Onsite — €150k–€190k');
    assert.equal(dashed.company, 'Stripe');
    assert.equal(dashed.title, 'Staff Engineer, Payments');
    assert.equal(dashed.location, 'Dublin, Ireland');
    assert.equal(dashed.arrangement, 'onsite');
    assert.deepEqual(dashed.payFields, ['€150k–€190k']);
  });

  it('reads a sentence after the separator as prose, not as a role or a place', () => {
    const h = header('Acme - we build rockets and are hiring engineers\nSenior Propulsion Engineer, on site in Mojave.');
    assert.equal(h.company, 'Acme');
    assert.equal(h.title, 'Senior Propulsion Engineer');
    assert.equal(h.location, null);
  });

  it('finds the company when the header starts with the role or the arrangement', () => {
    assert.equal(header('Founding Engineer | Tiny Robots | SF | $180k').company, 'Tiny Robots');
    const remoteFirst = header('REMOTE | Acme Health | Backend Developer | Full-time');
    assert.equal(remoteFirst.company, 'Acme Health');
    assert.equal(remoteFirst.title, 'Backend Developer');
    assert.equal(remoteFirst.location, 'REMOTE');
  });

  it('keeps the first of several roles as the title, and all of them in order', () => {
    const h = header('Klarna | Research and Development Engineer, Data Scientist (Risk, Fraud) | Stockholm | Hybrid');
    assert.equal(h.title, 'Research and Development Engineer');
    assert.deepEqual(h.roles, ['Research and Development Engineer', 'Data Scientist (Risk, Fraud)']);
    assert.equal(h.arrangement, 'hybrid');
    assert.deepEqual(splitRoles('Software Engineer, Payments'), ['Software Engineer, Payments']);
    assert.deepEqual(splitRoles('Frontend Engineer / Backend Engineer; Designer'), ['Frontend Engineer', 'Backend Engineer', 'Designer']);
  });

  it('prefers remote when any option is remote, and reads "not remote" as onsite', () => {
    assert.equal(header('Acme | Engineer | NYC | ONSITE or REMOTE').arrangement, 'remote');
    assert.equal(header('Acme | Engineer | NYC | Onsite, Hybrid').arrangement, 'hybrid');
    assert.equal(header('Acme | Engineer | Chicago, IL | No remote').arrangement, 'onsite');
    assert.equal(header('Acme | Remote Sensing Scientist | Denver, CO').arrangement, undefined);
  });

  it('reads prose openings, with "Multiple roles" when no role is named', () => {
    const hiring = header("We're hiring at Brightwave! Come build LLM research tools with us.\nOpen: Senior Frontend Engineer, Applied AI Researcher.");
    assert.equal(hiring.company, 'Brightwave');
    assert.equal(hiring.title, 'Senior Frontend Engineer');
    const colon = header('Cartography: we are hiring product engineers to map supply chains. NYC, onsite.');
    assert.equal(colon.company, 'Cartography');
    assert.equal(colon.title, 'Product engineers');
    const noRole = header('Acme Corp is hiring! Email jobs@acme.example for details.');
    assert.equal(noRole.company, 'Acme Corp');
    assert.equal(noRole.title, 'Multiple roles');
  });

  it('reads a "Company: / Role: / Location:" form written instead of a line', () => {
    assert.deepEqual(header('Company: Quill\nPosition: Platform Engineer\nLocation: Leeds, UK\nRemote: no\nCompensation: £70k\nType: Full-time\n\nAbout us...'), {
      company: 'Quill',
      title: 'Platform Engineer',
      roles: ['Platform Engineer'],
      location: 'Leeds, UK',
      arrangement: 'onsite',
      jobTypes: ['Full-time'],
      payFields: ['£70k'],
    });
    assert.equal(parseHnHeader('Company: \nRole: Engineer').ok, false);
  });

  it('gives a reason for comments with no recognizable company', () => {
    for (const text of [
      'Is anyone hiring new grads these days?',
      "We're a small team in Denver building dev tools and we'd love to hear from you.",
      'Thanks for posting salary ranges!',
      'Great thread',
      '',
    ]) {
      const result = parseHnHeader(text);
      assert.equal(result.ok, false, text);
    }
  });

  it('finds a role phrase in free text', () => {
    assert.equal(roleInProse('We need a Staff Platform Engineer to own our Kubernetes.'), 'Staff Platform Engineer');
    assert.equal(roleInProse('hiring backend engineers who like Go'), 'Backend engineers');
    assert.equal(roleInProse('No jobs here, just a comment.'), null);
  });
});
