/**
 * Loads the config file: YAML (with positions) -> ${VAR} interpolation -> zod schema ->
 * cross-field checks -> defaults. Every problem found is collected and thrown at once as one
 * ConfigError whose issues name file, line, column and key, sorted by line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Scalar } from 'yaml';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../core/errors.js';
import {
  configSchema,
  feedKeysFor,
  ruleSchema,
  type ChannelConfig,
  type Config,
  type ConsoleChannel,
  type DiscordChannel,
  type EmailChannel,
  type NtfyChannel,
  type SlackBotChannel,
  type SlackWebhookChannel,
  type TeamsChannel,
  type TelegramChannel,
  type WebhookChannel,
} from './schema.js';
import { suggest } from './suggest.js';
import { compileRule } from '../match/compile-rule.js';
import { REDACTED, redactUrl } from '../core/redact.js';
import { describeDatabase, hasWrittenPassword, isDatabaseUrl, isPostgresUrl } from '../core/database-url.js';
import { formatKeyPath, keyText, locateKey, locateValue, nodePosition, type KeyPath, type Position } from './yaml-positions.js';

/** Where the config is read from when neither --config nor JOBALERT_CONFIG says otherwise. */
export const DEFAULT_CONFIG_PATH = 'config/jobalert.yaml';

/** The channel every rule without `notify` uses; it exists unless the user defines one with this name. */
export const IMPLICIT_CHANNEL = 'console';


/** Picks the config path: `--config` wins, then JOBALERT_CONFIG, then config/jobalert.yaml. */
export function resolveConfigPath(cliPath: string | undefined, env: NodeJS.ProcessEnv): string {
  if (cliPath !== undefined && cliPath.trim() !== '') return cliPath;
  const fromEnv = env.JOBALERT_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  return DEFAULT_CONFIG_PATH;
}

/** Reads and validates the config file; throws ConfigError with every issue found. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file: path, line: null, column: null, key: '', message: describeReadFailure(err) }]);
  }
  return parseConfigText(text, path, env);
}

/** Validates config text as if read from `file`; throws ConfigError with every issue found. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const lineCounter = new LineCounter();
  // uniqueKeys off: duplicates are reported by our own walk, with the key path and both lines.
  // logLevel 'error': yaml would otherwise print its own warnings (odd keys) to stderr.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const ctx: LoadContext = { file, doc, lineCounter, issues: [], fromEnv: new Map(), written: new Map(), reported: new Set(), reportedAt: new Set() };

  if (doc.errors.length > 0) {
    // After a syntax error the tree is a guess, and so are the errors after the first: one
    // missing "]" yields a cascade that points at later, correct lines. Report the first, stop.
    const first = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
    const { line, col } = lineCounter.linePos(first.pos[0]);
    ctx.issues.push({ file, line, column: col, key: '', message: `invalid YAML: ${describeYamlError(first.code, first.message)}` });
    throw new ConfigError(ctx.issues);
  }

  if (doc.contents === null) {
    // An empty file would run with no feeds and no rules: a daemon that silently does nothing.
    const what = text.trim() === '' ? 'empty' : 'empty (only comments)';
    addIssue(ctx, [], { line: 1, column: 1 }, `the config file is ${what}; write at least feeds: and rules: (config/jobalert.yaml is a commented example), or {} to run on every default`);
    throw new ConfigError(ctx.issues);
  }

  walk(ctx, env, doc.contents, []);

  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    addIssue(ctx, [], nodePosition(doc.contents, lineCounter), `invalid YAML: ${(err as Error).message}`);
    throw new ConfigError(finish(ctx.issues));
  }
  if (!isRecord(raw)) {
    addIssue(ctx, [], nodePosition(doc.contents, lineCounter), `expected a mapping of settings (database:, feeds:, rules:, ...) at the top level, got ${describeValue(ctx, [], raw)}`);
    throw new ConfigError(finish(ctx.issues));
  }
  dropEmptySections(raw);

  // Cross-field checks run on the raw data so they are reported even when the schema fails too.
  crossCheck(ctx, raw);

  let result = configSchema.safeParse(raw);
  if (!result.success && coerceEnvValues(ctx, raw, result.error.issues as unknown as LooseIssue[])) {
    result = configSchema.safeParse(raw);
  }
  if (!result.success) {
    for (const issue of result.error.issues as unknown as LooseIssue[]) reportZodIssue(ctx, raw, issue, []);
    // Every schema issue may have been folded into one reported earlier; never throw an empty error.
    if (ctx.issues.length === 0) addIssue(ctx, [], null, result.error.message);
  }
  if (ctx.issues.length > 0 || !result.success) throw new ConfigError(finish(ctx.issues));

  const config = applyDefaults(result.data, file, env);
  // Later stages (rule compilation, notifier setup) find problems the loader cannot; this lets them
  // name a line too. A path that is not in the file (a default) has no position.
  config.locate = (path) => {
    const found = locateValue(doc, path, lineCounter);
    return found.exact ? found.position : null;
  };
  return config;
}

/**
 * A copy of the config safe to print: slack tokens and webhook URLs replaced by "***", and every
 * other URL (feeds, the SMTP URL, a Slack api_url) through redactUrl.
 */
