/** `jobalert query "TEXT"`: print the structured rule a query compiles to. */
import { compileRule } from '../match/compile-rule.js';
import { parseQuery } from '../match/query.js';
import { titleWordWarnings } from '../match/title-typos.js';
import { CommandError, EXIT_OK, EXIT_USAGE } from './common.js';

/** Prints the structured-key twin of a query as JSON; a query that is not understood is a usage error. */
export function queryCommand(text: string, out: (s: string) => void = (s) => process.stdout.write(s)): number {
  // Compiling as well as parsing catches what only compilation sees (an amount below 1000, ...).
  const { rule, issues } = compileRule({ name: 'query', query: text, include_unknown_salary: false });
  if (issues.length || !rule) throw new CommandError(issues.map((i) => `${i.key}: ${i.message}`).join('\n'), EXIT_USAGE);
  for (const w of titleWordWarnings(rule)) process.stderr.write(`warning: ${w}\n`);
  out(`${JSON.stringify(parseQuery(text).rule, null, 2)}\n`);
  return EXIT_OK;
}
