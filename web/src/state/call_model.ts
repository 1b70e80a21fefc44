import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import { sameId, type Id, type Person } from '../api/types';
import { translate } from '../i18n/i18n';
import type { Announcer } from './announcer';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

export type OutgoingPhase = 'starting' | 'ringing' | 'busy' | 'declined' | 'missed' | 'failed';

export type CallState =
  | { kind: 'idle' }
  | { kind: 'outgoing'; callee: Person; callId: Id | null; phase: OutgoingPhase; error: ApiError | null }
  | {
      kind: 'incoming';
      callId: Id;
      caller: Person;
      phase: 'ringing' | 'accepting' | 'failed';
      error: ApiError | null;
    };

// One-to-one calls, for this tab: the one it is making, or the one ringing
// in it. `onAccepted` runs once when a call this tab made or accepted is
// accepted (both sides then join the call's meeting). Another tab of the
// callee answering, or the caller hanging up, closes the incoming call here.
export class CallModel {
  readonly state = new Store<CallState>({ kind: 'idle' });
  // Set when the caller hangs up before POST /calls has answered.
  private hangUpPending_ = false;

  constructor(
    private readonly api: EgovboxApi,
    realtime: RealtimeClient,
    private readonly onAccepted: (meetingId: Id) => void,
    private readonly announcer: Announcer,
  ) {
    realtime.on('call.ringing', (event) => {
      // One call at a time: a second caller is missed and told so.
      if (this.state.get().kind !== 'idle') return;
      this.state.set({ kind: 'incoming', callId: event.call.id, caller: event.call.caller, phase: 'ringing', error: null });
    });
    realtime.on('call.accepted', (event) => {
      const state = this.state.get();
      if (!this.isAbout(event.call.id)) return;
      if (state.kind === 'outgoing' || (state.kind === 'incoming' && state.phase === 'accepting')) {
        this.accepted(event.call.meeting_id);
      } else {
        // Accepted in another tab.
        this.state.set({ kind: 'idle' });
      }
    });
    realtime.on('call.declined', (event) => this.ended(event.call.id, 'declined'));
    realtime.on('call.missed', (event) => this.ended(event.call.id, 'missed'));
    realtime.on('call.cancelled', (event) => this.ended(event.call.id, 'cancelled'));
  }

  async call(callee: Person): Promise<void> {
    if (this.state.get().kind !== 'idle') return;
    this.hangUpPending_ = false;
    this.state.set({ kind: 'outgoing', callee, callId: null, phase: 'starting', error: null });
    try {
      const call = await this.api.startCall(callee.id);
      if (this.hangUpPending_) {
        this.hangUpPending_ = false;
        await this.api.hangUp(call.id).catch(() => undefined);
        return;
      }
      const state = this.state.get();
      if (state.kind === 'outgoing' && state.callId === null) {
        this.state.set({ ...state, callId: call.id, phase: 'ringing' });
      }
    } catch (error) {
      const apiError = error instanceof ApiError ? error : networkError();
      const state = this.state.get();
      if (state.kind !== 'outgoing') return;
      this.state.set({ ...state, phase: apiError.slug === 'callee-busy' ? 'busy' : 'failed', error: apiError });
    }
  }

  // The caller gives up while it rings (or closes the dialog after it ended).
  async hangUp(): Promise<void> {
    const state = this.state.get();
    if (state.kind !== 'outgoing') return;
    this.state.set({ kind: 'idle' });
    if (state.phase === 'starting') this.hangUpPending_ = true;
    else if (state.phase === 'ringing' && state.callId !== null) {
      await this.api.hangUp(state.callId).catch(() => undefined);
    }
  }

  async accept(): Promise<void> {
    const state = this.state.get();
    if (state.kind !== 'incoming' || state.phase === 'accepting') return;
    this.state.set({ ...state, phase: 'accepting', error: null });
    try {
      const call = await this.api.acceptCall(state.callId);
      const now = this.state.get();
      if (now.kind === 'incoming' && sameId(now.callId, state.callId) && call.meeting_id) {
        this.accepted(call.meeting_id);
      }
    } catch (error) {
      const now = this.state.get();
      if (now.kind === 'incoming' && sameId(now.callId, state.callId)) {
        this.state.set({ ...now, phase: 'failed', error: error instanceof ApiError ? error : networkError() });
      }
    }
  }

  async decline(): Promise<void> {
    const state = this.state.get();
    if (state.kind !== 'incoming') return;
    this.state.set({ kind: 'idle' });
    await this.api.declineCall(state.callId).catch(() => undefined);
  }

  // Closes an incoming call that failed to be accepted.
  dismiss(): void {
    this.state.set({ kind: 'idle' });
  }

  reset(): void {
    this.hangUpPending_ = false;
    this.state.set({ kind: 'idle' });
  }

  private isAbout(callId: Id): boolean {
    const state = this.state.get();
    return (state.kind === 'outgoing' && sameId(state.callId, callId)) || (state.kind === 'incoming' && sameId(state.callId, callId));
  }

  private accepted(meetingId: Id): void {
    this.state.set({ kind: 'idle' });
    this.onAccepted(meetingId);
  }

  private ended(callId: Id, how: 'declined' | 'missed' | 'cancelled'): void {
    if (!this.isAbout(callId)) return;
    const state = this.state.get();
    if (state.kind === 'outgoing' && how !== 'cancelled') {
      // The caller reads what happened and closes the dialog.
      this.state.set({ ...state, phase: how });
    } else {
      this.state.set({ kind: 'idle' });
      this.announcer.say((lang) => translate(lang, 'calls.cancelled'));
    }
  }
}