export function redactConfig(config: Config): unknown {
  // `locate` is a function: not printable, and structuredClone() cannot copy it.
  const { locate: _locate, ...printable } = config;
  const copy = structuredClone(printable);
  for (const channel of Object.values(copy.channels) as unknown as Record<string, unknown>[]) {
    if ('token' in channel) channel.token = REDACTED;
    if ('webhook_url' in channel) channel.webhook_url = REDACTED;
    if ('secret' in channel) channel.secret = REDACTED;
    // A webhook URL often carries its own credential (a path token); an ntfy topic name is one.
    if ((channel.type === 'webhook' || channel.type === 'ntfy') && typeof channel.url === 'string') channel.url = originOnly(channel.url);
    if (typeof channel.api_url === 'string') channel.api_url = redactUrl(channel.api_url);
  }
  for (const feed of copy.feeds as Array<Record<string, unknown>>) {
    // Source credentials (a Recruitee careers-site token) are secrets too.
    if (typeof feed.token === 'string') feed.token = REDACTED;
    if (typeof feed.url === 'string') feed.url = redactUrl(feed.url);
  }
  if (copy.smtp) copy.smtp.url = redactUrl(copy.smtp.url);
  copy.database = describeDatabase(copy.database);
  return copy;
}

/** "https://host/***": which service a secret URL points to, without its path or query. */
function originOnly(url: string): string {
  try {
    return `${new URL(url).origin}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
}

// ---------------------------------------------------------------------------------------------
// Collecting issues

interface LoadContext {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  issues: ConfigIssue[];
  /** Paths whose value came from ${VAR}, with the variable names: errors name them instead of echoing a secret. */
  fromEnv: Map<string, string[]>;
  /** Scalars (by position) holding ${VAR}, as written before substitution: was a secret written in the file? */
  written: Map<string, string>;
  /** Paths already reported; later stages must not pile a second, derived issue on them. */
  reported: Set<string>;
  /**
   * Scalars (by position) whose interpolation failed. Keyed by position, not path, because an
   * alias reaches the same scalar under another path.
   */
  reportedAt: Set<string>;
}

function addIssue(ctx: LoadContext, path: KeyPath, position: Position | null, message: string): void {
  ctx.issues.push({ file: ctx.file, line: position?.line ?? null, column: position?.column ?? null, key: formatKeyPath(path), message });
}

function isReported(ctx: LoadContext, path: KeyPath): boolean {
  const key = formatKeyPath(path);
  for (const done of ctx.reported) {
    if (key === done || key.startsWith(`${done}.`) || key.startsWith(`${done}[`)) return true;
  }
  const at = scalarAt(ctx, path);
  return at !== null && ctx.reportedAt.has(at);
}

/** The position key ("line:col") of the value at `path`, resolving aliases; null when not in the file. */
function scalarAt(ctx: LoadContext, path: KeyPath): string | null {
  const found = locateValue(ctx.doc, path, ctx.lineCounter);
  return found.exact && found.position ? positionKey(found.position) : null;
}

function positionKey(position: Position): string {
  return `${position.line}:${position.column}`;
}

/** The environment variables the value at `path` was built from, if any. */
function envVarsAt(ctx: LoadContext, path: KeyPath): string[] | undefined {
  const at = scalarAt(ctx, path);
  return at === null ? undefined : ctx.fromEnv.get(at);
}

function finish(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const id = `${i.line}:${i.column}:${i.key}:${i.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  // File-level issues (no line) first, then by position; sort is stable for ties.
  return unique.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function describeReadFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `config file not found (pass --config PATH or set JOBALERT_CONFIG; the default is ${DEFAULT_CONFIG_PATH})`;
  if (code === 'EISDIR') return 'is a directory, not a config file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read config file: permission denied';
  return `cannot read config file: ${(err as Error).message}`;
}

function describeYamlError(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document ("---"); keep the whole config in one';
  // yaml notices an unclosed flow collection where the next line starts, not where it opened.
  if (/end with a [\]}]/.test(message)) return `${message} (is a closing bracket missing on this line or the ones just before?)`;
  return message;
}

// ---------------------------------------------------------------------------------------------
// The YAML walk: duplicate keys and ${VAR} interpolation

function walk(ctx: LoadContext, env: NodeJS.ProcessEnv, node: unknown, path: (string | number)[]): void {
  if (isMap(node)) {
    const seen = new Map<string, Position | null>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const keyPath = [...path, key];
      const at = nodePosition(pair.key, ctx.lineCounter);
      if (seen.has(key)) {
        const first = seen.get(key);
        const where = first ? ` (first at line ${first.line})` : '';
        addIssue(ctx, keyPath, at, `duplicate key "${key}"${where}; each key may appear once`);
      } else {
        seen.set(key, at);
      }
      // Keys are never interpolated: only the value side of a pair is walked.
      walk(ctx, env, pair.value, keyPath);
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) walk(ctx, env, item, [...path, i]);
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
    interpolateScalar(ctx, env, node, path);
  }
  // Aliases are skipped: the anchored node is interpolated where it is defined, and toJS() copies it.
}

