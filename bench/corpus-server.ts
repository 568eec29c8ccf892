/**
 * Serves the benchmark corpus (corpus.ts) on 127.0.0.1, one path per feed (/feed/N.xml), with ETag
 * and Last-Modified. In `conditional` mode a request carrying the current validators gets a 304; in
 * `ignore-validators` mode every request gets the whole body with a new ETag (the bytes do not
 * change), as servers behind some CDNs do.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { feedXml, type CorpusOptions } from './corpus.js';

export type ServeMode = 'conditional' | 'ignore-validators';

/** A running corpus server. */
export interface CorpusServer {
  /** The URL of feed `n`. */
  url(n: number): string;
  feeds: number;
  /** Total bytes of every feed body as now served. */
  bytes(): number;
  setMode(mode: ServeMode): void;
  /** Every feed serves `added` newer items on top of its base items (0 = the base corpus). */
  setAdded(added: number): void;
  /** Every feed serves no items at all (true) or its items again (false); each switch is a new version (new ETag). */
  setEmpty(empty: boolean): void;
  /** Responses sent, by status. */
  counts: Record<number, number>;
  /** performance.now() of the first request since the start or resetCounts(); null before one. */
  firstRequestAt(): number | null;
  /** Forgets the counts and the first request's time (the next measured run starts). */
  resetCounts(): void;
  close(): Promise<void>;
}

interface Served {
  body: Buffer;
  etag: string;
  lastModified: string;
}

/** Starts the server for `feeds` feeds of `items` items each. */
export async function startCorpusServer(opts: CorpusOptions & { feeds: number; items: number }): Promise<CorpusServer> {
  let mode: ServeMode = 'conditional';
  let generation = 0;
  let responses = 0;
  const counts: Record<number, number> = {};
  let firstRequest: number | null = null;
  let served: Served[] = [];
  let added = 0;
  let empty = false;
  const build = () => {
    generation++;
    const lastModified = new Date(opts.baseTime + generation * 60_000).toUTCString();
    served = [];
    for (let f = 0; f < opts.feeds; f++) {
      served.push({ body: Buffer.from((empty ? feedXml(f, 0, -1, opts) : feedXml(f, -added, opts.items - 1, opts)), 'utf8'), etag: `"g${generation}-f${f}"`, lastModified });
    }
  };
  build();

  const server = http.createServer((req, res) => {
    firstRequest ??= performance.now();
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
    const feed = m ? served[Number(m[1])] : undefined;
    const reply = (status: number, headers: Record<string, string>, body?: Buffer) => {
      counts[status] = (counts[status] ?? 0) + 1;
      res.writeHead(status, headers).end(body);
    };
    if (!feed) return reply(404, { 'content-type': 'text/plain' }, Buffer.from('not found'));
    if (mode === 'ignore-validators') {
      return reply(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: `"r${++responses}"`, 'last-modified': new Date().toUTCString() }, feed.body);
    }
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if (inm === feed.etag || (inm === undefined && ims === feed.lastModified)) {
      return reply(304, { etag: feed.etag, 'last-modified': feed.lastModified });
    }
    return reply(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: feed.etag, 'last-modified': feed.lastModified }, feed.body);
  });
  // Many clients at once (rss2email and jobalert both open several connections).
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (n) => `http://127.0.0.1:${port}/feed/${n}.xml`,
    feeds: opts.feeds,
    bytes: () => served.reduce((sum, s) => sum + s.body.length, 0),
    setMode: (m) => (mode = m),
    setAdded(n) {
      added = n;
      build();
    },
    setEmpty(e) {
      empty = e;
      build();
    },
    counts,
    firstRequestAt: () => firstRequest,
    resetCounts() {
      for (const k of Object.keys(counts)) delete counts[Number(k)];
      firstRequest = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
