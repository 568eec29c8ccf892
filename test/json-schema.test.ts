import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'yaml';
import { configJsonSchemaText, JSON_SCHEMA_PATH } from '../src/config/json-schema.js';
import { CHANNEL_SCHEMAS, configSchema, feedKeysFor } from '../src/config/schema.js';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError } from '../src/core/errors.js';
import { SOURCE_ADAPTERS } from '../src/sources/registry.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_CONFIG = path.join(ROOT, 'config/jobalert.yaml');
// Every config in the repository that is meant to be valid (the other fixtures are broken on purpose).
const EXAMPLE_CONFIGS = [DEFAULT_CONFIG, path.join(ROOT, 'test/fixtures/config/full.yaml')];

type Json = Record<string, any>;
const committed = readFileSync(path.join(ROOT, JSON_SCHEMA_PATH), 'utf8');
const schema = JSON.parse(committed) as Json;

/** The schemas that apply to `value` among a node's if/then and oneOf branches (type decides). */
function branches(node: Json, value: Record<string, unknown>): Json[] {
  const out: Json[] = [node];
  for (const sub of node.allOf ?? []) {
    const cond = sub.if as Json;
    const wanted = cond.properties.type.const;
    const present = 'type' in value;
    if ((present && value.type === wanted) || (!present && !(cond.required ?? []).includes('type'))) out.push(...branches(sub.then, value));
  }
  if (node.oneOf) {
    // The shape whose required keys are all there (slack: token + channel, or webhook_url).
    const fit = (node.oneOf as Json[]).find((b) => (b.required ?? []).every((k: string) => k in value));
    if (fit) out.push(fit);
  }
  return out;
}

/** Keys of `value` the schema does not allow, as paths ("feeds[1].bord"): what an editor would underline. */
function unknownKeys(value: unknown, node: Json | undefined, at: string): string[] {
  if (node === undefined || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, node.items ?? node.anyOf?.find((b: Json) => b.items)?.items, `${at}[${i}]`));
  const record = value as Record<string, unknown>;
  const applicable = branches(node, record);
  const out: string[] = [];
  for (const [key, v] of Object.entries(record)) {
    const known = applicable.map((b) => b.properties?.[key]).find(Boolean);
    const extra = applicable.map((b) => b.additionalProperties).find((a) => typeof a === 'object');
    const closed = applicable.some((b) => b.additionalProperties === false);
    if (known) out.push(...unknownKeys(v, known, `${at}.${key}`));
    else if (extra) out.push(...unknownKeys(v, extra, `${at}.${key}`));
    else if (closed) out.push(`${at}.${key}`);
  }
  return out;
}

describe('JSON Schema of the config', () => {
  it('is the committed schema/jobalert.schema.json (run npm run schema after changing the config schema)', () => {
    assert.equal(committed, configJsonSchemaText());
  });

  it('lists every top-level key, with what it means', () => {
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(configSchema.shape).sort());
    for (const [key, prop] of Object.entries(schema.properties as Record<string, Json>)) assert.ok(prop.description, `${key} has no description`);
    assert.equal(schema.additionalProperties, false);
  });

  it('lists every feed type, each with its own keys', () => {
    const items = schema.properties.feeds.items as Json;
    assert.deepEqual(items.properties.type.enum, [...SOURCE_ADAPTERS.keys()]);
    for (const type of SOURCE_ADAPTERS.keys()) {
      const branch = (items.allOf as Json[]).find((b) => b.if.properties.type.const === type);
      assert.ok(branch, `no branch for feed type ${type}`);
      assert.deepEqual(Object.keys(branch.then.properties).sort(), feedKeysFor(type)!.sort(), type);
      assert.equal(branch.then.additionalProperties, false);
    }
    // Without a type a feed is auto.
    assert.deepEqual(branches(items, { name: 'x' }).map((b) => b.properties?.type?.const ?? b.properties?.type?.enum?.length), [SOURCE_ADAPTERS.size, 'auto']);
    assert.deepEqual(unknownKeys({ feeds: [{ name: 'a', type: 'greenhouse', bord: 'acme' }] }, schema, ''), ['.feeds[0].bord']);
  });

  it('lists every channel type the config accepts, from the one list schema.ts exports', () => {
    const entry = schema.properties.channels.additionalProperties as Json;
    assert.deepEqual(entry.properties.type.enum, Object.keys(CHANNEL_SCHEMAS));
    for (const type of Object.keys(CHANNEL_SCHEMAS)) {
      assert.ok((entry.allOf as Json[]).some((b) => b.if.properties.type.const === type), `no branch for channel type ${type}`);
      // The loader dispatches this type (its error, if any, is about the type's own keys).
      try {
        parseConfigText(`channels:\n  c:\n    type: ${type}\n`, 'test.yaml', {});
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.doesNotMatch(err.message, /channels\.c\.type: expected one of/, type);
      }
    }
    // A type the dispatcher does not know names exactly the registered ones.
    assert.throws(() => parseConfigText('channels:\n  c:\n    type: pigeon\n', 'test.yaml', {}), (err: ConfigError) => err.message.includes(`expected one of ${Object.keys(CHANNEL_SCHEMAS).join(', ')}`));
    assert.deepEqual(unknownKeys({ channels: { s: { type: 'slack', webhook_url: 'https://x.test', channel: '#x' } } }, schema, ''), ['.channels.s.channel']);
  });

  it('describes durations, sizes and cron strings, which accept a string or a number', () => {
    const fetch = schema.properties.fetch.properties as Record<string, Json>;
    const timeout = fetch.timeout!.anyOf[0] as Json;
    assert.deepEqual(timeout.anyOf.map((b: Json) => b.type), ['string', 'integer']);
    const durationRe = new RegExp(timeout.pattern);
    for (const ok of ['30s', '15m', '14d', '500ms', ' 2 w ']) assert.match(ok, durationRe);
    for (const bad of ['15 mins', '1.5h', 'soon']) assert.doesNotMatch(bad, durationRe);
    const sizeRe = new RegExp((fetch.max_body!.anyOf[0] as Json).pattern);
    for (const ok of ['10MB', '512kb', '1048576', '0.5GB']) assert.match(ok, sizeRe);
    assert.doesNotMatch('10 megs', sizeRe);
    const cron = schema.properties.schedule.anyOf[0] as Json;
    assert.match(schema.properties.schedule.description, /cron expression/);
    const cronRe = new RegExp(cron.pattern);
    for (const ok of ['*/15 * * * *', '0 9 * * 1-5', '0 0 9 * * MON-FRI', '0 */6 * * *']) assert.match(ok, cronRe);
    for (const bad of ['every 15 minutes', '* * * *']) assert.doesNotMatch(bad, cronRe);
  });

  it('lets any value be a ${VAR} reference, as the loader does', () => {
    const env = new RegExp(schema.$defs.env.pattern);
    assert.match('${SLACK_WEBHOOK_URL}', env);
    assert.deepEqual(schema.properties.http.properties.port.anyOf[1], { $ref: '#/$defs/env' });
  });

  for (const file of EXAMPLE_CONFIGS) {
    it(`has every key of ${path.relative(ROOT, file)}`, () => {
      const text = readFileSync(file, 'utf8');
      assert.deepEqual(unknownKeys(parse(text), schema, ''), []);
    });
  }

  it('is named by the default config, for editors', () => {
    const first = readFileSync(DEFAULT_CONFIG, 'utf8').split('\n')[0]!;
    const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    assert.ok(m, first);
    assert.equal(path.resolve(path.dirname(DEFAULT_CONFIG), m[1]!), path.join(ROOT, JSON_SCHEMA_PATH));
  });
});