function interpolateScalar(ctx: LoadContext, env: NodeJS.ProcessEnv, node: Scalar, path: KeyPath): void {
  const written = node.value as string;
  const { value, vars, problems } = interpolate(written, env);
  node.value = value;
  const at = nodePosition(node, ctx.lineCounter);
  if (!at) return;
  if (vars.length > 0) ctx.fromEnv.set(positionKey(at), vars);
  ctx.written.set(positionKey(at), written);
  if (problems.length === 0) return;
  for (const problem of problems) addIssue(ctx, path, at, problem);
  ctx.reportedAt.add(positionKey(at));
}

const REFERENCE_RE = /^(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<fallback>[^]*))?$/;

/** Replaces ${VAR} and ${VAR:-default}; `$${` is a literal `${`. Environment values are not re-scanned. */
export function interpolate(text: string, env: NodeJS.ProcessEnv): { value: string; vars: string[]; problems: string[] } {
  const vars: string[] = [];
  const problems: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    if (text.startsWith('$${', dollar)) {
      out += '${';
      i = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      // A lone "$" is ordinary text ("$130k" in a query).
      out += '$';
      i = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      problems.push('"${" is not closed by "}"; write $${ for a literal ${');
      out += text.slice(dollar);
      break;
    }
    const reference = text.slice(dollar + 2, close);
    const groups = REFERENCE_RE.exec(reference)?.groups;
    i = close + 1;
    if (!groups?.name) {
      problems.push(`"\${${reference}}" is not a variable reference; expected \${NAME} or \${NAME:-default} (write $\${ for a literal \${)`);
      continue;
    }
    vars.push(groups.name);
    const fromEnv = env[groups.name];
    if (groups.fallback !== undefined) {
      // As in POSIX shells, ":-" also replaces a variable that is set but empty.
      out += fromEnv ? fromEnv : groups.fallback;
    } else if (fromEnv === undefined) {
      problems.push(`environment variable ${groups.name} is not set`);
    } else {
      out += fromEnv;
    }
  }
  return { value: out, vars, problems };
}

/**
 * `port: ${PORT}` yields the string "8080", so the schema rejects it. Where the schema expected a
 * number or true/false and the value came from the environment, convert it and validate again.
 */
function coerceEnvValues(ctx: LoadContext, raw: Record<string, unknown>, issues: LooseIssue[]): boolean {
  let changed = false;
  for (const issue of issues) {
    const path = issuePath(issue, []);
    if (!envVarsAt(ctx, path)) continue;
    const value = valueAt(raw, path);
    if (typeof value !== 'string') continue;
    const wanted = expectedTypes({ ...issue, path: [] });
    let coerced: number | boolean | undefined;
    if ((wanted.has('number') || wanted.has('int')) && NUMBER_RE.test(value.trim())) coerced = Number(value.trim());
    else if (wanted.has('boolean') && BOOLEAN_RE.test(value.trim())) coerced = value.trim().toLowerCase() === 'true';
    if (coerced === undefined) continue;
    setValueAt(raw, path, coerced);
    changed = true;
  }
  return changed;
}

const NUMBER_RE = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const BOOLEAN_RE = /^(?:true|false)$/i;

/** The types a value at the issue's own path could have had ("number", "boolean", ...). */
function expectedTypes(issue: LooseIssue): Set<string> {
  const types = new Set<string>();
  if (issue.path.length > 0) return types;
  if (kindOf(issue) === 'invalid_type' && issue.expected) types.add(issue.expected);
  for (const branch of issue.errors ?? []) for (const sub of branch) for (const t of expectedTypes(sub)) types.add(t);
  return types;
}

