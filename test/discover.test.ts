/** `jobalert discover URL`: feeds and job boards found on careers pages served from 127.0.0.1. */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { discoverCommand } from '../src/commands/discover.js';
import { CommandError } from '../src/commands/exit.js';
import { loadConfig } from '../src/config/load.js';
import { findFeedsInHtml } from '../src/sources/discover-page.js';
import { startHttpServer, type TestServer } from './helpers/http-server.js';
import { runCli } from './helpers/cli.js';

// Shaped like a CMS careers page: a feed in <head> (and the CMS's comments feed), board links and embeds in the body.
const CAREERS = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Careers at Acme</title>
<link rel="stylesheet" href="/assets/site.css">
<link rel="alternate" type="application/rss+xml" title="Acme &raquo; Open positions" href="jobs.rss">
<link rel="alternate" type="application/rss+xml" title="Acme &raquo; Comments Feed" href="/comments/feed/">
<link rel="alternate" type="application/json+oembed" href="/wp-json/oembed/1.0/embed?url=x">
<link rel="alternate" hreflang="de" href="/de/karriere/">
</head><body>
<nav><a href="/">Home</a> <a href="/sitemap.xml">Sitemap</a> <a href="/en/careers/jobs.rss#latest">RSS</a></nav>
<h1>Join us</h1>
<div id="grnhse_app"></div>
<script src="https://boards.greenhouse.io/embed/job_board/js?for=acmeco"></script>
<script>
  fetch("https://boards-api.greenhouse.io/v1/boards/acmeco/jobs?content=true").then(r => r.json());
  window.leverJobsOptions = {accountName: 'acme-labs', includeCss: true};
</script>
<p>Also hiring at our subsidiaries:
  <a href="https://jobs.lever.co/acme-robotics/5f2a9c1e-1111-2222-3333-444455556666">Robotics &amp; AI</a>,
  <a href="//careers.smartrecruiters.com/AcmeRetail">Retail</a>,
  <a href="https://apply.workable.com/acme-foods/j/ABCDEF1234/">Foods</a>,
  <a href="https://acme-energy.recruitee.com/o/engineer">Energy</a>
</p>
<iframe src="https://jobs.ashbyhq.com/acme-ventures/embed?version=2" title="Ventures jobs"></iframe>
<footer><a href="../blog/feed/" title="Blog">Blog feed</a> <a href="mailto:jobs@acme.example">Mail</a> <a href="javascript:void(0)">x</a></footer>
</body></html>`;

interface Site {
  server: TestServer;
  hits: string[];
}

async function startSite(t: TestContext, pages: Record<string, { status?: number; type?: string; body?: string; location?: string }>): Promise<Site> {
  const hits: string[] = [];
  const server = await startHttpServer((req, res) => {
    hits.push(`${req.url} accept=${req.headers.accept}`);
    const page = pages[req.url ?? ''];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    if (page.location) {
      res.writeHead(page.status ?? 302, { location: page.location }).end();
      return;
    }
    res.writeHead(page.status ?? 200, { 'content-type': page.type ?? 'text/html; charset=utf-8' }).end(page.body ?? '');
  });
  t.after(() => server.close());
  return { server, hits };
}

async function discover(url: string, fetch: { maxBodyBytes?: number } = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await discoverCommand(url, { env: {}, out: (s) => (out += s), warn: (s) => (err += s), fetch });
  return { code, out, err };
}

async function commandError(promise: Promise<unknown>): Promise<CommandError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CommandError, `expected a CommandError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the command to fail');
}

