/**
 * The feed's `company:` key, end to end through the CLI against a local board server: it names
 * the employer of boards whose API carries no company (Lever, Ashby) instead of the slug guess,
 * `check` says which feeds still take their company from the slug, and a company the posting
 * itself states is never replaced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHttpServer } from './helpers/http-server.js';
import { runCli } from './helpers/cli.js';

const FIXTURES = new URL('./fixtures/sources/', import.meta.url);
const fixture = (name: string) => fs.readFileSync(new URL(name, FIXTURES), 'utf8');

test('company: names the employer of slug-only boards; check names the feeds that still use the slug', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jobalert-company-'));
  const boards = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (name: string) => res.writeHead(200, { 'content-type': 'application/json' }).end(fixture(name));
    if (url.pathname === '/lever') return json(Number(url.searchParams.get('skip') ?? 0) === 0 ? 'lever/postings-page1.json' : 'lever/postings-page2.json');
    if (url.pathname === '/ashby') return json('ashby/board.json');
    if (url.pathname === '/greenhouse') return json('greenhouse/jobs.json');
    return void res.writeHead(404).end('not found');
  });
  try {
    const config = path.join(dir, 'jobalert.yaml');
    fs.writeFileSync(
      config,
      `database: ${path.join(dir, 'jobalert.db')}
max_age: 3650d
feeds:
  - { name: named, type: lever, site: meridianfreight, company: "Meridian Freight", url: "${boards.url}/lever" }
  - { name: slug, type: ashby, board: parallax, url: "${boards.url}/ashby" }
  - { name: gh, type: greenhouse, board: acmerobotics, company: "Someone Else", url: "${boards.url}/greenhouse" }
`,
    );

    const check = await runCli(['check', '--config', config]);
    assert.equal(check.code, 0, check.stderr);
    const block = (name: string) => check.stdout.split('\n  - ').find((b) => b.startsWith(`${name} [`)) ?? '';
    assert.match(block('slug'), /note: company from the board slug 'parallax' \("Parallax"\); set company: to name it/);
    assert.doesNotMatch(block('named'), /board slug/, 'a feed with company: takes no note');
    assert.doesNotMatch(block('gh'), /board slug/, 'Greenhouse names the company itself');

    const run = await runCli(['run', '--once', '--config', config]);
    assert.equal(run.code, 0, run.stderr + run.stdout.slice(-2000));
    const exported = await runCli(['export', '--config', config]);
    const jobs = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { company: string | null; feeds: string[] });
    const companiesOf = (feed: string) => [...new Set(jobs.filter((j) => j.feeds.includes(feed)).map((j) => j.company))];
    assert.deepEqual(companiesOf('named'), ['Meridian Freight']);
    assert.deepEqual(companiesOf('slug'), ['Parallax']);
    // Where the Greenhouse API states company_name it stays; where it states none, the configured
    // name replaces the slug guess "Acmerobotics".
    assert.deepEqual(companiesOf('gh').sort(), ['Acme Robotics', 'Someone Else']);
  } finally {
    await boards.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
