/**
 * Who claims outbox rows: a token per claimed batch naming the process (host, pid, a nonce of
 * this start) and the batch (a counter), `host:pid:nonce/seq`.
 *
 * Rows claimed together share a token, so a batch left behind by a dead process is sent again
 * as it was (the same email, the same Message-ID). A claim lapses after its lease; before that,
 * a claim made on this host (and in this PID namespace: see machineName) by a process that no
 * longer runs (kill -9, a crash) is taken over at once: waiting out the lease would only delay its
 * alerts. Claims from other hosts, other containers included, are left to their lease.
 *
 * A feed's poll lease is named by such a token too (one per App), and taken over the same way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';

/** Issues this process's claim tokens and judges other processes' ones. */
export interface ClaimOwner {
  /** A fresh token for one batch. */
  next(): string;
  /** True when the token's process is known to be gone (its claims may be taken before the lease ends). */
  isGone(token: string): boolean;
}

/** What ClaimOwner needs to know about the machine. */
export interface ProcessInfo {
  hostname: string;
  pid: number;
  /** Distinguishes this start from an earlier process that had the same pid. */
  nonce: string;
  /** Whether a process with this pid runs on this host. */
  pidAlive(pid: number): boolean;
}

/** Creates the claim owner of one process. */
export function createClaimOwner(info: ProcessInfo): ClaimOwner {
  const self = `${info.hostname}:${info.pid}:${info.nonce}`;
  let seq = 0;
  return {
    next: () => `${self}/${++seq}`,
    isGone(token) {
      const owner = parseClaimToken(token);
      if (!owner || owner.hostname !== info.hostname) return false;
      if (owner.pid === info.pid) return owner.nonce !== info.nonce;
      return !info.pidAlive(owner.pid);
    },
  };
}

let processOwner: ClaimOwner | null = null;

/** The claim owner of the running process (one per process: its tokens must not collide, whatever opens the database). */
export function processClaimOwner(): ClaimOwner {
  processOwner ??= createClaimOwner({ hostname: machineName(), pid: process.pid, nonce: crypto.randomBytes(6).toString('hex'), pidAlive });
  return processOwner;
}

/**
 * Where this process's pids mean something: the host name, and the PID namespace when it can be
 * read (Linux). Containers sharing a host name (host networking, or `hostname:` set alike for
 * several workers) each have their own pids, every one of them pid 1: by host name alone, each
 * would take the others' live claims for a dead process's and send their messages twice.
 */
export function machineName(readNamespace: () => string = () => fs.readlinkSync('/proc/self/ns/pid')): string {
  let namespace: string | null = null;
  try {
    namespace = /\[(\d+)\]/.exec(readNamespace())?.[1] ?? null;
  } catch {
    // Not Linux, or /proc not mounted: the host name alone, as before.
  }
  return namespace ? `${os.hostname()}~pidns${namespace}` : os.hostname();
}

/** The process part of a claim token; null when it is not one this code wrote. */
export function parseClaimToken(token: string): { hostname: string; pid: number; nonce: string } | null {
  const m = /^(.+):(\d+):([0-9a-z]+)\/\d+$/.exec(token);
  return m ? { hostname: m[1]!, pid: Number(m[2]), nonce: m[3]! } : null;
}

/** Signal 0 checks existence: ESRCH means no such process, EPERM that it exists under another user. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
