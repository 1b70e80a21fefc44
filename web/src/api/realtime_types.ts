// Messages of the WebSocket /api/v1/ws (docs/meetings.md), as JSON text.
import type { AppNotification, Call, Id, Knock, Person, Presence } from './types';

export type ServerEvent =
  | { type: 'hello'; employee_id: Id }
  | { type: 'notification'; notification: AppNotification; unread: number }
  | { type: 'presence'; employee_id: Id; presence: Presence }
  | { type: 'knock'; knock: { id: Id; room_id: Id; employee: Person } }
  | { type: 'knock.answered'; knock: Knock }
  | { type: 'knock.closed'; knock_id: Id }
  | { type: 'call.ringing'; call: Call }
  | { type: 'call.accepted'; call: Call & { meeting_id: Id } }
  | { type: 'call.declined'; call: Call }
  | { type: 'call.missed'; call: Call }
  | { type: 'call.cancelled'; call: Call }
  | { type: 'meeting.changed'; meeting_id: Id }
  | { type: 'media.joined'; meeting_id: Id }
  | { type: 'media.refused'; meeting_id: Id; reason: MediaRefusal }
  | { type: 'pong' };

export type MediaRefusal = 'malformed' | 'invalid' | 'expired' | 'other-meeting' | 'other-employee';

export type ServerEventType = ServerEvent['type'];

export type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

export type ClientMessage =
  | { type: 'ping' }
  | { type: 'media.join'; meeting_id: Id; capability: string }
  | { type: 'media.leave'; meeting_id: Id };
