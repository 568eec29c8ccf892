import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock, Posting, RawPosting, StoredJob } from '../src/core/types.js';
import { employmentCompatible, employmentTypes } from '../src/dedupe/employment.js';
import type { EmploymentFacts } from '../src/dedupe/employment.js';
import { bandKeys, sameText, shingles, similarity } from '../src/dedupe/fingerprint.js';
import { companyKey, locationsCompatible, titleKey } from '../src/dedupe/job-key.js';
import type { LocationFacts } from '../src/dedupe/job-key.js';
import { legalEntitiesDiffer, payConflict } from '../src/dedupe/same-job.js';
import { normalizePosting } from '../src/normalize/normalize-posting.js';
import { parseFeed } from '../src/sources/parse-feed.js';
import { collect } from './helpers/collect.js';
import { openDatabase } from '../src/store/db.js';
import { JOBS_BY_KEY_SQL } from '../src/store/jobs.js';
import { MIGRATIONS } from '../src/store/migrations.js';
import { createStore } from '../src/store/store.js';
import type { AlertIntent, Store } from '../src/store/store.js';

const DAY = 24 * 60 * 60 * 1000;
const FIXTURES = path.join(import.meta.dirname, 'fixtures');

// ---------------------------------------------------------------------------------------------
// The pure keys

describe('companyKey()', () => {
  const same: string[][] = [
    ['Nomad Health', 'Nomad Health, Inc.', 'The Nomad Health Company', 'NOMAD HEALTH LLC'],
    ['Smith & Wesson Digital', 'Smith and Wesson Digital Ltd.'],
    ['Société Générale S.A.', 'Societe Generale'],
    ['Acme GmbH & Co. KG', 'Acme', 'ACME Corp.', 'Acme (YC W21)', 'Acme YC S19'],
    ['Booking.com B.V.', 'Booking.com', 'Booking'],
    ["McDonald's Corporation", 'McDonalds'],
    ['Яндекс', 'Яндекс LLC'],
  ];
  for (const names of same) {
    test(`${names.join(' = ')}`, () => {
      const keys = names.map(companyKey);
      assert.ok(keys[0] !== '');
      for (const key of keys) assert.equal(key, keys[0]);
    });
  }

  test('different names stay different', () => {
    assert.notEqual(companyKey('Nomad Health'), companyKey('Nomad'));
    assert.notEqual(companyKey('Acme Labs'), companyKey('Acme'));
  });

  test('no company, or a placeholder, is no key', () => {
    for (const name of [null, undefined, '', '  ', 'Confidential', 'Stealth Startup', 'Undisclosed']) assert.equal(companyKey(name), '', String(name));
  });
});

describe('titleKey()', () => {
  const nomad = { company: 'Nomad Health' };
  const same: Array<[string, string, { company?: string; location?: string }?]> = [
    ['Senior Machine Learning Engineer', 'Sr. ML Engineer'],
    ['Machine Learning Engineer', 'Engineer, Machine Learning'],
    ['Senior Machine Learning Engineer', 'Senior Machine Learning Engineer at Nomad Health', nomad],
    ['Senior Machine Learning Engineer', 'Nomad Health: Senior ML Engineer - Remote US', nomad],
    ['Senior Machine Learning Engineer', 'Senior Machine Learning Engineer (Remote) – $135k-$180k'],
    ['Senior Machine Learning Engineer', 'Sr. MLE @ Nomad Health, Inc. (100% Remote, US only)', nomad],
    ['Senior Backend Engineer', '[Hiring] Snr Backend Engineer | Berlin'],
    ['Software Engineer', 'SWE (m/w/d)'],
    ['Full-Stack Developer', 'Fullstack Dev - Contract'],
    ['Engineering Manager', 'Engineering Mgr (Hybrid, NYC)'],
    ['Backend Engineer II', 'Backend Engineer 2'],
    ['Data Scientist', 'Data Scientist (R-104233)'],
    ['Backend Engineer', 'Backend Engineer – Leipzig', { location: 'Leipzig, Germany' }],
    ['Ingénieur Logiciel Senior', 'Senior Ingenieur logiciel'],
    ['Backend Engineer', 'Backend Engineer (U.S. only) – München'],
    // A Hacker News "Who is hiring" header: company, title, place, pay, link.
    ['Senior Backend Engineer', 'Acme (YC S19) | Senior Backend Engineer | REMOTE (US/Canada) | $150k-$190k + equity | https://acme.example/jobs', { company: 'Acme' }],
    ['Инженер-программист', 'Инженер-программист (Remote)'],
  ];
  for (const [a, b, context] of same) {
    test(`"${a}" = "${b}"`, () => {
      const key = titleKey(a, context);
      assert.ok(key !== '');
      assert.equal(titleKey(b, context), key);
    });
  }

  const different: Array<[string, string]> = [
    ['Senior Backend Engineer', 'Staff Backend Engineer'],
    ['Backend Engineer', 'Backend Engineer II'],
    ['Software Engineer - Payments', 'Software Engineer - Identity'],
    ['Software Engineer (Backend)', 'Software Engineer (Frontend)'],
    ['Senior Machine Learning Engineer', 'Machine Learning Engineer'],
    ['Machine Learning Engineer', 'Machine Learning Scientist'],
    ['Staff Backend Engineer (Go)', 'Staff Backend Engineer (Rust)'],
    ['Инженер-программист', 'Аналитик данных'],
  ];
  for (const [a, b] of different) {
    test(`"${a}" != "${b}"`, () => {
      assert.notEqual(titleKey(a), titleKey(b));
    });
  }

  test('an empty title is no key; a title of noise only keeps its words', () => {
    assert.equal(titleKey(''), '');
    assert.equal(titleKey('Remote'), 'remote');
  });
});

