/**
 * The benchmark's mail sink: a minimal SMTP server on 127.0.0.1 that accepts and drops every
 * message, counting messages and bytes. Hand-written on node:net rather than smtp-server, which
 * waits 100 ms before its greeting (to catch early talkers): rss2email opens a connection per
 * message, so that wait alone was 0.1 s a message, 500 s of a 5,000-item cold run.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

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

const END_OF_DATA = '\r\n.\r\n';

/** Starts the sink on a free port. */
export async function startSmtpCounter(): Promise<SmtpCounter> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let inData = false;
    let size = 0;
    let buffer = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 bench-sink ESMTP');
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          // Keep the tail that could hold the start of the terminator.
          const end = buffer.indexOf(END_OF_DATA);
          if (end < 0) {
            const keep = Math.min(buffer.length, END_OF_DATA.length - 1);
            size += buffer.length - keep;
            buffer = buffer.slice(buffer.length - keep);
            return;
          }
          size += end;
          buffer = buffer.slice(end + END_OF_DATA.length);
          inData = false;
          sink.messages++;
          sink.bytes += size;
          sink.largest = Math.max(sink.largest, size);
          reply('250 OK queued');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250-bench-sink\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 0');
        else if (verb === 'HELO') reply('250 bench-sink');
        else if (verb === 'DATA') {
          inData = true;
          size = 0;
          // The terminator may follow at once; the DATA line's own CRLF starts it.
          buffer = `\r\n${buffer}`;
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
          return;
        } else reply('250 OK');
      }
    });
  });
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
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.port = (server.address() as AddressInfo).port;
  return sink;
}