// ---------------------------------------------------------------------------------------------
// Cross-field checks

function crossCheck(ctx: LoadContext, raw: Record<string, unknown>): void {
  checkDatabasePassword(ctx, raw.database);
  checkUniqueNames(ctx, raw.feeds, 'feeds', 'feed');
  checkUniqueNames(ctx, raw.rules, 'rules', 'rule');

  const channels = raw.channels;
  const defined = channels === undefined ? [] : isRecord(channels) ? Object.keys(channels) : null;

  if (isRecord(channels) && !isRecord(raw.smtp)) {
    for (const [name, channel] of Object.entries(channels)) {
      if (!isRecord(channel) || channel.type !== 'email') continue;
      const at = locateValue(ctx.doc, ['channels', name, 'type'], ctx.lineCounter).position;
      addIssue(ctx, ['channels', name], at, 'an email channel needs the smtp section (smtp: url and from) to send mail');
    }
  }

  // Source-health notices go to channels too: an unknown one would silently tell nobody.
  if (defined !== null && isRecord(raw.health) && raw.health.notify !== undefined) checkNotify(ctx, raw.health.notify, ['health', 'notify'], defined, { what: 'health messages', orElse: 'remove notify to send none' });

  if (!Array.isArray(raw.rules)) return;
  for (const [i, rule] of raw.rules.entries()) {
    if (!isRecord(rule)) continue;
    if (rule.timezone !== undefined && rule.digest === undefined) {
      // A rule's timezone only says when its digest is sent: without one it would silently do nothing.
      const path = ['rules', i, 'timezone'];
      addIssue(ctx, path, locateValue(ctx.doc, path, ctx.lineCounter).position, 'timezone on a rule sets when its digest is sent; add digest: (a cron) or remove timezone');
    }
    // With channels itself invalid the list of names is unknown; the schema reports that instead.
    if (defined !== null) checkNotify(ctx, rule.notify, ['rules', i, 'notify'], defined);
    checkRuleCompiles(ctx, rule, i, isRecord(raw.exchange_rates) ? raw.exchange_rates : undefined);
  }
}

/**
 * A PostgreSQL password written in the config file would sit in every copy, backup and paste of it:
 * it must come from the environment, as PGPASSWORD (read by the driver) or a ${VAR} in the URL.
 */
function checkDatabasePassword(ctx: LoadContext, database: unknown): void {
  if (typeof database !== 'string' || !isPostgresUrl(database)) return;
  const at = scalarAt(ctx, ['database']);
  const written = (at !== null ? ctx.written.get(at) : undefined) ?? database;
  if (!hasWrittenPassword(written)) return;
  const path = ['database'];
  addIssue(
    ctx,
    path,
    locateValue(ctx.doc, path, ctx.lineCounter).position,
    'the PostgreSQL URL has a password written in the config file; remove it and set PGPASSWORD in the environment, or write it as ${VAR} (postgres://user:${DB_PASSWORD}@host/db)',
  );
  ctx.reported.add(formatKeyPath(path));
}

/**
 * What a rule MEANS (a query word not understood, "salary_min: 130", conflicting keys) is checked
 * here too, on every rule that is valid on its own, so one `check` lists every error at once
 * instead of revealing these only after the structural errors are fixed.
 */
function checkRuleCompiles(ctx: LoadContext, rule: Record<string, unknown>, index: number, rates: Record<string, unknown> | undefined): void {
  const parsed = ruleSchema.safeParse(rule);
  if (!parsed.success) return; // the schema pass reports these
  const exchangeRates = rates && Object.values(rates).every((v) => typeof v === 'number') ? (rates as Record<string, number>) : undefined;
  checkYearlyAmount(ctx, parsed.data.salary_min, ['rules', index, 'salary_min']);
  for (const issue of compileRule(parsed.data, { exchangeRates }).issues) {
    const path = ['rules', index, issue.key];
    const at = locateValue(ctx.doc, path, ctx.lineCounter).position ?? locateValue(ctx.doc, ['rules', index], ctx.lineCounter).position;
    addIssue(ctx, path, at, issue.message);
  }
}

/**
 * salary_min is a yearly amount: under 1,000 it is a monthly figure or thousands written short, and
 * a floor that every posting passes would silently alert on everything. The query form says the
 * same ("did you mean 140k?").
 */
