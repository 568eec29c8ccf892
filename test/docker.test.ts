/**
 * The Docker image cannot be built here (no engine), so its invariants are checked statically
 * (issue 8, item 13): the layer order that keeps the dependency install cached, a lean runtime
 * stage, a HEALTHCHECK that reads the configured port, secrets kept out of the build context,
 * compose passing an .env file, and a stop timeout long enough for the final flush. The
 * healthcheck subcommand itself runs for real against a daemon in test/newcomer.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../src/config/schema.js';

const read = (name: string) => fs.readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined and comments dropped, split into stages. */
function dockerStages(text: string): Instruction[][] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ins = { op: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, ' ').trim() };
    if (ins.op === 'FROM') stages.push([]);
    stages.at(-1)?.push(ins);
  }
  return stages;
}

/** Index of the first instruction matching, or -1. */
function indexOf(stage: Instruction[], op: string, re: RegExp): number {
  return stage.findIndex((i) => i.op === op && re.test(i.args));
}

/** .dockerignore's verdict on a context path: the last matching pattern wins, `!` re-includes. */
function ignored(patterns: string[], file: string): boolean {
  let out = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const re = new RegExp(
      `^${pattern
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((part) => (part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join('')}(?:/.*)?$`,
    );
    if (re.test(file)) out = !negate;
  }
  return out;
}

