/** `jobalert test-notify CHANNEL`: send a test message to one channel. */
import { createNotifiers } from '../notify/registry.js';
import { NotifyError } from '../core/errors.js';
import { CommandError, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, loadAndCompile } from './common.js';

/** Sends a test message through the named channel; a failure is a runtime error with the reason. */
export async function testNotifyCommand(channel: string, opts: { config?: string }, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const { config } = loadAndCompile(opts.config);
  if (!(channel in config.channels)) {
    throw new CommandError(`no channel named "${channel}"; channels: ${Object.keys(config.channels).join(', ')}`, EXIT_USAGE);
  }
  const notifiers = createNotifiers({ ...config, channels: { [channel]: config.channels[channel]! } }, {});
  const notifier = notifiers.get(channel)!;
  try {
    await notifier.sendTest();
    out(`test message sent to ${channel} (${notifier.type})\n`);
    return EXIT_OK;
  } catch (err) {
    const why = err instanceof NotifyError ? `${err.message}${err.retryable ? ' (transient: try again later)' : ''}` : String(err);
    throw new CommandError(`test message to ${channel} failed: ${why}`, EXIT_RUNTIME);
  } finally {
    await notifier.close();
  }
}