describe('locationsCompatible()', () => {
  const remote = (location: string | null, remoteRegions: string[] = []): LocationFacts => ({ location, arrangement: 'remote', remoteRegions });
  const at = (location: string | null, arrangement: LocationFacts['arrangement'] = 'unknown', title?: string): LocationFacts => ({ location, arrangement, title });

  const compatible: Array<[string, LocationFacts, LocationFacts]> = [
    ['Remote - US ~ United States (Remote)', remote('Remote - US', ['US']), remote('United States (Remote)', ['US'])],
    ['unrestricted remote ~ Remote (US)', remote('Remote'), remote('Remote (US)', ['US'])],
    ['Remote (EMEA) ~ Remote - Germany', remote('Remote (EMEA)', ['EMEA']), remote('Remote - Germany', ['Germany'])],
    ['Berlin ~ Berlin, Germany', at('Berlin'), at('Berlin, Germany', 'hybrid')],
    ['Palo Alto, CA ~ SF Bay Area', at('Palo Alto, CA', 'onsite'), at('SF Bay Area')],
    ['Toronto, ON, CA ~ Toronto, Canada', at('Toronto, ON, CA'), at('Toronto, Canada')],
    ['unknown ~ Berlin', at(null), at('Berlin', 'onsite')],
    ['New York or Remote ~ New York City (hybrid)', remote('New York, NY or Remote', ['US']), at('New York City', 'hybrid')],
    ['Remote (US) ~ USA of unknown arrangement', remote('Remote (US)', ['US']), at('USA')],
    ['München ~ Munich, Germany', at('München'), at('Munich, Germany')],
    ['a placeholder location says nothing', at('TBD'), at('Berlin, Germany')],
    ['Seattle with field words ~ Seattle', at('Seattle, WA, USA · Type: Full-time · Workplace: Hybrid', 'hybrid'), at('Seattle, Washington', 'hybrid')],
    ['a country the package names ~ a city in it', at('Luanda, Angola'), at('Angola')],
  ];
  for (const [name, a, b] of compatible) {
    test(name, () => {
      assert.equal(locationsCompatible(a, b), true);
      assert.equal(locationsCompatible(b, a), true);
    });
  }

  const incompatible: Array<[string, LocationFacts, LocationFacts]> = [
    ['Berlin !~ Toronto', at('Berlin, Germany', 'onsite'), at('Toronto, ON', 'onsite')],
    ['Remote - US !~ Remote - Canada', remote('Remote - US', ['US']), remote('Remote - Canada', ['Canada'])],
    ['Portland, OR !~ Portland, ME', at('Portland, OR'), at('Portland, ME')],
    ['London, UK !~ London, Ontario', at('London, UK'), at('London, Ontario, Canada')],
    ['a place in the title counts when the location is empty', at(null, 'unknown', 'Backend Engineer (Berlin)'), at('Toronto')],
    ['places in both titles must agree', at('London, UK', 'onsite', 'Account Executive - DACH'), at('London, UK', 'onsite', 'Account Executive - Nordics')],
    ['Remote (US) !~ on-site in New York', remote('Remote (US)', ['US']), at('New York, NY', 'onsite')],
    ['two unknown cities', at('Leipzig'), at('Dresden')],
    // Issue 7: on a generated corpus, 33 of 34 merges joined Seattle and Berlin through the field words both lines carried.
    ['Seattle !~ Berlin when both lines carry more than the place', at('Seattle, WA, USA · Type: Full-time · Workplace: Hybrid', 'hybrid'), at('Berlin, Germany · Type: Full-time · Workplace: Hybrid', 'hybrid')],
    ['Seattle !~ Berlin, arrangement unknown', at('Seattle, WA, USA · Type: Full-time · Workplace: Hybrid'), at('Berlin, Germany · Type: Full-time · Workplace: Hybrid')],
    ['employment words are not a place', at('Seattle, WA · Full-time · Permanent'), at('Berlin · Full-time · Permanent')],
    ['unknown words beside a known place are not a shared place', at('Seattle, WA · Platform Engineering'), at('Berlin · Platform Engineering')],
    ['Acme AB in Stockholm !~ Acme in Austin', at('Stockholm, Sweden · Employment type: Full-time', 'onsite'), at('Austin, TX · Employment type: Full-time', 'onsite')],
  ];
  for (const [name, a, b] of incompatible) {
    test(name, () => {
      assert.equal(locationsCompatible(a, b), false);
      assert.equal(locationsCompatible(b, a), false);
    });
  }
});

