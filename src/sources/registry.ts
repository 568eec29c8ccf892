/**
 * The source registry: one explicit map from `type:` to adapter (no auto-discovery), and the
 * resolution of a configured feed to the adapter that reads it.
 */
import type { SourceAdapter, FeedBase } from './types.js';
import { feedAdapter } from './adapters/feed.js';
import { workableAdapter } from './adapters/workable.js';
import { smartRecruitersAdapter } from './adapters/smartrecruiters.js';
import { recruiteeAdapter } from './adapters/recruitee.js';
import { himalayasAdapter } from './adapters/himalayas.js';
import { greenhouseAdapter } from './adapters/greenhouse.js';
import { leverAdapter } from './adapters/lever.js';
import { ashbyAdapter } from './adapters/ashby.js';
import { remoteokAdapter } from './adapters/remoteok.js';
import { remotiveAdapter } from './adapters/remotive.js';
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

/** The schedule a feed runs on: its own, else its adapter's default, else the config's. */
export function effectiveSchedule(feed: FeedBase & Record<string, unknown>, fallback: string): string {
  return feed.schedule ?? resolveFeed(feed).adapter.defaultSchedule ?? fallback;
}
