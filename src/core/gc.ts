/**
 * V8's own garbage collection, reached without starting node with --expose-gc: set at run time
 * through Node's documented v8.setFlagsFromString, for one new context only. Used where the
 * program knows better than V8's heuristics when much has just died (heap-budget.ts after a batch,
 * body-collector.ts after a big download).
 */
import v8 from 'node:v8';
import vm from 'node:vm';

// Called without options: on Node 20, gc({ type: ... }) returned without collecting anything.
type Gc = () => void;

let exposed: Gc | null | undefined;

/** V8's full garbage collection for this thread, or null when it cannot be reached. */
export function fullGc(): (() => void) | null {
  const gc = reachGc();
  return gc && (() => gc());
}

function reachGc(): Gc | null {
  if (exposed !== undefined) return exposed;
  try {
    const existing = (globalThis as { gc?: Gc }).gc;
    if (typeof existing === 'function') return (exposed = existing);
    // The flag only decides whether new contexts get a gc(); the one created here has it, and the
    // flag goes back off so no other context (user code, libraries) sees a global gc.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    v8.setFlagsFromString('--no-expose-gc');
    exposed = typeof gc === 'function' ? (gc as Gc) : null;
  } catch {
    exposed = null;
  }
  return exposed;
}
