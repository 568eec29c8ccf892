/**
 * The JSON Schema of the config file, generated from the zod schema so it cannot drift from what
 * `check` accepts (test/json-schema.test.ts compares it with the committed file; `npm run schema`
 * rewrites it). Editors read it to complete and check keys as they are typed.
 *
 * Feeds and channels are dispatched on `type` through z.custom transforms (for precise errors),
 * which toJSONSchema cannot see into: their schemas are built here from each feed type's schema
 * (feedSchemaFor) and each channel type's (CHANNEL_SCHEMAS), one `if type = X then X's keys` each,
 * so an editor offers the keys of the type written.
 */
import { z } from 'zod';
import { SOURCE_ADAPTERS } from '../sources/registry.js';
import { CHANNEL_SCHEMAS, configSchema, feedSchemaFor } from './schema.js';

/** Where the generated schema is committed, relative to the repository root. */
export const JSON_SCHEMA_PATH = 'schema/jobalert.schema.json';

type Json = Record<string, unknown>;

// What the key means, shown by editors on hover; durations, sizes and cron strings already say
// how they are written (their .meta() in schema.ts).
const TOP_LEVEL: Readonly<Record<string, string>> = {
  database: 'Where every posting seen and every alert sent is kept: an SQLite file (a relative path is read from the config file\'s folder) or a postgres:// URL (its password from PGPASSWORD or a ${VAR}, never written in the file). JOBALERT_DB overrides it. Default: ./data/jobalert.db',
  schedule: 'Default poll schedule of every feed. Default: "*/15 * * * *"',
  timezone: 'Time zone of schedules. Default: UTC',
  max_age: 'Postings published longer ago are stored but never alerted; 0 means no limit. Default: 14d',
  log_level: 'Log level; JOBALERT_LOG_LEVEL overrides it. Default: info',
  http: '/healthz and /metrics: port (0 disables; default 8080) and host (default 127.0.0.1)',
  fetch: 'How feeds are fetched: timeout, connect_timeout, max_body, max_redirects, per_host, user_agent',
  delivery: 'Alert delivery: give_up_after (default 2d)',
  health: 'Feed health messages: notify (channels told when a feed fails and recovers), after_failures (default 3)',
  exchange_rates: 'US dollars per unit of a currency ({EUR: 1.15}), over the built-in table',
  feeds: 'Where postings come from: name, url, type (auto, or a board or ATS adapter with its own keys), schedule, enabled, company',
  channels: 'Where alerts go, by name; rules name them in notify. A channel named console always exists',
  smtp: 'Mail server of every email channel: url (smtp://user:pass@host:587 or smtps://...:465), from',
  rules: 'What you are looking for: each rule is checked against every new posting; every condition it names must hold',
};

const RULE_KEYS: Readonly<Record<string, string>> = {
  name: 'Unique; shown in alerts',
  query: 'The rule in plain words: "remote senior ML engineer >= $130k" (see `jobalert query`)',
  title: 'One phrase or a list; the posting\'s title must match any of them',
  seniority: 'intern, junior, mid, senior, staff, principal, lead, manager, director; "senior+" is senior and above',
  remote: 'true (remote), false (hybrid or onsite), or remote, hybrid, onsite, or a list of those',
  salary_min: 'Yearly amount the posting\'s annualized upper bound must reach',
  currency: 'Currency of salary_min (3 letters); other currencies are converted',
  include_unknown_salary: 'Also match postings that state no salary. Default: false',
  location: 'Places, any of ("US", "Berlin", "Europe"); "remote" among them adds remote jobs open to them',
  exclude: 'Words that reject a posting when found in its title, company or description',
  companies_exclude: 'Companies to ignore',
  notify: 'Channel name or list of names. Default: console',
  digest: 'Collect matches and send them at these times (cron)',
};

/** The config's JSON Schema (draft 2020-12), as committed in JSON_SCHEMA_PATH. */
export function configJsonSchema(): Json {
  const root = toJson(configSchema);
  const props = root.properties as Record<string, Json>;
  props.feeds = { ...props.feeds, items: feedItemSchema() };
  props.channels = { ...props.channels, additionalProperties: channelEntrySchema() };
  describe(props, TOP_LEVEL);
  describe(((props.rules!.items as Json).properties ?? {}) as Record<string, Json>, RULE_KEYS);
  allowEnvRefs(root);
  // A section with every entry commented out is null in YAML, and counts as absent (load.ts).
  for (const prop of Object.values(props)) if (prop.type === 'object' || prop.type === 'array') prop.type = [prop.type, 'null'];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'jobalert configuration',
    description: 'jobalert config file (config/jobalert.yaml). `jobalert check` validates it fully, with line numbers.',
    ...root,
    $defs: { env: ENV_REF },
  };
}

