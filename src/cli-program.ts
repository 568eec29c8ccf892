/**
 * The jobalert command line (DESIGN.md "CLI"). Exit codes: 0 ok, 1 bad config or usage, 2 runtime
 * failure (a database that cannot be used included), 3 `check`: config valid but feeds failing or
 * channels not delivering.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError, DatabaseError } from './core/errors.js';
import { VERSION } from './version.js';
import { CommandError, EXIT_RUNTIME, EXIT_USAGE } from './commands/exit.js';

const configOption = ['-c, --config <path>', 'config file (default: $JOBALERT_CONFIG or config/jobalert.yaml)'] as const;

/** Builds the command tree; each action stores its exit code in `result`. */
function buildProgram(result: { code: number }): Command {
  const program = new Command('jobalert')
    .description('Job alerts you can trust: polls job feeds, matches your rules, alerts each new job once.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  program
    .command('run')
    .description('run the daemon (or one pass with --once)')
    .option(...configOption)
    .option('--once', 'poll every feed once, deliver, and exit')
    .option('--dry-run', 'send nothing: print what would be sent (the database is not changed)')
    .action(async (opts) => {
      result.code = await (await import('./commands/run.js')).runCommand(opts);
    });
  program
    .command('check')
    .description('validate the config, print compiled rules and feed and channel health (exit 3 when feeds fail)')
    .option(...configOption)
    .action(async (opts) => {
      result.code = await (await import('./commands/check.js')).checkCommand(opts);
    });
  program
    .command('query')
    .description('print the structured rule a query compiles to')
    .argument('<text>', 'the query, e.g. "remote senior ML engineer >= $130k"')
    .action(async (text: string) => {
      result.code = (await import('./commands/query.js')).queryCommand(text);
    });
  program
    .command('explain')
    .description("show each condition of a rule against a stored posting")
    .requiredOption('--rule <name>', 'rule name')
    .argument('<url>', 'the posting URL')
    .option(...configOption)
    .action(async (url: string, opts) => {
      result.code = await (await import('./commands/explain.js')).explainCommand(url, opts);
    });
  program
    .command('backtest')
    .description('run a rule over the stored jobs: what would have matched, and how many failed each condition')
    .option('--rule <name>', 'rule name from the config')
    .option('--query <text>', 'a query instead of a config rule, e.g. "remote senior ML engineer >= $130k"')
    .option('--since <when>', 'jobs first seen within this long ("30d", "2w") or since this date (2026-11-01)', '30d')
    .option('--json', 'print the report as JSON')
    .option(...configOption)
    .action(async (opts) => {
      result.code = await (await import('./commands/backtest.js')).backtestCommand(opts);
    });
  program
    .command('export')
    .description('print every stored job with its normalized fields')
    .option(...configOption)
    .option('--format <format>', 'jsonl or csv', 'jsonl')
    .action(async (opts) => {
      result.code = await (await import('./commands/export.js')).exportCommand(opts);
    });
  program
    .command('retry-failed')
    .description('send failed alerts again (after fixing a token, webhook or address)')
    .option('--channel <name>', 'only this channel')
    .option(...configOption)
    .action(async (opts) => {
      result.code = await (await import('./commands/retry-failed.js')).retryFailedCommand(opts);
    });
  program
    .command('migrate')
    .description("copy the SQLite database (the config's database:, or --from) into an empty PostgreSQL database, in one transaction")
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://user@host:5432/db (the password in PGPASSWORD, never in the URL)')
    .option('--from <file>', "the SQLite file to copy (default: the config's database:)")
    .option('--replace', 'delete what the target already holds and copy in its place (default: refuse a target that holds jobalert data)')
    .option(...configOption)
    .action(async (opts) => {
      result.code = await (await import('./commands/migrate.js')).migrateCommand(opts);
    });
  program
    .command('test-notify')
    .description('send a test message to one channel')
    .argument('<channel>', 'channel name from the config')
    .option(...configOption)
    .action(async (channel: string, opts) => {
      result.code = await (await import('./commands/test-notify.js')).testNotifyCommand(channel, opts);
    });
  program
    .command('healthcheck')
    .description("ask the running daemon's /healthz (host and port from the config); exit 0 healthy, 1 not (Docker HEALTHCHECK)")
    .option(...configOption)
    .action(async (opts) => {
      result.code = await (await import('./commands/healthcheck.js')).healthcheckCommand(opts);
    });
  program
    .command('import-opml')
    .description('print the feeds: YAML for the subscriptions of an OPML file (job boards as their typed entries)')
    .argument('<file>', 'the OPML file (a feed reader\'s export)')
    .action(async (file: string) => {
      result.code = (await import('./commands/import-opml.js')).importOpmlCommand(file);
    });
  program
    .command('discover')
    .description('find the feeds and job boards a careers page links or embeds; print them as feeds: YAML')
    .argument('<url>', 'the careers page')
    .action(async (url: string) => {
      result.code = await (await import('./commands/discover.js')).discoverCommand(url);
    });
  return program;
}

/** Runs the CLI with argv and returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const result = { code: 0 };
  try {
    await buildProgram(result).parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with code 0 by design.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`config error${err.issues.length > 1 ? `s (${err.issues.length})` : ''}:\n${err.message.replace(/^/gm, '  ')}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof DatabaseError) {
      process.stderr.write(`jobalert: ${err.message}\n`);
      return EXIT_RUNTIME;
    }
    if (err instanceof CommandError) {
      process.stderr.write(`jobalert: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`jobalert: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT_RUNTIME;
  }
}

function finish(code: number): void {
  process.exitCode = code;
  // Everything is closed by now and the process should end by itself; this only guards
  // against a stray handle (a library timer) keeping a stopped daemon alive.
  setTimeout(() => process.exit(code), 3000).unref();
}

// `jobalert export | head` closes the pipe early: that is the reader being done, not a failure.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(finish, () => finish(EXIT_RUNTIME));
