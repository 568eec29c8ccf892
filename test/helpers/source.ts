/** Small assertions shared by the source-adapter tests. */
import assert from 'node:assert/strict';
import type { RawPosting } from '../../src/core/types.js';

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
