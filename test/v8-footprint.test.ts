/**
 * V8's footprint settings (core/v8-footprint.ts), each in a child process of its own since V8's
 * flags are process-wide: the main thread's young generation stays small, also after a reader
 * thread starts (V8 resets the growth factor then); a reader thread starts with its young
 * generation at full size; a user's own young-generation flag is left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const FOOTPRINT = new URL('../src/core/v8-footprint.ts', import.meta.url).href;

// Churns short-lived objects with some survivors (what makes V8 grow a young generation), starts a
// worker thread the way feed-reader.ts does, churns again, and prints the young generations' sizes.
const CHILD = `
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { tuneV8Footprint, beforeThreadStart, afterThreadStart } from ${JSON.stringify(FOOTPRINT)};
if (process.env.TUNE) tuneV8Footprint();
const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
function churn() {
  const keep = [];
  for (let i = 0; i < 2e6; i++) {
    const o = { a: 'x' + i, b: [i, i + 1] };
    if (i % 3 === 0) keep.push(o);
    if (keep.length > 150000) keep.length = 0;
  }
}
churn();
const before = young();
beforeThreadStart(8);
const worker = new Worker(
  "const v8 = require('node:v8'); const { parentPort } = require('node:worker_threads');" +
  "const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;" +
  "const atStart = young(); parentPort.once('message', () => { const keep = []; for (let i = 0; i < 2e6; i++) { const o = { a: 'x' + i }; if (i % 3 === 0) keep.push(o); if (keep.length > 150000) keep.length = 0; } parentPort.postMessage({ atStart, atEnd: young() }); });",
  { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 8 } },
);
await new Promise((resolve) => worker.once('online', () => { afterThreadStart(); resolve(); }));
churn();
const after = young();
worker.postMessage('go');
const reader = await new Promise((resolve) => worker.once('message', resolve));
await worker.terminate();
console.log(JSON.stringify({ before, after, reader }));
`;

function runChild(env: Record<string, string>): { before: number; after: number; reader: { atStart: number; atEnd: number } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-v8-'));
  try {
    const file = path.join(dir, 'child.mts');
    fs.writeFileSync(file, CHILD);
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, ...env },
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').at(-1)!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("tuned, the main thread's young generation stays small, also after a worker thread started; the worker's is as big as untuned", () => {
  const untuned = runChild({});
  // What the settings prevent: V8 grows the main thread's young generation to tens of MB.
  assert.ok(untuned.after >= 16, `untuned: ${untuned.after} MB`);
  const tuned = runChild({ TUNE: '1' });
  assert.ok(tuned.before <= 4, `before the worker: ${tuned.before} MB`);
  assert.ok(tuned.after <= 4, `after the worker: ${tuned.after} MB`);
  // A reader's batches keep the young generation its limit allows, tuned or not.
  assert.equal(tuned.reader.atEnd, untuned.reader.atEnd);
});

test('a young generation the user sized (NODE_OPTIONS) is left to grow as V8 does', () => {
  const r = runChild({ TUNE: '1', NODE_OPTIONS: '--max-semi-space-size=4' });
  assert.ok(r.after > 4, `young generation ${r.after} MB`);
  assert.ok(r.after <= 12, `bounded by the user's 4 MB semi-spaces: ${r.after} MB`);
});
