/**
 * The benchmark's mail sink: a real SMTP server on 127.0.0.1 that reads and drops every message,
 * counting messages and bytes (no parsing, so the sink costs both systems as little as possible).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A running sink. */
export interface SmtpCounter {
  port: number;
  messages: number;
  bytes: number;
  /** Size of the largest message seen. */
  largest: number;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the sink on a free port. */
export async function startSmtpCounter(): Promise<SmtpCounter> {
  const sink: SmtpCounter = {
    port: 0,
    messages: 0,
    bytes: 0,
    largest: 0,
    reset() {
      sink.messages = 0;
      sink.bytes = 0;
      sink.largest = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 0,
    closeTimeout: 100,
    onData(stream, _session, callback) {
      let n = 0;
      stream.on('data', (d: Buffer) => (n += d.length));
      stream.on('end', () => {
        sink.messages++;
        sink.bytes += n;
        sink.largest = Math.max(sink.largest, n);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.server.address() as AddressInfo).port;
  return sink;
}
