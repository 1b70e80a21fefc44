import { describe, expect, it } from 'vitest';
import {
  addDays,
  isValidDate,
  isValidTime,
  mondayOf,
  sofiaDayStartUtc,
  sofiaOffsetMinutes,
  sofiaToday,
  sofiaWallToUtc,
  utcToSofiaWall,
  weekdayIndex,
} from './sofia_time';

// 2026: summer time starts on Sunday 29 March at 03:00 EET (01:00 UTC) and
// ends on Sunday 25 October at 04:00 EEST (01:00 UTC).
describe('Sofia wall time to UTC', () => {
  it('uses UTC+2 in winter and UTC+3 in summer', () => {
    expect(sofiaWallToUtc({ date: '2026-01-15', time: '10:00' })).toBe('2026-01-15T08:00:00Z');
    expect(sofiaWallToUtc({ date: '2026-07-01', time: '10:00' })).toBe('2026-07-01T07:00:00Z');
  });

  it('follows the change to summer time', () => {
    expect(sofiaWallToUtc({ date: '2026-03-28', time: '10:00' })).toBe('2026-03-28T08:00:00Z');
    expect(sofiaWallToUtc({ date: '2026-03-29', time: '02:59' })).toBe('2026-03-29T00:59:00Z');
    expect(sofiaWallToUtc({ date: '2026-03-29', time: '04:00' })).toBe('2026-03-29T01:00:00Z');
    expect(sofiaWallToUtc({ date: '2026-03-29', time: '10:00' })).toBe('2026-03-29T07:00:00Z');
  });

  it('reads a time in the skipped hour with the winter offset', () => {
    // 03:30 never shows on Sofia's clocks that night; it is 04:30 EEST.
    expect(sofiaWallToUtc({ date: '2026-03-29', time: '03:30' })).toBe('2026-03-29T01:30:00Z');
  });

  it('follows the change back to winter time', () => {
    expect(sofiaWallToUtc({ date: '2026-10-24', time: '10:00' })).toBe('2026-10-24T07:00:00Z');
    expect(sofiaWallToUtc({ date: '2026-10-25', time: '02:30' })).toBe('2026-10-24T23:30:00Z');
    expect(sofiaWallToUtc({ date: '2026-10-25', time: '04:30' })).toBe('2026-10-25T02:30:00Z');
    expect(sofiaWallToUtc({ date: '2026-10-25', time: '10:00' })).toBe('2026-10-25T08:00:00Z');
  });

  it('takes the first of a repeated time', () => {
    // 03:30 happens twice: at 00:30 UTC (EEST) and at 01:30 UTC (EET).
    expect(sofiaWallToUtc({ date: '2026-10-25', time: '03:30' })).toBe('2026-10-25T00:30:00Z');
  });

  it('handles midnight and the turn of the year', () => {
    expect(sofiaWallToUtc({ date: '2027-01-01', time: '00:00' })).toBe('2026-12-31T22:00:00Z');
    expect(sofiaDayStartUtc('2026-06-01')).toBe('2026-05-31T21:00:00Z');
  });
});

describe('UTC to Sofia wall time', () => {
  it('round-trips through both changes', () => {
    for (const iso of [
      '2026-03-29T00:59:00Z',
      '2026-03-29T01:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T02:30:00Z',
      '2026-12-31T22:00:00Z',
    ]) {
      const wall = utcToSofiaWall(iso);
      if (iso === '2026-10-25T00:30:00Z') expect(wall).toEqual({ date: '2026-10-25', time: '03:30' });
      expect(sofiaWallToUtc(wall)).toBe(iso);
    }
    expect(utcToSofiaWall('2026-03-29T01:00:00Z')).toEqual({ date: '2026-03-29', time: '04:00' });
    expect(utcToSofiaWall('2026-12-31T22:00:00Z')).toEqual({ date: '2027-01-01', time: '00:00' });
  });

  it('knows the offset at an instant', () => {
    expect(sofiaOffsetMinutes(Date.parse('2026-03-29T00:59:59Z'))).toBe(120);
    expect(sofiaOffsetMinutes(Date.parse('2026-03-29T01:00:00Z'))).toBe(180);
    expect(sofiaOffsetMinutes(Date.parse('2026-10-25T00:59:59Z'))).toBe(180);
    expect(sofiaOffsetMinutes(Date.parse('2026-10-25T01:00:00Z'))).toBe(120);
  });

  it('gives today in Sofia, not in UTC', () => {
    expect(sofiaToday(Date.parse('2026-05-03T21:30:00Z'))).toBe('2026-05-04');
  });
});

describe('plain dates', () => {
  it('adds days across months, years and the DST weekends', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('finds the Monday of a week', () => {
    expect(weekdayIndex('2026-05-04')).toBe(0);
    expect(weekdayIndex('2026-05-10')).toBe(6);
    expect(mondayOf('2026-05-10')).toBe('2026-05-04');
    expect(mondayOf('2026-05-04')).toBe('2026-05-04');
  });

  it('checks dates and times', () => {
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('2028-02-29')).toBe(true);
    expect(isValidDate('29.02.2028')).toBe(false);
    expect(isValidTime('09:30')).toBe(true);
    expect(isValidTime('24:00')).toBe(false);
    expect(isValidTime('9:30')).toBe(false);
  });
});
