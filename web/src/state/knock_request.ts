import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import { sameId, type Id, type Knock } from '../api/types';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

export const kKnockPollMs = 5000;

export type KnockPhase =
  | { kind: 'idle' }
  | { kind: 'knocking' }
  | { kind: 'waiting'; knockId: Id }
  | { kind: 'admitted'; meetingId: Id | null }
  | { kind: 'declined' }
  | { kind: 'withdrawn' }
  // The server says the person may simply enter (409 knock-not-needed).
  | { kind: 'not-needed' }
  | { kind: 'failed'; error: ApiError };

// Knocking on someone's room and waiting for the answer: the answer comes as
// a `knock.answered` event, and GET /knocks/{id} every 5 s covers a lost
// WebSocket. Dispose when the page goes away.
export class KnockRequest {
  readonly state = new Store<KnockPhase>({ kind: 'idle' });
  private timer_: ReturnType<typeof setInterval> | null = null;
  private readonly unsubscribe_: () => void;

  constructor(
    private readonly api: EgovboxApi,
    realtime: RealtimeClient,
    private readonly roomId: Id,
    private readonly pollMs = kKnockPollMs,
  ) {
    this.unsubscribe_ = realtime.on('knock.answered', (event) => this.settle(event.knock));
  }

  async knock(): Promise<void> {
    const phase = this.state.get().kind;
    if (phase === 'knocking' || phase === 'waiting') return;
    this.state.set({ kind: 'knocking' });
    try {
      const knock = await this.api.knock(this.roomId);
      if (this.state.get().kind !== 'knocking') return;
      this.state.set({ kind: 'waiting', knockId: knock.id });
      this.settle(knock);
      if (this.state.get().kind === 'waiting') this.startPolling(knock.id);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : networkError();
      this.state.set(apiError.slug === 'knock-not-needed' ? { kind: 'not-needed' } : { kind: 'failed', error: apiError });
    }
  }

  async withdraw(): Promise<void> {
    const state = this.state.get();
    if (state.kind !== 'waiting') return;
    this.stopPolling();
    this.state.set({ kind: 'withdrawn' });
    await this.api.withdrawKnock(state.knockId).catch(() => undefined);
  }

  dispose(): void {
    this.stopPolling();
    this.unsubscribe_();
  }

  private startPolling(knockId: Id): void {
    this.stopPolling();
    this.timer_ = setInterval(() => {
      this.api.getKnock(knockId).then(
        (knock) => this.settle(knock),
        () => undefined, // The next poll or the event will tell.
      );
    }, this.pollMs);
  }

  private stopPolling(): void {
    if (this.timer_ !== null) clearInterval(this.timer_);
    this.timer_ = null;
  }

  private settle(knock: Pick<Knock, 'id' | 'status' | 'meeting_id'>): void {
    const state = this.state.get();
    if (state.kind !== 'waiting' || !sameId(state.knockId, knock.id)) return;
    if (knock.status === 'admitted') {
      this.stopPolling();
      this.state.set({ kind: 'admitted', meetingId: knock.meeting_id ?? null });
    } else if (knock.status === 'declined') {
      this.stopPolling();
      this.state.set({ kind: 'declined' });
    } else if (knock.status === 'withdrawn') {
      this.stopPolling();
      this.state.set({ kind: 'withdrawn' });
    }
  }
}
