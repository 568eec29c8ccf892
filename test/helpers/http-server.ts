/** A throwaway HTTP server on 127.0.0.1 for tests: real sockets, never the internet. */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// `unknown` so one-liners like `(_req, res) => res.end("ok")` type-check; a returned promise is awaited.
export type TestHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface TestServer {
  /** Base URL without trailing slash: "http://127.0.0.1:54321". */
  url: string;
  port: number;
  server: Server;
  /** Drops open connections (hung responses included) and stops listening. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 with an OS-assigned port; a handler that throws answers 500. */
export async function startHttpServer(handler: TestHandler): Promise<TestServer> {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        // A failing handler must show up in the test, not hang the client.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test handler failed: ${err instanceof Error ? err.message : String(err)}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
