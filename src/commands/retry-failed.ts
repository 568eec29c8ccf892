/** `jobalert retry-failed [--channel NAME]`: send failed alerts again (after fixing a token or address). */
import { CommandError, EXIT_OK, EXIT_USAGE, loadAndCompile, openExistingStore } from './common.js';

/** Puts failed alerts back in the outbox; the running daemon or the next `run` sends them. */
export async function retryFailedCommand(opts: { channel?: string; config?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { config } = loadAndCompile(opts.config);
  if (opts.channel !== undefined && !(opts.channel in config.channels)) {
    throw new CommandError(`no channel named "${opts.channel}"; channels: ${Object.keys(config.channels).join(', ')}`, EXIT_USAGE);
  }
  const store = await openExistingStore(config);
  if (!store) {
    out('no database yet: nothing to retry\n');
    return EXIT_OK;
  }
  try {
    const n = await store.requeueFailed(opts.channel ?? null);
    out(`${n} failed alert${n === 1 ? '' : 's'} put back in the outbox${n ? ': the running daemon sends them within 15 s, or the next `jobalert run`' : ''}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
