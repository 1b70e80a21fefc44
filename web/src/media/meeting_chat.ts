import type { EgovboxApi } from '../api/egovbox_api';
import type { ChatMessage, Id } from '../api/types';
import { sameId } from '../api/types';
import { translate } from '../i18n/i18n';
import { Store } from '../state/store';
import type { Announce, SignalingChannel } from './conference';

export const kChatHistoryLimit = 100;
// What the chat box accepts; the server may have its own limit.
export const kChatMaxLength = 2000;

export interface ChatState {
  load: 'loading' | 'loaded' | 'failed';
  // Oldest first.
  messages: ChatMessage[];
  // Messages from others that came while the chat was not shown.
  unread: number;
}

// A meeting's chat for the room: the history (GET …/chat), live
// `meeting.chat` messages, sending (POST …/chat). A message is shown once
// whether it comes back from POST or over the WebSocket first. While the
// chat panel is closed, messages from others are counted and read out.
export class MeetingChat {
  readonly state = new Store<ChatState>({ load: 'loading', messages: [], unread: 0 });
  private visible_ = false;
  private readonly off_: () => void;

  constructor(
    private readonly api: EgovboxApi,
    channel: Pick<SignalingChannel, 'on'>,
    readonly meetingId: Id,
    private readonly myEmployeeId: Id,
    private readonly announce: Announce = () => undefined,
  ) {
    this.off_ = channel.on('meeting.chat', (event) => {
      if (!sameId(event.meeting_id, this.meetingId) || !event.message) return;
      const message = event.message;
      const fresh = this.add([message]);
      if (!fresh || sameId(message.author_id, this.myEmployeeId) || this.visible_) return;
      this.state.set({ ...this.state.get(), unread: this.state.get().unread + 1 });
      this.announce((lang) => translate(lang, 'live.announce.chat', { name: message.author_name, text: message.text }));
    });
  }

  // The newest 100; again after a reconnection (nothing is replayed).
  async load(): Promise<void> {
    try {
      const answer = await this.api.meetingChat(this.meetingId, kChatHistoryLimit);
      const state = this.state.get();
      this.state.set({ ...state, load: 'loaded', messages: merge(answer.messages ?? [], state.messages) });
    } catch {
      if (this.state.get().load !== 'loaded') this.state.set({ ...this.state.get(), load: 'failed' });
    }
  }

  // Throws the ApiError for the form to show.
  async send(text: string): Promise<void> {
    const message = await this.api.sendChatMessage(this.meetingId, text);
    this.add([message]);
  }

  setVisible(visible: boolean): void {
    this.visible_ = visible;
    if (visible && this.state.get().unread > 0) this.state.set({ ...this.state.get(), unread: 0 });
  }

  dispose(): void {
    this.off_();
  }

  // True when at least one message was new.
  private add(messages: ChatMessage[]): boolean {
    const state = this.state.get();
    const next = merge(state.messages, messages);
    if (next.length === state.messages.length) return false;
    this.state.set({ ...state, messages: next });
    return true;
  }
}

// Both lists, each message once, in the order sent (the server's order
// among equal times).
function merge(first: ChatMessage[], second: ChatMessage[]): ChatMessage[] {
  const seen = new Set(first.map((m) => String(m.id)));
  const all = [...first];
  for (const message of second) {
    if (seen.has(String(message.id))) continue;
    seen.add(String(message.id));
    all.push(message);
  }
  const order = new Map(all.map((m, i) => [m, i]));
  return all.sort((a, b) => {
    const byTime = Date.parse(a.sent_at) - Date.parse(b.sent_at);
    return byTime !== 0 && !Number.isNaN(byTime) ? byTime : order.get(a)! - order.get(b)!;
  });
}
