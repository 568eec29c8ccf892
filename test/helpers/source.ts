/** Small assertions shared by the source-adapter tests. */
import assert from 'node:assert/strict';
import { pino, type Logger } from 'pino';
import { ConfigError } from '../../src/core/errors.js';
import type { RawPosting } from '../../src/core/types.js';
import { parseConfigText } from '../../src/config/load.js';
import type { Fetcher } from '../../src/http/fetcher.js';
import type { SourceContext, SourceRead } from '../../src/sources/types.js';

/** The posting with this source id; fails the test, listing the ids read, when there is none. */
export function posting(result: { postings: readonly RawPosting[] }, sourceId: string): RawPosting {
  const found = result.postings.find((p) => p.sourceId === sourceId);
  assert.ok(found, `no posting ${sourceId}; have ${result.postings.map((p) => p.sourceId).join(', ')}`);
  return found;
}

/** The error `promise` rejects with (of class `type` when given); fails the test when it resolves. */
export async function rejection<E extends Error = Error>(promise: Promise<unknown>, type?: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (type) assert.ok(err instanceof type, `expected a ${type.name}, got ${String(err)}`);
    return err as E;
  }
  assert.fail(`expected ${type ? `a ${type.name}` : 'a rejection'}`);
}

/** A SourceContext reading through `fetcher`, silent unless given a logger; validators as given. */
export function sourceContext(fetcher: Fetcher, opts: { log?: Logger; etag?: string | null } = {}): SourceContext {
  return { fetch: (r) => fetcher.fetch(r), log: opts.log ?? pino({ level: 'silent' }), now: new Date(), etag: opts.etag ?? null, lastModified: null };
}

/** The result of a read that must not be "not modified". */
export async function readOk(pending: Promise<SourceRead>): Promise<Extract<SourceRead, { notModified: false }>> {
  const result = await pending;
  assert.equal(result.notModified, false);
  return result as Extract<SourceRead, { notModified: false }>;
}

/** The ConfigError a config text must raise; fails the test when it loads. */
export function configError(text: string): ConfigError {
  try {
    parseConfigText(text, 'c.yaml', {});
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err;
  }
  assert.fail('expected a ConfigError');
}