// `${VAR}` may stand for any value (`port: ${PORT}`, `webhook_url: ${SLACK_WEBHOOK_URL}`): a key
// whose schema refuses it (a number, a pattern, a URL format, a list of words) also takes it.
const ENV_REF: Json = { type: 'string', pattern: '\\$\\{', description: '${VAR}: replaced by the environment variable VAR when the config is loaded' };

/** Lets every key whose schema would refuse a "${VAR}" string take one, recursively. */
function allowEnvRefs(node: Json): void {
  const props = node.properties as Record<string, Json> | undefined;
  if (props) {
    for (const [key, prop] of Object.entries(props)) {
      // `type` picks a feed's or channel's keys: an editor cannot follow a variable there.
      if (key === 'type') continue;
      allowEnvRefs(prop);
      if (refusesEnvRef(prop)) props[key] = withEnvRef(prop);
    }
  }
  const extra = node.additionalProperties;
  if (typeof extra === 'object' && extra !== null) {
    allowEnvRefs(extra as Json);
    if (refusesEnvRef(extra as Json)) node.additionalProperties = withEnvRef(extra as Json);
  }
  const items = node.items as Json | undefined;
  if (items && typeof items === 'object') {
    allowEnvRefs(items);
    if (refusesEnvRef(items)) node.items = withEnvRef(items);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const sub of (node[key] as Json[] | undefined) ?? []) allowEnvRefs(sub);
  if (node.then) allowEnvRefs(node.then as Json);
}

function withEnvRef(schema: Json): Json {
  const { description, default: fallback, ...rest } = schema;
  return { ...(description === undefined ? {} : { description }), ...(fallback === undefined ? {} : { default: fallback }), anyOf: [rest, { $ref: '#/$defs/env' }] };
}

/** A scalar schema that refuses some strings (a number, a boolean, a pattern, a format, an enum); objects and lists are walked instead. */
function refusesEnvRef(schema: Json): boolean {
  if (schema.type === 'object' || schema.type === 'array' || schema.properties || schema.items) return false;
  if (schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined || schema.const !== undefined) return true;
  const branches = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (branches) return !branches.some((b) => b.type === 'string' && !refusesEnvRef(b));
  return schema.type !== 'string';
}

/** The committed file's text: stable key order, two-space indent, final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

function toJson(schema: z.ZodType): Json {
  // Input side: what a user writes ("14d"), not what the loader makes of it (milliseconds).
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

/** One feed: `type` picks the keys (auto when absent). */
function feedItemSchema(): Json {
  const types = [...SOURCE_ADAPTERS.keys()];
  return {
    type: 'object',
    required: ['name'],
    properties: {
      type: { type: 'string', enum: types, default: 'auto', description: 'auto (RSS 2.0, RSS 1.0, Atom or JSON Feed, detected), a forced feed format, or a job board or ATS adapter' },
    },
    allOf: types.map((type) => {
      const branch = toJson(feedSchemaFor(type)!);
      const props = branch.properties as Record<string, Json>;
      props.type = { const: type };
      return {
        // No `type` at all is auto, so only the other types' conditions require the key.
        if: { properties: { type: { const: type } }, ...(type === 'auto' ? {} : { required: ['type'] }) },
        then: { description: SOURCE_ADAPTERS.get(type)!.label, ...branch },
      };
    }),
  };
}

/** One channel: `type` picks the keys; a type with several shapes (slack: token or webhook) is one of them. */
function channelEntrySchema(): Json {
  const entries = Object.entries(CHANNEL_SCHEMAS);
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: entries.map(([type]) => type) } },
    allOf: entries.map(([type, shapes]) => ({
      if: { properties: { type: { const: type } }, required: ['type'] },
      then: shapes.length === 1 ? toJson(shapes[0]!) : { oneOf: shapes.map(toJson) },
    })),
  };
}

function describe(props: Record<string, Json>, texts: Readonly<Record<string, string>>): void {
  for (const [key, text] of Object.entries(texts)) {
    const prop = props[key];
    if (!prop) continue;
    // A duration or cron key keeps how it is written after what it means.
    props[key] = { ...prop, description: typeof prop.description === 'string' ? `${text}. Written as ${prop.description}` : text };
  }
}
