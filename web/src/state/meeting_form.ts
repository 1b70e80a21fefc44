import { invalidFieldName, type ApiError } from '../api/problem';
import {
  kWeekdays,
  type AvailabilityRequest,
  type Frequency,
  type Id,
  type InviteeRole,
  type Meeting,
  type MeetingKind,
  type MeetingRequest,
  type Recurrence,
  type Weekday,
} from '../api/types';
import type { MessageKey } from '../i18n/i18n';
import { utf8Length } from './utf8_length';
import { addDays, isValidDate, isValidTime, sofiaWallToUtc, utcToSofiaWall, weekdayIndex } from './sofia_time';

// The reminder offsets offered as checkboxes, in seconds: 1 day, 1 hour,
// 15, 5 and 1 minutes before.
export const kReminderChoices = [86_400, 3600, 900, 300, 60] as const;
// The server's defaults for a new meeting (docs/meetings.md).
export const kDefaultReminders = [86_400, 900];

export interface ChosenInvitee {
  employee_id: Id;
  name: string;
  detail: string; // position or department, to tell namesakes apart
  role: InviteeRole;
}

export interface MeetingFormValues {
  title: string;
  agenda: string;
  kind: MeetingKind;
  place: 'personal' | 'hall';
  hallId: string;
  // The room of an edited meeting held in a personal room (kept as is).
  personalRoomId: string;
  date: string; // YYYY-MM-DD, Sofia
  start: string; // HH:MM, Sofia
  end: string;
  repeat: 'none' | Frequency;
  interval: string;
  weekdays: Weekday[];
  until: string;
  invitees: ChosenInvitee[];
  departments: string[]; // department names
  reminders: number[];
}

export type MeetingField =
  | 'title'
  | 'agenda'
  | 'kind'
  | 'hall'
  | 'date'
  | 'start'
  | 'end'
  | 'interval'
  | 'weekdays'
  | 'until'
  | 'invitees'
  | 'departments'
  | 'reminders';

// In the order of the form, for "focus the first field in error".
export const kMeetingFields: readonly MeetingField[] = [
  'title',
  'agenda',
  'kind',
  'hall',
  'date',
  'start',
  'end',
  'interval',
  'weekdays',
  'until',
  'invitees',
  'departments',
  'reminders',
];

export type MeetingFieldErrors = Partial<Record<MeetingField, MessageKey>>;

// A new meeting: today (Sofia) at the next full hour, for an hour; late in
// the evening, tomorrow at 09:00.
export function newMeetingValues(nowMs: number): MeetingFormValues {
  const now = utcToSofiaWall(nowMs);
  const nextHour = Number(now.time.slice(0, 2)) + 1;
  const late = nextHour > 22;
  const hour = late ? 9 : nextHour;
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    title: '',
    agenda: '',
    kind: 'operational',
    place: 'personal',
    hallId: '',
    personalRoomId: '',
    date: late ? addDays(now.date, 1) : now.date,
    start: `${pad(hour)}:00`,
    end: `${pad(hour + 1)}:00`,
    repeat: 'none',
    interval: '1',
    weekdays: [],
    until: '',
    invitees: [],
    departments: [],
    reminders: [...kDefaultReminders],
  };
}

// The form for editing a meeting: its first occurrence, its rule, its
// invitees except the organiser (always the host).
export function meetingToValues(meeting: Meeting): MeetingFormValues {
  const start = utcToSofiaWall(meeting.starts_at);
  const end = utcToSofiaWall(meeting.ends_at);
  const recurrence = meeting.recurrence;
  return {
    title: meeting.title,
    agenda: meeting.agenda ?? '',
    kind: meeting.kind,
    place: meeting.room.kind === 'hall' ? 'hall' : 'personal',
    hallId: meeting.room.kind === 'hall' ? String(meeting.room.id) : '',
    personalRoomId: meeting.room.kind === 'personal' ? String(meeting.room.id) : '',
    date: start.date,
    start: start.time,
    end: end.time,
    repeat: recurrence ? recurrence.frequency : 'none',
    interval: String(recurrence?.interval ?? 1),
    weekdays: recurrence?.weekdays ? [...recurrence.weekdays] : [],
    until: recurrence?.until ?? '',
    invitees: meeting.invitees
      .filter((invitee) => String(invitee.employee_id) !== String(meeting.organiser.id))
      .map((invitee) => ({
        employee_id: invitee.employee_id,
        name: invitee.name,
        detail: invitee.department,
        role: invitee.role,
      })),
    departments: [],
    reminders: [...meeting.reminder_offsets],
  };
}

// The server's limits are in bytes of UTF-8, where a Cyrillic letter
// counts two (docs/api/openapi.yaml, MeetingRequest).
export const kMaxTitleBytes = 200;
export const kMaxAgendaBytes = 20_000;

