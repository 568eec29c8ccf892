/**
 * Maps key paths (as zod reports them) back to where they are written in the YAML source,
 * so every config issue can name a line and column.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Pair } from 'yaml';

/** A path into the config: mapping keys and list indexes. */
export type KeyPath = readonly (string | number)[];

/** Line and column, both 1-based. */
export interface Position {
  line: number;
  column: number;
}

const PLAIN_KEY_RE = /^[A-Za-z0-9_-]+$/;

/** Formats a path as errors show it: `feeds[2].schedule`, `channels.ml-slack.token`, `channels["my chan"]`. */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY_RE.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The text of a mapping key as toJS() would use it. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Where a node starts, or null when the node carries no source range. */
export function nodePosition(node: unknown, lineCounter: LineCounter): Position | null {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return null;
  const { line, col } = lineCounter.linePos(range[0]);
  return { line, column: col };
}

interface Step {
  /** The pair holding the value, when the step went through a mapping. */
  pair: Pair | null;
  node: unknown;
}

function resolve(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function step(node: unknown, seg: string | number, doc: Document): Step | null {
  const here = resolve(node, doc);
  if (isMap(here)) {
    // With duplicate keys the last one wins, as in toJS(); the duplicate is reported separately.
    let found: Pair | null = null;
    for (const pair of here.items) if (keyText(pair.key) === String(seg)) found = pair as Pair;
    return found ? { pair: found, node: resolve(found.value, doc) } : null;
  }
  if (isSeq(here) && typeof seg === 'number') {
    const item = here.items[seg];
    return item === undefined ? null : { pair: null, node: resolve(item, doc) };
  }
  return null;
}

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && !!node.range && node.range[0] === node.range[1];
}

/**
 * Where the value at `path` is written. When the path does not exist (a missing key), the
 * nearest existing ancestor's position is returned and `exact` is false.
 */
export function locateValue(doc: Document, path: KeyPath, lineCounter: LineCounter): { position: Position | null; exact: boolean } {
  let node: unknown = doc.contents;
  let value = nodePosition(node, lineCounter);
  // Where the mapping reached so far is introduced: its key ("me:") or, in a list, its first line.
  let parent = value;
  for (const seg of path) {
    const next = step(node, seg, doc);
    if (!next) return { position: parent, exact: false };
    const keyAt = next.pair ? nodePosition(next.pair.key, lineCounter) : null;
    // "key:" with nothing after it has a zero-width value at the end of the line; point at the key.
    const empty = next.node === null || next.node === undefined || isEmptyScalar(next.node);
    value = (empty ? keyAt : nodePosition(next.node, lineCounter)) ?? keyAt ?? value;
    parent = keyAt ?? value;
    node = next.node;
  }
  return { position: value, exact: true };
}

/** Where the key at the end of `path` is written (for unknown and duplicate keys); falls back to the value's position. */
export function locateKey(doc: Document, path: KeyPath, lineCounter: LineCounter): Position | null {
  if (path.length === 0) return nodePosition(doc.contents, lineCounter);
  let node: unknown = doc.contents;
  for (const seg of path.slice(0, -1)) {
    const next = step(node, seg, doc);
    if (!next) return locateValue(doc, path, lineCounter).position;
    node = next.node;
  }
  const last = step(node, path[path.length - 1]!, doc);
  if (last?.pair) return nodePosition(last.pair.key, lineCounter);
  return locateValue(doc, path, lineCounter).position;
}