function checkYearlyAmount(ctx: LoadContext, amount: number | undefined, path: KeyPath): void {
  if (amount === undefined || amount <= 0 || amount >= MIN_YEARLY_AMOUNT) return;
  const thousands = Number.isInteger(amount) ? `${amount * 1000} or ${amount}k` : `${Math.round(amount * 1000)}`;
  addIssue(ctx, path, locateValue(ctx.doc, path, ctx.lineCounter).position, `${amount} is too low for a yearly salary (did you mean ${thousands}?)`);
}

const MIN_YEARLY_AMOUNT = 1000;

function checkUniqueNames(ctx: LoadContext, list: unknown, section: string, what: string): void {
  if (!Array.isArray(list)) return;
  const first = new Map<string, number>();
  for (const [i, item] of list.entries()) {
    if (!isRecord(item) || typeof item.name !== 'string') continue;
    const seen = first.get(item.name);
    if (seen === undefined) {
      first.set(item.name, i);
      continue;
    }
    const path = [section, i, 'name'];
    const firstAt = locateValue(ctx.doc, [section, seen, 'name'], ctx.lineCounter).position;
    const where = firstAt ? ` at line ${firstAt.line}` : '';
    addIssue(
      ctx,
      path,
      locateValue(ctx.doc, path, ctx.lineCounter).position,
      `duplicate ${what} name "${item.name}" (also ${section}[${seen}]${where}); ${what} names must be unique`,
    );
  }
}

function checkNotify(
  ctx: LoadContext,
  notify: unknown,
  path: (string | number)[],
  defined: string[],
  empty = { what: 'matches', orElse: `remove notify to use ${IMPLICIT_CHANNEL}` },
): void {
  const known = defined.includes(IMPLICIT_CHANNEL) ? [...defined] : [IMPLICIT_CHANNEL, ...defined];
  known.sort();
  const entries: [KeyPath, unknown][] = Array.isArray(notify) ? notify.map((n, j) => [[...path, j], n]) : [[path, notify]];
  if (Array.isArray(notify) && notify.length === 0) {
    // An empty list would silently alert nobody; leaving notify out means "console".
    addIssue(ctx, path, locateValue(ctx.doc, path, ctx.lineCounter).position, `notify is empty, so ${empty.what} would go nowhere; list channels (${known.join(', ')}) or ${empty.orElse}`);
    return;
  }
  for (const [at, name] of entries) {
    if (typeof name !== 'string' || name === '' || known.includes(name) || isReported(ctx, at)) continue;
    const guess = suggest(name, known);
    addIssue(
      ctx,
      at,
      locateValue(ctx.doc, at, ctx.lineCounter).position,
      `unknown channel "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; defined channels: ${known.join(', ')}`,
    );
  }
}

/** `feeds:` with every entry commented out is null in YAML; it means "none", not a type error. */
function dropEmptySections(raw: Record<string, unknown>): void {
  for (const [key, schema] of Object.entries(configSchema.shape)) {
    if (raw[key] !== null) continue;
    const inner = unwrapSchema(schema);
    if (inner instanceof z.ZodObject || inner instanceof z.ZodArray || inner instanceof z.ZodRecord) delete raw[key];
  }
}

// ---------------------------------------------------------------------------------------------
// Schema issues, made human and placed

/** The parts of a zod issue this module reads; zod's own union type is too narrow for re-coded issues. */
interface LooseIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  values?: unknown[];
  keys?: string[];
  errors?: LooseIssue[][];
  issues?: LooseIssue[];
  format?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  divisor?: number;
}

/**
 * The channel schema re-raises its inner issues as code "custom" but keeps their fields, so the
 * original kind is recovered from those fields.
 */
function kindOf(issue: LooseIssue): string {
  if (issue.code !== 'custom') return issue.code;
  if (issue.keys) return 'unrecognized_keys';
  if (issue.errors) return 'invalid_union';
  if (issue.expected) return 'invalid_type';
  if (issue.values) return 'invalid_value';
  if (issue.format) return 'invalid_format';
  if (issue.minimum !== undefined) return 'too_small';
  if (issue.maximum !== undefined) return 'too_big';
  return 'custom';
}

