import { describe, expect, it } from 'vitest';
import type { Recurrence } from '../api/types';
import { recurrenceText } from './recurrence_text';

const rule = (fields: Partial<Recurrence>): Recurrence => ({
  frequency: 'weekly',
  interval: 1,
  until: null,
  count: null,
  ...fields,
});
// Monday 4 May 2026, 10:00 in Sofia.
const start = '2026-05-04T07:00:00Z';

describe('recurrenceText', () => {
  it('says when a meeting does not repeat', () => {
    expect(recurrenceText('bg', null, start)).toBe('Не се повтаря');
    expect(recurrenceText('en', null, start)).toBe('Does not repeat');
  });

  it('names daily rules with their interval', () => {
    expect(recurrenceText('bg', rule({ frequency: 'daily' }), start)).toBe('Всеки ден');
    expect(recurrenceText('bg', rule({ frequency: 'daily', interval: 3 }), start)).toBe('На всеки 3 дни');
    expect(recurrenceText('en', rule({ frequency: 'daily', interval: 2 }), start)).toBe('Every 2 days');
  });

  it('lists the weekdays of a weekly rule in week order', () => {
    expect(recurrenceText('bg', rule({ weekdays: ['WE', 'MO'] }), start)).toBe('Всяка седмица в понеделник и сряда');
    expect(recurrenceText('en', rule({ weekdays: ['MO', 'WE', 'FR'] }), start)).toBe(
      'Every week on Monday, Wednesday and Friday',
    );
    expect(recurrenceText('en', rule({ interval: 2, weekdays: ['TH'] }), start)).toBe('Every 2 weeks on Thursday');
  });

  it('says "във" before вторник and петък… only where Bulgarian does', () => {
    expect(recurrenceText('bg', rule({ weekdays: ['TU', 'TH'] }), start)).toBe('Всяка седмица във вторник и четвъртък');
    expect(recurrenceText('bg', rule({ interval: 2, weekdays: ['SA'] }), start)).toBe('На всеки 2 седмици в събота');
  });

  it('uses the weekday of the first meeting when a weekly rule names none', () => {
    expect(recurrenceText('bg', rule({}), start)).toBe('Всяка седмица в понеделник');
  });

  it('takes the day of a monthly rule from the first meeting, in Sofia', () => {
    // 23:30 UTC on 14 May is already 15 May in Sofia.
    expect(recurrenceText('bg', rule({ frequency: 'monthly' }), '2026-05-14T23:30:00Z')).toBe('Всеки месец на 15 число');
    expect(recurrenceText('en', rule({ frequency: 'monthly', interval: 3 }), start)).toBe('Every 3 months on day 4');
  });

  it('adds the end: a date or a number of times', () => {
    expect(recurrenceText('bg', rule({ frequency: 'daily', until: '2026-06-30' }), start)).toBe(
      'Всеки ден, до 30 юни 2026 г. включително',
    );
    expect(recurrenceText('en', rule({ frequency: 'daily', until: '2026-06-30' }), start)).toBe(
      'Every day, until 30 June 2026',
    );
    expect(recurrenceText('bg', rule({ frequency: 'daily', count: 5 }), start)).toBe('Всеки ден, 5 пъти');
    expect(recurrenceText('bg', rule({ frequency: 'daily', count: 1 }), start)).toBe('Всеки ден, 1 път');
  });
});
