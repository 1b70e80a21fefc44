// Meetings as the server sends them, for the component tests. Not shipped.
import type { Meeting, Occurrence, Room } from '../api/types';

export const kHall: Room = {
  id: 'h1',
  kind: 'hall',
  name: 'Заседателна зала',
  description: 'Втори етаж',
  capacity: 40,
  lobby: false,
  owner: null,
};

export const kPersonalRoom: Room = {
  id: 'r-u1',
  kind: 'personal',
  name: 'Стаята на Мария Иванова',
  description: '',
  capacity: null,
  lobby: false,
  owner: { id: 'u1', name: 'Мария Иванова' },
};

export const kColleagueRoom: Room = {
  id: 'r-e2',
  kind: 'personal',
  name: 'Стаята на Иван Петров',
  description: '',
  capacity: null,
  lobby: false,
  owner: { id: 'e2', name: 'Иван Петров' },
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// A meeting whose next occurrence starts `startsInMin` minutes from now
// and lasts an hour; the door opens 10 minutes before.
export function meetingAt(startsInMin: number, fields: Partial<Meeting> = {}): Meeting {
  const start = Math.floor(Date.now() / 60_000) * 60_000 + startsInMin * 60_000;
  const startsAt = iso(start);
  const endsAt = iso(start + 3_600_000);
  return {
    id: 'm1',
    title: 'Оперативка',
    agenda: '1. Бюджет\n2. Разни',
    kind: 'operational',
    room: kPersonalRoom,
    organiser: { id: 'u1', name: 'Мария Иванова' },
    starts_at: startsAt,
    ends_at: endsAt,
    recurrence: null,
    status: 'scheduled',
    sequence: 0,
    reminder_offsets: [86_400, 900],
    my_role: 'host',
    my_response: 'accepted',
    my_comment: '',
    my_reminder_offsets: [86_400, 900],
    invitees: [
      { employee_id: 'u1', name: 'Мария Иванова', department: 'Финанси', role: 'host', response: 'accepted', comment: '' },
      {
        employee_id: 'e2',
        name: 'Иван Петров',
        department: 'Правен отдел',
        role: 'participant',
        response: 'tentative',
        comment: 'Ще закъснея',
      },
    ],
    exceptions: [],
    next_occurrence: { occurrence: startsAt, starts_at: startsAt, ends_at: endsAt },
    join_opens_at: iso(start - 600_000),
    ...fields,
  };
}

export function occurrenceOf(meeting: Meeting, fields: Partial<Occurrence> = {}): Occurrence {
  const next = meeting.next_occurrence ?? { occurrence: meeting.starts_at, starts_at: meeting.starts_at, ends_at: meeting.ends_at };
  return {
    meeting_id: meeting.id,
    occurrence: next.occurrence,
    title: meeting.title,
    kind: meeting.kind,
    room: { id: meeting.room.id, name: meeting.room.name, kind: meeting.room.kind },
    organiser: meeting.organiser,
    starts_at: next.starts_at,
    ends_at: next.ends_at,
    my_role: meeting.my_role || 'participant',
    my_response: meeting.my_response || 'needs-action',
    status: meeting.status,
    recurring: meeting.recurrence !== null,
    join_opens_at: meeting.join_opens_at ?? next.starts_at,
    ...fields,
  };
}