function issuePath(issue: LooseIssue, base: KeyPath): (string | number)[] {
  return [...base, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
}

function reportZodIssue(ctx: LoadContext, raw: Record<string, unknown>, issue: LooseIssue, base: KeyPath): void {
  const path = existingPath(raw, issuePath(issue, base));
  if (isReported(ctx, path)) return;
  const kind = kindOf(issue);
  const value = valueAt(raw, path);

  if (kind === 'unrecognized_keys') {
    for (const key of issue.keys ?? []) reportUnknownKey(ctx, raw, path, key);
    return;
  }
  if (value === undefined && kind !== 'invalid_key') {
    addIssue(ctx, path, locateValue(ctx.doc, path, ctx.lineCounter).position, humanMessage(ctx, issue, kind, path, value));
    return;
  }
  if (kind === 'invalid_union') {
    const branch = closestBranch(issue.errors ?? []);
    if (branch) {
      for (const sub of branch) reportZodIssue(ctx, raw, sub, path);
      return;
    }
    addIssue(ctx, path, locateValue(ctx.doc, path, ctx.lineCounter).position, `expected ${unionExpectation(issue)}, got ${describeValue(ctx, path, value)}`);
    return;
  }
  if (kind === 'invalid_key') {
    const key = path[path.length - 1];
    const inner = (issue.issues ?? []).map((sub) => humanMessage(ctx, sub, kindOf(sub), path, key));
    addIssue(ctx, path, locateKey(ctx.doc, path, ctx.lineCounter), `invalid key: ${inner.join('; ') || issue.message}`);
    return;
  }
  const located = locateValue(ctx.doc, path, ctx.lineCounter);
  addIssue(ctx, path, located.position, humanMessage(ctx, issue, kind, path, value));
}

/** Phrases an issue as "expected ..., got ...". */
function humanMessage(ctx: LoadContext, issue: LooseIssue, kind: string, path: KeyPath, value: unknown): string {
  // Messages written in schema.ts already speak the user's language; zod's defaults start with a capital.
  const authored = /^(expected|must)\b/.test(issue.message);
  if (value === undefined) return authored && issue.message.startsWith('expected') ? `required key is missing (${issue.message})` : 'required key is missing';
  const got = describeValue(ctx, path, value);
  if (authored) return issue.message.startsWith('expected') && !issue.message.includes(', got ') ? `${issue.message}, got ${got}` : issue.message;
  switch (kind) {
    case 'invalid_type':
      return `expected ${typeName(issue.expected)}, got ${got}`;
    case 'invalid_value':
      return `expected ${optionList(issue.values ?? [])}, got ${got}`;
    case 'too_small':
      return sizeMessage(issue, 'at least', got);
    case 'too_big':
      return sizeMessage(issue, 'at most', got);
    case 'invalid_format':
      return `expected ${formatName(issue.format)}, got ${got}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}, got ${got}`;
    default:
      return issue.message;
  }
}

function sizeMessage(issue: LooseIssue, bound: 'at least' | 'at most', got: string): string {
  const limit = Number(bound === 'at least' ? issue.minimum : issue.maximum);
  if (issue.origin === 'string') {
    if (bound === 'at least' && limit === 1) return 'must not be empty';
    return `expected ${bound} ${limit} characters, got ${got}`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (bound === 'at least' && limit === 1) return 'expected at least one item, got an empty list';
    return `expected ${bound} ${limit} items, got ${got}`;
  }
  const op = bound === 'at least' ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `expected a number ${op} ${limit}, got ${got}`;
}

/** A branch is "simple" when the value merely had another type or value than the branch wanted. */
function isSimpleMismatch(issue: LooseIssue): boolean {
  if (issue.path.length > 0) return false;
  const kind = kindOf(issue);
  if (kind === 'invalid_type' || kind === 'invalid_value') return true;
  return kind === 'invalid_union' && (issue.errors ?? []).every((branch) => branch.every(isSimpleMismatch));
}

/** The union branch whose type the value had (it failed deeper): its issues are the precise ones. */
function closestBranch(branches: LooseIssue[][]): LooseIssue[] | null {
  for (const branch of branches) if (!branch.every(isSimpleMismatch)) return branch;
  return null;
}

/** "one of true, false, "remote" or a list": everything a union would have accepted. */
function unionExpectation(issue: LooseIssue): string {
  const options: string[] = [];
  const types: string[] = [];
  const collect = (i: LooseIssue): void => {
    const kind = kindOf(i);
    if (kind === 'invalid_union') for (const branch of i.errors ?? []) for (const sub of branch) collect(sub);
    else if (kind === 'invalid_value') options.push(...(i.values ?? []).map((v) => JSON.stringify(v)));
    else if (i.expected === 'boolean') options.push('true', 'false');
    else types.push(typeName(i.expected));
  };
  collect(issue);
  const parts = [...new Set(types)];
  const uniqueOptions = [...new Set(options)];
  if (uniqueOptions.length > 0) parts.unshift(uniqueOptions.length === 1 ? uniqueOptions[0]! : `one of ${uniqueOptions.join(', ')}`);
  return parts.length <= 1 ? (parts[0] ?? 'another value') : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function optionList(values: unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length === 1 ? shown[0]! : `one of ${shown.join(', ')}`;
}

function typeName(expected: string | undefined): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping (key: value)';
    case undefined:
      return 'another type';
    default:
      return `a ${expected}`;
  }
}

