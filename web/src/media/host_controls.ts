import type { EgovboxApi } from '../api/egovbox_api';
import { ApiError, networkError } from '../api/problem';
import type { RaisedHand } from '../api/realtime_types';
import { sameId, type Id, type LobbyEntry } from '../api/types';
import { translate } from '../i18n/i18n';
import { Store } from '../state/store';
import type { Announce, ConferenceState, SignalingChannel } from './conference';

// Roles that run a meeting (docs/media.md "Host controls").
export function isHostRole(role: string | undefined | null): boolean {
  return role === 'host' || role === 'co-host';
}

// One line of the participant list.
export interface ParticipantRow {
  key: string;
  participantId: Id | null;
  employeeId: Id;
  name: string;
  self: boolean;
  host: boolean;
  microphoneOff: boolean;
  cameraOff: boolean;
  // 1 for the first hand raised; null: not raised.
  handPosition: number | null;
  // From the active-speaker events (media.speaker) when they are wired in.
  speaking: boolean;
}

// Everyone in the room, this tab first, then the others in the order they
// came, with what the list shows of each.
export function participantRows(
  conference: Pick<ConferenceState, 'participantId' | 'participants' | 'microphoneOn' | 'cameraOn'>,
  hands: readonly RaisedHand[],
  me: { id: Id; name: string; host: boolean },
  speakingParticipantId: Id | null = null,
): ParticipantRow[] {
  const position = (participantId: Id | null) => {
    if (participantId === null) return null;
    const index = hands.findIndex((hand) => sameId(hand.participant_id, participantId));
    return index < 0 ? null : index + 1;
  };
  const speaking = (participantId: Id | null) => participantId !== null && sameId(participantId, speakingParticipantId);
  const rows: ParticipantRow[] = [
    {
      key: 'self',
      participantId: conference.participantId,
      employeeId: me.id,
      name: me.name,
      self: true,
      host: me.host,
      microphoneOff: !conference.microphoneOn,
      cameraOff: !conference.cameraOn,
      handPosition: position(conference.participantId),
      speaking: speaking(conference.participantId),
    },
  ];
  for (const other of conference.participants) {
    const off = (source: 'microphone' | 'camera') => !other.tracks.some((track) => track.source === source && !track.muted);
    rows.push({
      key: String(other.participantId),
      participantId: other.participantId,
      employeeId: other.employeeId,
      name: other.name,
      self: false,
      host: isHostRole(other.role),
      microphoneOff: off('microphone'),
      cameraOff: off('camera'),
      handPosition: position(other.participantId),
      speaking: speaking(other.participantId),
    });
  }
  return rows;
}

// The raised hands in order, with names (a hand of someone not in the list
// any more is left out).
export function handQueue(hands: readonly RaisedHand[], rows: readonly ParticipantRow[]): ParticipantRow[] {
  const queue: ParticipantRow[] = [];
  for (const hand of hands) {
    const row = rows.find((r) => r.participantId !== null && sameId(r.participantId, hand.participant_id));
    if (row) queue.push(row);
  }
  return queue;
}

export interface ControlsState {
  hands: RaisedHand[];
  locked: boolean;
  // Hosts only: who waits in the lobby, oldest first.
  lobby: LobbyEntry[];
  // What a host turned off on this tab, until dismissed.
  mutedByHost: 'microphone' | 'camera' | null;
  busy: boolean;
  error: ApiError | null;
}

// What MeetingControls needs of the conference: to turn this tab's own
// microphone or camera off when a host did, and who is who.
export interface ControlledConference {
  setMicrophone(on: boolean): Promise<void>;
  setCamera(on: boolean): Promise<void>;
  readonly state: { get(): Pick<ConferenceState, 'participantId' | 'participants'> };
}