test('a careers page behind a redirect: feed links and embedded boards, relative links resolved against the final URL', async (t) => {
  const { server, hits } = await startSite(t, { '/careers': { status: 301, location: '/en/careers/' }, '/en/careers/': { body: CAREERS } });
  const { code, out, err } = await discover(`${server.url}/careers`);
  assert.equal(code, 0);
  assert.match(hits[0]!, /^\/careers accept=text\/html/);
  const page = `${server.url}/en/careers/`;
  assert.match(err, new RegExp(`found 9 feeds on ${server.url}/careers \\(redirected to ${page}\\)`));
  const feeds = (parse(out) as { feeds: Array<Record<string, string>> }).feeds;
  assert.deepEqual(feeds, [
    { name: 'acme-open-positions', url: `${page}jobs.rss` },
    { name: 'acmeco-greenhouse', type: 'greenhouse', board: 'acmeco' },
    { name: 'acme-robotics-lever', type: 'lever', site: 'acme-robotics' },
    { name: 'acmeretail-smartrecruiters', type: 'smartrecruiters', company: 'AcmeRetail' },
    { name: 'acme-foods-workable', type: 'workable', account: 'acme-foods' },
    { name: 'acme-energy-recruitee', type: 'recruitee', company: 'acme-energy' },
    { name: 'acme-ventures-ashby', type: 'ashby', board: 'acme-ventures' },
    { name: 'blog', url: `${server.url}/en/blog/feed/` },
    { name: 'acme-labs-lever', type: 'lever', site: 'acme-labs' },
  ]);
  // Each entry says where it was found; the same board or feed found twice is listed once, with both places.
  assert.match(out, new RegExp(`# feed <link rel="alternate"> "Acme » Open positions" on ${page}\\n  # feed-like link <a href> "RSS" on ${page}\\n  - name: acme-open-positions`));
  assert.match(out, /# job board in <script src> on .*: https:\/\/boards\.greenhouse\.io\/embed\/job_board\/js\?for=acmeco\n  # job board in an inline <script> on .*: https:\/\/boards-api\.greenhouse\.io\/v1\/boards\/acmeco\/jobs\?content=true\n  - name: acmeco-greenhouse/);
  assert.match(out, /# job board in <iframe src> "Ventures jobs" on /);
  assert.match(out, /# Lever jobs embed \(leverJobsOptions\.accountName\) "acme-labs" in an inline <script> on /);
  assert.doesNotMatch(out, /comments|sitemap|oembed|karriere|site\.css|mailto|javascript/);

  // What is printed is a config the real loader accepts.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-discover-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'jobalert.yaml');
  fs.writeFileSync(config, `${out}rules:\n  - name: any\n    query: engineer\n`);
  assert.deepEqual(loadConfig(config, {}).feeds.map((f) => f.name), feeds.map((f) => f.name));
});

test('<base href> decides how relative links resolve; feed+json and atom links are found', () => {
  const html = `<html><head><base href="https://cdn.example.com/static/">
    <link rel="ALTERNATE feed" type="application/feed+json; charset=utf-8" href="jobs/feed.json">
    <link rel=alternate type=application/atom+xml href="/jobs.atom" title="Atom"></head>
    <body><a href="jobs/?feed=rss2">WordPress RSS</a><a href="/about">About</a></body></html>`;
  const found = findFeedsInHtml(html, 'https://www.example.com/careers/');
  assert.deepEqual(
    found.map((f) => f.url),
    ['https://cdn.example.com/static/jobs/feed.json', 'https://cdn.example.com/jobs.atom', 'https://cdn.example.com/static/jobs/?feed=rss2'],
  );
});

test('job-board addresses written only in scripts, and widgets configured by key', () => {
  const html = `<script>var cfg = {"url":"https:\\/\\/example.com","board":"https://job-boards.greenhouse.io/embedco"};</script>
    <script src="https://static.smartrecruiters.com/job-widget/1.6.1/script/smart_widget.js"></script>
    <script>widget({"api_key":"x","company_code":"WidgetCo","job_ad_url":""});</script>`;
  const urls = findFeedsInHtml(html, 'https://example.com/').map((f) => f.url);
  assert.deepEqual(urls, ['https://job-boards.greenhouse.io/embedco', 'https://jobs.smartrecruiters.com/WidgetCo']);
  // "company_code" on a page without the SmartRecruiters widget is some other script's.
  assert.deepEqual(findFeedsInHtml('<script>x({"company_code":"ABC"})</script>', 'https://example.com/'), []);
});

test('a careers page that is itself a job board, or a feed', async (t) => {
  const { server } = await startSite(t, {
    '/feed': { type: 'application/rss+xml', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title></channel></rss>' },
  });
  const feed = await discover(`${server.url}/feed`);
  assert.match(feed.out, /# the address itself is a feed \(rss\): .*\/feed\n  - name: 127.0.0.1-feed\n    url: http:\/\/127\.0\.0\.1:\d+\/feed\n/);
  assert.deepEqual(findFeedsInHtml('<html><body>Jobs</body></html>', 'https://jobs.lever.co/acme').map((f) => f.comment), ['the page address itself is a job board: https://jobs.lever.co/acme']);
});

test('nothing found is said on stderr (exit 0); a page that cannot be fetched is exit 2; a bad address exit 1', async (t) => {
  const { server } = await startSite(t, { '/plain': { body: '<html><body><h1>No jobs right now</h1><a href="/team">Team</a></body></html>' }, '/huge': { body: 'x'.repeat(200_000) } });
  const none = await discover(`${server.url}/plain`);
  assert.equal(none.code, 0);
  assert.equal(none.out, '');
  assert.match(none.err, /no feed links or job boards found on http:\/\/127\.0\.0\.1:\d+\/plain\. A page that loads its jobs with JavaScript/);

  const missing = await commandError(discover(`${server.url}/gone?token=SECRET`));
  assert.equal(missing.exitCode, 2);
  assert.match(missing.message, /cannot fetch the page: HTTP 404 Not Found: GET http:\/\/127\.0\.0\.1:\d+\/gone\?token=/);
  assert.doesNotMatch(missing.message, /SECRET/);

  const huge = await commandError(discover(`${server.url}/huge`, { maxBodyBytes: 100_000 }));
  assert.match(huge.message, /response body exceeds 97\.7 KB limit/);

  const bad = await commandError(discover('ftp://example.com/jobs'));
  assert.equal(bad.exitCode, 1);
  assert.match(bad.message, /not an http\(s\) URL: ftp:\/\/example\.com\/jobs/);
});

test('jobalert discover prints the YAML on stdout', async (t) => {
  const { server } = await startSite(t, { '/jobs': { body: '<a href="https://jobs.ashbyhq.com/acme">Open roles</a>' } });
  const res = await runCli(['discover', `${server.url}/jobs`]);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stdout, `feeds:\n  # job board in <a href> "Open roles" on ${server.url}/jobs: https://jobs.ashbyhq.com/acme\n  - name: acme-ashby\n    type: ashby\n    board: acme\n`);
  assert.match(res.stderr, /found 1 feed on /);
});
