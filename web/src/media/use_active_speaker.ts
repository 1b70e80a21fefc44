import { useEffect, useMemo, useRef } from 'preact/hooks';
import { sameId, type Id } from '../api/types';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { ActiveSpeaker, type SpeakerState } from './active_speaker';
import type { Conference } from './conference';

export interface ActiveSpeakerView {
  // The tracker itself (its `state` store is what the participant list reads).
  tracker: ActiveSpeaker;
  state: SpeakerState;
  // The last dominant speaker other than this tab (speaker view keeps them
  // large while this tab speaks).
  lastOtherSpeaker: Id | null;
}

// The meeting's ActiveSpeaker for the room's lifetime, its state, and the last
// other speaker.
export function useActiveSpeaker(meetingId: Id, conference: Conference): ActiveSpeakerView {
  const { realtime, announcer } = useServices();
  const tracker = useMemo(
    () =>
      new ActiveSpeaker(
        meetingId,
        realtime,
        (id) => conference.state.get().participants.find((p) => sameId(p.participantId, id))?.name ?? null,
        (render) => announcer.say(render),
      ),
    [meetingId, realtime, conference],
  );
  useEffect(() => () => tracker.dispose(), [tracker]);
  const state = useStore(tracker.state);
  const selfId = useStore(conference.state).participantId;
  const lastOther = useRef<Id | null>(null);
  if (state.speaker !== null && !sameId(state.speaker, selfId)) lastOther.current = state.speaker;
  return { tracker, state, lastOtherSpeaker: lastOther.current };
}