// The host controls of one meeting for this tab (docs/media.md "Host
// controls"): raised hands (media.hands, this tab's own over media.hand),
// the lock (media.meeting.state), being muted by a host
// (media.muted.by.host: the microphone or camera is turned off here too),
// and, for hosts, the lobby (GET …/lobby, then `knock` and `knock.closed`
// events) and the actions over REST. Dispose when the room goes.
export class MeetingControls {
  readonly state = new Store<ControlsState>({ hands: [], locked: false, lobby: [], mutedByHost: null, busy: false, error: null });
  private readonly off_: Array<() => void> = [];
  private roomId_: Id | null;
  // While load() waits for its fetches: the knocks closed (by events, or answered
  // here) and whether the lock changed meanwhile, which its snapshot must not undo.
  private loading_: { closed: Set<string>; locked: boolean } | null = null;

  constructor(
    private readonly api: EgovboxApi,
    private readonly channel: SignalingChannel,
    readonly meetingId: Id,
    roomId: Id | null,
    readonly isHost: boolean,
    private readonly conference: ControlledConference,
    private readonly announce: Announce = () => undefined,
  ) {
    this.roomId_ = roomId;
    const mine = (event: { meeting_id: Id }) => sameId(event.meeting_id, meetingId);
    this.off_.push(
      channel.on('media.hands', (event) => {
        if (!mine(event)) return;
        const before = this.state.get().hands;
        const hands = event.hands ?? [];
        for (const hand of hands) {
          if (before.some((b) => sameId(b.participant_id, hand.participant_id))) continue;
          const name = this.nameOf(hand.participant_id);
          if (name !== null) this.announce((lang) => translate(lang, 'host.announce.hand_raised', { name }));
        }
        this.patch({ hands });
      }),
      channel.on('media.meeting.state', (event) => {
        if (!mine(event)) return;
        if (this.loading_) this.loading_.locked = true;
        if (event.locked !== this.state.get().locked) {
          this.announce((lang) => translate(lang, event.locked ? 'host.announce.locked' : 'host.announce.unlocked'));
        }
        this.patch({ locked: event.locked });
      }),
      channel.on('media.muted.by.host', (event) => {
        if (!mine(event)) return;
        const source = event.source === 'camera' ? 'camera' : 'microphone';
        void (source === 'camera' ? conference.setCamera(false) : conference.setMicrophone(false));
        this.announce((lang) => translate(lang, source === 'camera' ? 'host.announce.camera_stopped' : 'host.announce.muted'));
        this.patch({ mutedByHost: source });
      }),
      channel.on('knock', (event) => {
        if (!this.isHost) return;
        const knock = event.knock;
        const ours = (knock.meeting_id != null && sameId(knock.meeting_id, meetingId)) || (this.roomId_ !== null && sameId(knock.room_id, this.roomId_));
        const { lobby } = this.state.get();
        if (!ours || lobby.some((entry) => sameId(entry.knock_id, knock.id))) return;
        this.patch({ lobby: [...lobby, { knock_id: knock.id, employee: knock.employee, since: new Date().toISOString() }] });
        this.announce((lang) => translate(lang, 'host.announce.waiting', { name: knock.employee.name }));
      }),
      channel.on('knock.closed', (event) => {
        this.loading_?.closed.add(String(event.knock_id));
        const { lobby } = this.state.get();
        if (lobby.some((entry) => sameId(entry.knock_id, event.knock_id))) {
          this.patch({ lobby: lobby.filter((entry) => !sameId(entry.knock_id, event.knock_id)) });
        }
      }),
    );
  }

  // The lock and, for hosts, the lobby as they are now, merged with the events
  // that came while the fetches were out (a knock a co-host answered meanwhile
  // stays answered; a lock change or a new knock is kept).
  async load(): Promise<void> {
    const seen = { closed: new Set<string>(), locked: false };
    this.loading_ = seen;
    try {
      const controls = await this.api.meetingControls(this.meetingId);
      if (!seen.locked) this.patch({ locked: controls.locked });
      if (!this.isHost || !controls.host) return;
      const lobby = await this.api.meetingLobby(this.meetingId);
      this.roomId_ = lobby.room_id;
      const waiting = lobby.waiting.filter((entry) => !seen.closed.has(String(entry.knock_id)));
      const arrived = this.state.get().lobby.filter((entry) => !waiting.some((w) => sameId(w.knock_id, entry.knock_id)));
      this.patch({ lobby: [...waiting, ...arrived] });
    } catch {
      // The events keep it current; a failed first load only leaves it empty.
    } finally {
      if (this.loading_ === seen) this.loading_ = null;
    }
  }

