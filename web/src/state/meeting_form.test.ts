import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import type { Meeting } from '../api/types';
import {
  availabilityRequest,
  fieldOfProblem,
  meetingRequest,
  meetingToValues,
  newMeetingValues,
  validateMeetingForm,
  type MeetingFormValues,
} from './meeting_form';

const base = (fields: Partial<MeetingFormValues> = {}): MeetingFormValues => ({
  ...newMeetingValues(Date.parse('2026-05-04T06:10:00Z')),
  title: 'Оперативка',
  ...fields,
});

describe('newMeetingValues', () => {
  it('starts at the next full hour in Sofia, for an hour', () => {
    // 06:10 UTC is 09:10 in Sofia.
    const values = newMeetingValues(Date.parse('2026-05-04T06:10:00Z'));
    expect([values.date, values.start, values.end]).toEqual(['2026-05-04', '10:00', '11:00']);
    expect(values.reminders).toEqual([86_400, 900]);
    // 20:10 UTC is 23:10 in Sofia: too late, tomorrow at 09:00.
    const late = newMeetingValues(Date.parse('2026-05-04T20:10:00Z'));
    expect([late.date, late.start, late.end]).toEqual(['2026-05-05', '09:00', '10:00']);
  });
});

describe('meetingRequest', () => {
  it('sends Sofia wall times as UTC, summer and winter', () => {
    expect(meetingRequest(base({ date: '2026-07-01', start: '10:00', end: '11:30' }), false)).toMatchObject({
      starts_at: '2026-07-01T07:00:00Z',
      ends_at: '2026-07-01T08:30:00Z',
    });
    expect(meetingRequest(base({ date: '2026-12-01', start: '10:00', end: '11:30' }), false)).toMatchObject({
      starts_at: '2026-12-01T08:00:00Z',
      ends_at: '2026-12-01T09:30:00Z',
    });
  });

  it('builds the rule, invitees, departments, reminders and place', () => {
    const request = meetingRequest(
      base({
        place: 'hall',
        hallId: 'h1',
        repeat: 'weekly',
        interval: '2',
        weekdays: ['WE', 'MO'],
        until: '2026-06-30',
        invitees: [{ employee_id: 'e2', name: 'Петя', detail: '', role: 'co-host' }],
        departments: ['Финанси'],
        reminders: [300, 86_400],
      }),
      true,
    );
    expect(request).toMatchObject({
      title: 'Оперативка',
      room_id: 'h1',
      recurrence: { frequency: 'weekly', interval: 2, weekdays: ['MO', 'WE'], until: '2026-06-30', count: null },
      invitees: [{ employee_id: 'e2', role: 'co-host' }],
      departments: ['Финанси'],
      reminder_offsets: [86_400, 300],
      allow_conflicts: true,
    });
  });

  it('leaves the personal room to the server and names the weekday of a weekly rule with none ticked', () => {
    const request = meetingRequest(base({ repeat: 'weekly' }), false);
    expect(request.room_id).toBeUndefined();
    expect(request.allow_conflicts).toBeUndefined();
    // 4 May 2026 is a Monday.
    expect(request.recurrence?.weekdays).toEqual(['MO']);
    expect(meetingRequest(base({ repeat: 'none' }), false).recurrence).toBeNull();
  });

  it('asks about availability with the same times and people', () => {
    const values = base({ invitees: [{ employee_id: 'e2', name: 'Петя', detail: '', role: 'participant' }] });
    expect(availabilityRequest(values, 'm1')).toEqual({
      starts_at: '2026-05-04T07:00:00Z',
      ends_at: '2026-05-04T08:00:00Z',
      recurrence: null,
      invitees: [{ employee_id: 'e2' }],
      departments: [],
      meeting_id: 'm1',
    });
  });
});

