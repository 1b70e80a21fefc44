import type { AppNotification } from '../api/types';
import { formatDateTime, formatSeconds } from '../i18n/format';
import { translate, type Lang } from '../i18n/i18n';

// The sentence for a notification, written here from its payload in the
// reader's language (the server stores data, not text). Payloads are read
// defensively: a missing field gives a neutral word, an unknown kind a
// neutral sentence.
export function notificationText(lang: Lang, notification: Pick<AppNotification, 'kind' | 'payload'>): string {
  const payload = notification.payload ?? {};
  const title = stringField(payload, 'title') ?? translate(lang, 'notification.untitled');
  const when = (field: string) => {
    const iso = stringField(payload, field);
    return iso ? formatDateTime(lang, iso) : '';
  };
  const organiser = personName(payload.organiser) ?? translate(lang, 'notification.someone');
  switch (notification.kind) {
    case 'meeting.invited':
      return translate(lang, 'notification.meeting.invited', { organiser, title, when: when('starts_at') });
    case 'meeting.rescheduled':
      return translate(lang, 'notification.meeting.rescheduled', { title, when: when('starts_at') });
    case 'meeting.cancelled':
      return stringField(payload, 'occurrence')
        ? translate(lang, 'notification.meeting.cancelled_occurrence', { organiser, title, when: when('starts_at') })
        : translate(lang, 'notification.meeting.cancelled', { organiser, title });
    case 'meeting.reminder': {
      const offset = typeof payload.offset_seconds === 'number' ? payload.offset_seconds : 0;
      return translate(lang, 'notification.meeting.reminder', {
        title,
        offset: formatSeconds(lang, offset),
        when: when('starts_at'),
      });
    }
    case 'call.missed':
      return translate(lang, 'notification.call.missed', {
        caller: personName(payload.caller) ?? translate(lang, 'notification.someone'),
      });
    case 'document.shared':
      return translate(lang, 'notification.document.shared', {
        sharer: personName(payload.sharer) ?? translate(lang, 'notification.someone'),
        title,
      });
    case 'document.scan_passed':
      return translate(lang, 'notification.document.scan_passed', { title });
    case 'document.infected':
      return translate(lang, 'notification.document.infected', { file: stringField(payload, 'file_name') ?? title });
    case 'document.unscannable':
      return translate(lang, 'notification.document.unscannable', { file: stringField(payload, 'file_name') ?? title });
    default:
      return translate(lang, 'notification.unknown');
  }
}

// Where a notification leads: the meeting's or the document's page, or none.
export function notificationTarget(notification: Pick<AppNotification, 'kind' | 'payload'>): string | null {
  const meetingId = notification.payload?.meeting_id;
  if (notification.kind.startsWith('meeting.') && (typeof meetingId === 'string' || typeof meetingId === 'number')) {
    return `/meetings/${encodeURIComponent(String(meetingId))}`;
  }
  const documentId = notification.payload?.document_id;
  if (notification.kind === 'document.shared' || notification.kind === 'document.scan_passed') {
    if (typeof documentId === 'string') return `/documents/${encodeURIComponent(documentId)}`;
  }
  return null;
}

function stringField(payload: Record<string, unknown>, name: string): string | null {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function personName(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? name : null;
}
