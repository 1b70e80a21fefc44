import { sameId, type Id } from '../api/types';
import { translate } from '../i18n/i18n';
import { Store } from '../state/store';
import type { Announce, SignalingChannel } from './conference';

// Who speaks in the meeting, as the server decides it (docs/media.md "Active
// speaker and last-N"): the dominant speaker (media.speaker) whose tile is
// highlighted and shown large in speaker view, everyone speaking now
// (media.speaking, for the participant list), and the participants whose
// camera this tab does not receive because of Last-N (media.off_stage: their
// tiles show initials).
export interface SpeakerState {
  // Null before anybody spoke; may be this tab's own participant id.
  speaker: Id | null;
  speaking: Id[];
  offStage: Id[];
}

// A new speaker is announced once they have held the floor this long...
export const kAnnounceSettleMs = 2000;
// ...and not sooner than this after the previous announcement.
export const kAnnounceGapMs = 10_000;

export interface SpeakerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

const kRealClock: SpeakerClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

const kEmpty: SpeakerState = { speaker: null, speaking: [], offStage: [] };

// Screen readers hear "Говори Мария Иванова." only when a new person has kept
// the floor for kAnnounceSettleMs, at most once per kAnnounceGapMs, never for
// oneself: the highlight may move every second, the live region does not.
export class ActiveSpeaker {
  readonly state = new Store<SpeakerState>(kEmpty);
  private readonly unsubscribe_: Array<() => void> = [];
  private announced_: Id | null = null;
  private announcedAt_ = Number.NEGATIVE_INFINITY;
  private timer_: unknown = null;

  constructor(
    readonly meetingId: Id,
    channel: SignalingChannel,
    // The name of a participant other than this tab, null for this tab or someone unknown.
    private readonly nameOf: (participantId: Id) => string | null,
    private readonly announce: Announce = () => undefined,
    private readonly clock: SpeakerClock = kRealClock,
  ) {
    const mine = (event: { meeting_id: Id }) => sameId(event.meeting_id, meetingId);
    this.unsubscribe_.push(
      channel.on('media.speaker', (event) => {
        if (!mine(event)) return;
        this.set({ speaker: event.participant_id ?? null });
        this.scheduleAnnouncement();
      }),
      channel.on('media.speaking', (event) => {
        if (mine(event)) this.set({ speaking: event.participant_ids ?? [] });
      }),
      channel.on('media.off_stage', (event) => {
        if (mine(event)) this.set({ offStage: event.participant_ids ?? [] });
      }),
      channel.on('media.participant.left', (event) => {
        if (!mine(event)) return;
        const gone = (id: Id) => sameId(id, event.participant_id);
        const state = this.state.get();
        this.set({
          speaker: state.speaker !== null && gone(state.speaker) ? null : state.speaker,
          speaking: state.speaking.filter((id) => !gone(id)),
          offStage: state.offStage.filter((id) => !gone(id)),
        });
      }),
      // A new media.joined (the WebSocket came back, Rejoin): the server tells again.
      channel.on('media.joined', (event) => {
        if (mine(event)) this.state.set(kEmpty);
      }),
    );
  }

  isSpeaking(participantId: Id | null): boolean {
    return participantId !== null && this.state.get().speaking.some((id) => sameId(id, participantId));
  }

  dispose(): void {
    for (const off of this.unsubscribe_.splice(0)) off();
    if (this.timer_ !== null) this.clock.clearTimeout(this.timer_);
    this.timer_ = null;
  }

  private set(changes: Partial<SpeakerState>): void {
    this.state.set({ ...this.state.get(), ...changes });
  }

  private scheduleAnnouncement(): void {
    if (this.timer_ !== null) this.clock.clearTimeout(this.timer_);
    this.timer_ = null;
    const speaker = this.state.get().speaker;
    if (speaker === null || (this.announced_ !== null && sameId(speaker, this.announced_))) return;
    const wait = Math.max(kAnnounceSettleMs, this.announcedAt_ + kAnnounceGapMs - this.clock.now());
    this.timer_ = this.clock.setTimeout(() => {
      this.timer_ = null;
      const current = this.state.get().speaker;
      if (current === null || !sameId(current, speaker)) return;
      const name = this.nameOf(speaker);
      if (name === null) return;
      this.announced_ = speaker;
      this.announcedAt_ = this.clock.now();
      this.announce((lang) => translate(lang, 'live.announce.speaker', { name }));
    }, wait);
  }
}
