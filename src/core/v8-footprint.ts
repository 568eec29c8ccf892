/**
 * V8 settings that keep jobalert's memory close to what it holds live, set at run time through
 * Node's v8.setFlagsFromString: `jobalert` is started in many ways (the bin, `npm start`, Docker,
 * a systemd unit, npx), and node options given on a command line would reach only some of them.
 *
 * - WebAssembly is compiled by Liftoff, V8's baseline compiler, only. jobalert's wasm is undici's
 *   HTTP parser and Node's lexer of CommonJS exports; the optimising tier recompiles their
 *   big state machines on a background thread with several MB of compiler memory that the C
 *   allocator then keeps: 12 to 15 MB of every run's peak (a one-posting run: 150 MB, now 137),
 *   at no measurable cost in time.
 * - The young generation of each thread stays at the size it starts with instead of growing to
 *   V8's 32 MB (two 16 MB semi-spaces). The main thread's objects live for a batch at most, and a
 *   small young generation only promotes more of them early, which the heap budget
 *   (pipeline/heap-budget.ts) then collects: a 5,000-posting cold run peaks 20 to 25 MB lower,
 *   and a poll where every feed answers 304 at 109 MB instead of 157, for up to 10% more CPU
 *   time on the main thread. V8 sets the growth factor back to its default whenever a thread's heap is
 *   created, so a thread's starter calls `afterThreadStart` once the thread is up, and sizes the
 *   new thread's young generation in advance with `beforeThreadStart`.
 *
 * A user who sets the young generation's size (--max-semi-space-size or --min-semi-space-size, on
 * the command line or in NODE_OPTIONS) keeps V8's growth as they tuned it.
 */
import v8 from 'node:v8';

// V8 takes its flags with dashes or underscores.
const YOUNG_GENERATION_FLAG = /--(?:max|min)[-_]semi[-_]space[-_]size/;

let youngFixed = false;

/** Applies the settings; called first thing by the CLI, before any module that runs wasm loads. */
export function tuneV8Footprint(): void {
  setFlag('--liftoff-only');
  const userSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => YOUNG_GENERATION_FLAG.test(arg));
  youngFixed = !userSet;
  if (youngFixed) setFlag('--semi-space-growth-factor=1');
}

/** Before a worker thread is started: its young generation starts at `youngMb`, its whole size (it cannot grow). */
export function beforeThreadStart(youngMb: number): void {
  // V8 bounds the starting size by the thread's maximum (the worker's resourceLimits).
  if (youngFixed) setFlag(`--min-semi-space-size=${Math.max(1, Math.round(youngMb))}`);
}

/** Once a worker thread is up: V8 reset the growth factor when it made the thread's heap. */
export function afterThreadStart(): void {
  if (youngFixed) setFlag('--semi-space-growth-factor=1');
}

function setFlag(flag: string): void {
  try {
    v8.setFlagsFromString(flag);
  } catch {
    // A flag this V8 does not take costs memory, never correctness.
  }
}