  dispose(): void {
    for (const off of this.off_.splice(0)) off();
  }

  handRaised(): boolean {
    const me = this.conference.state.get().participantId;
    return me !== null && this.state.get().hands.some((hand) => sameId(hand.participant_id, me));
  }

  setHand(raised: boolean): void {
    this.channel.send({ type: 'media.hand', meeting_id: this.meetingId, raised });
    this.announce((lang) => translate(lang, raised ? 'host.announce.my_hand_raised' : 'host.announce.my_hand_lowered'));
  }

  dismissMuted(): void {
    this.patch({ mutedByHost: null });
  }

  // --- Hosts ----------------------------------------------------------------

  mute(participantId: Id, source: 'microphone' | 'camera'): Promise<boolean> {
    return this.run(() => this.api.muteParticipant(this.meetingId, participantId, source));
  }

  muteAll(): Promise<boolean> {
    return this.run(async () => {
      await this.api.muteAll(this.meetingId);
      this.announce((lang) => translate(lang, 'host.announce.all_muted'));
    });
  }

  remove(employeeId: Id, name: string): Promise<boolean> {
    return this.run(async () => {
      await this.api.removeFromMeeting(this.meetingId, employeeId);
      this.announce((lang) => translate(lang, 'host.announce.removed', { name }));
    });
  }

  setLocked(locked: boolean): Promise<boolean> {
    return this.run(async () => {
      const answer = await this.api.setMeetingLocked(this.meetingId, locked);
      if (this.loading_) this.loading_.locked = true;
      this.patch({ locked: answer.locked });
    });
  }

  endForAll(): Promise<boolean> {
    return this.run(() => this.api.endMeetingForAll(this.meetingId));
  }

  lowerHand(participantId: Id): Promise<boolean> {
    return this.run(() => this.api.lowerHandOf(this.meetingId, participantId));
  }

  admit(entry: LobbyEntry): Promise<boolean> {
    return this.run(async () => {
      await this.api.admitKnock(entry.knock_id);
      this.drop(entry.knock_id);
      this.announce((lang) => translate(lang, 'host.announce.admitted', { name: entry.employee.name }));
    });
  }

  decline(entry: LobbyEntry): Promise<boolean> {
    return this.run(async () => {
      await this.api.declineKnock(entry.knock_id);
      this.drop(entry.knock_id);
      this.announce((lang) => translate(lang, 'host.announce.declined', { name: entry.employee.name }));
    });
  }

  private drop(knockId: Id): void {
    this.loading_?.closed.add(String(knockId));
    this.patch({ lobby: this.state.get().lobby.filter((entry) => !sameId(entry.knock_id, knockId)) });
  }

  // One action at a time; its failure is kept for the panel to show.
  private async run(action: () => Promise<unknown>): Promise<boolean> {
    if (this.state.get().busy) return false;
    this.patch({ busy: true, error: null });
    try {
      await action();
      this.patch({ busy: false });
      return true;
    } catch (error) {
      this.patch({ busy: false, error: error instanceof ApiError ? error : networkError() });
      return false;
    }
  }

  private nameOf(participantId: Id): string | null {
    const conference = this.conference.state.get();
    if (sameId(participantId, conference.participantId)) return null; // one's own hand: said by setHand
    return conference.participants.find((p) => sameId(p.participantId, participantId))?.name ?? null;
  }

  private patch(changes: Partial<ControlsState>): void {
    this.state.set({ ...this.state.get(), ...changes });
  }
}