function formatName(format: string | undefined): string {
  switch (format) {
    case 'url':
      return 'a URL';
    case 'email':
      return 'an email address';
    case 'regex':
      return 'a value in the documented format';
    default:
      return format ? `a valid ${format}` : 'a valid value';
  }
}

const SECRET_KEYS = new Set(['token', 'webhook_url', 'secret']);

/** Describes a value for "got ...": never echoes a secret or a value that came from the environment. */
function describeValue(ctx: LoadContext, path: KeyPath, value: unknown): string {
  const vars = envVarsAt(ctx, path);
  if (vars && vars.length > 0) return vars.length === 1 ? `the value of environment variable ${vars[0]}` : `the value built from environment variables ${vars.join(', ')}`;
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    if (SECRET_KEYS.has(String(path[path.length - 1]))) return 'a value not shown here (it may be a secret)';
    // A channel's url (webhook, ntfy topic) is a credential too.
    if (path[0] === 'channels' && path[path.length - 1] === 'url') return 'a value not shown here (it may be a secret)';
    const shown = redactUrl(value);
    return JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown);
  }
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Unknown keys

// channelSchema is opaque to introspection (a custom transform), so its keys are listed here;
// Record<keyof T, true> makes tsc flag this table when a channel type in schema.ts gains a key.
function keysOf<T>(keys: Record<keyof T, true>): string[] {
  return Object.keys(keys);
}
const COMMON_KEYS = { quiet_hours: true } as const;
const SLACK_BOT_KEYS = keysOf<SlackBotChannel>({ type: true, token: true, channel: true, api_url: true, summary_after: true, ...COMMON_KEYS });
const SLACK_WEBHOOK_KEYS = keysOf<SlackWebhookChannel>({ type: true, webhook_url: true, summary_after: true, ...COMMON_KEYS });
const EMAIL_KEYS = keysOf<EmailChannel>({ type: true, to: true, subject_prefix: true, max_jobs_per_email: true, max_email_bytes: true, ...COMMON_KEYS });
const CONSOLE_KEYS = keysOf<ConsoleChannel>({ type: true, ...COMMON_KEYS });
const WEBHOOK_KEYS = keysOf<WebhookChannel>({ type: true, url: true, secret: true, ...COMMON_KEYS });
const DISCORD_KEYS = keysOf<DiscordChannel>({ type: true, webhook_url: true, ...COMMON_KEYS });
const TELEGRAM_KEYS = keysOf<TelegramChannel>({ type: true, token: true, chat_id: true, api_url: true, ...COMMON_KEYS });
const NTFY_KEYS = keysOf<NtfyChannel>({ type: true, url: true, token: true, ...COMMON_KEYS });
const TEAMS_KEYS = keysOf<TeamsChannel>({ type: true, webhook_url: true, ...COMMON_KEYS });

function reportUnknownKey(ctx: LoadContext, raw: Record<string, unknown>, objectPath: KeyPath, key: string): void {
  const path = [...objectPath, key];
  const at = locateKey(ctx.doc, path, ctx.lineCounter);
  const owner = valueAt(raw, objectPath);
  const isWebhook = objectPath.length === 2 && objectPath[0] === 'channels' && isRecord(owner) && owner.type === 'slack' && 'webhook_url' in owner;
  if (isWebhook && SLACK_BOT_KEYS.includes(key)) {
    addIssue(ctx, path, at, `unknown key "${key}" next to webhook_url: a slack channel uses either webhook_url (incoming webhook) or token and channel (bot), not both`);
    return;
  }
  const allowed = allowedKeys(raw, objectPath);
  if (!allowed) {
    addIssue(ctx, path, at, `unknown key "${key}"`);
    return;
  }
  const guess = suggest(key, allowed);
  addIssue(ctx, path, at, guess ? `unknown key "${key}" (did you mean "${guess}"?)` : `unknown key "${key}"; allowed keys: ${allowed.join(', ')}`);
}

