/** `jobalert import-opml`: OPML subscriptions to a `feeds:` list that loads with the real config loader. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { importOpmlCommand } from '../src/commands/import-opml.js';
import { checkCommand } from '../src/commands/check.js';
import { CommandError } from '../src/commands/exit.js';
import { loadConfig } from '../src/config/load.js';
import { resolveFeed } from '../src/sources/registry.js';
import { recognizeAtsUrl } from '../src/sources/ats-urls.js';
import { runCli } from './helpers/cli.js';

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE opml>
<opml version="2.0">
  <head><title>My job feeds</title></head>
  <body>
    <outline text="Remote boards" title="Remote boards">
      <outline type="rss" text="WWR: Programming" title="We Work Remotely — Programming" xmlUrl="https://weworkremotely.com/categories/remote-programming-jobs.rss" htmlUrl="https://weworkremotely.com/"/>
      <outline type="rss" text="Remotive" xmlUrl="https://remotive.com/remote-jobs/feed/software-dev"/>
      <outline type="rss" text="Remotive again" xmlUrl="https://remotive.com/remote-jobs/feed/software-dev/"/>
    </outline>
    <outline text="Companies">
      <outline text="ATS">
        <outline text="Acme (Greenhouse)" xmlUrl="https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"/>
        <outline text="Acme embed" xmlUrl="https://boards.greenhouse.io/embed/job_board?for=acme"/>
        <outline text="Beta on Lever" xmlUrl="https://jobs.lever.co/beta"/>
        <outline text="Beta EU" xmlUrl="https://api.eu.lever.co/v0/postings/beta-eu?mode=json"/>
        <outline text="Gamma" xmlUrl="https://jobs.ashbyhq.com/gamma"/>
        <outline text="Delta" xmlUrl="https://apply.workable.com/delta/"/>
        <outline text="Epsilon" xmlUrl="https://jobs.smartrecruiters.com/Epsilon1"/>
        <outline text="Zeta" xmlUrl="https://zeta.recruitee.com/"/>
        <outline text="Numbers Inc" xmlUrl="https://careers.smartrecruiters.com/2024"/>
      </outline>
    </outline>
    <outline text="R&amp;D: jobs #1 — Zürich" xmlUrl="https://example.com/jobs.rss?a=1&amp;b=2#frag"/>
    <outline text="R&amp;D: jobs #1 — Zürich" xmlUrl="https://example.com/other.atom"/>
    <outline text="   " xmlUrl="https://blog.example.org/feed/"/>
    <outline text="!!!" xmlUrl="feed://old.example.net/rss"/>
    <outline text="Mail" xmlUrl="mailto:jobs@example.com"/>
  </body>
</opml>
`;

function tmp(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-opml-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(file: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = importOpmlCommand(file, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CommandError, `expected a CommandError, got ${String(err)}`);
    assert.equal(err.exitCode, 1);
    return err.message;
  }
  assert.fail('expected a usage error');
}

test('OPML outlines at any depth become feeds; ATS boards become their typed entries', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'feeds.opml');
  fs.writeFileSync(file, OPML);
  const { code, out, err } = run(file);
  assert.equal(code, 0);
  const feeds = (parse(out) as { feeds: Array<Record<string, string>> }).feeds;
  assert.deepEqual(feeds, [
    { name: 'we-work-remotely-programming', url: 'https://weworkremotely.com/categories/remote-programming-jobs.rss' },
    { name: 'remotive', url: 'https://remotive.com/remote-jobs/feed/software-dev' },
    { name: 'acme-greenhouse', type: 'greenhouse', board: 'acme' },
    { name: 'beta-on-lever', type: 'lever', site: 'beta' },
    { name: 'beta-eu', type: 'lever', site: 'beta-eu', region: 'eu' },
    { name: 'gamma', type: 'ashby', board: 'gamma' },
    { name: 'delta', type: 'workable', account: 'delta' },
    { name: 'epsilon', type: 'smartrecruiters', company: 'Epsilon1' },
    { name: 'zeta', type: 'recruitee', company: 'zeta' },
    // Quoted by the YAML library: unquoted, 2024 would load as a number.
    { name: 'numbers-inc', type: 'smartrecruiters', company: '2024' },
    { name: 'r-d-jobs-1-zurich', url: 'https://example.com/jobs.rss?a=1&b=2#frag' },
    { name: 'r-d-jobs-1-zurich-2', url: 'https://example.com/other.atom' },
    { name: 'blog.example.org-feed', url: 'https://blog.example.org/feed/' },
    { name: 'old.example.net-rss', url: 'http://old.example.net/rss' },
  ]);
  // Where each came from, as comments; the category path included.
  assert.match(out, /# OPML: "Acme \(Greenhouse\)" in Companies \/ ATS: https:\/\/boards-api\.greenhouse\.io\/v1\/boards\/acme\/jobs\?content=true\n  # OPML: "Acme embed" in Companies \/ ATS/);
  assert.match(out, /# OPML: "We Work Remotely — Programming" in Remote boards: /);
  assert.match(err, /note: "Remotive again" .* repeats a feed already listed/);
  assert.match(err, /note: "Acme embed" .* repeats a feed already listed/);
  assert.match(err, /warning: skipped "Mail": xmlUrl "mailto:jobs@example.com" is not an http\(s\) URL/);

  // The printed list is a config the real loader (and check) accepts.
  const config = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(config, `database: ./jobalert.db\nhttp:\n  port: 0\n${out}rules:\n  - name: ml\n    query: remote ML engineer\n`);
  const loaded = loadConfig(config, {});
  assert.equal(loaded.feeds.length, feeds.length);
  // A "#" inside a URL stays part of it (YAML reads " #" only as a comment).
  assert.equal(loaded.feeds.find((f) => f.name === 'r-d-jobs-1-zurich')!.url, 'https://example.com/jobs.rss?a=1&b=2#frag');
  for (const feed of loaded.feeds) assert.ok(resolveFeed(feed).adapter, feed.name);
  assert.equal(resolveFeed(loaded.feeds.find((f) => f.name === 'acme-greenhouse')!).adapter.label, 'Greenhouse job board');
  let printed = '';
  const checked = await checkCommand({ config }, (s) => (printed += s));
  assert.equal(checked, 0, printed);
  assert.match(printed, /- zeta \[recruitee\] https:\/\/zeta\.recruitee\.com\/api\/offers\//);
});

test('a DOCTYPE declaring entities is refused, like in feeds', (t) => {
  const file = path.join(tmp(t), 'lol.opml');
  fs.writeFileSync(
    file,
    '<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://example.com/a.rss"/></body></opml>\n',
  );
  assert.match(usageError(() => run(file)), /lol\.opml: XML entity declarations are not allowed/);
});

test('files that are not OPML get a clear error', (t) => {
  const dir = tmp(t);
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  assert.match(usageError(() => run(write('feed.xml', '<?xml version="1.0"?><rss version="2.0"><channel/></rss>'))), /not an OPML file: this is a feed \(root element <rss>\); add its URL/);
  assert.match(usageError(() => run(write('page.html', '<!doctype html><html><body><a href="/x.rss">x</a></body></html>'))), /not an OPML file \(the root element is <html>, expected <opml>\)/);
  assert.match(usageError(() => run(write('data.json', '{"feeds": []}'))), /not an OPML file \(it starts with "\{\\"feeds\\": \[\]\}", not an XML element\)/);
  assert.match(usageError(() => run(write('empty.opml', '  \n'))), /empty\.opml: the file is empty/);
  assert.match(usageError(() => run(write('none.opml', '<opml version="2.0"><body><outline text="Folder"/></body></opml>'))), /none\.opml: no feeds found/);
  assert.match(usageError(() => run(path.join(dir, 'missing.opml'))), /cannot read .*missing\.opml: no such file/);
  assert.match(usageError(() => run(dir)), /is a folder/);
});

test('an OPML file in another encoding is decoded from its XML declaration', (t) => {
  const file = path.join(tmp(t), 'latin1.opml');
  fs.writeFileSync(file, Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body><outline text="Emplois Montr\xe9al" xmlUrl="https://example.ca/emplois.rss"/></body></opml>', 'latin1'));
  const { out } = run(file);
  assert.match(out, /name: emplois-montreal\n/);
  assert.match(out, /# OPML: "Emplois Montréal": /);
});

test('ATS address shapes recognized, and those that are not a board', () => {
  const cases: Array<[string, Record<string, string> | null]> = [
    ['https://boards.greenhouse.io/acme', { type: 'greenhouse', board: 'acme' }],
    ['https://job-boards.greenhouse.io/acme/jobs/123', { type: 'greenhouse', board: 'acme' }],
    ['https://boards.greenhouse.io/embed/job_board/js?for=acme', { type: 'greenhouse', board: 'acme' }],
    ['https://boards.greenhouse.io/embed/job_board', null],
    ['https://jobs.eu.lever.co/acme/abc-123', { type: 'lever', site: 'acme', region: 'eu' }],
    ['https://jobs.ashbyhq.com/acme/embed?version=2', { type: 'ashby', board: 'acme' }],
    ['https://api.ashbyhq.com/posting-api/job-board/acme', { type: 'ashby', board: 'acme' }],
    ['https://apply.workable.com/api/v1/widget/accounts/acme?details=true', { type: 'workable', account: 'acme' }],
    ['https://apply.workable.com/j/ABC123', null],
    ['https://acme.workable.com/', { type: 'workable', account: 'acme' }],
    ['https://www.workable.com/', null],
    ['https://careers.smartrecruiters.com/AcmeCorp', { type: 'smartrecruiters', company: 'AcmeCorp' }],
    ['https://jobs.smartrecruiters.com/oneclick-ui/company/AcmeCorp/publication/abc', { type: 'smartrecruiters', company: 'AcmeCorp' }],
    ['https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings', { type: 'smartrecruiters', company: 'AcmeCorp' }],
    ['https://acme.recruitee.com/o/engineer', { type: 'recruitee', company: 'acme' }],
    ['https://www.recruitee.com/', null],
    ['https://recruitee.com/', null],
    ['https://example.com/careers', null],
    ['ftp://boards.greenhouse.io/acme', null],
  ];
  for (const [url, expected] of cases) assert.deepEqual(recognizeAtsUrl(url), expected, url);
});

test('jobalert import-opml prints the YAML on stdout and exits 1 on a bad file', async (t) => {
  const dir = tmp(t);
  const file = path.join(dir, 'feeds.opml');
  fs.writeFileSync(file, '<opml version="2.0"><body><outline text="Acme" xmlUrl="https://jobs.lever.co/acme"/></body></opml>');
  const ok = await runCli(['import-opml', file]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `feeds:\n  # OPML: "Acme": https://jobs.lever.co/acme\n  - name: acme\n    type: lever\n    site: acme\n`);
  const bad = await runCli(['import-opml', path.join(dir, 'nope.opml')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /jobalert: cannot read .*nope\.opml: no such file/);
});
