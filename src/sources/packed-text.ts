/**
 * A packed body (http/packed-body.ts) viewed as Latin-1 text, one character per byte, for the
 * structural scans of parse-feed.ts: scans go front to back, so a block is unpacked at a time and
 * the body is never whole in memory.
 */
import { PACK_BLOCK_BYTES, type PackedBody } from '../http/packed-body.js';
import type { ScanText } from './detect-format.js';

/** The bytes of `body` from `offset` on (past a BOM), as a ScanText. */
export class PackedText implements ScanText {
  readonly length: number;
  readonly #body: PackedBody;
  readonly #offset: number;
  // The block read last, and where it starts and ends in the body.
  #block: Buffer = Buffer.alloc(0);
  #start = 0;
  #end = 0;

  constructor(body: PackedBody, offset: number) {
    this.#body = body;
    this.#offset = offset;
    this.length = body.length - offset;
  }

  charCodeAt(index: number): number {
    if (index < 0 || index >= this.length) return NaN;
    const at = index + this.#offset;
    if (at >= this.#start && at < this.#end) return this.#block[at - this.#start]!;
    this.#load(Math.floor(at / PACK_BLOCK_BYTES));
    return this.#block[at - this.#start]!;
  }

  charAt(index: number): string {
    const code = this.charCodeAt(index);
    return Number.isNaN(code) ? '' : String.fromCharCode(code);
  }

  indexOf(search: string, from = 0): number {
    const total = this.#body.length;
    let at = Math.max(0, from) + this.#offset;
    while (at < total) {
      const i = Math.floor(at / PACK_BLOCK_BYTES);
      this.#load(i);
      const found = this.#block.indexOf(search, at - this.#start, 'latin1');
      if (found >= 0) return this.#start + found - this.#offset;
      // Not within the block: perhaps across its end, within search.length - 1 bytes either side.
      if (this.#end >= total) return -1;
      const from2 = Math.max(at, this.#end - search.length + 1);
      const across = this.#body.read(from2, this.#end + search.length - 1).indexOf(search, 0, 'latin1');
      if (across >= 0) return from2 + across - this.#offset;
      at = this.#end;
    }
    return -1;
  }

  startsWith(search: string, at = 0): boolean {
    if (at < 0 || at + search.length > this.length) return false;
    for (let k = 0; k < search.length; k++) if (this.charCodeAt(at + k) !== search.charCodeAt(k)) return false;
    return true;
  }

  slice(start = 0, end = this.length): string {
    const s = Math.max(0, start);
    const e = Math.min(this.length, end);
    return e <= s ? '' : this.#body.read(s + this.#offset, e + this.#offset).toString('latin1');
  }

  #load(i: number): void {
    this.#block = this.#body.block(i);
    this.#start = i * PACK_BLOCK_BYTES;
    this.#end = this.#start + this.#block.length;
  }
}
