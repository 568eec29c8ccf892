/**
 * The heap budget (pipeline/heap-budget.ts): a full collection once the heap grew past the
 * budget, a budget that follows what stays live (no collection per batch for a thread that needs
 * more), and V8's own gc reachable without --expose-gc on the command line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeapBudget, fullGc, MAIN_HEAP_BUDGET } from '../src/pipeline/heap-budget.js';

const MB = 1024 * 1024;

/** A heap that grows by `perBatch` and drops to `live` when collected. */
function fakeHeap(live: number, perBatch: number) {
  const heap = { used: live, live, collected: 0 };
  return {
    heap,
    grow: () => (heap.used += perBatch),
    opts: { baseBytes: 64 * MB, heapUsed: () => heap.used, gc: () => ((heap.used = heap.live), heap.collected++) },
  };
}

test('collects once the heap grows past the base budget, not before', () => {
  const { heap, grow, opts } = fakeHeap(20 * MB, 10 * MB);
  const budget = createHeapBudget(opts);
  const seen: number[] = [];
  for (let i = 0; i < 20; i++) {
    grow();
    budget.afterBatch();
    seen.push(heap.used);
  }
  assert.ok(Math.max(...seen) <= 64 * MB, `heap in use stays under the budget: ${Math.max(...seen) / MB} MB`);
  // 20 MB live + 10 MB a batch: a collection every 5th batch (at 70 MB), not every batch.
  assert.equal(budget.collections, 4);
});

test('a thread whose live data outgrows the base gets twice its live data before the next collection', () => {
  const { heap, grow, opts } = fakeHeap(50 * MB, 10 * MB);
  const budget = createHeapBudget(opts);
  for (let i = 0; i < 2; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 1, 'at 70 MB');
  // Live 50 MB: the budget is now 100 MB, so the next collection waits for 50 MB of new garbage.
  for (let i = 0; i < 5; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 1);
  grow(), budget.afterBatch();
  assert.equal(budget.collections, 2);
  // Live falls back: the budget returns to its base.
  heap.live = 10 * MB;
  for (let i = 0; i < 6; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 3);
  for (let i = 0; i < 6; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 4, 'collected again past the 64 MB base, not at 100 MB');
});

test("the main thread's budget: a lower base, and 1.5 times what stays live once that is higher", () => {
  const { heap, grow, opts } = fakeHeap(30 * MB, 5 * MB);
  const budget = createHeapBudget({ ...opts, ...MAIN_HEAP_BUDGET });
  for (let i = 0; i < 2; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 0, 'at the 40 MB base, not past it');
  grow(), budget.afterBatch();
  assert.equal(budget.collections, 1, 'past the 40 MB base');
  // Live 30 MB: 1.5 x 30 = 45 MB, so three batches (45 MB) wait and the fourth (50 MB) is collected.
  for (let i = 0; i < 3; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 1);
  grow(), budget.afterBatch();
  assert.equal(budget.collections, 2);
  // Live 40 MB: the budget follows to 60 MB rather than collecting every batch.
  heap.live = 40 * MB;
  grow(), grow(), grow(), grow(), budget.afterBatch();
  assert.equal(budget.collections, 3, 'at 50 MB, past the 45 MB budget');
  for (let i = 0; i < 4; i++) grow(), budget.afterBatch();
  assert.equal(budget.collections, 3, 'four batches of 5 MB above 40 MB live stay under 60 MB');
  grow(), budget.afterBatch();
  assert.equal(budget.collections, 4);
});

test('without a gc it does nothing', () => {
  const budget = createHeapBudget({ gc: null, heapUsed: () => 1e12 });
  budget.afterBatch();
  assert.equal(budget.collections, 0);
});

test("V8's gc is reachable at run time and collects; no global gc is left behind", () => {
  const gc = fullGc();
  assert.equal(typeof gc, 'function');
  let big: number[][] | null = Array.from({ length: 200 }, () => new Array(10_000).fill(1));
  const before = process.memoryUsage().heapUsed;
  big = null;
  gc!();
  assert.equal(big, null);
  assert.ok(process.memoryUsage().heapUsed < before - 8 * MB, 'the arrays were collected');
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
});
