import { describe, expect, it } from 'vitest';
import { notificationTarget, notificationText } from './notification_text';

const organiser = { id: 'e1', name: 'Иван Петров' };
// 08:00 UTC on 1 December 2026 is 10:00 in Sofia.
const meeting = { meeting_id: 'm1', title: 'Бюджет 2027', starts_at: '2026-12-01T08:00:00Z' };

describe('notificationText', () => {
  it('writes an invitation with organiser, title and Sofia time', () => {
    const text = notificationText('bg', {
      kind: 'meeting.invited',
      payload: { ...meeting, ends_at: '2026-12-01T09:00:00Z', organiser },
    });
    expect(text).toMatch(/^Иван Петров ви покани на „Бюджет 2027“ — .*10:00.*\.$/);
    const english = notificationText('en', { kind: 'meeting.invited', payload: { ...meeting, organiser } });
    expect(english).toBe('Иван Петров invited you to “Бюджет 2027” — 1 Dec 2026, 10:00.');
  });

  it('writes a new time', () => {
    expect(notificationText('en', { kind: 'meeting.rescheduled', payload: { ...meeting, organiser } })).toBe(
      '“Бюджет 2027” has a new time: 1 Dec 2026, 10:00.',
    );
  });

  it('tells a whole cancellation from that of one occurrence', () => {
    expect(notificationText('bg', { kind: 'meeting.cancelled', payload: { ...meeting, occurrence: null, organiser } })).toBe(
      'Иван Петров отмени „Бюджет 2027“.',
    );
    expect(
      notificationText('en', {
        kind: 'meeting.cancelled',
        payload: { ...meeting, occurrence: '2026-12-01T08:00:00Z', organiser },
      }),
    ).toBe('Иван Петров cancelled “Бюджет 2027” on 1 Dec 2026, 10:00.');
  });

  it('says how long before the start a reminder comes', () => {
    const reminder = (offset: number, lang: 'bg' | 'en' = 'bg') =>
      notificationText(lang, {
        kind: 'meeting.reminder',
        payload: { ...meeting, occurrence: meeting.starts_at, offset_seconds: offset },
      });
    expect(reminder(900)).toMatch(/^„Бюджет 2027“ започва след 15 минути — /);
    expect(reminder(86_400)).toMatch(/започва след 1 ден —/);
    expect(reminder(3600, 'en')).toBe('“Бюджет 2027” starts in 1 hour — 1 Dec 2026, 10:00.');
    expect(reminder(60, 'en')).toMatch(/starts in 1 minute/);
  });

  it('names the caller of a missed call', () => {
    expect(notificationText('bg', { kind: 'call.missed', payload: { call_id: 'c1', caller: organiser } })).toBe(
      'Пропуснато обаждане от Иван Петров.',
    );
    expect(notificationText('en', { kind: 'call.missed', payload: { call_id: 'c1', caller: organiser } })).toBe(
      'Missed call from Иван Петров.',
    );
  });

  it('copes with unknown kinds and missing fields', () => {
    expect(notificationText('en', { kind: 'council.vote', payload: {} })).toBe('New notification.');
    expect(notificationText('en', { kind: 'call.missed', payload: {} })).toBe('Missed call from A colleague.');
    expect(notificationText('bg', { kind: 'meeting.cancelled', payload: {} })).toBe('Колега отмени „Среща“.');
  });
});

describe('document notifications', () => {
  it('name the sharer and the document, or the file found infected', () => {
    const shared = { document_id: 'd1', title: 'Бюджет 2027', sharer: { id: 'e1', name: 'Иван Петров' } };
    expect(notificationText('bg', { kind: 'document.shared', payload: shared })).toBe(
      'Иван Петров сподели с вас документа „Бюджет 2027“.',
    );
    expect(notificationText('en', { kind: 'document.scan_passed', payload: shared })).toBe(
      'The document "Бюджет 2027" passed the virus scan and is now available.',
    );
    expect(notificationText('en', { kind: 'document.infected', payload: { file_name: 'x.pdf' } })).toBe(
      'The virus scan found malware in "x.pdf"; the version was removed.',
    );
  });

  it('lead to the document, except for a removed version', () => {
    expect(notificationTarget({ kind: 'document.shared', payload: { document_id: 'd 1' } })).toBe('/documents/d%201');
    expect(notificationTarget({ kind: 'document.infected', payload: { document_id: 'd1' } })).toBeNull();
  });
});

describe('notificationTarget', () => {
  it('leads meeting notifications to the meeting and others nowhere', () => {
    expect(notificationTarget({ kind: 'meeting.invited', payload: meeting })).toBe('/meetings/m1');
    expect(notificationTarget({ kind: 'call.missed', payload: { call_id: 'c1' } })).toBeNull();
  });
});
