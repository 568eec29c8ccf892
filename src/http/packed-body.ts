/**
 * A big response body kept compressed, in blocks, from the moment it is received: a big feed is
 * read piece by piece (its structure scanned front to back, then its items a batch at a time),
 * and never needs the whole body at once. XML compresses five to ten times, so a 75 MB feed is
 * held as about 10 MB, for about a second of CPU over a read of a minute.
 */
import { createHash, type Hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';

// Compressed separately, so a piece is read by inflating only the blocks it spans.
export const PACK_BLOCK_BYTES = 1024 * 1024;

/** Bodies at least this big are kept compressed (fetcher.ts, parse-feed.ts); smaller ones are held as they are. */
export const PACK_MIN_BYTES = 8 * 1024 * 1024;

/** A packed body as plain data, to cross a thread boundary (its blocks' buffers can be transferred). */
export interface PackedParts {
  length: number;
  sha256: string;
  blocks: Uint8Array[];
}

/** A body compressed in blocks, read back by byte range. */
export class PackedBody {
  readonly length: number;
  /** The SHA-256 of the bytes (base64url), taken as they were packed: comparing bodies needs no unpacking. */
  readonly sha256: string;
  readonly #blocks: Buffer[];
  // The two blocks read last: reads go front to back, now and then looking back across a boundary.
  #recent: Array<{ index: number; bytes: Buffer }> = [];

  private constructor(length: number, sha256: string, blocks: Buffer[]) {
    this.length = length;
    this.sha256 = sha256;
    this.#blocks = blocks;
  }

  /** Compresses `bytes` (fastest level: the point is memory, and the body is read back a few times at most). */
  static pack(bytes: Buffer): PackedBody {
    const packer = PackedBody.packer();
    packer.push(bytes);
    return packer.finish();
  }

  /** A packed body back from its parts (toParts), as another thread sent them. */
  static fromParts(parts: PackedParts): PackedBody {
    return new PackedBody(
      parts.length,
      parts.sha256,
      parts.blocks.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
    );
  }

  /** A packer that compresses each PACK_BLOCK_BYTES as soon as they are in, hashing the bytes on the way. */
  static packer(): Packer {
    const blocks: Buffer[] = [];
    const hash: Hash = createHash('sha256');
    // One block's worth of bytes waiting to be compressed, reused from block to block.
    const pending = Buffer.allocUnsafeSlow(PACK_BLOCK_BYTES);
    let used = 0;
    let length = 0;
    const flush = () => {
      if (used === 0) return;
      const packed = deflateRawSync(pending.subarray(0, used), { level: constants.Z_BEST_SPEED });
      // Small results are slices of Node's shared pool: copied, so that each block owns its memory
      // (it can then be handed to another thread, and holds nothing else alive).
      blocks.push(packed.byteLength === packed.buffer.byteLength ? packed : Buffer.from(packed));
      used = 0;
    };
    return {
      push(chunk) {
        hash.update(chunk);
        length += chunk.length;
        let from = 0;
        while (from < chunk.length) {
          const n = chunk.copy(pending, used, from);
          used += n;
          from += n;
          if (used === PACK_BLOCK_BYTES) flush();
        }
      },
      finish() {
        flush();
        return new PackedBody(length, hash.digest('base64url'), blocks);
      },
    };
  }

  /** Its parts as plain data (the compressed blocks themselves, not copies). */
  toParts(): PackedParts {
    return { length: this.length, sha256: this.sha256, blocks: this.#blocks };
  }

  /** Bytes compressed, for logs and tests. */
  get packedBytes(): number {
    return this.#blocks.reduce((n, b) => n + b.length, 0);
  }

  /** How many blocks of PACK_BLOCK_BYTES (the last one shorter) the body is cut into. */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /** Block `i`'s bytes, unpacked (the last two read are kept). */
  block(i: number): Buffer {
    const recent = this.#recent;
    if (recent[0]?.index === i) return recent[0].bytes;
    if (recent[1]?.index === i) {
      recent.reverse();
      return recent[0]!.bytes;
    }
    const bytes = inflateRawSync(this.#blocks[i]!);
    recent.unshift({ index: i, bytes });
    recent.length = Math.min(recent.length, 2);
    return bytes;
  }

  /** The bytes [start, end), as Buffer.subarray would bound them. */
  read(start: number, end: number): Buffer {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    if (end === start) return Buffer.alloc(0);
    const first = Math.floor(start / PACK_BLOCK_BYTES);
    const last = Math.floor((end - 1) / PACK_BLOCK_BYTES);
    if (first === last) return this.block(first).subarray(start - first * PACK_BLOCK_BYTES, end - first * PACK_BLOCK_BYTES);
    const out = Buffer.allocUnsafe(end - start);
    let at = 0;
    for (let i = first; i <= last; i++) {
      const block = this.block(i);
      const from = i === first ? start - i * PACK_BLOCK_BYTES : 0;
      const to = i === last ? end - i * PACK_BLOCK_BYTES : block.length;
      at += block.copy(out, at, from, to);
    }
    return out;
  }

  /** Each block unpacked, in order, without keeping them (a pass over the whole body). */
  *unpacked(): Iterable<Buffer> {
    for (const block of this.#blocks) yield inflateRawSync(block);
  }
}

/** Packs a body as it arrives: `push` its chunks, then `finish`. */
export interface Packer {
  push(chunk: Buffer): void;
  finish(): PackedBody;
}
