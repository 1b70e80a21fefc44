import { kPresenceBatch, type EgovboxApi } from '../api/egovbox_api';
import type { Id, Presence } from '../api/types';
import type { RealtimeClient } from './realtime_client';
import { Store } from './store';

// Who is online, in a meeting, on "do not disturb" or offline, and the
// person's own state with the do-not-disturb switch. The directory does not
// carry presence: the people it shows are asked for with GET /presence
// (`watch`), then live `presence` events keep them current. Nothing is
// replayed after a reconnection, so every `hello` asks again for oneself
// and for the people watched.
export class PresenceModel {
  readonly known = new Store<ReadonlyMap<string, Presence>>(new Map());
  readonly mine = new Store<Presence | null>(null);
  // The switch itself: "in-meeting" wins over it in `mine`, so it is kept
  // apart.
  readonly doNotDisturb = new Store(false);
  private myId_: string | null = null;
  // When each person's last live event arrived (Date.now()).
  private readonly heardAt_ = new Map<string, number>();
  // The people the directory shows now.
  private watched_: string[] = [];
  // Bumped by reset(): answers to requests made before it are dropped.
  private generation_ = 0;

  constructor(
    private readonly api: EgovboxApi,
    realtime: RealtimeClient,
  ) {
    realtime.on('presence', (event) => this.update(event.employee_id, event.presence));
    realtime.on('hello', (event) => {
      this.myId_ = String(event.employee_id);
      void this.ask([this.myId_, ...this.watched_]);
    });
  }

  setMe(id: Id): void {
    this.myId_ = String(id);
  }

  // The people a view shows (the directory after each search): their
  // presence is asked for now and again after each reconnection. Never
  // throws; people whose presence could not be learnt show none.
  async watch(ids: Id[]): Promise<void> {
    this.watched_ = [...new Set(ids.map(String))];
    await this.ask(this.watched_);
  }

  of(id: Id): Presence | null {
    return this.known.get().get(String(id)) ?? null;
  }

  async setDoNotDisturb(on: boolean): Promise<void> {
    const answer = await this.api.setDoNotDisturb(on);
    if (this.myId_ !== null) this.update(this.myId_, answer.presence);
    else this.setMine(answer.presence);
    this.doNotDisturb.set(typeof answer.do_not_disturb === 'boolean' ? answer.do_not_disturb : on);
  }

  reset(): void {
    this.generation_ += 1;
    this.known.set(new Map());
    this.mine.set(null);
    this.doNotDisturb.set(false);
    this.myId_ = null;
    this.heardAt_.clear();
    this.watched_ = [];
  }

  // GET /presence in batches of at most kPresenceBatch ids (the server reads
  // no more of one request).
  private async ask(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)].filter((id) => id !== '');
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += kPresenceBatch) batches.push(unique.slice(i, i + kPresenceBatch));
    const generation = this.generation_;
    await Promise.all(
      batches.map(async (batch) => {
        const askedAtMs = Date.now();
        try {
          const answer = await this.api.getPresence(batch);
          if (generation === this.generation_) this.apply(answer.presence ?? {}, askedAtMs);
        } catch {
          // Presence is a courtesy: the people are shown without it.
        }
      }),
    );
  }

  // An answer to a request sent at `askedAtMs` replaces live values older
  // than the request, not newer ones.
  private apply(answer: Record<string, Presence>, askedAtMs: number): void {
    const next = new Map(this.known.get());
    let changed = false;
    for (const [id, presence] of Object.entries(answer)) {
      const heard = this.heardAt_.get(id);
      if (heard !== undefined && heard >= askedAtMs) continue;
      if (id === this.myId_) this.setMine(presence);
      if (next.get(id) !== presence) {
        next.set(id, presence);
        changed = true;
      }
    }
    if (changed) this.known.set(next);
  }

  private update(id: Id, presence: Presence): void {
    const key = String(id);
    this.heardAt_.set(key, Date.now());
    if (key === this.myId_) this.setMine(presence);
    if (this.known.get().get(key) === presence) return;
    const next = new Map(this.known.get());
    next.set(key, presence);
    this.known.set(next);
  }

  private setMine(presence: Presence | null): void {
    this.mine.set(presence);
    if (presence === 'do-not-disturb') this.doNotDisturb.set(true);
    else if (presence === 'online') this.doNotDisturb.set(false);
  }
}
