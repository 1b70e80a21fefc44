// Messages of the WebSocket /api/v1/ws (docs/meetings.md; the media.*
// signaling in docs/media.md), as JSON text.
import type { AppNotification, Call, ChatMessage, Id, Knock, Person, Presence } from './types';

// Where a published track comes from.
export type MediaSourceKind = 'microphone' | 'camera' | 'screen';
export type MediaKind = 'audio' | 'video';

// A track a participant publishes (docs/media.md "Track").
export interface MediaTrackInfo {
  track_id: string;
  kind: MediaKind;
  source: MediaSourceKind;
  muted: boolean;
}

// One tab in a meeting's media room (docs/media.md "Participant").
export interface MediaParticipant {
  participant_id: Id;
  employee_id: Id;
  name: string;
  // From the capability: 'host', 'co-host' or 'participant' (older servers: absent).
  role?: string;
  tracks: MediaTrackInfo[];
}

// A raised hand (docs/media.md "Host controls"); media.hands lists them in the
// order they went up.
export interface RaisedHand {
  participant_id: Id;
  employee_id: Id;
  raised_at: string;
}

// An active m-section of a subscribe offer: whose track it carries.
export interface SubscribedTrack {
  mid: string;
  participant_id: Id;
  track_id: string;
  kind: MediaKind;
  source: MediaSourceKind;
}

// A TURN server for both peer connections (media.joined's ice_servers): what
// RTCPeerConnection's iceServers takes.
export interface MediaIceServer {
  urls: string[];
  username: string;
  credential: string;
}

// A track listed in media.publish: the mid of its m-section in the offer.
export interface PublishedTrack {
  mid: string;
  source: MediaSourceKind;
  muted: boolean;
}

export type ServerEvent =
  | { type: 'hello'; employee_id: Id }
  | { type: 'notification'; notification: AppNotification; unread: number }
  | { type: 'presence'; employee_id: Id; presence: Presence }
  | { type: 'knock'; knock: { id: Id; room_id: Id; meeting_id?: Id | null; employee: Person } }
  | { type: 'knock.answered'; knock: Knock }
  | { type: 'knock.closed'; knock_id: Id }
  | { type: 'call.ringing'; call: Call }
  | { type: 'call.accepted'; call: Call & { meeting_id: Id } }
  | { type: 'call.declined'; call: Call }
  | { type: 'call.missed'; call: Call }
  | { type: 'call.cancelled'; call: Call }
  | { type: 'meeting.changed'; meeting_id: Id }
  | { type: 'meeting.chat'; meeting_id: Id; message: ChatMessage }
  // ice_servers: a TURN server with time-limited credentials, when the server has one (docs/turn.md).
  | { type: 'media.joined'; meeting_id: Id; participant_id: Id; participants: MediaParticipant[]; ice_servers?: MediaIceServer[] }
  | { type: 'media.refused'; meeting_id: Id; reason: MediaRefusal }
  // The server ended this tab's part: left elsewhere (POST …/leave), no
  // connectivity for 30 s (timeout), a failed connection, a closed room.
  | { type: 'media.left'; meeting_id: Id; reason: string }
  | { type: 'media.participant.joined'; meeting_id: Id; participant: MediaParticipant }
  | { type: 'media.participant.left'; meeting_id: Id; participant_id: Id }
  | { type: 'media.tracks'; meeting_id: Id; participant_id: Id; tracks: MediaTrackInfo[] }
  | { type: 'media.subscribe.offer'; meeting_id: Id; version: number; sdp: string; tracks: SubscribedTrack[] }
  | { type: 'media.publish.answer'; meeting_id: Id; sdp: string }
  | { type: 'media.error'; meeting_id: Id; request: string; code: string; detail: string }
  | { type: 'media.muted.by.host'; meeting_id: Id; source: MediaSourceKind }
  | { type: 'media.hands'; meeting_id: Id; hands: RaisedHand[] }
  | { type: 'media.meeting.state'; meeting_id: Id; locked: boolean }
  // Active speaker and Last-N (docs/media.md): the dominant speaker, who speaks
  // now, and whose camera this tab does not receive.
  | { type: 'media.speaker'; meeting_id: Id; participant_id: Id }
  | { type: 'media.speaking'; meeting_id: Id; participant_ids: Id[] }
  | { type: 'media.off_stage'; meeting_id: Id; participant_ids: Id[] }
  | { type: 'pong' };

// docs/media.md names `bad-signature`; `invalid` is what the server sent
// before the SFU (kept so that an older server still gets a sentence).
export type MediaRefusal =
  | 'malformed'
  | 'bad-signature'
  | 'invalid'
  | 'expired'
  | 'other-meeting'
  | 'other-employee'
  // The hosts' decisions (docs/media.md "Host controls").
  | 'removed'
  | 'ended'
  | 'locked'
  | 'lobby'
  // The server could not check the entry (its store failed): try again.
  | 'unavailable';

export type ServerEventType = ServerEvent['type'];

export type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

export type ClientMessage =
  | { type: 'ping' }
  | { type: 'media.join'; meeting_id: Id; capability: string }
  | { type: 'media.publish'; meeting_id: Id; sdp: string; tracks: PublishedTrack[] }
  | { type: 'media.subscribe.answer'; meeting_id: Id; version: number; sdp: string }
  | { type: 'media.mute'; meeting_id: Id; source: MediaSourceKind; muted: boolean }
  | { type: 'media.subscribe.restart'; meeting_id: Id }
  // Simulcast (docs/media.md): the size at which each received video is shown.
  | { type: 'media.layout'; meeting_id: Id; tiles: { mid: string; width: number; height: number }[] }
  | { type: 'media.hand'; meeting_id: Id; raised: boolean }
  | { type: 'media.leave'; meeting_id: Id };
