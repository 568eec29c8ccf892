/**
 * The read-ahead of pollAll (poll-feed.ts ReadAhead): polls that are not next to store wait before
 * reading while too many are admitted or too many postings are held, and the poll whose turn it
 * is never waits (else the one that frees room could be the one waiting: a deadlock).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { createReadAhead } from '../src/pipeline/poll-feed.js';

const never = new Promise<void>(() => {});

/** Whether `p` settled within a few turns of the event loop. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await tick();
  return done;
}

test('at most `feeds` polls are admitted ahead of their turn; one done lets the next in', async () => {
  const ahead = createReadAhead({ feeds: 2, postings: 100 });
  const a = ahead.admit(never);
  const b = ahead.admit(never);
  const c = ahead.admit(never);
  assert.ok(await settled(a));
  assert.ok(await settled(b));
  assert.equal(await settled(c), false, 'a third waits');
  (await a).done();
  assert.ok(await settled(c), 'admitted once one is done');
  // done() twice counts once.
  (await a).done();
  assert.equal(await settled(ahead.admit(never)), false);
});

test('held postings past the limit stop new polls; releasing them lets them in', async () => {
  const ahead = createReadAhead({ feeds: 10, postings: 100 });
  await ahead.admit(never);
  ahead.hold(150);
  const next = ahead.admit(never);
  assert.equal(await settled(next), false);
  ahead.release(100);
  assert.ok(await settled(next));
});

test('the poll whose turn came is admitted whatever is held', async () => {
  const ahead = createReadAhead({ feeds: 1, postings: 10 });
  await ahead.admit(never);
  ahead.hold(1000);
  let turnCame!: () => void;
  const turn = new Promise<void>((resolve) => (turnCame = resolve));
  const head = ahead.admit(turn);
  assert.equal(await settled(head), false);
  turnCame();
  assert.ok(await settled(head));
  // A turn that came before asking is not waited for either.
  assert.ok(await settled(ahead.admit(Promise.resolve())));
});

test('a wait attaches one reaction to its turn, however often it is woken', async () => {
  // Counts the reactions attached to the turn: each stays until the turn comes, which for a feed
  // late in a big run is after thousands of wake-ups.
  let thens = 0;
  class Counted<T> extends Promise<T> {
    override then<A = T, B = never>(ok?: ((v: T) => A | PromiseLike<A>) | null, fail?: ((e: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
      thens++;
      return super.then(ok, fail);
    }
  }
  let turnCame!: () => void;
  const turn = new Counted<void>((resolve) => (turnCame = resolve));
  const ahead = createReadAhead({ feeds: 1, postings: 10 });
  await ahead.admit(never);
  ahead.hold(1000);
  const waiting = ahead.admit(turn);
  for (let i = 0; i < 200; i++) {
    ahead.release(1);
    ahead.hold(1);
    await tick();
  }
  assert.equal(await settled(waiting), false);
  assert.ok(thens <= 2, `reactions on the turn: ${thens}`);
  turnCame();
  assert.ok(await settled(waiting));
});
