/**
 * Exit codes and the error that carries one: kept apart from the commands so the CLI can
 * recognise them without loading any command (`jobalert --version` loads nothing else).
 */

/** Exit codes (DESIGN.md "CLI"). */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_RUNTIME = 2;
/** `check`: the config is valid, but feeds are failing or channels are not delivering. */
export const EXIT_FAILING = 3;

/** A failure that ends the command with a message and an exit code, without a stack trace. */
export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}

