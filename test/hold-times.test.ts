/** Digest times and quiet windows as instants: DST gaps and overlaps in Europe/Berlin and America/New_York. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDigestTimes, nextDigestAt, parseQuietHours, quietUntil, zonedInstant, type QuietHours } from '../src/pipeline/hold-times.js';

const quiet = (text: string) => parseQuietHours(text) as QuietHours;
const until = (text: string, tz: string, iso: string) => quietUntil(quiet(text), tz, new Date(iso))?.toISOString() ?? null;

test('parseQuietHours reads HH:MM-HH:MM and says what is wrong otherwise', () => {
  assert.deepEqual(parseQuietHours('22:00-07:00'), { start: 1320, end: 420, text: '22:00-07:00' });
  assert.deepEqual(parseQuietHours(' 09:30 - 17:45 '), { start: 570, end: 1065, text: '09:30 - 17:45' });
  for (const bad of ['22-07', '10pm-7am', '24:00-07:00', '22:60-07:00', '22:00', '22:00-07:00-08:00', '']) {
    assert.match(parseQuietHours(bad) as string, /^expected a time range such as "22:00-07:00"/, bad);
  }
  assert.match(parseQuietHours('08:00-08:00') as string, /start and end are the same/);
});

test('quietUntil: inside a window crossing midnight, before and after midnight; outside it null', () => {
  assert.equal(until('22:00-07:00', 'UTC', '2026-06-01T21:59:59Z'), null);
  assert.equal(until('22:00-07:00', 'UTC', '2026-06-01T22:00:00Z'), '2026-06-02T07:00:00.000Z');
  assert.equal(until('22:00-07:00', 'UTC', '2026-06-02T06:59:00Z'), '2026-06-02T07:00:00.000Z');
  assert.equal(until('22:00-07:00', 'UTC', '2026-06-02T07:00:00Z'), null);
  assert.equal(until('12:00-13:30', 'UTC', '2026-06-02T13:00:00Z'), '2026-06-02T13:30:00.000Z');
  assert.equal(until('12:00-13:30', 'UTC', '2026-06-02T13:30:00Z'), null);
  // The last day of a month: the end is on the 1st of the next.
  assert.equal(until('22:00-07:00', 'UTC', '2026-01-31T23:00:00Z'), '2026-02-01T07:00:00.000Z');
});

test('quietUntil across DST: Berlin spring forward and fall back, New York spring forward and fall back', () => {
  // Berlin, 29 March 2026: 02:00 CET -> 03:00 CEST. 07:00 that morning is 05:00 UTC.
  assert.equal(until('22:00-07:00', 'Europe/Berlin', '2026-03-28T22:30:00Z'), '2026-03-29T05:00:00.000Z');
  // Berlin, 25 October 2026: 03:00 CEST -> 02:00 CET. 07:00 that morning is 06:00 UTC.
  assert.equal(until('22:00-07:00', 'Europe/Berlin', '2026-10-24T21:30:00Z'), '2026-10-25T06:00:00.000Z');
  // New York, 8 March 2026 (EST -> EDT) and 1 November 2026 (EDT -> EST).
  assert.equal(until('22:00-07:00', 'America/New_York', '2026-03-08T03:00:00Z'), '2026-03-08T11:00:00.000Z');
  assert.equal(until('22:00-07:00', 'America/New_York', '2026-11-01T04:00:00Z'), '2026-11-01T12:00:00.000Z');
  // A window ending in the skipped hour ends when the clock has passed it (02:30 reads as 03:30 CEST).
  assert.equal(until('00:30-02:30', 'Europe/Berlin', '2026-03-29T00:15:00Z'), '2026-03-29T01:30:00.000Z');
  // A window ending in the repeated hour: its first 01:30, or the second when already past the first.
  assert.equal(until('00:00-01:30', 'America/New_York', '2026-11-01T05:10:00Z'), '2026-11-01T05:30:00.000Z');
  assert.equal(until('00:00-01:30', 'America/New_York', '2026-11-01T06:10:00Z'), '2026-11-01T06:30:00.000Z');
});

test('zonedInstant: a gap reads past the jump, an overlap as its first occurrence', () => {
  assert.equal(zonedInstant(2026, 3, 29, 2, 30, 'Europe/Berlin').toISOString(), '2026-03-29T01:30:00.000Z');
  assert.equal(zonedInstant(2026, 10, 25, 2, 30, 'Europe/Berlin').toISOString(), '2026-10-25T00:30:00.000Z');
  assert.equal(zonedInstant(2026, 3, 8, 2, 30, 'America/New_York').toISOString(), '2026-03-08T07:30:00.000Z');
  assert.equal(zonedInstant(2026, 11, 1, 1, 30, 'America/New_York').toISOString(), '2026-11-01T05:30:00.000Z');
  assert.equal(zonedInstant(2026, 12, 32, 9, 0, 'Asia/Tokyo').toISOString(), '2027-01-01T00:00:00.000Z');
});

test('nextDigestAt: strictly after the given time, in the schedule\'s zone, across DST', () => {
  const berlin = { cron: '0 9 * * *', timezone: 'Europe/Berlin' };
  assert.equal(nextDigestAt(berlin, new Date('2026-03-28T09:00:00Z'))?.toISOString(), '2026-03-29T07:00:00.000Z', '09:00 CEST on the day clocks go forward');
  assert.equal(nextDigestAt(berlin, new Date('2026-10-24T09:00:00Z'))?.toISOString(), '2026-10-25T08:00:00.000Z', '09:00 CET on the day they go back');
  // A job found half a second after a digest time waits for the next one.
  assert.equal(nextDigestAt(berlin, new Date('2026-03-29T07:00:00.500Z'))?.toISOString(), '2026-03-30T07:00:00.000Z');
  const ny = { cron: '0 9 * * 1-5', timezone: 'America/New_York' };
  assert.equal(nextDigestAt(ny, new Date('2026-03-06T15:00:00Z'))?.toISOString(), '2026-03-09T13:00:00.000Z', 'Monday 09:00 EDT');
  assert.equal(nextDigestAt(ny, new Date('2026-10-30T14:00:00Z'))?.toISOString(), '2026-11-02T14:00:00.000Z', 'Monday 09:00 EST');
});

test('createDigestTimes answers as nextDigestAt does, from its memory while the answer holds', () => {
  const times = createDigestTimes();
  const s = { cron: '*/15 * * * *', timezone: 'UTC' };
  for (const iso of ['2026-06-01T10:00:00Z', '2026-06-01T10:07:00Z', '2026-06-01T10:14:59.200Z', '2026-06-01T10:15:00Z', '2026-06-01T10:14:00Z']) {
    assert.equal(times(s, new Date(iso))?.toISOString(), nextDigestAt(s, new Date(iso))?.toISOString(), iso);
  }
});
