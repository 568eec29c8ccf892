/**
 * `jobalert healthcheck`: asks the running daemon's /healthz, on the host and port its config
 * says, and exits 0 (healthy) or 1 (unhealthy), as Docker's HEALTHCHECK expects.
 */
import { loadConfig, resolveConfigPath } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { CommandError, EXIT_OK } from './common.js';

/** Docker reads 1 as unhealthy (2 is reserved), so every failure here exits 1. */
export const EXIT_UNHEALTHY = 1;

const DEFAULT_TIMEOUT_MS = 4000;

/** The URL of the daemon's /healthz for this config, or null when the HTTP server is off (port 0). */
export function healthzUrl(config: Pick<Config, 'http'>): string | null {
  const { host, port } = config.http;
  if (port === 0) return null;
  // A server listening on every interface is reached on loopback from inside its own container.
  const target = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${target.includes(':') ? `[${target}]` : target}:${port}/healthz`;
}

/** Checks /healthz once; prints one line saying what was found. */
export async function healthcheckCommand(
  opts: { config?: string; timeoutMs?: number },
  out: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  const config = loadConfig(resolveConfigPath(opts.config, process.env));
  const url = healthzUrl(config);
  if (url === null) {
    // Nothing to ask. Healthy rather than unhealthy: an always-unhealthy container gets restarted
    // in a loop by tools that act on health, for a choice the user made on purpose.
    out('http.port is 0: the HTTP server is off, so health is not checked (set http.port to check it)\n');
    return EXIT_OK;
  }
  let status: number;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS), redirect: 'error' });
    status = res.status;
    await res.body?.cancel();
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'no answer in time' : typeof cause === 'string' ? cause : err instanceof Error ? err.message : String(err);
    throw new CommandError(`unhealthy: ${url}: ${why}`, EXIT_UNHEALTHY);
  }
  if (status !== 200) throw new CommandError(`unhealthy: ${url} answered HTTP ${status}`, EXIT_UNHEALTHY);
  out(`healthy: ${url} answered 200\n`);
  return EXIT_OK;
}
