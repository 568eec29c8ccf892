/**
 * Shared plumbing for JSON job-board APIs: fetch and parse JSON with errors that name the
 * source, and map items one by one so a bad item is skipped, never failing the response.
 */
import { FetchError, ParseError } from '../core/errors.js';
import type { RawPosting } from '../core/types.js';
import type { FetchRequest } from '../http/fetcher.js';
import type { SkippedItem, SourceContext } from './types.js';

/** A JSON response, or "not modified" when a conditional request was answered 304. */
export type JsonResponse =
  | { notModified: true }
  | { notModified: false; data: unknown; url: string; etag: string | null; lastModified: string | null };

/** Fetches `url` and parses JSON; `conditional` sends the previous poll's validators. Errors name `source`. */
export async function fetchJson(
  ctx: SourceContext,
  source: string,
  url: string,
  opts: { conditional?: boolean; headers?: Record<string, string> } = {},
): Promise<JsonResponse> {
  const req: FetchRequest = { url, headers: { accept: 'application/json', ...opts.headers } };
  if (opts.conditional) {
    req.etag = ctx.etag;
    req.lastModified = ctx.lastModified;
  }
  const res = await ctx.fetch(req);
  if (res.notModified) return { notModified: true };
  let data: unknown;
  try {
    data = JSON.parse(res.text);
  } catch (err) {
    const looksHtml = /^\s*</.test(res.text);
    throw new ParseError(`${source}: expected JSON from ${url}, got ${looksHtml ? 'an HTML page' : 'unreadable text'}`, { cause: err });
  }
  return { notModified: false, data, url: res.url, etag: res.etag, lastModified: res.lastModified };
}

/** The API answered something other than what the adapter knows: a clear error naming the source. */
export function apiShapeError(source: string, what: string): ParseError {
  return new ParseError(`${source}: unexpected API response (${what}); the API may have changed`);
}

/** `value` as an array, or an apiShapeError saying what was expected at `where`. */
export function expectArray(value: unknown, source: string, where: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw apiShapeError(source, `expected a list at ${where}, got ${value === null ? 'null' : typeof value}`);
}

/** `value` as a plain object, or an apiShapeError. */
export function expectObject(value: unknown, source: string, where: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw apiShapeError(source, `expected an object at ${where}, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
}

/**
 * Maps items to postings one at a time: an item whose mapper throws or returns a string (the
 * reason) is skipped with that reason; `null` means "not a posting" (e.g. unlisted) and is
 * dropped silently. `offset` numbers items across pages.
 */
export function mapItems(
  items: readonly unknown[],
  map: (item: Record<string, unknown>, index: number) => RawPosting | string | null,
  offset = 0,
): { postings: RawPosting[]; skipped: SkippedItem[] } {
  const postings: RawPosting[] = [];
  const skipped: SkippedItem[] = [];
  items.forEach((item, i) => {
    const index = offset + i;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      skipped.push({ index, reason: 'not an object' });
      return;
    }
    try {
      const out = map(item as Record<string, unknown>, index);
      if (typeof out === 'string') skipped.push({ index, reason: out });
      else if (out) postings.push(out);
    } catch (err) {
      skipped.push({ index, reason: err instanceof Error ? err.message : String(err) });
    }
  });
  return { postings, skipped };
}

/** A trimmed non-empty string, or null. */
export function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t ? t : null;
}

/** A finite number (numeric strings accepted), or null. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** A Date from an ISO string, epoch milliseconds or epoch seconds; null when invalid. */
export function date(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  let d: Date;
  if (typeof value === 'number') d = new Date(value < 1e12 ? value * 1000 : value);
  else if (typeof value === 'string') d = /^\d+$/.test(value.trim()) ? new Date(Number(value) < 1e12 ? Number(value) * 1000 : Number(value)) : new Date(value);
  else return null;
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Pages are followed to the end, but never past this many: a looping API must not poll forever. */
export const MAX_PAGES = 50;

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An http(s) URL string from an API field, or null. */
export function httpUrl(value: unknown): string | null {
  const s = str(value);
  return s && /^https?:\/\//i.test(s) ? s : null;
}

/** "acme-robotics" -> "Acme Robotics": a board, site or account key shown as the company when the API names none. */
export function readableName(key: string): string {
  return key
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => (w === w.toLowerCase() ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** A 404 from a board API means the configured key names nothing: say so, keeping the status. */
export async function notFoundAs<T>(pending: Promise<T>, what: string): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    if (err instanceof FetchError && err.status === 404) {
      throw new FetchError(`${what} not found (HTTP 404 from ${err.url}); check the key in the config`, { url: err.url, status: 404, cause: err });
    }
    throw err;
  }
}
