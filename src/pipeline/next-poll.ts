/** When a running daemon will poll a feed next: its schedule's first tick at or after the end of any backoff. */
import cron from 'node-cron';

interface Matcher {
  getNextMatch(date: Date): Date;
}

/** The first tick of `schedule` (in `timezone`) at or after `notBefore`; null when the schedule never fires again. */
export function nextTickAt(schedule: string, timezone: string, notBefore: Date): Date | null {
  const task = cron.createTask(schedule, () => {}, { timezone });
  try {
    // node-cron asks for the tick after a date only internally (getNextRuns counts from now);
    // when that is not reachable, walk the runs from now, bounded.
    const matcher = (task as unknown as { timeMatcher?: Matcher }).timeMatcher;
    const from = new Date(notBefore.getTime() - 1000);
    if (matcher && typeof matcher.getNextMatch === 'function') return matcher.getNextMatch(from);
    for (const run of task.getNextRuns(2000)) if (run >= notBefore) return run;
    return null;
  } catch {
    return null;
  } finally {
    void task.destroy();
  }
}
