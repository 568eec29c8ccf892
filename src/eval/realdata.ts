/**
 * The real-data evaluation: every sample in ../shared/realdata/samples (recorded API responses and
 * feeds nobody on the project wrote) is read as a user would read it — its real source adapter,
 * through the real fetcher, from a local HTTP server — normalized, and ingested into a real
 * temporary SQLite store in published order, so dedupe is the store's own. What comes out is
 * compared with the hand labels in test/fixtures/realdata/labels.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Posting, Salary } from '../core/types.js';
import { locatePlaces, type GeoPlace } from '../places/places.js';
import { createFetcher } from '../http/fetcher.js';
import { postingPlaces } from '../match/posting-places.js';
import { normalizePosting } from '../normalize/normalize-posting.js';
import { resolveFeed } from '../sources/registry.js';
import { openDatabase } from '../store/db.js';
import { createStore } from '../store/store.js';
import { itemKey, loadLabels, type LabelSalary, type RealDataLabel } from './realdata-labels.js';
import { serveSamples, type SampleFeed, type UnservedSample } from './realdata-server.js';
import { ratio, type FieldFailure, type FieldScore } from './score.js';

/** The floors for the real-data part (issue 7, "Done when"). */
export const REALDATA_TARGETS = {
  labelledItems: 300,
  salary: 0.98,
  inventedSalaries: 0,
  falseMerges: 0,
  arrangement: 0.98,
  hnPostingsRead: 0.98,
  hnCompany: 0.98,
} as const;

/** How one sample was read. */
export interface SampleRead {
  sample: string;
  files: string[];
  type: string;
  /** The adapter's name for what it read ("Lever job site"); null when the read failed. */
  format: string | null;
  /** Postings the adapter yielded (normalized). */
  postings: number;
  /** Items the adapter or normalization skipped. */
  skipped: number;
  /** Labels in the sample's label file. */
  labelled: number;
  /** Postings whose id has no label (the sample is labelled only in part, or not at all). */
  unlabelled: number;
  /** The read failed: the adapter's error message. */
  error: string | null;
}

/** A labelled item, for lists in the report. */
export interface ItemRef {
  /** "<sample>:<id>". */
  id: string;
  title: string;
}

/** A salary jobalert gives to an item whose label states none. */
export interface InventedSalary extends ItemRef {
  got: Salary;
}

/** A store job holding items of different labelled jobs. */
export interface RealFalseMerge {
  /** Item ids, grouped by labelled job. */
  jobs: string[][];
}

/** A labelled job whose items the store kept apart. */
export interface MissedDuplicate {
  job: string;
  /** Item ids per store job. */
  parts: string[][];
}

export interface RealDataReport {
  samplesDir: string;
  labelsDir: string;
  samples: SampleRead[];
  unserved: UnservedSample[];
  labels: { total: number; jobs: number; nonJobs: number; samples: number };
  /** Job labels whose id the adapter did not yield (a finding, not a crash). */
  missing: (ItemRef & { where: string })[];
  /** Labels of a sample that is not in the samples directory. */
  labelsWithoutSample: string[];
  /** Base pay exact (min, max, currency, period) over read job items whose label states one. */
  salary: FieldScore;
  invented: InventedSalary[];
  missed: FieldFailure[];
  arrangement: FieldScore;
  /** Countries (and cities, where the label names one) agree; reported, no floor. */
  location: FieldScore;
  seniority: FieldScore;
  /** Company right over read job items of every source (reported). */
  company: FieldScore;
  hn: {
    labelledJobs: number;
    read: number;
    postingsRead: number;
    notRead: ItemRef[];
    /** Labelled non-jobs (job-seeker posts, meta comments) the adapter made postings of. */
    nonJobsYielded: ItemRef[];
    /** Company right over the HN jobs read. */
    company: FieldScore;
  };
  dedupe: {
    /** Labelled items read and ingested. */
    items: number;
    labelledJobs: number;
    storeJobs: number;
    falseMerges: RealFalseMerge[];
    missedDuplicates: MissedDuplicate[];
  };
}

/** Where the samples are: $JOBALERT_REALDATA, else ../shared/realdata/samples next to the repository. */
export function realDataDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.JOBALERT_REALDATA ? path.resolve(env.JOBALERT_REALDATA) : path.resolve(root, '../shared/realdata/samples');
}

/** One posting as read, with its sample. */
interface ReadPosting {
  sample: string;
  key: string;
  posting: Posting;
  order: number;
}

