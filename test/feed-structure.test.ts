/**
 * Plain feeds: the structure an item carries is read before anything is guessed from its text.
 * WWR's <region>/<country>/<state>/<type>, namespaced job elements in RSS and Atom, dc:creator,
 * JSON Feed `_job` extensions and "Company — Place" summaries, and the header lines a board
 * puts at the top of a description (remotewlb: "Nomad Health", "💰 …", "🌎 Remote").
 * Feeds are served by a local HTTP server and read through the feed adapter, as in a poll.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RawPosting } from '../src/core/types.js';
import { createFetcher } from '../src/http/fetcher.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { feedAdapter } from '../src/sources/adapters/feed.js';
import { parseFeed } from '../src/sources/parse-feed.js';
import { companyPlaceFields, readJobFields } from '../src/sources/item-fields.js';
import { readLeadingLines } from '../src/sources/leading-lines.js';
import { markdownToHtml, rssFeed, startFeedServer, type FeedServer } from './helpers/feed-server.js';
import { readOk, sourceContext } from './helpers/source.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/feeds/${name}`, import.meta.url), 'utf8');
// The founding posting's body, without its markdown title and header lines.
const SEED_BODY = readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8').split('\n').slice(4).join('\n');
const SEED_LINK = 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253';

// remotewlb serves the title in <title> and opens the description with the company, then its fields.
function remotewlbItem(header: string[], id: string) {
  return {
    title: 'Senior Machine Learning Engineer',
    link: `${SEED_LINK}?v=${id}`,
    guid: `remotewlb-${id}`,
    descriptionHtml: `${header.map((h) => `<p>${h}</p>`).join('\n')}\n${markdownToHtml(SEED_BODY)}`,
    pubDate: new Date('2024-11-21T12:00:00Z'),
  };
}

const REMOTEWLB = rssFeed('remotewlb: Machine Learning', [
  remotewlbItem(['Nomad Health', '💰 $135,000 to $180,000', '🌎 Remote'], '1'),
  remotewlbItem(['Nomad Health', '💰 $135,000 to $180,000', '🌎 Hybrid - NYC'], '2'),
  remotewlbItem(['<strong>Nomad Health</strong>', '💰 $135,000 to $180,000 · 🌎 Remote (US)'], '3'),
]);

const fetcher = createFetcher({ timeoutMs: 5000, connectTimeoutMs: 2000, maxBodyBytes: 10 * 1024 * 1024, maxRedirects: 3, perHost: 2 });
let server: FeedServer;

before(async () => {
  server = await startFeedServer({
    '/wwr.rss': { kind: 'feed', body: fixture('wwr-regions.rss') },
    '/jobs.atom': { kind: 'feed', body: fixture('jobs-namespace.atom'), contentType: 'application/atom+xml' },
    '/jobs.rss': { kind: 'feed', body: fixture('jobs-namespace.rss') },
    '/jobs.json': { kind: 'feed', body: fixture('jobs-extension.json'), contentType: 'application/feed+json' },
    '/remotewlb.rss': { kind: 'feed', body: REMOTEWLB },
  });
});

after(async () => {
  await server.close();
  await fetcher.close();
});

async function read(path: string): Promise<RawPosting[]> {
  const result = await readOk(feedAdapter.read({ name: 'f', type: 'auto', enabled: true, url: server.url(path) }, sourceContext(fetcher)));
  assert.deepEqual(result.skipped, []);
  return result.postings;
}

function byId(postings: RawPosting[], id: string): RawPosting {
  const found = postings.find((p) => p.sourceId === id);
  assert.ok(found, `no posting ${id}; have ${postings.map((p) => p.sourceId).join(', ')}`);
  return found;
}

describe('We Work Remotely items: <region>, <country>, <state>, <type>', () => {
  it('takes the place from <region>, not the headquarters in <state>/<country>, and keeps <type> as a tag', async () => {
    const postings = await read('/wwr.rss');

    const tutor = byId(postings, 'https://weworkremotely.com/remote-jobs/quillwork-tutoring-physics-tutor');
    assert.equal(tutor.company, 'Quillwork Tutoring');
    assert.equal(tutor.title, 'Physics Tutor');
    assert.equal(tutor.location, 'Anywhere in the World', 'London is the headquarters, not where the job is');
    assert.deepEqual(tutor.tags, ['All Other Remote', 'Contract']);
    assert.equal(normalizePosting(tutor, 'wwr').arrangement, 'remote');

    const backend = byId(postings, 'https://weworkremotely.com/remote-jobs/brightlane-senior-backend-engineer');
    assert.equal(backend.location, 'USA Only');
    assert.deepEqual(backend.tags, ['Back-End Programming', 'Full-Time']);
  });

  it('falls back to <state>, <country> when the item has no <region>', async () => {
    const postings = await read('/wwr.rss');
    const ledger = byId(postings, 'https://weworkremotely.com/remote-jobs/harbor-ledger-accounts-assistant');
    assert.equal(ledger.location, 'Ontario, Canada');
    assert.equal(ledger.company, 'Harbor Ledger');
    assert.deepEqual(ledger.tags, ['Part-Time']);
  });
});

describe('namespaced job elements', () => {
  it('Atom <job:company>, <job:location>, <job:workplace>, <job:employmentType>, <job:salary>', async () => {
    const postings = await read('/jobs.atom');

    const ds = byId(postings, 'urn:tidewater:job:881');
    assert.equal(ds.company, 'Tidewater Analytics');
    assert.equal(ds.location, 'New York, NY');
    assert.equal(ds.arrangement, 'hybrid');
    assert.deepEqual(ds.tags, ['Full-time']);
    assert.deepEqual(ds.salary, { min: 150_000, max: 175_000, currency: 'USD', period: 'year' });

    const platform = byId(postings, 'urn:tidewater:job:882');
    assert.equal(platform.location, 'London, UK; Berlin, Germany', 'every <job:location> is a place of the job');
    assert.equal(platform.arrangement, undefined);
    assert.equal(platform.salary, undefined);

    const analyst = byId(postings, 'urn:tidewater:job:883');
    assert.equal(analyst.company, 'Harbor Freightworks', 'an Atom <summary> "Company — Place" beside the content');
    assert.equal(analyst.location, 'Rotterdam, Netherlands');
  });

  it('a "Company — Place" line needs a bare name on the left and a place on the right', () => {
    assert.deepEqual(companyPlaceFields('Sundial Health — New York, NY'), [
      ['summary:company', 'Sundial Health'],
      ['summary:location', 'New York, NY'],
    ]);
    assert.deepEqual(companyPlaceFields('Kestrel Labs | Remote (EU)')[1], ['summary:location', 'Remote (EU)']);
    assert.deepEqual(companyPlaceFields('Acme — we build robots for farms'), [], 'prose on the right');
    assert.deepEqual(companyPlaceFields('About the role — New York, NY'), [], 'a heading on the left');
    assert.deepEqual(companyPlaceFields('Sundial Health'), []);
  });

  it('RSS <job:*> elements, city/state/country parts, and dc:creator as the company', async () => {
    const postings = await read('/jobs.rss');

    const ml = byId(postings, 'northgate-77');
    assert.equal(ml.company, 'Kestrel Labs');
    assert.equal(ml.location, 'Remote (EU)');
    assert.deepEqual(ml.tags, ['Contract']);
    const normalized = normalizePosting(ml, 'northgate');
    assert.equal(normalized.arrangement, 'remote');

    const analytics = byId(postings, 'northgate-78');
    assert.equal(analytics.company, 'Lumenfold');
    assert.equal(analytics.location, 'Austin, TX, United States');
  });

  it('a long or HTML-bearing element is not a field', () => {
    assert.equal(readJobFields([['job:location', 'Berlin']]).location, 'Berlin');
    assert.equal(readJobFields([['type', 'Programming']]).employmentType, null, '<type> is an employment type only when it reads as one');
    assert.equal(readJobFields([['salary', 'Competitive']]).salary, null, 'no number, no pay');
    assert.equal(readJobFields([['remote', 'true']]).arrangement, 'remote');
    assert.equal(readJobFields([['remote', 'false']]).arrangement, null, '"not remote" may still be hybrid');
  });
});

describe('JSON Feed: _job extension and a "Company — Place" summary', () => {
  it('reads company and place from a one-line summary', async () => {
    const postings = await read('/jobs.json');
    const sundial = byId(postings, 'cj-5001');
    assert.equal(sundial.company, 'Sundial Health');
    assert.equal(sundial.location, 'New York, NY');
  });

  it('reads the _job extension object: company, location, workplace, employment type, pay', async () => {
    const postings = await read('/jobs.json');
    const orchard = byId(postings, 'cj-5002');
    assert.equal(orchard.company, 'Orchard Care');
    assert.equal(orchard.location, 'Chicago, IL');
    assert.equal(orchard.arrangement, 'onsite');
    assert.deepEqual(orchard.tags, ['Full-time']);
    assert.deepEqual(orchard.salary, { min: 130_000, max: 160_000, currency: 'USD', period: 'year' });
  });

  it('a summary that is a sentence names nothing', async () => {
    const postings = await read('/jobs.json');
    const designer = byId(postings, 'cj-5003');
    assert.equal(designer.company, null);
    assert.equal(designer.location, null);
  });
});

describe('the founding posting as remotewlb serves it: company first line, then 💰 and 🌎 lines', () => {
  it('names Nomad Health, reads the place and arrangement from the 🌎 line and the pay from the 💰 line', async () => {
    const postings = await read('/remotewlb.rss');

    const remote = byId(postings, 'remotewlb-1');
    assert.equal(remote.title, 'Senior Machine Learning Engineer');
    assert.equal(remote.company, 'Nomad Health');
    assert.equal(remote.location, 'Remote');
    assert.equal(remote.arrangement, 'remote');
    const normalized = normalizePosting(remote, 'remotewlb');
    assert.deepEqual(normalized.salary, { min: 135_000, max: 180_000, currency: 'USD', period: 'year' });
    assert.equal(normalized.company, 'Nomad Health');

    const hybrid = byId(postings, 'remotewlb-2');
    assert.equal(hybrid.company, 'Nomad Health');
    assert.equal(hybrid.location, 'NYC', 'the place after the arrangement word is the location');
    assert.equal(hybrid.arrangement, 'hybrid');

    const oneLine = byId(postings, 'remotewlb-3');
    assert.equal(oneLine.company, 'Nomad Health');
    assert.equal(oneLine.location, 'Remote (US)');
    assert.equal(oneLine.arrangement, 'remote');
  });

  it('a header company line beats the item author (a person or a bot more often than not)', async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>t</title>
      <item><title>Senior Machine Learning Engineer</title><link>${SEED_LINK}</link><dc:creator>Dana Whitfield</dc:creator>
      <description><![CDATA[<p>Nomad Health</p><p>💰 $135,000 to $180,000</p><p>🌎 Remote</p><p>Build models.</p>]]></description></item>
      <item><title>Data Engineer</title><link>${SEED_LINK}/2</link><dc:creator>Lumenfold</dc:creator>
      <description><![CDATA[<p>Build pipelines with us.</p>]]></description></item></channel></rss>`;
    const feed = await parseFeed(rss, { type: 'auto', baseUrl: SEED_LINK });
    assert.equal(feed.postings[0]?.company, 'Nomad Health');
    assert.equal(feed.postings[1]?.company, 'Lumenfold', 'without a header, dc:creator is the company');
  });

  it('the markdown form of the posting (title heading, ### company, `💰` `🌎` fields) reads the same', async () => {
    const md = readFileSync(new URL('./fixtures/seed-posting.clean.txt', import.meta.url), 'utf8');
    const feed = await parseFeed(rssFeed('mirror', [{ title: 'Senior Machine Learning Engineer', link: SEED_LINK, descriptionHtml: markdownToHtml(md), pubDate: new Date() }]), {
      type: 'auto',
      baseUrl: SEED_LINK,
    });
    const [job] = feed.postings;
    assert.equal(job?.company, 'Nomad Health');
    assert.equal(job?.location, 'Remote');
    assert.equal(job?.arrangement, 'remote');
  });
});

describe('readLeadingLines() is conservative', () => {
  const body = 'We build tools for clinics.\n\nApply today.';
  it('a first line is a company only when it reads like a name and the header goes on or the body names it again', () => {
    assert.equal(readLeadingLines(`Nomad Health\n💰 $135,000\n🌎 Remote\n${body}`, 'ML Engineer').company, 'Nomad Health');
    assert.equal(readLeadingLines(`Nomad Health\n\n${body} Nomad Health is an equal opportunity employer.`, 'ML Engineer').company, 'Nomad Health');
    assert.equal(readLeadingLines(`Nomad Health\n\n${body}`, 'ML Engineer').company, null, 'a lone short line may be anything');
  });

  it('headings, sentences, places, job details and titles are not companies', () => {
    for (const first of ['About the role', 'Position Summary', 'We are hiring a senior engineer to join us.', 'Berlin, Germany', 'Remote', 'Full-time', 'Senior ML Engineer']) {
      const read = readLeadingLines(`${first}\n💰 $135,000\n🌎 Remote\n${body}`, 'Data Engineer');
      assert.equal(read.company, null, first);
    }
  });

  it('the 🌎 line: arrangement word, then the place', () => {
    const place = (line: string) => readLeadingLines(`Acme\n${line}\n${body}`, 'X');
    const header = { company: 'Acme', companyInHeader: true };
    assert.deepEqual(place('🌎 Hybrid - NYC'), { ...header, location: 'NYC', arrangement: 'hybrid' });
    assert.deepEqual(place('🌎 On-site: Berlin, Germany'), { ...header, location: 'Berlin, Germany', arrangement: 'onsite' });
    assert.deepEqual(place('📍 Lisbon, Portugal'), { ...header, location: 'Lisbon, Portugal', arrangement: null });
    assert.deepEqual(place('🌍 Remote (EU)'), { ...header, location: 'Remote (EU)', arrangement: 'remote' });
  });

  it('fields further down, after prose, are not the header', () => {
    const read = readLeadingLines(`We build tools for clinics.\n🌎 Remote\n${body}`, 'X');
    assert.deepEqual(read, { company: null, companyInHeader: false, location: null, arrangement: null });
  });
});
