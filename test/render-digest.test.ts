/** Digest rendering: Slack within Block Kit limits whatever the postings hold, every value escaped; the text form. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert, StoredJob } from '../src/core/types.js';
import { renderDigestText, renderSlackDigest } from '../src/notify/render-digest.js';
import { DIGEST_SHOWN } from '../src/notify/types.js';

const NOW = new Date('2025-03-10T12:00:00Z');

function alert(i: number, job: Partial<StoredJob> = {}): Alert {
  return {
    id: i,
    rule: 'daily-ml',
    channel: 'bot',
    reasons: ['remote'],
    attempts: 0,
    createdAt: NOW,
    job: {
      id: i,
      feed: 'board',
      sourceId: `s-${i}`,
      url: `https://jobs.example.test/orbit-${i}`,
      canonicalUrl: `https://jobs.example.test/orbit-${i}`,
      title: `Senior ML Engineer ${i}`,
      company: 'Orbit',
      location: 'Remote (US)',
      description: '',
      published: new Date(NOW.getTime() - i * 3_600_000),
      salary: null,
      annualMin: null,
      annualMax: null,
      arrangement: 'remote',
      remoteRegions: ['US'],
      seniority: 'senior',
      role: 'ml engineer',
      tags: [],
      firstSeen: NOW,
      lastSeen: NOW,
      urls: [],
      feeds: ['board'],
      ...job,
    },
  };
}

type Block = { type: string; text?: { text: string }; elements?: Array<{ text: string }> };

test('a Slack digest of hostile, huge postings stays within Block Kit limits and escapes every value', () => {
  const hostile = 'x'.repeat(5000);
  const shown = Array.from({ length: DIGEST_SHOWN }, (_, i) =>
    alert(i + 1, { title: `<!channel> @here *bold* ${hostile}`, company: `<http://evil.test|click> ${hostile}`, location: hostile, url: `https://jobs.example.test/${'a'.repeat(4000)}` }),
  );
  const msg = renderSlackDigest({ rules: ['daily-ml', '<!here>'], total: 120, shown }, { now: NOW });
  const blocks = msg.blocks as Block[];
  assert.ok(blocks.length <= 50);
  assert.equal(blocks.length, DIGEST_SHOWN + 2, 'header, one section per job, the rest line');
  for (const b of blocks) {
    for (const t of [b.text?.text, ...(b.elements ?? []).map((e) => e.text)]) if (t) assert.ok(t.length <= 3000, `${t.length}`);
  }
  assert.ok(msg.text.length <= 3000);
  const all = JSON.stringify(msg);
  assert.doesNotMatch(all, /<!channel>|<!here>|<http:\/\/evil/);
  assert.doesNotMatch(all, /(^|[^\w])@here/);
  assert.match(blocks[0]!.text!.text, /^\*Digest: 120 new jobs for daily-ml, &lt;!here&gt;\*$/);
  assert.match(blocks[blocks.length - 1]!.elements![0]!.text, /^…and 100 more/);
});

test('the text form lists the jobs in the order given, with links, and counts the rest; all listed: no rest line', () => {
  const crossPosted = alert(1, { feeds: ['board', 'mirror'], links: [{ feed: 'mirror', url: 'https://mirror.example.test/j/1' }] });
  const text = renderDigestText({ rules: ['daily-ml'], total: 3, shown: [crossPosted, alert(2)] }, { now: NOW });
  assert.match(text, /^Digest: 3 new jobs for daily-ml:\n  • Senior ML Engineer 1 · Orbit · Remote \(US\) · posted 1 h ago · 10 Mar 2025 · also on: mirror\n    https:\/\/jobs\.example\.test\/orbit-1\n  • Senior ML Engineer 2 · Orbit · Remote \(US\) · posted 2 h ago · 10 Mar 2025\n/);
  const slack = renderSlackDigest({ rules: ['daily-ml'], total: 1, shown: [crossPosted] }, { now: NOW });
  assert.match(JSON.stringify(slack.blocks), /also on: <https:\/\/mirror\.example\.test\/j\/1\|mirror>/);
  assert.match(text, /\n  …and 1 more \(`jobalert export` lists every job\)\n$/);
  const one = renderDigestText({ rules: ['daily-ml'], total: 1, shown: [alert(1)] }, { now: NOW });
  assert.match(one, /^Digest: 1 new job for daily-ml:\n/);
  assert.doesNotMatch(one, /more/);
});
