/**
 * One HTTP stub on 127.0.0.1 (node:http) standing in for the five HTTP channel services: a
 * generic webhook receiver (verifying the HMAC signature), a Discord webhook, the Telegram Bot
 * API, an ntfy server and a Teams Workflows webhook. Each checks the payload shape its service
 * documents and answers 400 (as the service would) when it is wrong, records every call, and
 * can be told to fail the next calls with a canned answer (429 with a retry time, 5xx, 4xx).
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { startHttpServer } from './http-server.js';

export type Service = 'webhook' | 'discord' | 'telegram' | 'ntfy' | 'teams';

/** One recorded call (failed ones included, with the status they were answered). */
export interface StubCall {
  service: Service;
  path: string;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  status: number;
  /** Why the stub refused the shape (400), if it did. */
  problem?: string;
}

/** A canned answer for failNext. */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string as text. */
  body?: unknown;
}

export interface ChannelStubs {
  webhookUrl: string;
  webhookSecret: string;
  discordUrl: string;
  telegramApiUrl: string;
  telegramToken: string;
  telegramChatId: number;
  ntfyUrl: string;
  ntfyToken: string;
  teamsUrl: string;
  calls: StubCall[];
  /** The receiver's clock for the signature's freshness check (tests with a manual clock set it). */
  now: () => number;
  /** Calls of one service answered 2xx. */
  delivered(service: Service): StubCall[];
  failNext(service: Service, n: number, answer: CannedAnswer): void;
  close(): Promise<void>;
}

export const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';
export const TELEGRAM_TOKEN = '123456789:AAFakeTokenForTests_abc-XYZ';
export const NTFY_TOKEN = 'tk_testtoken0123456789';
const DISCORD_PATH = '/api/webhooks/1122334455/discord-secret-token';
const TEAMS_PATH = '/workflows/abc123/triggers/manual/paths/invoke';
const TEAMS_SIG = 'teams-sig-secret-777';

/** Starts the stubs on one free port. */
export async function startChannelStubs(): Promise<ChannelStubs> {
  const calls: StubCall[] = [];
  const failures: Record<Service, CannedAnswer[]> = { webhook: [], discord: [], telegram: [], ntfy: [], teams: [] };
  const stubs = { now: () => Date.now() };
  const server = await startHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const service = serviceOf(url.pathname);
    if (!service || req.method !== 'POST') {
      res.writeHead(404).end('not found');
      return;
    }
    let body: any = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = null;
    }
    const call: StubCall = { service, path: `${url.pathname}${url.search}`, headers: req.headers, raw, body, status: 200 };
    calls.push(call);
    const answer = (a: CannedAnswer) => {
      call.status = a.status;
      const json = typeof a.body === 'object' && a.body !== null;
      res.writeHead(a.status, { 'content-type': json ? 'application/json' : 'text/plain', ...(a.headers ?? {}) });
      res.end(a.body === undefined ? '' : json ? JSON.stringify(a.body) : String(a.body));
    };
    const auth = authProblem(service, url, req, raw, stubs.now());
    if (auth) return answer(auth);
    const problem = body === null ? 'body is not JSON' : shapeProblem(service, body, url);
    if (problem) {
      call.problem = problem;
      return answer(badRequest(service, problem));
    }
    const canned = failures[service].shift();
    if (canned) return answer(canned);
    return answer(success(service, body));
  });
  return Object.assign(stubs, <Omit<ChannelStubs, 'now'>>{
    webhookUrl: `${server.url}/hooks/jobs-in`,
    webhookSecret: WEBHOOK_SECRET,
    discordUrl: `${server.url}${DISCORD_PATH}`,
    telegramApiUrl: server.url,
    telegramToken: TELEGRAM_TOKEN,
    telegramChatId: -1001234567890,
    ntfyUrl: `${server.url}/ntfy/job-alerts_42`,
    ntfyToken: NTFY_TOKEN,
    teamsUrl: `${server.url}${TEAMS_PATH}?api-version=1&sig=${TEAMS_SIG}`,
    calls,
    delivered: (service: Service) => calls.filter((c) => c.service === service && c.status >= 200 && c.status < 300),
    failNext(service: Service, n: number, answer: CannedAnswer) {
      for (let i = 0; i < n; i++) failures[service].push(answer);
    },
    close: () => server.close(),
  });
}

