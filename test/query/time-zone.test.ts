/** Offsets, DST transitions, date ranges and bucket labels in site time zones. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { comparisonDayRange, formatDay, parseDay, resolveDayRange, toUtcRange } from '../../src/query/date-range.js';
import { bucketLabel, rangeBuckets } from '../../src/query/time-buckets.js';
import { TimeZone } from '../../src/query/time-zone.js';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('TimeZone', () => {
  test('finds the exact DST transitions of Berlin, New York and Sydney', () => {
    const berlin = TimeZone.of('Europe/Berlin');
    const march = berlin.segments(Date.UTC(2024, 2, 1), Date.UTC(2024, 3, 1));
    assert.deepEqual(march.map((s) => [iso(s.fromMs), s.offsetMs / H]), [['2024-03-01T00:00:00.000Z', 1], ['2024-03-31T01:00:00.000Z', 2]]);
    const year = berlin.segments(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
    assert.deepEqual(year.map((s) => iso(s.fromMs)), ['2024-01-01T00:00:00.000Z', '2024-03-31T01:00:00.000Z', '2024-10-27T01:00:00.000Z']);
    const ny = TimeZone.of('America/New_York').segments(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1));
    assert.deepEqual(ny.map((s) => [iso(s.fromMs), s.offsetMs / H]), [
      ['2024-01-01T00:00:00.000Z', -5], ['2024-03-10T07:00:00.000Z', -4], ['2024-11-03T06:00:00.000Z', -5],
    ]);
    const sydney = TimeZone.of('Australia/Sydney').segments(Date.UTC(2024, 3, 1), Date.UTC(2024, 3, 30));
    assert.deepEqual(sydney.map((s) => [iso(s.fromMs), s.offsetMs / H]), [['2024-04-01T00:00:00.000Z', 11], ['2024-04-06T16:00:00.000Z', 10]]);
    assert.deepEqual(TimeZone.of('Asia/Kolkata').segments(0, Date.UTC(2024, 0, 1)).slice(-1).map((s) => s.offsetMs), [5.5 * H]);
  });

  test('maps local wall times to instants, including gaps and repeated hours', () => {
    const berlin = TimeZone.of('Europe/Berlin');
    assert.equal(iso(berlin.toUtc(Date.UTC(2024, 2, 31))), '2024-03-30T23:00:00.000Z');
    assert.equal(iso(berlin.toUtc(Date.UTC(2024, 3, 1))), '2024-03-31T22:00:00.000Z');
    // 02:30 does not exist on 31 March: the first instant after the jump.
    assert.equal(iso(berlin.toUtc(Date.UTC(2024, 2, 31, 2, 30))), '2024-03-31T01:00:00.000Z');
    // 02:30 happens twice on 27 October: the earlier one.
    assert.equal(iso(berlin.toUtc(Date.UTC(2024, 9, 27, 2, 30))), '2024-10-27T00:30:00.000Z');
    assert.equal(iso(TimeZone.of('UTC').toUtc(Date.UTC(2024, 5, 1))), '2024-06-01T00:00:00.000Z');
  });

  test('segments agree with Intl at random instants (property)', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Santiago'];
    fc.assert(fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(2015, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: 1, max: 400 }), (zone, start, days) => {
      const tz = TimeZone.of(zone);
      const end = start + days * 86_400_000;
      const segments = tz.segments(start, end);
      for (let i = 0; i < 20; i++) {
        const t = start + Math.floor(((end - start) * i) / 20);
        const seg = [...segments].reverse().find((s) => s.fromMs <= t)!;
        assert.equal(seg.offsetMs, tz.offsetAt(t), `${zone} at ${iso(t)}`);
      }
    }), { numRuns: 150 });
  });

  test('rejects an unknown zone naming the field', () => {
    assert.throws(() => TimeZone.of('Mars/Olympus', 'site timezone'), /site timezone: unknown time zone "Mars\/Olympus"/);
  });
});

describe('date ranges', () => {
  const today = parseDay('2024-04-05', 'x');
  const fmt = (r: { first: number; last: number }) => [formatDay(r.first), formatDay(r.last)];

  test('relative ranges end today in the site zone', () => {
    assert.deepEqual(fmt(resolveDayRange('day', today)), ['2024-04-05', '2024-04-05']);
    assert.deepEqual(fmt(resolveDayRange('7d', today)), ['2024-03-30', '2024-04-05']);
    assert.deepEqual(fmt(resolveDayRange('30d', today)), ['2024-03-07', '2024-04-05']);
    assert.deepEqual(fmt(resolveDayRange('month', today)), ['2024-04-01', '2024-04-30']);
    assert.deepEqual(fmt(resolveDayRange('6mo', today)), ['2023-11-01', '2024-04-30']);
    assert.deepEqual(fmt(resolveDayRange('12mo', today)), ['2023-05-01', '2024-04-30']);
    assert.deepEqual(fmt(resolveDayRange('year', today)), ['2024-01-01', '2024-12-31']);
    assert.deepEqual(fmt(resolveDayRange('all', today, parseDay('2023-02-10', 'x'))), ['2023-02-10', '2024-04-05']);
    assert.deepEqual(fmt(resolveDayRange(['2024-02-28', '2024-03-01'], today)), ['2024-02-28', '2024-03-01']);
  });

  test('comparison ranges', () => {
    const range = { first: parseDay('2024-03-01', 'x'), last: parseDay('2024-03-07', 'x') };
    assert.deepEqual(fmt(comparisonDayRange(range, 'previous_period')), ['2024-02-23', '2024-02-29']);
    assert.deepEqual(fmt(comparisonDayRange({ first: parseDay('2024-02-29', 'x'), last: parseDay('2024-03-01', 'x') }, 'year_over_year')), ['2023-02-28', '2023-03-01']);
  });

  test('a local day is 23 or 25 hours across DST', () => {
    const berlin = TimeZone.of('Europe/Berlin');
    const spring = toUtcRange(berlin, { first: parseDay('2024-03-31', 'x'), last: parseDay('2024-03-31', 'x') });
    assert.equal((spring.endMs - spring.startMs) / H, 23);
    const fall = toUtcRange(berlin, { first: parseDay('2024-10-27', 'x'), last: parseDay('2024-10-27', 'x') });
    assert.equal((fall.endMs - fall.startMs) / H, 25);
  });
});

describe('time buckets', () => {
  const berlin = TimeZone.of('Europe/Berlin');
  const hours = (date: string) => {
    const days = { first: parseDay(date, 'x'), last: parseDay(date, 'x') };
    const utc = toUtcRange(berlin, days);
    return rangeBuckets('hour', days, utc, berlin.segments(utc.startMs, utc.endMs)).map((b) => bucketLabel('hour', b));
  };

  test('hour labels skip the missing hour and list the repeated one once', () => {
    const spring = hours('2024-03-31');
    assert.equal(spring.length, 23);
    assert.ok(!spring.includes('2024-03-31 02:00:00'));
    const fall = hours('2024-10-27');
    assert.equal(fall.length, 24);
    assert.equal(fall[2], '2024-10-27 02:00:00');
  });

  test('week, month and weekday labels', () => {
    assert.equal(bucketLabel('week', Math.floor((parseDay('2024-04-04', 'x') + 3) / 7)), '2024-04-01');
    assert.equal(bucketLabel('month', 2024 * 12 + 1), '2024-02-01');
    assert.equal(bucketLabel('day_of_week', 7), 7);
  });
});