describe('validateMeetingForm', () => {
  it('accepts a complete form', () => {
    expect(validateMeetingForm(base())).toEqual({});
  });

  it('names each problem by field', () => {
    expect(
      validateMeetingForm(
        base({ title: ' ', place: 'hall', date: '', start: '25:00', end: '09:00', repeat: 'daily', interval: '0' }),
      ),
    ).toEqual({
      title: 'schedule.error.title_required',
      hall: 'schedule.error.hall_required',
      date: 'schedule.error.date_required',
      start: 'schedule.error.time_invalid',
      interval: 'schedule.error.interval',
    });
    expect(validateMeetingForm(base({ start: '10:00', end: '10:00' })).end).toBe('schedule.error.end_before_start');
    // The server counts bytes: 100 Cyrillic letters fit, 101 do not.
    expect(validateMeetingForm(base({ title: 'Ж'.repeat(100) })).title).toBeUndefined();
    expect(validateMeetingForm(base({ title: 'Ж'.repeat(101) })).title).toBe('schedule.error.title_too_long');
    expect(validateMeetingForm(base({ agenda: 'Ж'.repeat(10_001) })).agenda).toBe('schedule.error.agenda_too_long');
    expect(validateMeetingForm(base({ repeat: 'daily', until: '2026-05-01' })).until).toBe(
      'schedule.error.until_before_start',
    );
  });
});

describe('meetingToValues', () => {
  it('reads an existing meeting back in Sofia time, without the organiser', () => {
    const meeting = {
      id: 'm1',
      title: 'Бюджет',
      agenda: 'Точка 1',
      kind: 'general',
      room: { id: 'h1', kind: 'hall', name: 'Зала 1', description: '', capacity: 40, lobby: false, owner: null },
      organiser: { id: 'u1', name: 'Мария' },
      starts_at: '2026-10-26T08:00:00Z',
      ends_at: '2026-10-26T09:00:00Z',
      recurrence: { frequency: 'monthly', interval: 1, until: null, count: null },
      invitees: [
        { employee_id: 'u1', name: 'Мария', department: 'А', role: 'host', response: 'accepted', comment: '' },
        { employee_id: 'e2', name: 'Петя', department: 'Б', role: 'participant', response: 'needs-action', comment: '' },
      ],
      reminder_offsets: [900],
    } as unknown as Meeting;
    const values = meetingToValues(meeting);
    expect([values.date, values.start, values.end]).toEqual(['2026-10-26', '10:00', '11:00']);
    expect(values.place).toBe('hall');
    expect(values.hallId).toBe('h1');
    expect(values.repeat).toBe('monthly');
    expect(values.invitees.map((i) => i.name)).toEqual(['Петя']);
    expect(values.reminders).toEqual([900]);
  });
});

describe('fieldOfProblem', () => {
  const problem = (field: string) =>
    new ApiError({ type: 'urn:egovbox:problem:invalid-field', status: 400, field, detail: 'x' });
  it('maps the server field names to form fields', () => {
    expect(fieldOfProblem(problem('title'))).toBe('title');
    expect(fieldOfProblem(problem('starts_at'))).toBe('start');
    expect(fieldOfProblem(problem('recurrence.weekdays'))).toBe('weekdays');
    expect(fieldOfProblem(problem('recurrence.interval'))).toBe('interval');
    expect(fieldOfProblem(problem('invitees[1].employee_id'))).toBe('invitees');
    expect(fieldOfProblem(problem('room_id'))).toBe('hall');
    expect(fieldOfProblem(problem('nonsense'))).toBeNull();
  });

  it('puts an unknown invitee or department beside its field', () => {
    const slug = (name: string) => new ApiError({ type: `urn:egovbox:problem:${name}`, status: 400, detail: 'x' });
    expect(fieldOfProblem(slug('unknown-invitee'))).toBe('invitees');
    expect(fieldOfProblem(slug('unknown-department'))).toBe('departments');
  });

  it('reads the field from the detail when the problem has no "field" member', () => {
    const bare = (detail: string) => new ApiError({ type: 'urn:egovbox:problem:invalid-field', status: 400, detail });
    expect(fieldOfProblem(bare('Полето „recurrence.until“ липсва или е невалидно.'))).toBe('until');
    expect(fieldOfProblem(bare('The field "ends_at" is missing or invalid.'))).toBe('end');
    expect(fieldOfProblem(bare('Something else.'))).toBeNull();
  });
});
