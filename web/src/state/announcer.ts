import type { Lang } from '../i18n/i18n';
import { Store } from './store';

export interface Announcement {
  render: (lang: Lang) => string;
  // Tells two equal sentences apart, so that the second is read out too.
  seq: number;
}

// What changed on its own (a notification arrived, a call ended, a knock was
// answered elsewhere), for the one polite live region of the layout. The
// sentence is written when shown, in the language of that moment.
export class Announcer {
  readonly current = new Store<Announcement | null>(null);
  private seq_ = 0;

  say(render: (lang: Lang) => string): void {
    this.seq_ += 1;
    this.current.set({ render, seq: this.seq_ });
  }

  reset(): void {
    this.current.set(null);
  }
}