describe('employmentTypes()', () => {
  const cases: Array<[string, EmploymentFacts, string[]]> = [
    ['a Lever commitment tag', { title: 'Data Engineer', tags: ['Product & Tech', 'Full-time'] }, ['full-time']],
    ['an API code', { title: 'Data Engineer', tags: ['full_time'] }, ['full-time']],
    ['"(Part Time)" in the title', { title: 'Customer support & Dispatch agent (Part Time)' }, ['part-time']],
    ['a "Contract" title part', { title: 'Senior Backend Engineer (Contract, Remote)' }, ['contract']],
    ['"6 month contract" after a dash', { title: 'Data Analyst - 6 Month Contract' }, ['contract']],
    ['contract-to-hire', { title: 'QA Engineer | Contract-to-hire' }, ['contract']],
    ['an intern title', { title: 'Software Engineering Intern' }, ['internship']],
    ['the location line\'s labelled part', { title: 'Engineer', location: 'Seattle, WA, USA · Type: Full-time · Workplace: Hybrid' }, ['full-time']],
    ['a labelled description line', { title: 'Engineer', description: 'About us\n**Employment type:** Contract\nWe build things.' }, ['contract']],
    ['a statement in the description', { title: 'Engineer', description: 'Compensation for this full-time position is between $135,000 to $180,000.' }, ['full-time']],
    ['both stated', { title: 'Engineer', tags: ['Full-time or Part-time'] }, ['full-time', 'part-time']],
    ['"Contracts Manager" is a job name', { title: 'Contracts Manager', tags: ['Legal & Contracts'] }, []],
    ['"Internal Tools Engineer" is no intern', { title: 'Internal Tools Engineer' }, []],
    ['a description that mentions contracts in passing', { title: 'Engineer', description: 'You will review vendor contracts and negotiate contract terms.' }, []],
    ['nothing stated', { title: 'Senior Machine Learning Engineer', location: 'Remote' }, []],
  ];
  for (const [name, facts, expected] of cases) {
    test(name, () => {
      assert.deepEqual([...employmentTypes(facts)].sort(), expected);
    });
  }

  test('an unstated type is compatible with any; different stated types are not', () => {
    const full = employmentTypes({ title: 'Engineer', tags: ['Full-time'] });
    const contract = employmentTypes({ title: 'Engineer (Contract)' });
    const unknown = employmentTypes({ title: 'Engineer' });
    const either = employmentTypes({ title: 'Engineer', tags: ['Contract or Full-time'] });
    assert.equal(employmentCompatible(full, contract), false);
    assert.equal(employmentCompatible(full, unknown), true);
    assert.equal(employmentCompatible(unknown, contract), true);
    assert.equal(employmentCompatible(either, contract), true);
  });
});

describe('payConflict()', () => {
  const year = (min: number | null, max: number | null, currency: string | null = 'USD') => ({ min, max, currency, period: 'year' as const });
  test('hourly vs yearly, another currency, ranges apart', () => {
    assert.equal(payConflict({ min: 60, max: 80, currency: 'USD', period: 'hour' }, year(120000, 160000)), 'pay period');
    assert.equal(payConflict(year(60000, 80000, 'EUR'), year(60000, 80000, 'USD')), 'currency');
    assert.equal(payConflict(year(90000, 100000), year(150000, 180000)), 'pay');
    assert.equal(payConflict(year(null, 90000), year(120000, null)), 'pay');
  });
  test('overlapping ranges, open ends, an unknown currency and no salary are no conflict', () => {
    assert.equal(payConflict(year(135000, 180000), year(150000, 190000)), null);
    assert.equal(payConflict(year(null, 180000), year(150000, 160000)), null);
    assert.equal(payConflict(year(135000, 180000, null), year(135000, 180000)), null);
    assert.equal(payConflict(null, year(1, 2)), null);
  });
});