// What can be checked without the server. Empty when fine.
export function validateMeetingForm(values: MeetingFormValues): MeetingFieldErrors {
  const errors: MeetingFieldErrors = {};
  if (values.title.trim() === '') errors.title = 'schedule.error.title_required';
  else if (utf8Length(values.title.trim()) > kMaxTitleBytes) errors.title = 'schedule.error.title_too_long';
  if (utf8Length(values.agenda) > kMaxAgendaBytes) errors.agenda = 'schedule.error.agenda_too_long';
  if (values.place === 'hall' && values.hallId === '') errors.hall = 'schedule.error.hall_required';
  if (!isValidDate(values.date)) errors.date = 'schedule.error.date_required';
  if (!isValidTime(values.start)) errors.start = 'schedule.error.time_invalid';
  if (!isValidTime(values.end)) errors.end = 'schedule.error.time_invalid';
  else if (isValidTime(values.start) && values.end <= values.start) errors.end = 'schedule.error.end_before_start';
  if (values.repeat !== 'none') {
    if (!/^\d{1,3}$/.test(values.interval.trim()) || Number(values.interval) < 1) {
      errors.interval = 'schedule.error.interval';
    }
    if (values.until !== '') {
      if (!isValidDate(values.until)) errors.until = 'schedule.error.date_required';
      else if (isValidDate(values.date) && values.until < values.date) errors.until = 'schedule.error.until_before_start';
    }
  }
  return errors;
}

// The server takes a new start at most this long ago (it is still "now").
export const kPastStartToleranceMs = 5 * 60_000;

// Whether a start entered in the form (Europe/Sofia) is too far in the past
// for the server: for a new meeting, a changed one or a moved occurrence.
export function startsInThePast(date: string, time: string, nowMs: number): boolean {
  if (!isValidDate(date) || !isValidTime(time)) return false;
  return Date.parse(sofiaWallToUtc({ date, time })) < nowMs - kPastStartToleranceMs;
}

export function meetingTimes(values: MeetingFormValues): { starts_at: string; ends_at: string } {
  return {
    starts_at: sofiaWallToUtc({ date: values.date, time: values.start }),
    ends_at: sofiaWallToUtc({ date: values.date, time: values.end }),
  };
}

export function recurrenceOf(values: MeetingFormValues): Recurrence | null {
  if (values.repeat === 'none') return null;
  const recurrence: Recurrence = {
    frequency: values.repeat,
    interval: Math.max(1, Number(values.interval) || 1),
    until: values.until === '' ? null : values.until,
    count: null,
  };
  if (values.repeat === 'weekly') {
    const chosen = kWeekdays.filter((day) => values.weekdays.includes(day));
    // None ticked: the weekday of the first meeting.
    recurrence.weekdays = chosen.length > 0 ? chosen : [kWeekdays[weekdayIndex(values.date)]];
  }
  return recurrence;
}

function roomIdOf(values: MeetingFormValues): Id | undefined {
  if (values.place === 'hall') return values.hallId;
  return values.personalRoomId === '' ? undefined : values.personalRoomId;
}

export function meetingRequest(values: MeetingFormValues, allowConflicts: boolean): MeetingRequest {
  const request: MeetingRequest = {
    title: values.title.trim(),
    agenda: values.agenda,
    kind: values.kind,
    ...meetingTimes(values),
    recurrence: recurrenceOf(values),
    invitees: values.invitees.map((invitee) => ({ employee_id: invitee.employee_id, role: invitee.role })),
    departments: values.departments,
    reminder_offsets: [...values.reminders].sort((a, b) => b - a),
  };
  const roomId = roomIdOf(values);
  if (roomId !== undefined) request.room_id = roomId;
  if (allowConflicts) request.allow_conflicts = true;
  return request;
}

export function availabilityRequest(values: MeetingFormValues, meetingId: Id | null): AvailabilityRequest {
  const request: AvailabilityRequest = {
    ...meetingTimes(values),
    recurrence: recurrenceOf(values),
    invitees: values.invitees.map((invitee) => ({ employee_id: invitee.employee_id })),
    departments: values.departments,
  };
  const roomId = roomIdOf(values);
  if (roomId !== undefined) request.room_id = roomId;
  if (meetingId !== null) request.meeting_id = meetingId;
  return request;
}

// The form field that a server's invalid-field problem names ("starts_at",
// "recurrence.interval", "invitees[2].employee_id", …); null when none fits.
export function fieldOfProblem(error: ApiError): MeetingField | null {
  // Not invalid-field, but about one field all the same.
  if (error.slug === 'unknown-invitee') return 'invitees';
  if (error.slug === 'unknown-department') return 'departments';
  const field = invalidFieldName(error);
  if (field === '') return null;
  const head = field.split(/[.[]/)[0];
  switch (head) {
    case 'title':
      return 'title';
    case 'agenda':
      return 'agenda';
    case 'kind':
      return 'kind';
    case 'room_id':
      return 'hall';
    case 'starts_at':
      return 'start';
    case 'ends_at':
      return 'end';
    case 'recurrence': {
      if (field.includes('weekdays')) return 'weekdays';
      if (field.includes('until') || field.includes('count')) return 'until';
      return 'interval';
    }
    case 'invitees':
      return 'invitees';
    case 'departments':
      return 'departments';
    case 'reminder_offsets':
      return 'reminders';
    default:
      return null;
  }
}