/** Reads every sample through its adapter, ingests everything into a fresh store and scores it against the labels. */
export async function runRealDataEvaluation(samplesDir: string, labelsDir: string): Promise<RealDataReport> {
  if (!fs.existsSync(samplesDir)) throw new Error(`${samplesDir}: no such directory (set JOBALERT_REALDATA)`);
  const labels = loadLabels(labelsDir);
  const labelOf = new Map(labels.map((l) => [itemKey(l.sample, l.id), l]));

  const server = await serveSamples(samplesDir);
  const fetcher = createFetcher({ timeoutMs: 30_000, connectTimeoutMs: 5_000, maxBodyBytes: 64 * 1024 * 1024, maxRedirects: 3, perHost: 4 });
  const samples: SampleRead[] = [];
  const read: ReadPosting[] = [];
  try {
    for (const sf of server.feeds) samples.push(await readSample(sf, fetcher, labels, labelOf, read));
  } finally {
    await fetcher.close();
    await server.close();
  }

  const served = new Set(server.feeds.map((f) => f.sample));
  const labelsWithoutSample = [...new Set(labels.filter((l) => !served.has(l.sample)).map((l) => l.sample))];
  const first = new Map<string, Posting>();
  for (const r of read) if (!first.has(r.key)) first.set(r.key, r.posting);

  // A non-job the adapter drops (an empty item, a job-seeker post) is read right; HN non-jobs yielded are counted below.
  const missing = labels
    .filter((l) => l.job && served.has(l.sample) && !first.has(itemKey(l.sample, l.id)))
    .map((l) => ({ id: itemKey(l.sample, l.id), title: l.title, where: l.where }));

  const jobs = labels.filter((l) => l.job);
  const readJobs = jobs.flatMap((label) => {
    const posting = first.get(itemKey(label.sample, label.id));
    return posting ? [{ label, posting }] : [];
  });
  const fields = scoreFields(readJobs);

  const hnJobs = jobs.filter((l) => isHn(l.sample));
  const hnRead = readJobs.filter((r) => isHn(r.label.sample));
  const hn = {
    labelledJobs: hnJobs.length,
    read: hnRead.length,
    postingsRead: ratio(hnRead.length, hnJobs.length),
    notRead: hnJobs.filter((l) => !first.has(itemKey(l.sample, l.id))).map(ref),
    nonJobsYielded: labels.filter((l) => !l.job && isHn(l.sample) && first.has(itemKey(l.sample, l.id))).map(ref),
    company: scoreCompany(hnRead, 'HN jobs read'),
  };

  return {
    samplesDir,
    labelsDir,
    samples,
    unserved: server.unserved,
    labels: { total: labels.length, jobs: jobs.length, nonJobs: labels.length - jobs.length, samples: new Set(labels.map((l) => l.sample)).size },
    missing,
    labelsWithoutSample,
    ...fields,
    hn,
    dedupe: await evaluateStore(read, labelOf),
  };
}

