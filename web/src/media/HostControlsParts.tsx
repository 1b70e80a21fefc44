import { useEffect, useMemo } from 'preact/hooks';
import { sameId, type Id, type Me, type Meeting } from '../api/types';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import type { Conference, ConferenceState } from './conference';
import { isHostRole, MeetingControls, participantRows, type ControlsState, type ParticipantRow } from './host_controls';
import { HandIcon, PeopleIcon } from './Icons';
import styles from './Live.module.css';

export const kPeoplePanelId = 'meeting-people-panel';

// Whether `me` runs `meeting`: the organiser, a host or a co-host.
export function runsMeeting(meeting: Pick<Meeting, 'my_role' | 'organiser'>, me: Pick<Me, 'id'>): boolean {
  return isHostRole(meeting.my_role) || sameId(meeting.organiser.id, me.id);
}

export interface HostControlsHandle {
  controls: MeetingControls;
  state: ControlsState;
  rows: ParticipantRow[];
  isHost: boolean;
}

// The room's MeetingControls (made once per conference, loaded at once and
// after a reconnection) and the participant list's rows.
// `speakingParticipantId`: who the active-speaker events say is speaking.
export function useHostControls(
  meeting: Meeting,
  me: Me,
  conference: Conference,
  conferenceState: ConferenceState,
  speakingParticipantId: Id | null = null,
): HostControlsHandle {
  const { api, realtime, announcer } = useServices();
  const isHost = runsMeeting(meeting, me);
  const controls = useMemo(
    () => new MeetingControls(api, realtime, meeting.id, meeting.room.id, isHost, conference, (render) => announcer.say(render)),
    [api, realtime, meeting.id, conference, isHost],
  );
  useEffect(() => {
    void controls.load();
    return () => controls.dispose();
  }, [controls]);
  useReloadOnReconnect(() => void controls.load());
  const state = useStore(controls.state);
  const rows = participantRows(conferenceState, state.hands, { id: me.id, name: me.name, host: isHost }, speakingParticipantId);
  return { controls, state, rows, isHost };
}

// The room's notices about the hosts: the meeting is locked; a host muted
// this tab (until dismissed).
export function hostNotices(handle: HostControlsHandle, t: ReturnType<typeof useI18n>['t']) {
  const notices = [];
  if (handle.state.mutedByHost) {
    notices.push(
      <Alert key="muted-by-host" tone="info">
        <p role="status" data-testid="muted-by-host">
          {handle.state.mutedByHost === 'camera' ? t('host.stopped_your_video') : t('host.muted_you')}
        </p>
        <Button variant="secondary" onClick={() => handle.controls.dismissMuted()}>
          {t('host.dismiss')}
        </Button>
      </Alert>,
    );
  }
  if (handle.state.locked) {
    notices.push(
      <p key="locked" role="status" data-testid="meeting-locked">
        {t('host.locked_notice')}
      </p>,
    );
  }
  return notices;
}

// The toolbar's "Raise hand" and "Participants" (with the number waiting in
// the lobby, for hosts).
export function HostToolbarButtons(props: { handle: HostControlsHandle; peopleOpen: boolean; onPeople: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { controls, state } = props.handle;
  const raised = controls.handRaised();
  const waiting = props.handle.isHost ? state.lobby.length : 0;
  return (
    <>
      <button type="button" class={styles.control} aria-pressed={raised ? 'true' : 'false'} onClick={() => controls.setHand(!raised)}>
        <HandIcon />
        {t('host.raise_hand')}
      </button>
      <button
        type="button"
        class={classes(styles.control)}
        aria-expanded={props.peopleOpen ? 'true' : 'false'}
        aria-controls={props.peopleOpen ? kPeoplePanelId : undefined}
        aria-describedby={waiting > 0 ? 'lobby-waiting' : undefined}
        onClick={props.onPeople}
      >
        <PeopleIcon />
        {t('host.participants')}
        {waiting > 0 ? (
          <span class={styles.badge} aria-hidden="true">
            {waiting}
          </span>
        ) : null}
      </button>
      {waiting > 0 ? (
        <span id="lobby-waiting" class="visually-hidden">
          {t('host.lobby')}: {waiting}
        </span>
      ) : null}
    </>
  );
}
