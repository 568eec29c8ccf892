/**
 * A Slack-compatible HTTP stub on 127.0.0.1 (node:http) that records chat.postMessage and
 * incoming-webhook calls, answers like Slack, and can be told to fail the next n calls.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which endpoint a call went to. */
export type SlackCallKind = 'api' | 'webhook';

/** One recorded call (failed ones included, with the status they were answered). */
export interface SlackStubPost {
  kind: SlackCallKind;
  /** The API method ("chat.postMessage"); webhook calls have none. */
  method?: string;
  /** Bearer token (or `token` form field) of an API call. */
  token?: string;
  /** The decoded body: `blocks` (and other JSON fields sent as strings) already parsed. */
  body: any;
  /** The HTTP status the stub answered. */
  status: number;
  /** The request URL's query string ("?a=b", or ""): tests tell senders apart by it. */
  query: string;
}

/** A canned answer for failNext. */
export interface SlackStubResponse {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as text/plain. */
  body: any;
}

/** A running stub. */
export interface SlackStub {
  /** http://127.0.0.1:PORT/api/ */
  apiUrl: string;
  /** http://127.0.0.1:PORT/hooks/T000/B000/XXXX */
  webhookUrl: string;
  posts: SlackStubPost[];
  /** The next `n` calls of `kind` get `response` instead of success. */
  failNext(kind: SlackCallKind, n: number, response: SlackStubResponse): void;
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/hooks/T000/B000/XXXX';

/** Starts the stub on 127.0.0.1 and a free port; `onMessage` runs after a call is recorded and accepted, before the stub answers it. */
export async function startSlackStub(opts: { onMessage?: (post: SlackStubPost) => void | Promise<void> } = {}): Promise<SlackStub> {
  const posts: SlackStubPost[] = [];
  const failures: Record<SlackCallKind, SlackStubResponse[]> = { api: [], webhook: [] };
  let ts = 1_700_000_000;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => reply(res, { status: 500, body: { ok: false, error: `stub_error: ${err.message}` } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const kind: SlackCallKind | null = url.pathname.startsWith('/api/') ? 'api' : url.pathname.startsWith('/hooks/') ? 'webhook' : null;
    if (req.method !== 'POST' || kind === null) return reply(res, { status: 404, body: 'not_found' });
    const body = decodeBody(req.headers['content-type'] ?? '', raw);
    const post: SlackStubPost = { kind, body, status: 200, query: url.search };
    if (kind === 'api') {
      post.method = url.pathname.slice('/api/'.length);
      const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
      const token = auth?.[1] ?? (typeof body?.token === 'string' ? body.token : undefined);
      if (token !== undefined) post.token = token;
    }
    posts.push(post);

    const canned = failures[kind].shift();
    if (canned) {
      post.status = canned.status;
      return reply(res, canned);
    }
    if (kind === 'webhook') {
      if (url.pathname !== WEBHOOK_PATH) {
        post.status = 404;
        return reply(res, { status: 404, body: 'no_service' });
      }
      await opts.onMessage?.(post);
      return reply(res, { status: 200, body: 'ok' });
    }
    if (!post.token) return reply(res, { status: 200, body: { ok: false, error: 'not_authed' } });
    if (post.token === 'xoxb-bad') return reply(res, { status: 200, body: { ok: false, error: 'invalid_auth' } });
    ts += 1;
    await opts.onMessage?.(post);
    return reply(res, { status: 200, body: { ok: true, channel: body?.channel ?? 'C000', ts: `${ts}.000100`, message: { text: body?.text } } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    webhookUrl: `${base}${WEBHOOK_PATH}`,
    posts,
    failNext(kind, n, response) {
      for (let i = 0; i < n; i++) failures[kind].push(response);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // clients keep connections alive; do not wait for them
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// WebClient posts application/x-www-form-urlencoded with objects (blocks) JSON-encoded as
// strings; webhooks post JSON. Both come out as one plain object.
function decodeBody(contentType: string, raw: string): any {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      out[key] = /^[[{]/.test(value) ? tryJson(value) : value === 'true' ? true : value === 'false' ? false : value;
    }
    return out;
  }
  return raw;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function reply(res: ServerResponse, response: SlackStubResponse): void {
  const isText = typeof response.body === 'string';
  const payload = isText ? response.body : JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    ...response.headers,
  });
  res.end(payload);
}