async function readSample(
  sf: SampleFeed,
  fetcher: ReturnType<typeof createFetcher>,
  labels: readonly RealDataLabel[],
  labelOf: ReadonlyMap<string, RealDataLabel>,
  out: ReadPosting[],
): Promise<SampleRead> {
  const result: SampleRead = {
    sample: sf.sample,
    files: sf.files,
    type: sf.feed.type,
    format: null,
    postings: 0,
    skipped: 0,
    labelled: labels.filter((l) => l.sample === sf.sample).length,
    unlabelled: 0,
    error: null,
  };
  try {
    const { adapter, feed } = resolveFeed(sf.feed);
    const res = await adapter.read(feed, { fetch: (r) => fetcher.fetch(r), log: pino({ level: 'silent' }), now: new Date(), etag: null, lastModified: null });
    if (res.notModified) throw new Error('the adapter answered "not modified" to a first read');
    result.format = res.format;
    result.skipped = res.skipped.length;
    for (const raw of res.postings) {
      let posting: Posting;
      try {
        posting = normalizePosting(raw, sf.sample);
      } catch {
        result.skipped += 1; // as the pipeline does: the item is skipped, the feed goes on
        continue;
      }
      const key = itemKey(sf.sample, raw.sourceId);
      out.push({ sample: sf.sample, key, posting, order: out.length });
      result.postings += 1;
      if (!labelOf.has(key)) result.unlabelled += 1;
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

function isHn(sample: string): boolean {
  return sample.startsWith('hn_');
}

function ref(label: RealDataLabel): ItemRef {
  return { id: itemKey(label.sample, label.id), title: label.title };
}

interface Scored {
  label: RealDataLabel;
  posting: Posting;
}

class Tally implements FieldScore {
  correct = 0;
  total = 0;
  accuracy = 1;
  failures: FieldFailure[] = [];
  constructor(
    readonly field: string,
    readonly over: string,
  ) {}
  add(label: RealDataLabel, ok: boolean, expected: unknown, got: unknown): void {
    this.total += 1;
    if (ok) this.correct += 1;
    else this.failures.push({ id: itemKey(label.sample, label.id), title: label.title, expected, got });
    this.accuracy = ratio(this.correct, this.total);
  }
  toJSON(): FieldScore {
    return { field: this.field, over: this.over, correct: this.correct, total: this.total, accuracy: this.accuracy, failures: this.failures };
  }
}

function scoreFields(items: readonly Scored[]): Pick<RealDataReport, 'salary' | 'invented' | 'missed' | 'arrangement' | 'location' | 'seniority' | 'company'> {
  const salary = new Tally('salary', 'job items read whose label states base pay: min, max, currency, period all equal');
  const arrangement = new Tally('arrangement', 'job items read');
  const location = new Tally('location', 'job items read with a labelled location: countries (and a labelled city) agree');
  const seniority = new Tally('seniority', 'job items read');
  const invented: InventedSalary[] = [];
  const missed: FieldFailure[] = [];
  for (const { label, posting } of items) {
    const id = itemKey(label.sample, label.id);
    if (label.salary) {
      salary.add(label, sameSalary(label.salary, posting.salary), showSalary(label.salary), showSalary(posting.salary));
      if (!posting.salary) missed.push({ id, title: label.title, expected: showSalary(label.salary), got: null });
    } else if (posting.salary) {
      invented.push({ id, title: label.title, got: posting.salary });
    }
    arrangement.add(label, label.arrangement === posting.arrangement, label.arrangement, posting.arrangement);
    if (label.location !== null) {
      const got = [posting.location, ...posting.remoteRegions.map((r) => `remote ${r}`)].filter(Boolean).join('; ') || null;
      location.add(label, locationAgrees(label.location, posting), label.location, got);
    }
    seniority.add(label, label.seniority === posting.seniority, label.seniority, posting.seniority);
  }
  return {
    salary: salary.toJSON(),
    invented,
    missed,
    arrangement: arrangement.toJSON(),
    location: location.toJSON(),
    seniority: seniority.toJSON(),
    company: scoreCompany(items, 'job items read'),
  };
}

function scoreCompany(items: readonly Scored[], over: string): FieldScore {
  const tally = new Tally('company', `${over}: case, punctuation and legal suffix aside`);
  for (const { label, posting } of items) tally.add(label, sameCompany(label.company, posting.company), label.company, posting.company);
  return tally.toJSON();
}

/** Equal as stated; a single amount may be given as min only or as min = max. */
export function sameSalary(label: LabelSalary, got: Salary | null): boolean {
  if (!got) return false;
  const bounds = (min: number | null, max: number | null): [number | null, number | null] => (min !== null && max === null ? [min, min] : [min, max]);
  const [lMin, lMax] = bounds(label.min, label.max);
  const [gMin, gMax] = bounds(got.min, got.max);
  const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) < 0.005);
  return close(lMin, gMin) && close(lMax, gMax) && label.currency === got.currency && label.period === got.period;
}

function showSalary(s: LabelSalary | Salary | null): string | null {
  if (!s) return null;
  const n = (v: number | null): string => (v === null ? '?' : v.toLocaleString('en-US'));
  return `${n(s.min)}-${n(s.max)} ${s.currency ?? '(no currency)'}/${s.period}`;
}

const LEGAL_SUFFIXES = new Set(
  'inc incorporated llc llp ltd limited plc corp corporation co company gmbh ag ab sa sas sarl srl spa bv nv oy oyj as asa aps pty pte kk ug se'.split(' '),
);

/** A company name for comparison: case, diacritics, punctuation and trailing legal suffixes aside. */
export function companyKey(name: string | null): string {
  if (name === null) return '';
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1]!)) words.pop();
  if (words.length > 1 && words[0] === 'the') words.shift();
  return words.join('');
}

function sameCompany(label: string | null, got: string | null): boolean {
  return companyKey(label) === companyKey(got);
}

interface PlaceSets {
  /** Country ids, or the region / world id of a place wider than a country. */
  countries: Set<string>;
  cities: Set<string>;
}

