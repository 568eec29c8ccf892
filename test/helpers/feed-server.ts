/**
 * A local job-board server for end-to-end tests: serves feed bodies with ETag and
 * Last-Modified (answering 304 to conditional requests) and can misbehave on purpose
 * (hang, 500, a 50 MB body, broken XML) so fault handling is tested against real sockets.
 */
import crypto from 'node:crypto';
import { startHttpServer } from './http-server.js';

export type Route =
  | { kind: 'feed'; body: string | Buffer; contentType?: string }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'huge'; bytes: number };

export interface FeedServer {
  url: (path: string) => string;
  /** Requests seen per path, with whether each was answered 304. */
  hits: Map<string, Array<{ status: number; conditional: boolean }>>;
  setRoute(path: string, route: Route): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 with the given routes. */
export async function startFeedServer(routes: Record<string, Route>): Promise<FeedServer> {
  const table = new Map(Object.entries(routes));
  const hits = new Map<string, Array<{ status: number; conditional: boolean }>>();
  const lastModified = new Date('2026-11-20T08:00:00Z').toUTCString();
  const server = await startHttpServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = table.get(path);
    const conditional = Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']);
    const log = (status: number) => {
      const list = hits.get(path) ?? [];
      list.push({ status, conditional });
      hits.set(path, list);
    };
    if (!route) {
      log(404);
      res.writeHead(404).end('not found');
      return;
    }
    switch (route.kind) {
      case 'feed': {
        const etag = `"${crypto.createHash('sha1').update(route.body).digest('hex').slice(0, 16)}"`;
        if (req.headers['if-none-match'] === etag || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === lastModified)) {
          log(304);
          res.writeHead(304, { etag, 'last-modified': lastModified }).end();
          return;
        }
        log(200);
        res.writeHead(200, { 'content-type': route.contentType ?? 'application/rss+xml; charset=utf-8', etag, 'last-modified': lastModified }).end(route.body);
        return;
      }
      case 'hang':
        log(0);
        return; // never answers; the client's timeout must fire
      case 'status':
        log(route.status);
        res.writeHead(route.status, route.headers).end(route.body ?? '');
        return;
      case 'huge': {
        log(200);
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < route.bytes) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => {
          sent = route.bytes;
        });
        pump();
        return;
      }
    }
  });
  return {
    url: (path) => `${server.url}${path}`,
    hits,
    setRoute: (path, route) => table.set(path, route),
    close: () => server.close(),
  };
}

/** Escapes text for XML element content. */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface FixtureItem {
  title: string;
  link: string;
  guid?: string;
  descriptionHtml: string;
  pubDate: Date;
  region?: string;
}

/** An RSS 2.0 document shaped like We Work Remotely's feeds. */
export function rssFeed(title: string, items: FixtureItem[]): string {
  const body = items
    .map(
      (i) => `    <item>
      <title>${xmlEscape(i.title)}</title>
      <link>${xmlEscape(i.link)}</link>
      <guid isPermaLink="false">${xmlEscape(i.guid ?? i.link)}</guid>
      <pubDate>${i.pubDate.toUTCString()}</pubDate>${i.region ? `\n      <region>${xmlEscape(i.region)}</region>` : ''}
      <description><![CDATA[${i.descriptionHtml}]]></description>
    </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${xmlEscape(title)}</title>
    <link>https://example.test/</link>
    <description>Remote jobs</description>
${body}
  </channel>
</rss>
`;
}

/** Turns the markdown-ish seed posting into the HTML a feed would carry. */
export function markdownToHtml(md: string): string {
  return md
    .split(/\n{2,}/)
    .map((block) => `<p>${xmlEscape(block.trim()).replace(/\n/g, '<br/>')}</p>`)
    .join('\n');
}
