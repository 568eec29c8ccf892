/**
 * The benchmark's mail sink: a minimal SMTP server on 127.0.0.1 that accepts and drops every
 * message, counting messages, bytes and the alerts they carry (jobs per email, read from the
 * Subject jobalert writes: "TITLE at COMPANY and 49 more — RULE"). Hand-written on node:net rather than smtp-server, which
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
  /** Jobs carried by the messages (jobsInSubject of each Subject). */
  alerts: number;
  /** performance.now() when the first and the last message since reset() ended; null before one. */
  firstAt: number | null;
  lastAt: number | null;
  reset(): void;
  close(): Promise<void>;
}

const END_OF_DATA = '\r\n.\r\n';
/** How much of each message is kept to read its headers. */
const HEAD_BYTES = 16 * 1024;

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) in a header value. */
export function decodeMimeWords(value: string): string {
  // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
  const joined = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  return joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, enc: string, text: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return new TextDecoder(/^utf-?8$/i.test(charset) ? 'utf-8' : 'latin1').decode(bytes);
  });
}

/** The Subject of a message's header block (unfolded and decoded), or null. */
export function subjectOf(head: string): string | null {
  const headers = head.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = /^subject:[ \t]*(.*)$/im.exec(headers);
  return m ? decodeMimeWords(m[1]!) : null;
}

/** The jobs one alert email carries: "... and N more" is N + 1, any other subject 1. */
export function jobsInSubject(subject: string | null): number {
  const m = subject ? / and (\d+) more(?: —|$)/.exec(subject) : null;
  return m ? Number(m[1]) + 1 : 1;
}

/** Starts the sink on a free port. */
export async function startSmtpCounter(): Promise<SmtpCounter> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let inData = false;
    let size = 0;
    let head = '';
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
            if (head.length < HEAD_BYTES) head += buffer.slice(0, buffer.length - keep);
            size += buffer.length - keep;
            buffer = buffer.slice(buffer.length - keep);
            return;
          }
          size += end;
          if (head.length < HEAD_BYTES) head += buffer.slice(0, end);
          buffer = buffer.slice(end + END_OF_DATA.length);
          inData = false;
          sink.messages++;
          // The data began with the CRLF of the DATA line (see below).
          sink.alerts += jobsInSubject(subjectOf(head.replace(/^\r\n/, '')));
          sink.lastAt = performance.now();
          sink.firstAt ??= sink.lastAt;
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
          head = '';
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
    alerts: 0,
    firstAt: null,
    lastAt: null,
    reset() {
      sink.messages = 0;
      sink.bytes = 0;
      sink.largest = 0;
      sink.alerts = 0;
      sink.firstAt = null;
      sink.lastAt = null;
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
