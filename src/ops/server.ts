/**
 * The operations HTTP server: /healthz (liveness: the process works), /readyz (readiness: it can
 * do its job), /status (what is failing, as JSON) and /metrics.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { HealthReport } from './health-report.js';

export interface OpsServerDeps {
  registry: Registry;
  /** True while the scheduler runs and the database answers. */
  healthy: () => Promise<boolean>;
  /** Every feed's and channel's health, read from the database; throws when it cannot be read. */
  status?: () => Promise<HealthReport>;
  /** Whether a report means ready (some feed works, the scheduler runs). */
  ready?: (report: HealthReport) => boolean;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Starts the /healthz, /readyz, /status and /metrics server on host:port (port 0 picks a free one). */
export async function startOpsServer(host: string, port: number, deps: OpsServerDeps): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    void answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      let ok = false;
      try {
        ok = await deps.healthy();
      } catch {
        ok = false;
      }
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ok' : 'unhealthy' }));
      return;
    }
    if ((path === '/status' || path === '/readyz') && deps.status) {
      let report: HealthReport | null = null;
      let error: string | null = null;
      try {
        report = await deps.status();
      } catch (err) {
        error = `database not readable: ${err instanceof Error ? err.message : String(err)}`;
      }
      const ready = report !== null && (deps.ready?.(report) ?? true);
      const body =
        path === '/readyz'
          ? { status: ready ? 'ready' : 'not ready', ...(report ? { failingFeeds: report.failingFeeds, enabledFeeds: report.enabledFeeds } : {}), ...(error ? { error } : {}) }
          : report
            ? { status: ready ? 'ready' : 'not ready', ...report }
            : { status: 'not ready', error };
      // /status is a document: 200 whenever it could be read, its `status` field says ready or not.
      const code = path === '/readyz' ? (ready ? 200 : 503) : report ? 200 : 503;
      res.writeHead(code, { 'content-type': 'application/json' }).end(`${JSON.stringify(body, null, path === '/status' ? 2 : 0)}\n`);
      return;
    }
    if (path === '/metrics') {
      let body: string;
      try {
        body = await deps.registry.metrics();
      } catch {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': deps.registry.contentType }).end(body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
