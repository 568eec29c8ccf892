import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createBodyCollector } from '../src/http/body-collector.js';

// Feeds `body` to a collector in chunks of the given sizes (cycled), as a socket would.
function collect(body: Buffer, declared: number | null, sizes: number[]): Buffer {
  const c = createBodyCollector(declared);
  let at = 0;
  for (let i = 0; at < body.length; i++) {
    const n = sizes[i % sizes.length]!;
    // A copy: the socket's chunk is its own allocation, not a view of the whole.
    c.push(Buffer.from(body.subarray(at, at + n)));
    at += n;
  }
  return c.finish();
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
