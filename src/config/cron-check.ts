/**
 * Checks a cron expression beyond what node-cron validates. node-cron accepts a reversed range
 * ("1-0" as a wrap-around, which for minutes means every minute) and a step longer than its
 * field (`*\/90` minutes: once an hour at :00); both silently run at other times than written.
 * Here each field's ranges must go upwards, their values lie in the field and a step fit in it.
 */

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Where the first name maps to (months start at 1, weekdays at 0). */
  nameBase?: number;
  /** The last value "*" stands for, when not max (weekday 7 is Sunday again). */
  starMax?: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const FIVE_FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  // 7 is Sunday too, as in most crons.
  { name: 'weekday', min: 0, max: 7, names: WEEKDAYS, nameBase: 0, starMax: 6 },
];
const SECOND: Field = { name: 'second', min: 0, max: 59 };

/** Problems node-cron would not report (reversed range, value out of its field, oversized step); empty when none. */
export function cronRangeProblems(expression: string): string[] {
  const text = expression.trim();
  if (text.startsWith('@')) return []; // a nickname (@daily): node-cron checks those
  const parts = text.split(/\s+/);
  const fields = parts.length === 6 ? [SECOND, ...FIVE_FIELDS] : parts.length === 5 ? FIVE_FIELDS : null;
  if (!fields) return [];
  const problems: string[] = [];
  parts.forEach((part, i) => {
    const field = fields[i]!;
    for (const token of part.split(',')) {
      const problem = tokenProblem(token, field);
      if (problem) problems.push(`${field.name}: ${problem}`);
    }
  });
  return problems;
}

// "a", "a-b", "*", each optionally "/step"; anything else (L, W, #, ?) is left to node-cron.
const TOKEN_RE = /^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/(\d+))?$/i;

function tokenProblem(token: string, field: Field): string | null {
  const m = TOKEN_RE.exec(token);
  if (!m) return null;
  const [, star, fromText, toText, stepText] = m;
  const from = star ? field.min : value(fromText!, field);
  const to = star ? (field.starMax ?? field.max) : toText !== undefined ? value(toText, field) : stepText !== undefined ? field.max : from;
  if (from === null || to === null) return null; // not a number or name: node-cron reports it
  const span = `${field.min}-${field.max}`;
  if (from < field.min || from > field.max || to < field.min || to > field.max) return `"${token}" is outside ${span}`;
  if (from > to) {
    return `"${token}" is a reversed range (node-cron would wrap it around and run at other times than meant); write it upwards, and a range across the end of the field as two ranges, e.g. "${fromText}-${field.max},${field.min}-${toText}"`;
  }
  if (stepText !== undefined) {
    const step = Number(stepText);
    if (step < 1) return `the step in "${token}" must be at least 1`;
    if (step > to - from && to > from) return `the step in "${token}" is longer than its range ${from}-${to}, so it would run only at ${from}; write "${from}" if that is meant`;
  }
  return null;
}

function value(text: string, field: Field): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toLowerCase().slice(0, 3) as never) ?? -1;
  // Full names too ("monday"): node-cron accepts them.
  if (index === -1 || !field.names?.some((n) => text.toLowerCase().startsWith(n))) return null;
  return index + (field.nameBase ?? 0);
}
