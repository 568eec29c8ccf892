/**
 * The real-data samples served as their job boards would serve them: a local HTTP server on
 * 127.0.0.1 and one feed config per sample whose `url:` points at it, so each sample is read by
 * its real source adapter through the real fetcher. Paging parameters (Lever skip/limit,
 * SmartRecruiters and Himalayas offset/limit, page numbers) are honoured on the sample's item list,
 * so an adapter that pages sees the list end as it would on the live API.
 *
 * Hacker News: the adapter asks Algolia for the thread (search_by_date), then the thread's comment
 * tree (items/{id}); these come from hn_search_<x>.reconstructed.json and
 * hn_items_<x>.reconstructed.json. The *.orig.json HN files are not read: the reconstructed files
 * carry the same comments (same ids, authors, text and times) in the API shape the adapter reads
 * (samples/MANIFEST.md).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { FeedBase } from '../sources/types.js';

/** One sample to read: its feed config (url pointing at the local server) and the label file stem. */
export interface SampleFeed {
  /** Label file stem = feed name: the sample file name without extension; for HN, the items file's ("hn_items_gantryops_2026-04.reconstructed"). */
  sample: string;
  /** The sample files it is served from. */
  files: string[];
  feed: FeedBase & Record<string, unknown>;
}

/** A sample file the harness does not know how to serve, and why. */
export interface UnservedSample {
  file: string;
  reason: string;
}

export interface SampleServer {
  feeds: SampleFeed[];
  unserved: UnservedSample[];
  close(): Promise<void>;
}

// Each sample's board key (the word after the board host), for adapters that require one; the
// served url: replaces the endpoint, so the value only names the company where an adapter uses it.
const TYPES: ReadonlyArray<readonly [prefix: string, type: string, key: string | null]> = [
  ['remoteok_', 'remoteok', null],
  ['remotive_', 'remotive', null],
  ['jobicy_', 'jobicy', null],
  ['himalayas_', 'himalayas', null],
  ['wwr-rss_', 'rss', null],
  ['greenhouse_', 'greenhouse', 'board'],
  ['lever_', 'lever', 'site'],
  ['ashby_', 'ashby', 'board'],
  ['workable_', 'workable', 'account'],
  ['smartrecruiters_', 'smartrecruiters', 'company'],
  ['recruitee_', 'recruitee', 'company'],
];

// Boards whose sample name carries the board word after the source type ("greenhouse_luno_...");
// the others are named after the repository they came from, and get the company they hold.
const BOARD_OF_SAMPLE: Readonly<Record<string, string>> = {
  'ashby_aws-job-streamer': 'ramp',
  ashby_highlightta: 'highlightta',
  ashby_truelogic: 'truelogic',
  'greenhouse_amplitude': 'amplitude',
  'greenhouse_anthropic': 'anthropic',
  lever_spotify: 'spotify',
  lever_idealist: 'idealist',
  recruitee_careerkit: 'acme',
  recruitee_espeo: 'espeo',
  smartrecruiters_careerkit: 'careerkit',
  smartrecruiters_tieto: 'tieto',
  workable_zaelab: 'zaelab',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/rss+xml; charset=utf-8',
};

