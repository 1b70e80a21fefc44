import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import { sameId, type Id, type Person } from '../api/types';
import { translate } from '../i18n/i18n';
import type { Announcer } from './announcer';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

export interface PendingKnock {
  id: Id;
  room_id: Id;
  employee: Person;
}

export interface KnockInboxState {
  pending: PendingKnock[]; // oldest first; the dialog shows the first
  busy: boolean;
  error: ApiError | null;
}

// The knocks on the person's own room: each `knock` event queues one; the
// owner admits or declines it; `knock.closed` (answered in another tab, or
// withdrawn by the knocker) takes it away.
export class KnockInbox {
  readonly state = new Store<KnockInboxState>({ pending: [], busy: false, error: null });

  constructor(
    private readonly api: EgovboxApi,
    realtime: RealtimeClient,
    private readonly announcer: Announcer,
  ) {
    realtime.on('knock', (event) => {
      // A knock on a hall's lobby names its meeting: its hosts answer it in the
      // meeting room's participant panel (media/host_controls.ts), not here.
      if (event.knock.meeting_id != null) return;
      const { pending } = this.state.get();
      if (pending.some((k) => sameId(k.id, event.knock.id))) return;
      this.patch({ pending: [...pending, event.knock] });
    });
    realtime.on('knock.closed', (event) => this.remove(event.knock_id));
  }

  // The meeting the knocker was let into, so the owner can go there too; null
  // when the answer did not go through.
  async admit(knock: PendingKnock): Promise<Id | null> {
    let meetingId: Id | null = null;
    await this.answer(
      knock,
      async () => {
        meetingId = (await this.api.admitKnock(knock.id)).meeting_id ?? null;
      },
      'knock.admitted',
    );
    return meetingId;
  }

  async decline(knock: PendingKnock): Promise<void> {
    await this.answer(knock, () => this.api.declineKnock(knock.id), 'knock.declined');
  }

  reset(): void {
    this.state.set({ pending: [], busy: false, error: null });
  }

  private async answer(
    knock: PendingKnock,
    call: () => Promise<unknown>,
    done: 'knock.admitted' | 'knock.declined',
  ): Promise<void> {
    if (this.state.get().busy) return;
    this.patch({ busy: true, error: null });
    try {
      await call();
      this.remove(knock.id);
      this.announcer.say((lang) => translate(lang, done, { name: knock.employee.name }));
    } catch (error) {
      const apiError = error instanceof ApiError ? error : networkError();
      // Already answered or withdrawn: nothing left to decide.
      if (apiError.status === 404 || apiError.status === 409) this.remove(knock.id);
      else this.patch({ error: apiError });
    } finally {
      this.patch({ busy: false });
    }
  }

  private remove(id: Id): void {
    const { pending } = this.state.get();
    if (!pending.some((k) => sameId(k.id, id))) return;
    this.patch({ pending: pending.filter((k) => !sameId(k.id, id)), error: null });
  }

  private patch(fields: Partial<KnockInboxState>): void {
    this.state.set({ ...this.state.get(), ...fields });
  }
}
