import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, scrubSecrets } from '../src/ops/logger.js';

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  let buf = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return { stream, lines: () => buf.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('createLogger() works without secrets (the default config has none)', () => {
  const out = capture();
  const log = createLogger({ level: 'info', destination: out.stream, pretty: false });
  log.info({ feed: 'a' }, 'Feed polled');
  assert.deepEqual(out.lines().map((l) => [l.msg, l.feed]), [['Feed polled', 'a']]);
});

test('createLogger() scrubs secret values from messages, fields and errors, and redacts secret keys', () => {
  const out = capture();
  const secret = 'xoxb-123-secret';
  const log = createLogger({ level: 'info', destination: out.stream, pretty: false, secrets: [secret, 's3cret-pass'] });
  const err = new Error(`request to https://slack.test failed with token ${secret}`);
  log.warn({ err, url: 'smtp://u:s3cret-pass@mail.test', token: 'anything' }, `sending with ${secret}`);
  const text = JSON.stringify(out.lines());
  assert.ok(!text.includes(secret), text);
  assert.ok(!text.includes('s3cret-pass'), text);
  assert.match(text, /"token":"\*\*\*"/);
  assert.match(text, /failed with token \*\*\*/);
});

test('scrubSecrets() leaves values without secrets unchanged', () => {
  assert.deepEqual(scrubSecrets({ a: ['x', 1, null] }, ['secret']), { a: ['x', 1, null] });
});
