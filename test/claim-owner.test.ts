/**
 * Claim tokens (claim-owner.ts): a claim of a process known to be gone is taken over at once, and
 * only then. Two containers sharing a host name, each worker pid 1, must not judge each other gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { createClaimOwner, machineName, parseClaimToken, processClaimOwner } from '../src/pipeline/claim-owner.js';

test('a worker in another container of the same host name (both pid 1) does not take the other one\'s live claims', () => {
  const inA = createClaimOwner({ hostname: machineName(() => 'pid:[4026532001]'), pid: 1, nonce: 'aaaa', pidAlive: () => false });
  const inB = createClaimOwner({ hostname: machineName(() => 'pid:[4026532002]'), pid: 1, nonce: 'bbbb', pidAlive: () => false });
  assert.equal(inB.isGone(inA.next()), false, 'another PID namespace: left to its lease');
  // The same container's earlier life (same namespace, same pid, another start): gone.
  const restarted = createClaimOwner({ hostname: machineName(() => 'pid:[4026532001]'), pid: 1, nonce: 'cccc', pidAlive: () => true });
  assert.equal(restarted.isGone(inA.next()), true);
  // Another pid in the same namespace: gone when that pid no longer runs.
  const sibling = createClaimOwner({ hostname: machineName(() => 'pid:[4026532001]'), pid: 7, nonce: 'dddd', pidAlive: () => false });
  assert.equal(sibling.isGone(inA.next()), true);
});

test('the machine name is the host name and the PID namespace, or the host name alone where that cannot be read', () => {
  assert.equal(machineName(() => 'pid:[4026531836]'), `${os.hostname()}~pidns4026531836`);
  assert.equal(machineName(() => { throw new Error('ENOENT'); }), os.hostname());
  const owner = parseClaimToken(processClaimOwner().next());
  assert.ok(owner && owner.hostname.startsWith(os.hostname()) && owner.pid === process.pid);
});
