/**
 * When a held alert may go: a digest's next send time (its cron, in its time zone) and the end of
 * a channel's quiet hours ("22:00-07:00", wall-clock times in the config's time zone). Pure
 * functions of the instant they are given (the injected clock's), so tests control time.
 *
 * Wall-clock times are turned into instants with Intl (the zone's own offset rules, so DST is
 * whatever the tz database says): a time that does not exist that day (02:30 on a spring-forward
 * night) is read as the same time after the jump (03:30), and a time that occurs twice (01:30 on
 * a fall-back night in New York) as its first occurrence, as Temporal's "compatible" does.
 */
import type { Config } from '../config/schema.js';
import { nextTickAt } from './next-poll.js';

/** A quiet window in minutes of the day: [start, end), crossing midnight when start > end. */
export interface QuietHours {
  start: number;
  end: number;
  /** As written in the config ("22:00-07:00"). */
  text: string;
}

const QUIET_RE = /^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)\s*$/;

/** Parses "22:00-07:00" (24-hour HH:MM-HH:MM); a string saying what is wrong when it is not one. */
export function parseQuietHours(text: string): QuietHours | string {
  const m = QUIET_RE.exec(text);
  if (!m) return `expected a time range such as "22:00-07:00" (HH:MM-HH:MM, 24-hour, in the config's timezone), got ${JSON.stringify(text)}`;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start === end) return `quiet_hours start and end are the same (${JSON.stringify(text)}): the window would be empty or the whole day; write the hours alerts are held, such as "22:00-07:00"`;
  return { start, end, text: text.trim() };
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a zone. */
export function wallTime(at: Date, timezone: string): WallTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in ms (Europe/Berlin in summer: +7,200,000). */
function offsetMs(at: number, timezone: string): number {
  const w = wallTime(new Date(at), timezone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant of a wall-clock time in a zone; later of a DST gap's two readings (02:30 -> 03:30),
 * the earlier of an overlap's (the first 01:30). `day` may overflow (32 = the 1st of next month).
 */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timezone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // A zone changes its offset at most once within a day or so: the offsets a day before and a day
  // after are the only candidates.
  const before = offsetMs(wall - 86_400_000, timezone);
  const after = offsetMs(wall + 86_400_000, timezone);
  const matches = [wall - before, wall - after].filter((t) => offsetMs(t, timezone) === wall - t).sort((a, b) => a - b);
  // No match: the time falls in a gap; the offset before it puts it as far past the jump as it was into the gap.
  return new Date(matches[0] ?? wall - before);
}

/** The end of the quiet window `now` is in, or null when it is not in one. */
export function quietUntil(quiet: QuietHours, timezone: string, now: Date): Date | null {
  const w = wallTime(now, timezone);
  const minute = w.hour * 60 + w.minute;
  const crossesMidnight = quiet.start > quiet.end;
  const inside = crossesMidnight ? minute >= quiet.start || minute < quiet.end : minute >= quiet.start && minute < quiet.end;
  if (!inside) return null;
  // Past midnight already (or a window within one day): it ends today; else tomorrow.
  const day = crossesMidnight && minute >= quiet.start ? w.day + 1 : w.day;
  const end = zonedInstant(w.year, w.month, day, Math.floor(quiet.end / 60), quiet.end % 60, timezone);
  // In a fall-back overlap the wall clock can read before the end twice; the end is then the later reading.
  if (end.getTime() > now.getTime()) return end;
  const later = new Date(end.getTime() + 3_600_000);
  return later.getTime() > now.getTime() ? later : new Date(now.getTime() + 60_000);
}

/** A digest's schedule: its cron and the zone it reads in. */
export interface DigestSchedule {
  cron: string;
  timezone: string;
}

/** The digest's first send time strictly after `after` (whole seconds); null when the cron never fires again. */
export function nextDigestAt(schedule: DigestSchedule, after: Date): Date | null {
  // From the next whole second: a job found at 09:00:00.500 waits for the next digest, not the one being sent.
  const from = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  return nextTickAt(schedule.cron, schedule.timezone, from);
}

/**
 * nextDigestAt with memory: during a poll every new job asks for the same next time, and asking
 * node-cron builds a task each time. The answer stays right while `now` stays before it.
 */
export function createDigestTimes(): (schedule: DigestSchedule, now: Date) => Date | null {
  const cache = new Map<string, { from: number; next: Date | null }>();
  return (schedule, now) => {
    const key = `${schedule.cron}\0${schedule.timezone}`;
    const hit = cache.get(key);
    const t = now.getTime();
    if (hit && hit.next && t >= hit.from && t < hit.next.getTime() - 1000) return hit.next;
    const next = nextDigestAt(schedule, now);
    cache.set(key, { from: t, next });
    return next;
  };
}

/** Rule name -> its digest schedule (cron, and its zone: the rule's own, else the config's), for rules with `digest`. */
export function digestSchedules(config: Pick<Config, 'rules' | 'timezone'>): Map<string, DigestSchedule> {
  const out = new Map<string, DigestSchedule>();
  for (const r of config.rules) if (r.digest) out.set(r.name, { cron: r.digest, timezone: r.timezone ?? config.timezone });
  return out;
}

/** Channel name -> its quiet hours and the zone they read in (the config's), for channels with `quiet_hours`. */
export function channelQuietHours(config: Pick<Config, 'channels' | 'timezone'>): Map<string, { hours: QuietHours; timezone: string }> {
  const out = new Map<string, { hours: QuietHours; timezone: string }>();
  for (const [name, channel] of Object.entries(config.channels)) {
    const text = (channel as { quiet_hours?: unknown }).quiet_hours;
    if (typeof text !== 'string') continue;
    const hours = parseQuietHours(text);
    // The loader rejects a malformed value; a config built another way only loses its quiet hours.
    if (typeof hours !== 'string') out.set(name, { hours, timezone: config.timezone });
  }
  return out;
}