function serviceOf(path: string): Service | null {
  if (path === '/hooks/jobs-in') return 'webhook';
  if (path.startsWith('/api/webhooks/')) return 'discord';
  if (path.startsWith('/bot')) return 'telegram';
  if (path === '/ntfy/') return 'ntfy';
  if (path.startsWith('/workflows/')) return 'teams';
  return null;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The answer a service gives a request without the right credentials, or null. */
function authProblem(service: Service, url: URL, req: IncomingMessage, raw: string, nowMs: number): CannedAnswer | null {
  switch (service) {
    case 'webhook': {
      const ts = String(req.headers['x-jobalert-timestamp'] ?? '');
      const sig = String(req.headers['x-jobalert-signature'] ?? '');
      return verifySignature(WEBHOOK_SECRET, ts, raw, sig, nowMs) ? null : { status: 401, body: 'bad signature' };
    }
    case 'discord':
      return url.pathname === DISCORD_PATH ? null : { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    case 'telegram':
      return url.pathname === `/bot${TELEGRAM_TOKEN}/sendMessage` ? null : { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    case 'ntfy':
      return req.headers.authorization === `Bearer ${NTFY_TOKEN}` ? null : { status: 403, body: { code: 40301, http: 403, error: 'forbidden' } };
    case 'teams':
      return url.pathname === TEAMS_PATH && url.searchParams.get('sig') === TEAMS_SIG ? null : { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired', message: 'bad sig' } } };
  }
}

/**
 * How a receiver verifies a jobalert webhook (what the README documents): the HMAC-SHA256 of
 * `<timestamp>.<raw body>` under the secret, compared in constant time, and a timestamp within
 * five minutes of now.
 */
export function verifySignature(secret: string, timestamp: string, rawBody: string, signature: string, nowMs: number): boolean {
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** What is wrong with a body, per the service's documentation; null when it is well-formed. */
export function shapeProblem(service: Service, body: any, url: URL): string | null {
  switch (service) {
    case 'webhook': {
      if (body.version !== 1) return 'version must be 1';
      if (!['job', 'test', 'notice'].includes(body.event)) return 'unknown event';
      if (!isString(body.channel) || !isString(body.sent_at)) return 'channel and sent_at required';
      if (body.event === 'job') {
        if (typeof body.alert_id !== 'number' || typeof body.job?.id !== 'number' || !isString(body.job?.title)) return 'job fields missing';
        if (!Array.isArray(body.rules) || !body.rules.every((r: any) => isString(r.name) && Array.isArray(r.reasons))) return 'rules malformed';
      }
      return null;
    }
    case 'discord': {
      if (url.searchParams.get('wait') !== 'true') return 'expected ?wait=true';
      if (!Array.isArray(body.embeds) || body.embeds.length === 0 || body.embeds.length > 10) return 'embeds: 1 to 10';
      if (JSON.stringify(body.allowed_mentions) !== '{"parse":[]}') return 'allowed_mentions must be {parse: []}';
      if (body.content !== undefined && (!isString(body.content) || body.content.length > 2000)) return 'content over 2000';
      let total = body.content?.length ?? 0;
      for (const e of body.embeds) {
        if (e.title !== undefined && (!isString(e.title) || e.title.length > 256)) return 'embed title over 256';
        if (e.description !== undefined && (!isString(e.description) || e.description.length > 4096)) return 'embed description over 4096';
        if (e.url !== undefined && !/^https?:\/\//.test(e.url)) return 'embed url not http(s)';
        total += (e.title?.length ?? 0) + (e.description?.length ?? 0);
      }
      return total > 6000 ? 'embeds over 6000 characters' : null;
    }
    case 'telegram': {
      if (body.chat_id === undefined) return 'Bad Request: chat_id is empty';
      if (!isString(body.text) || body.text.length === 0) return 'Bad Request: message text is empty';
      if (body.parse_mode !== 'HTML') return 'expected parse_mode HTML';
      return telegramHtmlProblem(body.text);
    }
    case 'ntfy': {
      if (!isString(body.topic) || !/^[-_A-Za-z0-9]{1,64}$/.test(body.topic)) return 'invalid topic';
      if (!isString(body.message) || Buffer.byteLength(body.message) > 4096) return 'message missing or over 4096 bytes';
      if (body.title !== undefined && !isString(body.title)) return 'title must be a string';
      if (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every(isString))) return 'tags must be strings';
      if (body.click !== undefined && !/^https?:\/\//.test(body.click)) return 'click must be a URL';
      for (const a of body.actions ?? []) if (a.action !== 'view' || !isString(a.label) || !/^https?:\/\//.test(a.url)) return 'bad action';
      return null;
    }
    case 'teams': {
      if (body.type !== 'message' || !Array.isArray(body.attachments) || body.attachments.length !== 1) return 'expected a message with one attachment';
      const a = body.attachments[0];
      if (a.contentType !== 'application/vnd.microsoft.card.adaptive') return 'wrong contentType';
      const c = a.content;
      if (c?.type !== 'AdaptiveCard' || !['1.4', '1.5'].includes(c.version) || !Array.isArray(c.body) || c.body.length === 0) return 'not an Adaptive Card 1.4/1.5 with a body';
      for (const el of c.body) {
        if (el.type !== 'RichTextBlock' || !Array.isArray(el.inlines)) return `unexpected element ${el.type}`;
        for (const r of el.inlines) if (r.type !== 'TextRun' || !isString(r.text)) return 'inlines must be TextRuns';
      }
      return null;
    }
  }
}

/**
 * Telegram's HTML parse mode: only known tags, balanced; only &lt; &gt; &amp; &quot; and numeric
 * entities; a bare "<" or "&" is an error ("can't parse entities"). Length counted on the text.
 */
function telegramHtmlProblem(html: string): string | null {
  const stack: string[] = [];
  const tagRe = /<(\/?)([a-z]+)((?:\s+[a-z]+="[^"<>]*")*)\s*>/y;
  let visible = 0;
  for (let i = 0; i < html.length; ) {
    const ch = html[i]!;
    if (ch === '<') {
      tagRe.lastIndex = i;
      const m = tagRe.exec(html);
      if (!m || !['b', 'i', 'a', 'u', 's', 'code', 'pre'].includes(m[2]!)) return `Bad Request: can't parse entities: unsupported tag at ${i}`;
      if (m[1]) {
        if (stack.pop() !== m[2]) return `Bad Request: can't parse entities: unmatched end tag at ${i}`;
      } else stack.push(m[2]!);
      i = tagRe.lastIndex;
      continue;
    }
    if (ch === '&') {
      const m = /^&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(html.slice(i, i + 12));
      if (!m) return `Bad Request: can't parse entities: bare & at ${i}`;
      i += m[0].length;
      visible++;
      continue;
    }
    if (ch === '>') return `Bad Request: can't parse entities: bare > at ${i}`;
    visible++;
    i++;
  }
  if (stack.length) return "Bad Request: can't parse entities: unclosed tag";
  return visible > 4096 ? 'Bad Request: message is too long' : null;
}

function badRequest(service: Service, problem: string): CannedAnswer {
  switch (service) {
    case 'discord':
      return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { problem } } };
    case 'telegram':
      return { status: 400, body: { ok: false, error_code: 400, description: problem } };
    case 'ntfy':
      return { status: 400, body: { code: 40000, http: 400, error: problem } };
    case 'teams':
      return { status: 400, body: { error: { code: 'InvalidRequestContent', message: problem } } };
    case 'webhook':
      return { status: 400, body: problem };
  }
}

function success(service: Service, body: any): CannedAnswer {
  switch (service) {
    case 'discord':
      return { status: 200, body: { id: '1', type: 0, content: '', embeds: body.embeds } };
    case 'telegram':
      return { status: 200, body: { ok: true, result: { message_id: 1, chat: { id: body.chat_id }, text: 'x' } } };
    case 'ntfy':
      return { status: 200, body: { id: 'abc', event: 'message', topic: body.topic, message: body.message } };
    case 'teams':
      return { status: 202 };
    case 'webhook':
      return { status: 204 };
  }
}
