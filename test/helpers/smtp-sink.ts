/**
 * A real SMTP server on 127.0.0.1 (smtp-server) that parses every message it accepts
 * (mailparser), and can be told to refuse with a given SMTP reply.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** A refusal the sink answers with; `stage` says which command gets it (default: the end of DATA). */
export interface SmtpFailure {
  code: number;
  message: string;
  stage?: 'auth' | 'rcpt' | 'data';
}

/** A running sink. */
export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:PORT */
  url: string;
  /** Every accepted message, parsed, in arrival order. */
  messages: ParsedMail[];
  /** The size in bytes of each accepted message, as received (same order as messages). */
  sizes: number[];
  /** Messages refused for their size (over `size`). */
  refusedForSize: number;
  /** Credentials clients logged in with. */
  logins: Array<{ username: string; password: string }>;
  setFailure(failure: SmtpFailure | null): void;
  close(): Promise<void>;
}

/** Starts an SMTP sink on 127.0.0.1 and a free port; `onMessage` runs after a message is stored, before the server answers. */
export async function startSmtpSink(
  opts: {
    failWith?: SmtpFailure | null;
    onMessage?: (mail: ParsedMail, index: number) => void | Promise<void>;
    /** A message size limit, announced (SIZE) and enforced: a bigger message gets 552 5.3.4, as from a real relay. */
    size?: number;
  } = {},
): Promise<SmtpSink> {
  let failure: SmtpFailure | null = opts.failWith ?? null;
  const messages: ParsedMail[] = [];
  const sizes: number[] = [];
  let refusedForSize = 0;
  const logins: Array<{ username: string; password: string }> = [];
  const refusal = (stage: NonNullable<SmtpFailure['stage']>): Error | null => {
    if (!failure || (failure.stage ?? 'data') !== stage) return null;
    return Object.assign(new Error(failure.message), { responseCode: failure.code });
  };

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 100,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '' });
      const err = refusal('auth');
      if (err) callback(err);
      else callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt'));
    },
    ...(opts.size ? { size: opts.size } : {}),
    onData(stream, _session, callback) {
      // The whole message must be read before answering, or the client sees a broken pipe.
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      new Promise<Buffer>((resolve, reject) => {
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      })
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            refusedForSize++;
            return callback(Object.assign(new Error(`5.3.4 Error: message exceeds fixed maximum message size ${opts.size}`), { responseCode: 552 }));
          }
          const mail = await simpleParser(raw);
          const err = refusal('data');
          if (err) return callback(err);
          messages.push(mail);
          sizes.push(raw.length);
          return Promise.resolve(opts.onMessage?.(mail, messages.length - 1)).then(() => callback());
        })
        .catch((err: Error) => callback(err));
    },
  });
  server.on('error', () => {}); // a client hanging up mid-session is not a test failure

  const netServer = await new Promise<import('node:net').Server>((resolve, reject) => {
    const s = server.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = netServer.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    sizes,
    get refusedForSize() {
      return refusedForSize;
    },
    logins,
    setFailure(f) {
      failure = f;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