describe('Dockerfile', () => {
  const [build, runtime, ...extra] = dockerStages(read('Dockerfile'));

  it('has a build stage and a runtime stage on the Node 24 slim image', () => {
    assert.ok(build && runtime);
    assert.equal(extra.length, 0);
    assert.match(build[0]!.args, /^node:24-bookworm-slim AS build$/);
    assert.match(runtime[0]!.args, /^node:24-bookworm-slim$/);
  });

  it('installs dependencies from the package files alone, then copies src/ and builds: a code change keeps the install layer', () => {
    const copyPackages = indexOf(build!, 'COPY', /package-lock\.json/);
    const install = indexOf(build!, 'RUN', /\bnpm ci\b/);
    const copySrc = indexOf(build!, 'COPY', /\bsrc\b/);
    const compile = indexOf(build!, 'RUN', /\bnpm run build\b/);
    assert.ok(copyPackages >= 0 && install > copyPackages, 'package files are copied, then npm ci');
    assert.ok(copySrc > install, `src/ is copied after npm ci (COPY src at ${copySrc}, npm ci at ${install})`);
    assert.ok(compile > copySrc, 'the build runs once src/ is there');
    for (const i of build!.slice(0, install + 1)) {
      if (i.op === 'COPY' || i.op === 'ADD') assert.match(i.args, /^package\.json package-lock\.json \.\/$/, `before npm ci only the package files are copied: ${i.args}`);
    }
    // CI runs npm ci, the build (through `prepare`) and, for the image, a prune: the same steps here.
    assert.match(build![install]!.args, /npm ci --ignore-scripts && npm rebuild better-sqlite3/);
    assert.match(build![compile]!.args, /npm run build && npm prune --omit=dev/);
  });

  it('ships only the compiled addon of better-sqlite3, and a runtime stage with no toolchain and no npm', () => {
    const compile = build!.find((i) => i.op === 'RUN' && /npm prune/.test(i.args))!;
    assert.match(compile.args, /rm -rf build deps src binding\.gyp/);
    assert.match(compile.args, /build\/Release\/better_sqlite3\.node/);
    for (const i of runtime!) {
      assert.doesNotMatch(i.args, /apt-get install|\bg\+\+|\bmake\b|python3|npm (ci|install)/, `the runtime stage installs nothing: ${i.op} ${i.args}`);
    }
    const cleanup = runtime!.find((i) => i.op === 'RUN' && /rm -rf/.test(i.args))?.args ?? '';
    for (const p of ['/usr/local/lib/node_modules/npm', '/usr/local/bin/npm', '/usr/local/bin/npx']) assert.ok(cleanup.includes(p), `removes ${p}`);
    const copied = runtime!.filter((i) => i.op === 'COPY').map((i) => i.args);
    assert.deepEqual(copied, [
      '--from=build /app/package.json ./package.json',
      '--from=build /app/node_modules ./node_modules',
      '--from=build /app/dist ./dist',
      'config ./config',
    ]);
  });

  it('runs as node with the database on /data and the HTTP server reachable from outside the container', () => {
    const env = runtime!.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    assert.match(env, /JOBALERT_DB=\/data\/jobalert\.db/);
    assert.match(env, /JOBALERT_HTTP_HOST=0\.0\.0\.0/);
    assert.match(env, /JOBALERT_CONFIG=\/app\/config\/jobalert\.yaml/);
    assert.ok(indexOf(runtime!, 'USER', /^node$/) >= 0);
    assert.ok(indexOf(runtime!, 'VOLUME', /\/data/) >= 0);
  });

  it('checks health with the healthcheck subcommand, which reads the port: no port is hard-coded', () => {
    const health = runtime!.filter((i) => i.op === 'HEALTHCHECK');
    assert.equal(health.length, 1);
    assert.match(health[0]!.args, /CMD \["node", "dist\/cli\.js", "healthcheck"\]$/);
    assert.doesNotMatch(health[0]!.args, /8080|127\.0\.0\.1|localhost|:\d{2,5}\b/);
    const timeout = parseDuration(/--timeout=(\S+)/.exec(health[0]!.args)?.[1] ?? '');
    assert.ok(timeout !== null && timeout > 4000, 'longer than the subcommand\'s own 4 s request timeout');
  });

  it('stops with SIGTERM and documents a stop timeout longer than Docker\'s 10 s default', () => {
    assert.ok(indexOf(runtime!, 'STOPSIGNAL', /^SIGTERM$/) >= 0);
    assert.match(read('Dockerfile'), /--stop-timeout \d+/);
    const readme = read('README.md');
    const docker = readme.slice(readme.indexOf('## Docker'), readme.indexOf('\n## ', readme.indexOf('## Docker') + 1));
    const documented = /docker run[^`]*--stop-timeout (\d+)/.exec(docker);
    assert.ok(documented && Number(documented[1]) >= 30, 'the README\'s docker run example sets --stop-timeout');
    assert.match(docker, /chown 1000:1000/, 'the README says how to fix a root-owned bind mount');
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

  it('keeps secrets, the database, the host node_modules and .git out of the build context', () => {
    for (const file of ['.env', '.env.local', 'config/.env', 'config/.env.production', '.git/HEAD', 'node_modules/pino/package.json', 'dist/cli.js', 'data/jobalert.db', 'jobalert.db', 'config/old.db-wal', 'test/e2e.test.ts']) {
      assert.ok(ignored(patterns, file), `${file} would enter the build context`);
    }
  });

  it('keeps what the Dockerfile copies', () => {
    for (const file of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/cli.ts', 'src/commands/healthcheck.ts', 'config/jobalert.yaml']) {
      assert.ok(!ignored(patterns, file), `${file} is needed by the build`);
    }
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml')) as { services: Record<string, Record<string, any>> };
  const service = compose.services.jobalert!;

  it('passes an optional .env file into the container', () => {
    assert.deepEqual(service.env_file, [{ path: '.env', required: false }]);
  });

  it('gives the shutdown flush time: a stop grace period of at least 30 s, SIGTERM', () => {
    const grace = parseDuration(String(service.stop_grace_period));
    assert.ok(grace !== null && grace >= 30_000, `stop_grace_period ${service.stop_grace_period}`);
    assert.equal(service.stop_signal, 'SIGTERM');
  });

  it('publishes the HTTP port on the host loopback only and keeps the database on a volume', () => {
    assert.deepEqual(service.ports, ['127.0.0.1:8080:8080']);
    assert.ok((service.volumes as string[]).some((v) => /:\/data$/.test(v)));
    assert.ok((service.volumes as string[]).some((v) => /:\/app\/config:ro$/.test(v)));
  });
});
