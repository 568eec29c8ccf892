/**
 * The source registry: one explicit map from `type:` to adapter (no auto-discovery), and the
 * resolution of a configured feed to the adapter that reads it.
 */
import type { SourceAdapter, FeedBase, PollLimit } from './types.js';
import { feedAdapter } from './adapters/feed.js';
import { workableAdapter } from './adapters/workable.js';
import { smartRecruitersAdapter } from './adapters/smartrecruiters.js';
import { recruiteeAdapter } from './adapters/recruitee.js';
import { himalayasAdapter } from './adapters/himalayas.js';
import { greenhouseAdapter } from './adapters/greenhouse.js';
import { leverAdapter } from './adapters/lever.js';
import { ashbyAdapter } from './adapters/ashby.js';
import { remoteokAdapter } from './adapters/remoteok.js';
import { remotiveAdapter, runsPerDay } from './adapters/remotive.js';
import { jobicyAdapter } from './adapters/jobicy.js';
import { hnAdapter } from './adapters/hn.js';

const ADAPTERS: readonly SourceAdapter[] = [feedAdapter, workableAdapter, smartRecruitersAdapter, recruiteeAdapter, himalayasAdapter, greenhouseAdapter, leverAdapter, ashbyAdapter, remoteokAdapter, remotiveAdapter, jobicyAdapter, hnAdapter];

function buildRegistry(adapters: readonly SourceAdapter[]): ReadonlyMap<string, SourceAdapter> {
  const map = new Map<string, SourceAdapter>();
  for (const a of adapters) {
    for (const t of a.types) {
      if (map.has(t)) throw new Error(`two source adapters claim type "${t}"`);
      map.set(t, a);
    }
  }
  return map;
}

/** Every `type:` value a feed may have, mapped to its adapter. */
export const SOURCE_ADAPTERS: ReadonlyMap<string, SourceAdapter> = buildRegistry(ADAPTERS);

/** A feed with the adapter that reads it (board URLs pasted as `type: auto` are resolved to their ATS). */
export interface ResolvedFeed {
  adapter: SourceAdapter;
  feed: FeedBase & Record<string, unknown>;
}

/** Finds the adapter for a feed; `type: auto` URLs of known job boards are read through their adapter. */
export function resolveFeed(feed: FeedBase & Record<string, unknown>): ResolvedFeed {
  if (feed.type === 'auto' && feed.url) {
    for (const adapter of ADAPTERS) {
      const match = adapter.recognize?.(feed.url);
      if (match) return { adapter, feed: { ...feed, ...match, url: undefined } };
    }
  }
  const adapter = SOURCE_ADAPTERS.get(feed.type);
  if (!adapter) throw new Error(`no source adapter for type "${feed.type}"`);
  return { adapter, feed };
}

/** The schedule a feed runs on, and the one it asked for when a source's poll limit replaced it. */
export interface FeedSchedule {
  schedule: string;
  /** Set when the limit applied: the schedule the config gave, and the limit that replaced it. */
  limited: { requested: string; runsPerDay: number; host: string; limit: PollLimit } | null;
}

/**
 * The schedule a feed runs on: its own, else its adapter's default, else the config's; then
 * capped by the poll limit of the source whose servers it reads (Remotive: 4 a day), whatever
 * adapter reads them. A `url:` to another host (a mirror, a test server) is not capped.
 */
export function feedSchedule(feed: FeedBase & Record<string, unknown>, fallback: string): FeedSchedule {
  const { adapter, feed: resolved } = resolveFeed(feed);
  const requested = feed.schedule ?? adapter.defaultSchedule ?? fallback;
  const host = hostOf(resolved.url ?? adapter.endpoint(resolved));
  const limit = host === null ? undefined : ADAPTERS.find((a) => a.pollLimit?.hosts.some((h) => host === h || host.endsWith(`.${h}`)))?.pollLimit;
  const runs = runsPerDay(requested);
  if (!limit || host === null || runs === null || runs <= limit.maxPerDay) return { schedule: requested, limited: null };
  return { schedule: limit.schedule, limited: { requested, runsPerDay: runs, host, limit } };
}

/** The schedule a feed runs on (see feedSchedule). */
export function effectiveSchedule(feed: FeedBase & Record<string, unknown>, fallback: string): string {
  return feedSchedule(feed, fallback).schedule;
}

/** What `check` and the daemon's start say of a feed whose schedule a poll limit replaced; null if none did. */
export function pollLimitNote(s: FeedSchedule): string | null {
  if (!s.limited) return null;
  const { requested, runsPerDay: runs, host, limit } = s.limited;
  return `schedule "${requested}" would poll ${host} ${runs} times a day; ${limit.ask}: polled on "${limit.schedule}" instead`;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}