function allowedKeys(raw: Record<string, unknown>, path: KeyPath): string[] | null {
  const fromSchema = schemaKeysAt(path);
  if (fromSchema) return fromSchema;
  if (path.length === 2 && path[0] === 'feeds') {
    const feed = valueAt(raw, path);
    if (!isRecord(feed)) return null;
    return feedKeysFor(typeof feed.type === 'string' ? feed.type : 'auto');
  }
  if (path.length === 2 && path[0] === 'channels') {
    const channel = valueAt(raw, path);
    if (!isRecord(channel)) return null;
    switch (channel.type) {
      case 'slack':
        return 'webhook_url' in channel ? SLACK_WEBHOOK_KEYS : SLACK_BOT_KEYS;
      case 'email':
        return EMAIL_KEYS;
      case 'console':
        return CONSOLE_KEYS;
      case 'webhook':
        return WEBHOOK_KEYS;
      case 'discord':
        return DISCORD_KEYS;
      case 'telegram':
        return TELEGRAM_KEYS;
      case 'ntfy':
        return NTFY_KEYS;
      case 'teams':
        return TEAMS_KEYS;
      default:
        return null;
    }
  }
  return null;
}

function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = s.in as z.ZodType;
    else return s;
  }
}

/** The keys the schema allows in the mapping at `path`, or null when it cannot tell. */
function schemaKeysAt(path: KeyPath): string[] | null {
  let schema: z.ZodType = configSchema;
  for (const seg of path) {
    const s = unwrapSchema(schema);
    if (s instanceof z.ZodObject && typeof seg === 'string') {
      const next = (s.shape as Record<string, z.ZodType | undefined>)[seg];
      if (!next) return null;
      schema = next;
    } else if (s instanceof z.ZodArray && typeof seg === 'number') {
      schema = s.element as z.ZodType;
    } else if (s instanceof z.ZodRecord) {
      schema = s.valueType as z.ZodType;
    } else {
      return null;
    }
  }
  const s = unwrapSchema(schema);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : null;
}

// ---------------------------------------------------------------------------------------------
// Defaults and small helpers

function applyDefaults(data: z.output<typeof configSchema>, file: string, env: NodeJS.ProcessEnv): Config {
  const channels = { ...data.channels } as Record<string, ChannelConfig>;
  if (!(IMPLICIT_CHANNEL in channels)) channels[IMPLICIT_CHANNEL] = { type: 'console' };
  const rules = data.rules.map((rule) => (rule.notify === undefined ? { ...rule, notify: [IMPLICIT_CHANNEL] } : rule));
  const dbFromEnv = env.JOBALERT_DB;
  const database =
    dbFromEnv !== undefined && dbFromEnv.trim() !== '' ? resolveDatabasePath(dbFromEnv, process.cwd()) : resolveDatabasePath(data.database, dirname(resolvePath(file)));
  const hostFromEnv = env.JOBALERT_HTTP_HOST;
  const http = hostFromEnv !== undefined && hostFromEnv.trim() !== '' ? { ...data.http, host: hostFromEnv.trim() } : data.http;
  return { ...data, database, http, channels, rules, file };
}

/**
 * An absolute database path. A relative `database:` is read from the config file's folder, so the
 * same config run from two folders uses one database (it once alerted everything twice); a
 * relative JOBALERT_DB is a shell value and is read from the working directory, as a shell user
 * expects. ':memory:' and URLs stay as they are.
 */
export function resolveDatabasePath(database: string, base: string): string {
  // A URL (postgres://) is not a path: resolving it would make a folder named "postgres:".
  return database === ':memory:' || isDatabaseUrl(database) ? database.trim() : resolvePath(base, database);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(root: unknown, path: KeyPath): unknown {
  let here = root;
  for (const seg of path) {
    if (Array.isArray(here) && typeof seg === 'number') here = here[seg];
    else if (isRecord(here)) here = here[String(seg)];
    else return undefined;
  }
  return here;
}

/**
 * A transform can change a value's shape before a later check fails (`to: a@b` becomes a list
 * of one), so zod's path may run past what the file holds; it is cut back to what is written.
 * A missing last key in an existing mapping is kept: that is a missing required key.
 */
function existingPath(root: unknown, path: (string | number)[]): (string | number)[] {
  let here = root;
  for (const [i, seg] of path.entries()) {
    if (isRecord(here)) {
      if (!(String(seg) in here)) return i === path.length - 1 ? path : path.slice(0, i + 1);
      here = here[String(seg)];
    } else if (Array.isArray(here) && typeof seg === 'number' && seg < here.length) {
      here = here[seg];
    } else {
      return path.slice(0, i);
    }
  }
  return path;
}

function setValueAt(root: Record<string, unknown>, path: KeyPath, value: unknown): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isRecord(parent) && last !== undefined) parent[String(last)] = value;
}