describe('legalEntitiesDiffer()', () => {
  test('legal forms of different countries are different employers', () => {
    assert.equal(legalEntitiesDiffer('Acme AB', 'Acme Inc.'), true);
    assert.equal(legalEntitiesDiffer('Acme GmbH', 'Acme Ltd'), true);
    assert.equal(legalEntitiesDiffer('Acme S.A.', 'Acme B.V.'), true);
  });
  test('one form spelled two ways, forms of one country, or a name without a form are not', () => {
    assert.equal(legalEntitiesDiffer('Nomad Health, Inc.', 'NOMAD HEALTH LLC'), false);
    assert.equal(legalEntitiesDiffer('Acme Ltd.', 'Acme Limited'), false);
    assert.equal(legalEntitiesDiffer('Acme GmbH & Co. KG', 'Acme AG'), false);
    assert.equal(legalEntitiesDiffer('Acme', 'Acme AB'), false);
    assert.equal(legalEntitiesDiffer(null, 'Acme Inc.'), false);
  });
});

describe('content fingerprints', () => {
  const seed = fs.readFileSync(path.join(FIXTURES, 'seed-posting.clean.txt'), 'utf8');
  const body = seed.split('\n').slice(3).join('\n');
  const blurb = body.slice(body.indexOf('Nomad Health is proud'));

  test('the same text with a header line more or less is the same text', () => {
    assert.equal(sameText(seed, body), true);
    assert.ok(similarity(shingles(seed), shingles(body)) > 0.95);
  });

  test('a shared company blurb with another role is not the same text', () => {
    const other = `### Position Summary\n\nAs a Senior Data Analyst you will build dashboards for our sales and nursing operations, own weekly reporting, and partner with finance on forecasting models for staffing demand across regions.\n\n${blurb}`;
    const mine = `### Position Summary\n\nAs a Senior Data Analyst you will run experiments on our marketplace, define the metrics of clinician matching, and work with engineering on event tracking and the data warehouse.\n\n${blurb}`;
    assert.equal(sameText(mine, other), false);
  });

  test('short texts have no fingerprint', () => {
    assert.deepEqual(bandKeys('engineer', shingles('Build and run our payment APIs.')), []);
    assert.equal(sameText('Apply now on our site.', 'Apply now on our site.'), false);
  });

  test('band keys agree for one title and text, and never across titles', () => {
    const a = bandKeys('engineer learning machine senior', shingles(seed));
    const b = bandKeys('engineer learning machine senior', shingles(body));
    const otherTitle = bandKeys('engineer learning machine', shingles(seed));
    assert.equal(a.length, 8);
    assert.ok(a.every((k) => Number.isSafeInteger(k) && k >= 0));
    assert.ok(a.some((k) => b.includes(k)), 'a near-identical text shares a band');
    assert.ok(!a.some((k) => otherTitle.includes(k)), 'another title shares none');
  });
});

// ---------------------------------------------------------------------------------------------
// The store, on a real SQLite file

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-dedupe-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let dbCount = 0;
function dbPath(): string {
  return path.join(tmp, `run-${++dbCount}`, 'jobalert.db');
}

