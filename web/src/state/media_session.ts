import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import type { MediaRefusal } from '../api/realtime_types';
import { sameId, type Id, type JoinTicket } from '../api/types';
import { Conference, type Announce, type LocalMediaChoice } from '../media/conference';
import { readDevicePrefs } from '../media/devices';
import { noMediaEnvironment, type MediaEnvironment } from '../media/media_env';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

//  idle        - in no meeting
//  prejoin     - a room was entered (its pass is at hand); the pre-join
//                screen is showing, media.join not sent yet
//  joining     - asking the server for a pass (POST …/join)
//  connecting  - pass sent as media.join; waiting for media.joined (or for
//                the WebSocket to be open to send it)
//  in          - the server has let this tab into the meeting's media room
//  refused     - media.refused
//  failed      - the join request failed (not on, cancelled, …)
//  left        - left on purpose
export type MediaState =
  | { phase: 'idle' }
  | { phase: 'prejoin'; meetingId: Id; ticket: JoinTicket }
  | { phase: 'joining'; meetingId: Id }
  | { phase: 'connecting'; meetingId: Id; ticket: JoinTicket }
  | { phase: 'in'; meetingId: Id }
  | { phase: 'refused'; meetingId: Id; reason: MediaRefusal }
  | { phase: 'failed'; meetingId: Id; error: ApiError }
  // `reason`: why the server ended it (docs/media.md media.left: "removed" and
  // "ended" are a host's doing); absent when this tab left on purpose.
  | { phase: 'left'; meetingId: Id; reason?: string };

// A pass this close to its expiry is not used: a fresh one is asked for.
const kTicketMarginMs = 15_000;

// Being in a meeting, for this tab: the pass (POST …/join, then media.join
// over the WebSocket) and, once the server has let the tab in, the
// Conference with the peer connections. After a reconnection of the
// WebSocket the pass is fetched and sent again (the server forgets a closed
// socket's media state) and the conference publishes anew with the same
// camera and microphone.
export class MediaSession {
  readonly state = new Store<MediaState>({ phase: 'idle' });
  // The media of the meeting this tab is in (kept through a rejoin).
  readonly conference = new Store<Conference | null>(null);
  private unsubscribeOpen_: (() => void) | null = null;
  // Handed over by the pre-join screen, for the conference to come.
  private choice_: LocalMediaChoice | null = null;

  constructor(
    private readonly api: EgovboxApi,
    private readonly realtime: RealtimeClient,
    readonly env: MediaEnvironment = noMediaEnvironment(),
    private readonly announce: Announce = () => undefined,
  ) {
    realtime.on('media.joined', (event) => {
      const state = this.state.get();
      if (state.phase === 'connecting' && sameId(state.meetingId, event.meeting_id)) {
        this.state.set({ phase: 'in', meetingId: state.meetingId });
        this.startConference(state.meetingId, event);
      }
    });
    realtime.on('media.refused', (event) => {
      const state = this.state.get();
      if ((state.phase === 'connecting' || state.phase === 'in') && sameId(state.meetingId, event.meeting_id)) {
        this.closeConference();
        this.state.set({ phase: 'refused', meetingId: state.meetingId, reason: event.reason });
      }
    });
    realtime.on('media.left', (event) => {
      const state = this.state.get();
      if (state.phase === 'in' && sameId(state.meetingId, event.meeting_id)) {
        this.closeConference();
        this.state.set({ phase: 'left', meetingId: state.meetingId, reason: event.reason });
      }
    });
    realtime.reconnections.subscribe(() => {
      const state = this.state.get();
      if (state.phase === 'connecting' || state.phase === 'in') {
        this.conference.get()?.detach();
        void this.joinMeeting(state.meetingId);
      }
    });
  }

  // The meeting this tab is in or entering, if any.
  get activeMeetingId(): Id | null {
    const state = this.state.get();
    return state.phase === 'joining' || state.phase === 'connecting' || state.phase === 'in' ? state.meetingId : null;
  }

  // Never throws: the outcome is in `state`. `choice` is the camera and
  // microphone from the pre-join screen (from then on owned here); without
  // it the conference opens the remembered devices itself.
  async joinMeeting(meetingId: Id, choice?: LocalMediaChoice): Promise<void> {
    // Awaited only when there is something to leave: the state changes at
    // once otherwise (the view navigated to next sees "joining").
    if (this.isInOther(meetingId)) await this.leave();
    const current = this.state.get();
    const conference = this.conference.get();
    if (choice) {
      if (conference && sameId(conference.meetingId, meetingId)) {
        stopChoice(choice);
      } else {
        this.dropChoice();
        this.choice_ = choice;
      }
    }
    // The pass of a room just entered, if it is still good.
    if (
      current.phase === 'prejoin' &&
      sameId(current.meetingId, meetingId) &&
      Date.parse(current.ticket.expires_at) - Date.now() > kTicketMarginMs
    ) {
      this.enter(current.ticket);
      return;
    }
    this.state.set({ phase: 'joining', meetingId });
    let ticket: JoinTicket;
    try {
      ticket = await this.api.joinMeeting(meetingId);
    } catch (error) {
      if (this.isJoining(meetingId)) this.fail(meetingId, error);
      return;
    }
    // Left (or went elsewhere) while asking.
    if (this.isJoining(meetingId)) this.enter(ticket);
  }

