import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { createBodyCollector } from '../src/http/body-collector.js';
import { PACK_MIN_BYTES, PackedBody } from '../src/http/packed-body.js';

// Feeds `body` to a collector in chunks of the given sizes (cycled), as a socket would.
function collectAny(body: Buffer, declared: number | null, sizes: number[], packFrom?: number): Buffer | PackedBody {
  const c = createBodyCollector(declared, packFrom);
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = sizes[i % sizes.length]!;
    // A copy: the socket's chunk is its own allocation, not a view of the whole.
    c.push(Buffer.from(body.subarray(at, at + n)));
    at += n;
  }
  return c.finish();
}

function collect(body: Buffer, declared: number | null, sizes: number[]): Buffer {
  const got = collectAny(body, declared, sizes);
  assert.ok(Buffer.isBuffer(got), 'held as it is, not packed');
  return got;
}

test('a body of unknown length comes back byte for byte, across blocks and chunks bigger than a block', () => {
  const body = randomBytes(3 * 1024 * 1024 + 17);
  for (const sizes of [[65_536], [1, 7, 65_536, 1_000_000], [2_000_000]]) {
    const got = collect(body, null, sizes);
    assert.equal(got.length, body.length);
    assert.ok(got.equals(body), `chunks ${sizes.join(',')}`);
  }
});

test('a body of declared length is read into one buffer of that size, the declared one returned as is', () => {
  const body = randomBytes(500_000);
  const got = collect(body, body.length, [65_536]);
  assert.ok(got.equals(body));
  assert.equal(got.buffer.byteLength, body.length, 'no second buffer, no slack');
});

test('a server that sends more or less than it declared still gives exactly what it sent', () => {
  const body = randomBytes(300_000);
  assert.ok(collect(body, 200_000, [65_536]).equals(body));
  assert.ok(collect(body, 400_000, [65_536]).equals(body));
});

test('a small body does not keep a whole block alive', () => {
  const body = Buffer.from('<rss version="2.0"><channel><title>t</title></channel></rss>');
  const got = collect(body, null, [10]);
  assert.ok(got.equals(body));
  assert.ok(got.buffer.byteLength <= 64 * 1024, `backed by ${got.buffer.byteLength} bytes`);
});

test('an empty body is an empty buffer', () => {
  assert.equal(createBodyCollector(null).finish().length, 0);
  assert.equal(createBodyCollector(0).finish().length, 0);
});

test('a body reaching the pack size is packed as it comes, declared or not, and reads back byte for byte with its hash', () => {
  const text = Buffer.from('<item><title>Ingénieur · 5 000 €</title><link>https://x.example/1</link></item>\n'.repeat(40_000));
  const body = Buffer.concat([text, randomBytes(300_000), text]);
  const sha256 = createHash('sha256').update(body).digest('base64url');
  const MB = 1024 * 1024;
  for (const [declared, sizes, packFrom] of [
    [null, [65_536], 2 * MB],
    [body.length, [65_536], 2 * MB],
    [null, [1, 7, 65_536, 3_000_000], 2 * MB],
    [null, [65_536], body.length],
  ] as const) {
    const got = collectAny(body, declared, [...sizes], packFrom);
    assert.ok(got instanceof PackedBody, `packed (declared ${declared}, packFrom ${packFrom})`);
    assert.equal(got.length, body.length);
    assert.equal(got.sha256, sha256);
    assert.ok(got.read(0, got.length).equals(body));
    assert.ok(Buffer.concat([...got.unpacked()]).equals(body));
    assert.ok(got.packedBytes < body.length / 3, `held as ${got.packedBytes} bytes`);
  }
  assert.ok(Buffer.isBuffer(collectAny(body, null, [65_536], body.length + 1)), 'one byte short of the pack size: held as it is');
  assert.equal(PACK_MIN_BYTES, 8 * MB);
});

test('a packed body crosses to another thread as its parts and reads back the same there', () => {
  const body = Buffer.from('<entry><title>Senior ML engineer</title></entry>\n'.repeat(100_000));
  const packed = PackedBody.pack(body);
  const parts = structuredClone(packed.toParts());
  const back = PackedBody.fromParts(parts);
  assert.equal(back.sha256, packed.sha256);
  assert.ok(back.read(1_000_000, 3_500_000).equals(body.subarray(1_000_000, 3_500_000)));
});