function manualClock(start: string): Clock & { advance(ms: number): void } {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/** A store and a decide() that alerts every new job to one channel and records what it was asked. */
function setup(start = '2025-03-01T12:00:00.000Z'): { store: Store; clock: ReturnType<typeof manualClock>; decided: StoredJob[]; decide: (job: StoredJob) => AlertIntent[]; file: string } {
  const clock = manualClock(start);
  const file = dbPath();
  const store = createStore(openDatabase(file), clock);
  const decided: StoredJob[] = [];
  const decide = (job: StoredJob): AlertIntent[] => {
    decided.push(job);
    return [{ rule: 'r', channel: 'me', reasons: [`title: ${job.title}`] }];
  };
  return { store, clock, decided, decide, file };
}

/** A posting as a feed would deliver it, normalized like the pipeline does. */
function posting(feed: string, over: Partial<RawPosting> & { sourceId: string }): Posting {
  const raw: RawPosting = {
    url: `https://${feed}.example.com/jobs/${over.sourceId}`,
    title: 'Senior Backend Engineer',
    company: 'Acme',
    location: 'Berlin, Germany',
    description: 'Build and run our payment APIs.',
    published: new Date('2025-03-01T09:00:00.000Z'),
    ...over,
  };
  return normalizePosting(raw, feed);
}

async function pollFile(feed: string, file: string): Promise<Posting[]> {
  return pollXml(feed, fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
}

async function pollXml(feed: string, xml: string): Promise<Posting[]> {
  const parsed = await parseFeed(xml, { type: 'auto', baseUrl: `https://${feed}.example/` });
  return parsed.postings.map((raw) => normalizePosting(raw, feed));
}

async function onlyJob(store: Store, url: string): Promise<StoredJob> {
  const job = await store.findJobByUrl(url);
  assert.ok(job, `no job at ${url}`);
  return job;
}

describe('cross-posts and re-posts', () => {
  test('the seed posting, its mojibake "Title at Company" cross-post and a third board are one job, alerted once', async () => {
    const { store, clock, decided, decide } = setup('2024-11-21T13:00:00.000Z');
    const seed = fs.readFileSync(path.join(FIXTURES, 'seed-posting.txt'), 'utf8');
    // Board B: the same posting, mangled (UTF-8 read as Windows-1252 in title and body), under its own
    // URL and id, in the "Title at Company" form.
    const mirrorUrl = 'https://jobs.mirror.example/j/88412?utm_source=feed&ref=rss';
    const mirrorXml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>mirror</title><link>https://jobs.mirror.example/</link>
<item><title>Senior Machine Learning Engineer at Nomad Health â€“ Remote (US)</title>
<link>${mirrorUrl.replace(/&/g, '&amp;')}</link><guid isPermaLink="false">mirror-88412</guid>
<pubDate>Fri, 22 Nov 2024 08:30:00 GMT</pubDate><description><![CDATA[${seed}]]></description></item>
</channel></rss>`;

    const first = await store.ingest(await pollFile('remotewlb', 'feeds/seed-mojibake.rss'), decide);
    clock.advance(60 * 60_000);
    const second = await store.ingest(await pollXml('mirror', mirrorXml), decide);
    clock.advance(60 * 60_000);
    const third = await store.ingest(await pollFile('remotive', 'feeds/remotive.rss'), decide);

    assert.deepEqual([first.inserted, first.alertsQueued], [2, 2], 'the ML engineer and the data scientist');
    assert.deepEqual([second.inserted, second.updated, second.alertsQueued], [0, 1, 0]);
    assert.deepEqual([third.inserted, third.updated], [1, 1], "remotive's cross-post attached, Kraken Labs is new");
    assert.deepEqual(
      decided.map((j) => j.title),
      ['Senior Machine Learning Engineer', 'Senior Data Scientist – Marketplace', 'Frontend Developer - LATAM'],
    );
    const job = await onlyJob(store, 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253');
    assert.deepEqual(job.urls, [
      'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253',
      mirrorUrl,
      'https://remotive.com/remote-jobs/software-dev/senior-ml-engineer-1934212?utm_source=rss&utm_medium=feed',
    ]);
    assert.deepEqual(job.feeds, ['remotewlb', 'mirror', 'remotive']);
    // The job keeps its first sighting's (clean) content; the cross-posts only add links.
    assert.equal(job.title, 'Senior Machine Learning Engineer');
    assert.equal(job.company, 'Nomad Health');
    assert.doesNotMatch(job.description, /â€|ðŸ/);
    assert.equal((await onlyJob(store, mirrorUrl)).id, job.id);
    const alerts = (await store.dueAlerts(new Date('2100-01-01'))).filter((a) => a.job.id === job.id);
    assert.equal(alerts.length, 1);
    const exported = await collect(store.exportJobs());
    assert.equal(exported.length, 3);

    // Polling all three again changes nothing.
    const again = [
      await store.ingest(await pollFile('remotewlb', 'feeds/seed-mojibake.rss'), decide),
      await store.ingest(await pollXml('mirror', mirrorXml), decide),
      await store.ingest(await pollFile('remotive', 'feeds/remotive.rss'), decide),
    ];
    assert.deepEqual(again.map((r) => [r.inserted, r.updated, r.alertsQueued]), [[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    assert.equal(decided.length, 3);
    await store.close();
  });

  test('two boards carrying the same job in one poll: one job, decided once, with both links', async () => {
    const { store, decided, decide } = setup();
    const a = posting('board-a', { sourceId: 'a-1', title: 'Senior Machine Learning Engineer', company: 'Nomad Health', location: 'Remote - US' });
    // A JSON API that leaves the company in the title and the legal form on the name.
    const b = posting('board-b', {
      sourceId: 'b-7',
      title: 'Sr. ML Engineer at Nomad Health, Inc. (Remote)',
      company: 'Nomad Health, Inc.',
      location: 'United States (Remote)',
    });

    const result = await store.ingest([a, b], decide);

    assert.deepEqual([result.inserted, result.updated, result.alertsQueued, decided.length], [1, 1, 1, 1]);
    assert.deepEqual(decided[0]!.urls, [a.url, b.url]);
    assert.deepEqual(decided[0]!.feeds, ['board-a', 'board-b']);
    await store.close();
  });

  test('a re-post with a new id two weeks later is the same job: no alert; its new salary updates the job', async () => {
    const { store, clock, decided, decide } = setup();
    await store.ingest([posting('acme', { sourceId: 'acme-1', description: 'Pay: $150,000 - $180,000 per year.' })], decide);
    clock.advance(14 * DAY);
    const repost = posting('acme', {
      sourceId: 'acme-2',
      description: 'Pay: $160,000 - $190,000 per year.',
      published: new Date(clock.now().getTime() - 60 * 60_000),
    });

    const result = await store.ingest([repost], decide);

    assert.deepEqual([result.inserted, result.updated, result.alertsQueued], [0, 1, 0]);
    assert.equal(decided.length, 1);
    const job = await onlyJob(store, repost.url);
    assert.deepEqual(job.urls, ['https://acme.example.com/jobs/acme-1', 'https://acme.example.com/jobs/acme-2']);
    assert.equal(job.annualMax, 190000, "the source's own re-post is the freshest word on the job");
    // A cross-post on another board attaches without rewriting the job (the store's policy for mirrors).
    const mirror = posting('aggregator', { sourceId: 'x', description: 'No pay stated.', published: clock.now() });
    await store.ingest([mirror], decide);
    assert.equal((await onlyJob(store, mirror.url)).annualMax, 190000);
    assert.equal(decided.length, 1);
    await store.close();
  });

  test('the same title re-opened 45 days later is a new job, alerted again', async () => {
    const { store, clock, decided, decide } = setup();
    await store.ingest([posting('acme', { sourceId: 'acme-1' })], decide);
    clock.advance(45 * DAY);

    const result = await store.ingest([posting('acme', { sourceId: 'acme-9', published: clock.now() })], decide);

    assert.deepEqual([result.inserted, result.alertsQueued], [1, 1]);
    assert.equal(decided.length, 2);
    await store.close();
  });

  test('a job still on the board is not "re-opened": the window runs from when it was last seen', async () => {
    const { store, clock, decided, decide } = setup();
    const original = posting('acme', { sourceId: 'acme-1' });
    await store.ingest([original], decide);
    clock.advance(40 * DAY);
    await store.ingest([original], decide); // still listed on day 40
    clock.advance(5 * DAY);

    const result = await store.ingest([posting('acme', { sourceId: 'acme-2', published: clock.now() })], decide);

    assert.deepEqual([result.inserted, result.updated], [0, 1]);
    assert.equal(decided.length, 1);
    await store.close();
  });

  test('near misses stay apart: another city, another level, another company, a numbered level', async () => {
    const { store, decided, decide } = setup();
    const batch = [
      posting('a', { sourceId: '1', title: 'Senior Backend Engineer', location: 'Berlin, Germany' }),
      posting('b', { sourceId: '2', title: 'Senior Backend Engineer', location: 'Toronto, ON, Canada' }),
      posting('c', { sourceId: '3', title: 'Staff Backend Engineer', location: 'Berlin, Germany' }),
      posting('d', { sourceId: '4', title: 'Senior Backend Engineer', location: 'Berlin, Germany', company: 'Globex' }),
      posting('e', { sourceId: '5', title: 'Backend Engineer', location: 'Berlin, Germany' }),
      posting('f', { sourceId: '6', title: 'Backend Engineer II', location: 'Berlin, Germany' }),
    ];

    const result = await store.ingest(batch, decide);

    assert.deepEqual([result.inserted, result.alertsQueued], [6, 6]);
    assert.equal(decided.length, 6);
    await store.close();
  });

  test('without a company, short texts dedupe only on the URL', async () => {
    const { store, decide } = setup();
    const a = posting('a', { sourceId: '1', company: null, title: 'Senior Backend Engineer' });
    const b = posting('b', { sourceId: '2', company: null, title: 'Senior Backend Engineer' });
    const c = posting('c', { sourceId: '3', company: null, title: 'Backend Developer', url: `${a.url}?utm_source=c` });

    const result = await store.ingest([a, b, c], decide);

    assert.deepEqual([result.inserted, result.updated], [2, 1]);
    assert.deepEqual((await onlyJob(store, a.url)).urls, [a.url, c.url]);
    await store.close();
  });

  test('"Remote - US" and "United States (Remote)" are the same place; "Remote - Canada" is not', async () => {
    const { store, decide } = setup();
    const us = posting('a', { sourceId: '1', location: 'Remote - US' });
    const alsoUs = posting('b', { sourceId: '2', location: 'United States (Remote)' });
    const canada = posting('c', { sourceId: '3', location: 'Remote - Canada' });
    assert.deepEqual([us.arrangement, us.remoteRegions, alsoUs.arrangement, alsoUs.remoteRegions], ['remote', ['US'], 'remote', ['US']]);

    const result = await store.ingest([us, alsoUs, canada], decide);

    assert.deepEqual([result.inserted, result.updated], [2, 1]);
    assert.deepEqual((await onlyJob(store, us.url)).feeds, ['a', 'b']);
    await store.close();
  });

  test('a posting whose level contradicts the job is not merged even if the keys agree', async () => {
    const { store, decide } = setup();
    const a = posting('a', { sourceId: '1', title: 'Senior Backend Engineer' });
    const b: Posting = { ...posting('b', { sourceId: '2', title: 'Senior Backend Engineer' }), seniority: 'staff' };

    assert.equal((await store.ingest([a, b], decide)).inserted, 2);
    await store.close();
  });
});

describe('never merge two jobs', () => {
  test('two ids one feed lists side by side are two jobs, each keeping its place and pay', async () => {
    const { store, decided, decide } = setup();
    // Lever-shaped: one title at two offices, one opening in Algeria, one in Tunisia.
    const algeria = posting('yassir', { sourceId: '580bb8db', title: 'Data Engineer (Mid/Senior)', company: 'Yassir', location: 'Algeria (West); Algeria (East); Algiers, Algeria', tags: ['Full-time'] });
    const tunisia = posting('yassir', { sourceId: 'aee14e46', title: 'Mid/Senior Data Engineer', company: 'Yassir', location: 'Tunis, Tunisia; Sousse; Tunisia', tags: ['Full-time'] });
    // Greenhouse-shaped: a Cape Town opening and a remote one with its own pay.
    const capeTown = posting('impact', { sourceId: '8463934002', title: 'Technical Services Engineer III', company: 'impact.com', location: 'Cape Town' });
    const remote = posting('impact', {
      sourceId: '8338043002',
      title: 'Technical Services Engineer III',
      company: 'impact.com',
      location: 'Remote',
      description: 'The base salary range for this role is $80,000 - $100,000 per year.',
    });

    const result = await store.ingest([algeria, tunisia, capeTown, remote], decide);

    assert.deepEqual([result.inserted, result.updated, decided.length], [4, 0, 4]);
    assert.equal((await onlyJob(store, tunisia.url)).location, 'Tunis, Tunisia; Sousse; Tunisia');
    assert.equal((await onlyJob(store, algeria.url)).location, 'Algeria (West); Algeria (East); Algiers, Algeria');
    assert.deepEqual((await onlyJob(store, remote.url)).salary, { min: 80000, max: 100000, currency: 'USD', period: 'year' });
    assert.equal((await onlyJob(store, capeTown.url)).location, 'Cape Town');
    await store.close();
  });

  const apart: Array<[string, Partial<RawPosting>, Partial<RawPosting>]> = [
    ['contract vs full-time', { title: 'Senior Backend Engineer (Contract)' }, { tags: ['Full-time'] }],
    ['part-time vs full-time, from the location line', { location: 'Berlin, Germany · Type: Part-time' }, { location: 'Berlin, Germany · Type: Full-time' }],
    ['hourly vs yearly', { description: 'Rate: $90 - $110 per hour.' }, { description: 'Salary: $150,000 - $180,000 per year.' }],
    ['pay ranges that do not overlap', { description: 'Salary: €60,000 - €70,000 per year.' }, { description: 'Salary: €95,000 - €110,000 per year.' }],
    ['Seattle vs Berlin', { location: 'Seattle, WA, USA' }, { location: 'Berlin, Germany' }],
    ['Acme AB in Stockholm vs Acme Inc. with no place', { company: 'Acme AB', location: 'Stockholm, Sweden' }, { company: 'Acme Inc.', location: null }],
  ];
  for (const [name, a, b] of apart) {
    test(`cross-posts that differ in what they state stay apart: ${name}`, async () => {
      const { store, decided, decide } = setup();

      const result = await store.ingest([posting('board-a', { sourceId: 'a-1', ...a }), posting('board-b', { sourceId: 'b-1', ...b })], decide);

      assert.deepEqual([result.inserted, result.updated, decided.length], [2, 0, 2]);
      await store.close();
    });
  }

  test('the same terms, one side unstated, are still one job', async () => {
    const { store, decide } = setup();
    const a = posting('board-a', { sourceId: 'a-1', tags: ['Full-time'], description: 'Salary: €60,000 - €75,000 per year.' });
    const b = posting('board-b', { sourceId: 'b-1', company: 'Acme GmbH', description: 'Salary: €70,000 - €80,000 per year.' });
    const c = posting('board-c', { sourceId: 'c-1', description: 'No pay stated here.' });

    const result = await store.ingest([a, b, c], decide);

    assert.deepEqual([result.inserted, result.updated], [1, 2]);
    assert.deepEqual((await onlyJob(store, a.url)).feeds, ['board-a', 'board-b', 'board-c']);
    await store.close();
  });
});

describe('cross-posts without a company: the content fingerprint', () => {
  const seedClean = fs.readFileSync(path.join(FIXTURES, 'seed-posting.clean.txt'), 'utf8').split('\n').slice(1).join('\n');
  const seedMojibake = fs.readFileSync(path.join(FIXTURES, 'seed-posting.txt'), 'utf8').split('\n').slice(1).join('\n');
  const original = (over: Partial<RawPosting> = {}): Posting =>
    posting('remotewlb', { sourceId: 'remotewlb-136253', url: 'https://www.remotewlb.com/apply/senior-machine-learning-engineer-136253', title: 'Senior Machine Learning Engineer', company: 'Nomad Health', location: 'Remote', description: seedClean, ...over });
  const mirror = (over: Partial<RawPosting> = {}): Posting =>
    posting('mirror', { sourceId: 'mirror-1', url: 'https://jobs.mirror.example/j/1', title: 'Senior Machine Learning Engineer', company: null, location: 'Remote', description: seedMojibake, ...over });

  for (const order of ['original first', 'mirror first'] as const) {
    test(`the seed posting and its company-less mojibake mirror are one job with two links (${order})`, async () => {
      const { store, clock, decided, decide } = setup('2025-03-01T12:00:00.000Z');
      const [first, second] = order === 'original first' ? [original(), mirror()] : [mirror(), original()];
      assert.doesNotMatch(mirror().description, /ðŸ|â€/, 'normalization repairs the mojibake');

      await store.ingest([first], decide);
      clock.advance(60 * 60_000);
      const result = await store.ingest([second], decide);

      assert.deepEqual([result.inserted, result.updated, result.alertsQueued], [0, 1, 0]);
      assert.equal(decided.length, 1);
      const job = await onlyJob(store, original().url);
      assert.deepEqual(job.urls, [first.url, second.url]);
      assert.equal(job.company, 'Nomad Health', 'a job first seen without a company learns it');
      assert.equal((await onlyJob(store, mirror().url)).id, job.id);
      await store.close();
    });
  }

  test('without a company, a different title, a different role under the same blurb, or different pay stay apart', async () => {
    const { store, decide } = setup();
    const blurb = seedClean.slice(seedClean.indexOf("Don't meet every single requirement"));
    await store.ingest([original()], decide);

    const result = await store.ingest(
      [
        mirror({ sourceId: 'm-1', url: 'https://jobs.mirror.example/j/1', title: 'Staff Machine Learning Engineer' }),
        mirror({
          sourceId: 'm-2',
          url: 'https://jobs.mirror.example/j/2',
          description: `As a Senior Machine Learning Engineer on the fraud team you will build anomaly detection for payments, own the feature store, and run the on-call rotation for model serving.\n\n${blurb}`,
        }),
        mirror({ sourceId: 'm-3', url: 'https://jobs.mirror.example/j/3', description: seedClean.replaceAll('$135,000 to $180,000', '$60 to $80 per hour') }),
      ],
      decide,
    );

    assert.deepEqual([result.inserted, result.updated], [3, 0]);
    await store.close();
  });
});

describe('the dedupe keys in SQLite', () => {
  test('jobs stored before migration 2 are backfilled on open and match their re-posts', async () => {
    const file = dbPath();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const t = Date.parse('2025-03-01T12:00:00.000Z');
    const old = new Database(file);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    const insert = old.prepare(
      `INSERT INTO jobs (title, company, location, description, arrangement, remote_regions, first_seen, last_seen, content_hash)
       VALUES (?, ?, ?, '', 'remote', '["US"]', ?, ?, 'h')`,
    );
    insert.run('Sr. ML Engineer (Remote)', 'Nomad Health, Inc.', 'Remote (US)', t, t);
    insert.run('Sr. ML Engineer (Remote)', null, 'Remote (US)', t, t);
    old.prepare(
      `INSERT INTO postings (job_id, feed, source_id, url, canonical_url, content_hash, first_seen, last_seen)
       VALUES (1, 'remotewlb', 'old-1', 'https://old.example/1', 'https://old.example/1', 'h', ?, ?)`,
    ).run(t, t);
    old.close();

    const db = openDatabase(file);
    const rows = db.prepare('SELECT id, company_key, title_key FROM jobs ORDER BY id').all();
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${JOBS_BY_KEY_SQL}`).all('nomadhealth', 'x', 0) as Array<{ detail: string }>;
    db.close();

    assert.deepEqual(rows, [
      { id: 1, company_key: 'nomadhealth', title_key: 'engineer learning machine senior' },
      { id: 2, company_key: null, title_key: 'engineer learning machine senior' },
    ]);
    // The fuzzy lookup is one index probe, never a scan of jobs.
    assert.match(plan.map((p) => p.detail).join('\n'), /SEARCH jobs USING INDEX jobs_dedupe_key \(company_key=\? AND title_key=\?\)/);
    const clock = manualClock('2025-03-11T12:00:00.000Z');
    const store = createStore(openDatabase(file), clock);
    const repost = posting('other-board', { sourceId: 'n-1', title: 'Senior Machine Learning Engineer', company: 'Nomad Health', location: 'Remote - US', published: clock.now() });
    const result = await store.ingest([repost], () => [{ rule: 'r', channel: 'me', reasons: [] }]);
    assert.deepEqual([result.inserted, result.updated, result.alertsQueued], [0, 1, 0]);
    assert.equal((await onlyJob(store, repost.url)).id, 1);
    await store.close();
  });
});
