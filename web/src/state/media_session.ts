import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import type { MediaRefusal } from '../api/realtime_types';
import { sameId, type Id, type JoinTicket } from '../api/types';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

//  idle        - in no meeting
//  joining     - asking the server for a pass (POST …/join)
//  connecting  - pass sent as media.join; waiting for media.joined (or for
//                the WebSocket to be open to send it)
//  in          - the server has seen the pass: "you are in the meeting"
//  refused     - media.refused
//  failed      - the join request failed (not on, cancelled, …)
//  left        - left on purpose
export type MediaState =
  | { phase: 'idle' }
  | { phase: 'joining'; meetingId: Id }
  | { phase: 'connecting'; meetingId: Id; ticket: JoinTicket }
  | { phase: 'in'; meetingId: Id }
  | { phase: 'refused'; meetingId: Id; reason: MediaRefusal }
  | { phase: 'failed'; meetingId: Id; error: ApiError }
  | { phase: 'left'; meetingId: Id };

// Being in a meeting, for this tab. The media themselves come with the SFU;
// until then "in" means the server has checked the capability sent over the
// WebSocket. After a reconnection the pass is fetched and sent again (the
// server forgets a closed socket's media state).
export class MediaSession {
  readonly state = new Store<MediaState>({ phase: 'idle' });
  private unsubscribeOpen_: (() => void) | null = null;

  constructor(
    private readonly api: EgovboxApi,
    private readonly realtime: RealtimeClient,
  ) {
    realtime.on('media.joined', (event) => {
      const state = this.state.get();
      if (state.phase === 'connecting' && sameId(state.meetingId, event.meeting_id)) {
        this.state.set({ phase: 'in', meetingId: state.meetingId });
      }
    });
    realtime.on('media.refused', (event) => {
      const state = this.state.get();
      if ((state.phase === 'connecting' || state.phase === 'in') && sameId(state.meetingId, event.meeting_id)) {
        this.state.set({ phase: 'refused', meetingId: state.meetingId, reason: event.reason });
      }
    });
    realtime.reconnections.subscribe(() => {
      const state = this.state.get();
      if (state.phase === 'connecting' || state.phase === 'in') void this.joinMeeting(state.meetingId);
    });
  }

  // The meeting this tab is in or entering, if any.
  get activeMeetingId(): Id | null {
    const state = this.state.get();
    return state.phase === 'joining' || state.phase === 'connecting' || state.phase === 'in' ? state.meetingId : null;
  }

  // Never throws: the outcome is in `state`.
  async joinMeeting(meetingId: Id): Promise<void> {
    await this.leaveOther(meetingId);
    this.state.set({ phase: 'joining', meetingId });
    try {
      this.enter(await this.api.joinMeeting(meetingId));
    } catch (error) {
      this.fail(meetingId, error);
    }
  }

  // Entering a room opens (or finds) the meeting on in it. Throws the
  // ApiError (knock-required, not-invited) for the room page to handle;
  // returns the meeting's id.
  async joinRoom(roomId: Id): Promise<Id> {
    const ticket = await this.api.joinRoom(roomId);
    await this.leaveOther(ticket.meeting_id);
    this.enter(ticket);
    return ticket.meeting_id;
  }

  // A pass obtained elsewhere (after a knock was admitted, say).
  enter(ticket: JoinTicket): void {
    this.stopWaitingForOpen();
    this.state.set({ phase: 'connecting', meetingId: ticket.meeting_id, ticket });
    if (this.sendJoin(ticket)) return;
    // No open socket: send as soon as there is one.
    this.unsubscribeOpen_ = this.realtime.status.subscribe(() => {
      const state = this.state.get();
      if (state.phase !== 'connecting' || state.ticket !== ticket) {
        this.stopWaitingForOpen();
      } else if (this.sendJoin(ticket)) {
        this.stopWaitingForOpen();
      }
    });
  }

  async leave(): Promise<void> {
    const meetingId = this.activeMeetingId;
    if (meetingId === null) return;
    this.stopWaitingForOpen();
    this.realtime.send({ type: 'media.leave', meeting_id: meetingId });
    this.state.set({ phase: 'left', meetingId });
    try {
      await this.api.leaveMeeting(meetingId);
    } catch {
      // The socket message already took us out; the REST call only tidies.
    }
  }

  reset(): void {
    this.stopWaitingForOpen();
    this.state.set({ phase: 'idle' });
  }

  private async leaveOther(meetingId: Id): Promise<void> {
    const active = this.activeMeetingId;
    if (active !== null && !sameId(active, meetingId)) await this.leave();
  }

  private sendJoin(ticket: JoinTicket): boolean {
    return this.realtime.send({ type: 'media.join', meeting_id: ticket.meeting_id, capability: ticket.capability });
  }

  private fail(meetingId: Id, error: unknown): void {
    this.state.set({ phase: 'failed', meetingId, error: error instanceof ApiError ? error : networkError() });
  }

  private stopWaitingForOpen(): void {
    this.unsubscribeOpen_?.();
    this.unsubscribeOpen_ = null;
  }
}