function placeSets(places: readonly GeoPlace[]): PlaceSets {
  const countries = new Set<string>();
  const cities = new Set<string>();
  for (const p of places) {
    const inCountry = [...p.within].filter((id) => id.startsWith('country:'));
    if (inCountry.length > 0) inCountry.forEach((c) => countries.add(c));
    else if (p.kind === 'region' || p.kind === 'world') countries.add(p.id);
    for (const id of p.within) if (id.startsWith('city:')) cities.add(id);
  }
  return { countries, cities };
}

/**
 * Loose agreement of a labelled location with the posting's places (location field, title places,
 * remote regions), both resolved with the matcher's gazetteer: some country (or region) in common,
 * and a city in common when the label names one. No place on either side agrees with no place.
 */
export function locationAgrees(label: string, posting: Posting): boolean {
  const want = placeSets(locatePlaces(label).flatMap((a) => a.places));
  const pp = postingPlaces(posting);
  const have = placeSets([...pp.alternatives.flatMap((a) => a.places), ...pp.regions.flatMap((a) => a.places)]);
  const worldOnly = (s: PlaceSets): boolean => s.cities.size === 0 && [...s.countries].every((c) => c === 'world');
  if (worldOnly(want)) return worldOnly(have);
  if (![...want.countries].some((c) => have.countries.has(c))) return false;
  return want.cities.size === 0 || [...want.cities].some((c) => have.cities.has(c));
}

/**
 * Ingests what was read into a fresh SQLite store as the daemon would: each sample is one poll of
 * its feed (every item it lists side by side, in one ingest), the polls in the order they were
 * recorded (by each sample's newest posting), so dedupe sees which ids a feed lists at once.
 */
async function evaluateStore(read: readonly ReadPosting[], labelOf: ReadonlyMap<string, RealDataLabel>): Promise<RealDataReport['dedupe']> {
  const published = (r: ReadPosting): number => r.posting.published?.getTime() ?? Infinity;
  const polls = new Map<string, ReadPosting[]>();
  for (const r of read) {
    const poll = polls.get(r.sample);
    if (poll) poll.push(r);
    else polls.set(r.sample, [r]);
  }
  const newest = (poll: readonly ReadPosting[]): number => Math.max(...poll.map((r) => r.posting.published?.getTime() ?? 0));
  const ordered = [...polls.values()]
    .map((poll) => [...poll].sort((a, b) => published(a) - published(b) || a.order - b.order))
    .sort((a, b) => newest(a) - newest(b) || a[0]!.order - b[0]!.order);
  const storeJobOf = new Map<string, number>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-realdata-'));
  try {
    const db = openDatabase(path.join(dir, 'eval.db'));
    let now = new Date(0);
    const store = createStore(db, { now: () => now });
    try {
      for (const poll of ordered) {
        const at = newest(poll);
        if (at > now.getTime()) now = new Date(at);
        await store.ingest(poll.map((r) => r.posting), () => []);
        for (const { key, posting } of poll) {
          const jobId = (await store.findJobByUrl(posting.url))?.id;
          if (jobId === undefined) throw new Error(`${key}: the store neither created nor found a job for ${posting.url}`);
          // An id listed twice in one response (Workable: one job per location) is one item; its first job counts.
          if (!storeJobOf.has(key)) storeJobOf.set(key, jobId);
        }
      }
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const groupOf = (key: string): string => {
    let at = key;
    for (let hops = 0; hops < 16; hops++) {
      const next = labelOf.get(at)?.duplicateOf;
      if (!next) break;
      at = next;
    }
    return at;
  };
  const byStore = new Map<number, Map<string, string[]>>();
  const byGroup = new Map<string, Map<number, string[]>>();
  for (const [key, job] of storeJobOf) {
    if (!labelOf.has(key)) continue;
    const group = groupOf(key);
    push(byStore, job, group, key);
    push(byGroup, group, job, key);
  }
  return {
    items: [...byGroup.values()].reduce((n, parts) => n + [...parts.values()].flat().length, 0),
    labelledJobs: byGroup.size,
    storeJobs: byStore.size,
    falseMerges: [...byStore.values()].filter((groups) => groups.size > 1).map((groups) => ({ jobs: [...groups.values()] })),
    missedDuplicates: [...byGroup.entries()].filter(([, parts]) => parts.size > 1).map(([job, parts]) => ({ job, parts: [...parts.values()] })),
  };
}

function push<K, L>(map: Map<K, Map<L, string[]>>, outer: K, inner: L, value: string): void {
  let m = map.get(outer);
  if (!m) map.set(outer, (m = new Map()));
  const list = m.get(inner);
  if (list) list.push(value);
  else m.set(inner, [value]);
}
