import { describe, expect, it } from 'vitest';
import { fakeChannel } from '../test/fake_channel';
import { ActiveSpeaker, kAnnounceGapMs, kAnnounceSettleMs, type SpeakerClock, type SpeakerState } from './active_speaker';
import { arrangeTiles } from './speaker_view';
import type { RoomTiles, TileModel } from './tiles';

// Timers driven by advance(ms).
function fakeClock() {
  let now = 1_000_000;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let nextId = 1;
  const clock: SpeakerClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((timer) => timer.id !== id);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((timer) => timer !== due);
      now = due.at;
      due.run();
    }
    now = until;
  };
  return { clock, advance };
}

const kNames: Record<string, string> = { p2: 'Иван Петров', p3: 'Мария Иванова' };

function setup() {
  const bus = fakeChannel();
  const time = fakeClock();
  const said: string[] = [];
  const speakers = new ActiveSpeaker('m1', bus.channel, (id) => kNames[String(id)] ?? null, (render) => said.push(render('bg')), time.clock);
  return { bus, time, said, speakers };
}

describe('ActiveSpeaker', () => {
  it('follows media.speaker, media.speaking and media.off_stage of its meeting only', () => {
    const { bus, speakers } = setup();
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p2' });
    bus.emit({ type: 'media.speaking', meeting_id: 'm1', participant_ids: ['p2', 'p3'] });
    bus.emit({ type: 'media.off_stage', meeting_id: 'm1', participant_ids: ['p4'] });
    bus.emit({ type: 'media.speaker', meeting_id: 'other', participant_id: 'p9' });
    expect(speakers.state.get()).toEqual({ speaker: 'p2', speaking: ['p2', 'p3'], offStage: ['p4'] });
    expect(speakers.isSpeaking('p3')).toBe(true);
    expect(speakers.isSpeaking('p4')).toBe(false);
    expect(speakers.isSpeaking(null)).toBe(false);
  });

  it('forgets a participant who left, and starts afresh on a new media.joined', () => {
    const { bus, speakers } = setup();
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p2' });
    bus.emit({ type: 'media.speaking', meeting_id: 'm1', participant_ids: ['p2', 'p3'] });
    bus.emit({ type: 'media.off_stage', meeting_id: 'm1', participant_ids: ['p2'] });
    bus.emit({ type: 'media.participant.left', meeting_id: 'm1', participant_id: 'p2' });
    expect(speakers.state.get()).toEqual({ speaker: null, speaking: ['p3'], offStage: [] });
    bus.emit({ type: 'media.speaking', meeting_id: 'm1', participant_ids: ['p3'] });
    bus.emit({ type: 'media.joined', meeting_id: 'm1', participant_id: 'p1', participants: [] });
    expect(speakers.state.get()).toEqual({ speaker: null, speaking: [], offStage: [] });
  });

  it('announces a new speaker once they kept the floor, not more often than the gap, never oneself', () => {
    const { bus, time, said } = setup();
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p2' });
    time.advance(kAnnounceSettleMs - 100);
    expect(said).toEqual([]);
    time.advance(100);
    expect(said).toEqual(['Говори Иван Петров.']);

    // Someone else briefly, then back: nothing new to say.
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p3' });
    time.advance(500);
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p2' });
    time.advance(kAnnounceGapMs * 2);
    expect(said).toEqual(['Говори Иван Петров.']);

    // This tab itself: no announcement.
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p1' });
    time.advance(kAnnounceGapMs * 2);
    expect(said).toEqual(['Говори Иван Петров.']);

    // A real change soon after an announcement waits for the gap.
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p3' });
    for (let i = 0; i < 300 && said.length < 2; i += 1) time.advance(100);
    expect(said).toEqual(['Говори Иван Петров.', 'Говори Мария Иванова.']);
    bus.emit({ type: 'media.speaker', meeting_id: 'm1', participant_id: 'p2' });
    time.advance(kAnnounceSettleMs);
    expect(said.length).toBe(2);
    time.advance(kAnnounceGapMs);
    expect(said).toEqual(['Говори Иван Петров.', 'Говори Мария Иванова.', 'Говори Иван Петров.']);
  });

  it('stops listening on dispose', () => {
    const { bus, speakers } = setup();
    expect(bus.listeners()).toBeGreaterThan(0);
    speakers.dispose();
    expect(bus.listeners()).toBe(0);
  });
});

function tile(key: string, participantId: string | null, source: 'camera' | 'screen' = 'camera'): TileModel {
  return {
    key,
    participantId,
    name: key,
    source,
    stream: null,
    videoOn: true,
    microphoneOff: false,
    self: participantId === null,
  };
}

const kRoom: RoomTiles = {
  stage: null,
  tiles: [tile('self', null), tile('p2-camera', 'p2'), tile('p3-camera', 'p3'), tile('p4-camera', 'p4')],
  hidden: 0,
  audio: [],
};
const kSpeakers: SpeakerState = { speaker: 'p3', speaking: ['p3'], offStage: ['p4'] };

describe('arrangeTiles', () => {
  it('marks the speaker and shows initials for cameras off stage', () => {
    const arranged = arrangeTiles(kRoom, kSpeakers, { speakerView: false, selfId: 'p1', lastOtherSpeaker: null });
    expect(arranged.speakerKey).toBe('p3-camera');
    expect(arranged.stage).toBeNull();
    expect(arranged.tiles.map((t) => [t.key, t.videoOn])).toEqual([
      ['self', true],
      ['p2-camera', true],
      ['p3-camera', true],
      ['p4-camera', false],
    ]);
  });

  it('own tile is the speaker when this tab speaks', () => {
    const arranged = arrangeTiles(kRoom, { ...kSpeakers, speaker: 'p1' }, { speakerView: false, selfId: 'p1', lastOtherSpeaker: null });
    expect(arranged.speakerKey).toBe('self');
  });

  it('speaker view puts the speaker large and the others in the strip', () => {
    const arranged = arrangeTiles(kRoom, kSpeakers, { speakerView: true, selfId: 'p1', lastOtherSpeaker: 'p3' });
    expect(arranged.stage?.key).toBe('p3-camera');
    expect(arranged.tiles.map((t) => t.key)).toEqual(['self', 'p2-camera', 'p4-camera']);
  });

  it('speaker view keeps the last other speaker large while this tab speaks, or the first other before anyone spoke', () => {
    const mine = arrangeTiles(kRoom, { ...kSpeakers, speaker: 'p1' }, { speakerView: true, selfId: 'p1', lastOtherSpeaker: 'p3' });
    expect(mine.stage?.key).toBe('p3-camera');
    const nobody = arrangeTiles(kRoom, { speaker: null, speaking: [], offStage: [] }, { speakerView: true, selfId: 'p1', lastOtherSpeaker: null });
    expect(nobody.stage?.key).toBe('p2-camera');
  });

  it('a shared screen keeps the stage in speaker view', () => {
    const screen = tile('p2-screen', 'p2', 'screen');
    const arranged = arrangeTiles({ ...kRoom, stage: screen }, kSpeakers, { speakerView: true, selfId: 'p1', lastOtherSpeaker: 'p3' });
    expect(arranged.stage).toBe(screen);
    expect(arranged.tiles).toHaveLength(4);
    expect(arranged.speakerKey).toBe('p3-camera');
  });
});
