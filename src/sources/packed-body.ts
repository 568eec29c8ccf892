/**
 * A big feed body kept compressed between the two passes over it (read-feed.ts): the first pass
 * needs the whole body at once (its structure is scanned from it), the second only reads it piece
 * by piece, front to back, while postings are normalized and stored, which is most of a big
 * feed's read. XML compresses five to ten times, so a 75 MB feed held for that time costs about
 * 10 MB rather than 75, for about a second of CPU over a read of a minute.
 */
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';

// Compressed separately, so a piece is read by inflating only the blocks it spans.
const BLOCK_BYTES = 1024 * 1024;

/** A body compressed in blocks, read back by byte range. */
export class PackedBody {
  readonly length: number;
  readonly #blocks: Buffer[];
  // The block read last: pieces are read front to back, mostly within one block.
  #cachedIndex = -1;
  #cached: Buffer | null = null;

  private constructor(length: number, blocks: Buffer[]) {
    this.length = length;
    this.#blocks = blocks;
  }

  /** Compresses `bytes` (fastest level: the point is memory, and the body is read back twice at most). */
  static pack(bytes: Buffer): PackedBody {
    const blocks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += BLOCK_BYTES) {
      blocks.push(deflateRawSync(bytes.subarray(at, at + BLOCK_BYTES), { level: constants.Z_BEST_SPEED }));
    }
    return new PackedBody(bytes.length, blocks);
  }

  /** Bytes compressed, for logs and tests. */
  get packedBytes(): number {
    return this.#blocks.reduce((n, b) => n + b.length, 0);
  }

  /** The bytes [start, end), as Buffer.subarray would bound them. */
  read(start: number, end: number): Buffer {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    const first = Math.floor(start / BLOCK_BYTES);
    const last = Math.floor((end - 1) / BLOCK_BYTES);
    if (end === start) return Buffer.alloc(0);
    if (first === last) return this.#block(first).subarray(start - first * BLOCK_BYTES, end - first * BLOCK_BYTES);
    const out = Buffer.allocUnsafe(end - start);
    let at = 0;
    for (let i = first; i <= last; i++) {
      const block = this.#block(i);
      const from = i === first ? start - i * BLOCK_BYTES : 0;
      const to = i === last ? end - i * BLOCK_BYTES : block.length;
      at += block.copy(out, at, from, to);
    }
    return out;
  }

  #block(i: number): Buffer {
    if (i !== this.#cachedIndex) {
      this.#cached = inflateRawSync(this.#blocks[i]!);
      this.#cachedIndex = i;
    }
    return this.#cached!;
  }
}
