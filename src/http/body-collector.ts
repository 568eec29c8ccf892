/**
 * Collects a response body, chunk by chunk, into one Buffer without holding it twice.
 *
 * The socket hands over chunks of up to 64 KB, each its own small allocation. Kept in a list and
 * joined at the end (Buffer.concat), a 75 MB feed is held twice at the end, and the chunks, small
 * enough to come from malloc's heap rather than their own pages, leave that heap grown by the
 * body's size for the rest of the process (measured: 92 MB of it in a 75 MB feed's run). So chunks
 * are copied as they come into large blocks (their own pages, given back to the system when
 * freed), and the dead chunks are collected every 32 MB received (see releaseDeadChunks) rather
 * than piling up until V8 next collects.
 *
 * A body that reaches PACK_MIN_BYTES is packed as it comes (packed-body.ts): compressed a block at
 * a time, it is never held whole, which for a 75 MB feed was the peak of the whole run.
 */
import { fullGc } from '../core/gc.js';
import { PACK_MIN_BYTES, PackedBody, type Packer } from './packed-body.js';

// The first block of a body of unknown length; each next one is twice the last, up to MAX_BLOCK.
const FIRST_BLOCK = 256 * 1024;
const MAX_BLOCK = 8 * 1024 * 1024;
/** Bodies received (all fetches together) between two collections of the socket's dead chunks. */
export const RELEASE_EVERY_BYTES = 32 * 1024 * 1024;
// A body joined from blocks at least this big has its blocks collected as they are copied (see finish).
const COLLECT_JOINED_ABOVE = 8 * 1024 * 1024;
const RELEASE_JOINED_EVERY = 16 * 1024 * 1024;

/** Where a body's chunks go; `finish` gives the whole body, or the body packed when it is big. */
export interface BodyCollector {
  push(chunk: Buffer): void;
  finish(): Buffer | PackedBody;
}

/**
 * A collector for a body of `declared` bytes (Content-Length, uncompressed), or of unknown length;
 * a body of `packFrom` bytes or more is packed (default PACK_MIN_BYTES).
 */
export function createBodyCollector(declared: number | null, packFrom = PACK_MIN_BYTES): BodyCollector {
  const blocks: Buffer[] = [];
  let block: Buffer | null = null;
  let used = 0;
  let total = 0;
  let nextSize = declared !== null && declared > 0 ? declared : FIRST_BLOCK;
  let packer: Packer | null = declared !== null && declared >= packFrom ? PackedBody.packer() : null;
  // The bytes collected so far go to a packer, block by block, each let go once packed.
  const startPacking = () => {
    packer = PackedBody.packer();
    const parts: Array<Buffer | null> = [...blocks, block!.subarray(0, used)];
    blocks.length = 0;
    block = null;
    for (let i = 0; i < parts.length; i++) {
      packer.push(parts[i]!);
      parts[i] = null;
    }
    // The blocks lived through the download so far: only a full collection frees them now.
    fullGc()?.();
  };
  return {
    push(chunk) {
      total += chunk.length;
      noteReceived(chunk.length);
      if (packer !== null) {
        packer.push(chunk);
        return;
      }
      let from = 0;
      while (from < chunk.length) {
        if (block === null || used === block.length) {
          if (block !== null) blocks.push(block);
          // allocUnsafeSlow: a block of its own, never a slice of Node's shared pool.
          block = Buffer.allocUnsafeSlow(Math.max(nextSize, chunk.length - from));
          used = 0;
          nextSize = Math.min(MAX_BLOCK, Math.max(FIRST_BLOCK, block.length * 2));
        }
        const n = chunk.copy(block, used, from);
        used += n;
        from += n;
      }
      if (total >= packFrom) startPacking();
    },
    finish() {
      if (packer !== null) return packer.finish();
      if (block === null) return Buffer.alloc(0);
      if (blocks.length === 0) {
        if (used === block.length) return block;
        // A small body in a mostly empty first block: kept at its own size, not the block's.
        return used < block.length / 2 ? Buffer.from(block.subarray(0, used)) : block.subarray(0, used);
      }
      const whole = Buffer.allocUnsafeSlow(total);
      const parts: Array<Buffer | null> = [...blocks, block.subarray(0, used)];
      blocks.length = 0;
      block = null;
      // Each block copied is let go and, once RELEASE_JOINED_EVERY of them wait, collected: the blocks
      // lived through the download, so only a full collection frees them, and without it the body
      // is held twice at the end of a big download (a 75 MB feed: 75 MB more at the run's peak).
      const big = total >= COLLECT_JOINED_ABOVE;
      let at = 0;
      let waiting = 0;
      for (let i = 0; i < parts.length; i++) {
        at += parts[i]!.copy(whole, at);
        waiting += parts[i]!.length;
        parts[i] = null;
        if (big && waiting >= RELEASE_JOINED_EVERY) {
          fullGc()?.();
          waiting = 0;
        }
      }
      if (big && waiting > 0) fullGc()?.();
      return whole;
    },
  };
}

let sinceRelease = 0;

// Counts body bytes received by every fetch of the thread, and every RELEASE_EVERY_BYTES collects
// the socket's chunks, dead once copied, so that the next chunks reuse their memory rather than
// grow the heap (a collection of the main thread's heap is 10 to 20 ms: half a second over the
// 400 MB of a 100k-posting cold run).
function noteReceived(bytes: number): void {
  sinceRelease += bytes;
  if (sinceRelease < RELEASE_EVERY_BYTES) return;
  sinceRelease = 0;
  releaseDeadChunks();
}

/** Collects this thread's heap, when V8's gc can be reached (core/gc.ts). */
export function releaseDeadChunks(): void {
  fullGc()?.();
}