  // Entering a room opens (or finds) the meeting on in it. Throws the
  // ApiError (knock-required, not-invited) for the room page to handle;
  // returns the meeting's id. The pass is kept for the pre-join screen:
  // joinMeeting() uses it.
  async joinRoom(roomId: Id): Promise<Id> {
    const ticket = await this.api.joinRoom(roomId);
    if (this.isInOther(ticket.meeting_id)) await this.leave();
    if (this.activeMeetingId === null) {
      this.state.set({ phase: 'prejoin', meetingId: ticket.meeting_id, ticket });
    }
    return ticket.meeting_id;
  }

  // A pass obtained elsewhere: media.join with it.
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

  // After the connection was lost ("Rejoin"): out of the media room and in
  // again with a fresh pass; the camera and microphone stay open.
  async rejoin(): Promise<void> {
    const conference = this.conference.get();
    if (!conference) return;
    this.stopWaitingForOpen();
    this.realtime.send({ type: 'media.leave', meeting_id: conference.meetingId });
    conference.detach();
    await this.joinMeeting(conference.meetingId);
  }

  // Leaves the meeting this tab is in; with `meetingId`, only if it is that
  // one (a view going away must not end a meeting joined since).
  async leave(meetingId?: Id): Promise<void> {
    const active = this.activeMeetingId;
    const state = this.state.get();
    if (active === null) {
      // A pre-join pass not used: forget it.
      if (state.phase === 'prejoin' && (meetingId === undefined || sameId(state.meetingId, meetingId))) this.reset();
      return;
    }
    if (meetingId !== undefined && !sameId(active, meetingId)) return;
    this.stopWaitingForOpen();
    this.realtime.send({ type: 'media.leave', meeting_id: active });
    this.closeConference();
    this.state.set({ phase: 'left', meetingId: active });
    try {
      await this.api.leaveMeeting(active);
    } catch {
      // The socket message already took us out; the REST call only tidies.
    }
  }

  reset(): void {
    this.stopWaitingForOpen();
    this.closeConference();
    this.state.set({ phase: 'idle' });
  }

  private startConference(meetingId: Id, joined: Parameters<Conference['start']>[0]): void {
    const existing = this.conference.get();
    if (existing && sameId(existing.meetingId, meetingId) && !existing.closed) {
      existing.restart(joined);
      return;
    }
    existing?.close();
    const choice = this.choice_ ?? { microphone: null, camera: null, microphoneOn: true, cameraOn: true, opened: false };
    this.choice_ = null;
    const conference = new Conference(meetingId, this.realtime, this.env, this.remembered(choice), this.announce);
    this.conference.set(conference);
    conference.start(joined);
  }

  // Without a pre-join choice, the remembered on/off.
  private remembered(choice: LocalMediaChoice): LocalMediaChoice {
    if (choice.opened) return choice;
    const prefs = readDevicePrefs(this.env.storage);
    return { ...choice, microphoneOn: prefs.microphoneOn, cameraOn: prefs.cameraOn };
  }

  private closeConference(): void {
    this.conference.get()?.close();
    this.conference.set(null);
    this.dropChoice();
  }

  private dropChoice(): void {
    if (this.choice_) stopChoice(this.choice_);
    this.choice_ = null;
  }

  private isJoining(meetingId: Id): boolean {
    const state = this.state.get();
    return state.phase === 'joining' && sameId(state.meetingId, meetingId);
  }

  private isInOther(meetingId: Id): boolean {
    const active = this.activeMeetingId;
    return active !== null && !sameId(active, meetingId);
  }

  private sendJoin(ticket: JoinTicket): boolean {
    return this.realtime.send({ type: 'media.join', meeting_id: ticket.meeting_id, capability: ticket.capability });
  }

  private fail(meetingId: Id, error: unknown): void {
    this.closeConference();
    this.state.set({ phase: 'failed', meetingId, error: error instanceof ApiError ? error : networkError() });
  }

  private stopWaitingForOpen(): void {
    this.unsubscribeOpen_?.();
    this.unsubscribeOpen_ = null;
  }
}

function stopChoice(choice: LocalMediaChoice): void {
  choice.microphone?.stop();
  choice.camera?.stop();
}