/** Starts the server for every sample in `dir` and builds one feed per sample. */
export async function serveSamples(dir: string): Promise<SampleServer> {
  const files = fs.readdirSync(dir).filter((f) => f !== 'MANIFEST.md' && !f.startsWith('.')).sort();
  const routes = new Map<string, { file: string; hn?: 'search' | 'items' }>();
  const planned: Array<Omit<SampleFeed, 'feed'> & { type: string; keys: Record<string, unknown>; route: string }> = [];
  const unserved: UnservedSample[] = [];

  for (const file of files) {
    const stem = file.replace(/\.(json|xml)$/, '');
    if (file.startsWith('hn_')) {
      if (file.endsWith('.orig.json')) continue; // the reconstructed files carry the same comments
      const m = /^hn_(search|items)_(.+)\.reconstructed\.json$/.exec(file);
      if (!m) {
        unserved.push({ file, reason: 'not an hn_search_/hn_items_ reconstructed file' });
        continue;
      }
      const name = m[2]!;
      routes.set(`/hn/${name}/${m[1]}`, { file, hn: m[1] as 'search' | 'items' });
      if (m[1] === 'items') planned.push({ sample: `hn_items_${name}.reconstructed`, files: [file, `hn_search_${name}.reconstructed.json`], type: 'hn', keys: {}, route: `/hn/${name}` });
      continue;
    }
    const kind = TYPES.find(([prefix]) => file.startsWith(prefix));
    if (!kind) {
      unserved.push({ file, reason: 'no source type for this file name' });
      continue;
    }
    const [prefix, type, key] = kind;
    const keys: Record<string, unknown> = {};
    if (key) {
      const second = stem.slice(prefix.length).split('_')[0]!;
      keys[key] = BOARD_OF_SAMPLE[`${prefix}${second}`] ?? second.toLowerCase();
    }
    routes.set(`/s/${file}`, { file });
    planned.push({ sample: stem, files: [file], type, keys, route: `/s/${file}` });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let route = routes.get(url.pathname);
    let hnItem = false;
    const hn = /^(\/hn\/[^/]+)\/(search_by_date|items\/[^/]+)$/.exec(url.pathname);
    if (hn) {
      hnItem = hn[2]!.startsWith('items/');
      route = routes.get(`${hn[1]}/${hnItem ? 'items' : 'search'}`);
    }
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    let text = fs.readFileSync(path.join(dir, route.file), 'utf8');
    if (hnItem) {
      // The items file is the thread's tree; any other id is not in the sample.
      const id = decodeURIComponent(hn![2]!.slice('items/'.length));
      const tree = JSON.parse(text.replace(/^\uFEFF/, '')) as { id?: unknown };
      if (String(tree.id) !== id) {
        res.writeHead(404).end('not found');
        return;
      }
    } else if (route.file.endsWith('.json')) {
      text = paged(text, url.searchParams);
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(route.file)] ?? 'application/octet-stream' }).end(text);
  });
  // Longer than any pause between two reads, so a kept-alive socket is never closed under a request.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const feeds: SampleFeed[] = planned.map((p) => ({
    sample: p.sample,
    files: p.files,
    feed: { name: p.sample, type: p.type, url: `${base}${p.route}`, enabled: true, ...p.keys },
  }));
  return {
    feeds,
    unserved,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const LIST_KEYS = ['jobs', 'content', 'offers', 'hits', 'postings', 'data'];

/**
 * The page of a JSON sample a paging request asks for: `skip`/`offset` (+ `limit`) slice the item
 * list; a `page` past the first (1-based `page` >= 2 for Himalayas search, 0-based `page` >= 1 for
 * Algolia) is empty. A request without paging parameters gets the sample unchanged, byte for byte.
 */
function paged(text: string, params: URLSearchParams): string {
  const start = Number(params.get('skip') ?? params.get('offset') ?? '0');
  const limit = params.has('limit') ? Number(params.get('limit')) : Infinity;
  const page = params.get('page');
  const pastFirstPage = page !== null && Number(page) >= (params.has('q') ? 2 : 1);
  if ((!(start > 0) && !Number.isFinite(limit) && !pastFirstPage) || !Number.isFinite(start)) return text;
  const data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  const slice = (list: unknown[]): unknown[] => (pastFirstPage ? [] : list.slice(start, start + limit));
  if (Array.isArray(data)) return JSON.stringify(slice(data));
  if (typeof data === 'object' && data !== null) {
    const o = data as Record<string, unknown>;
    const key = LIST_KEYS.find((k) => Array.isArray(o[k]));
    if (key) return JSON.stringify({ ...o, [key]: slice(o[key] as unknown[]) });
  }
  return text;
}
