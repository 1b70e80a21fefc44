import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Me, Meeting } from '../api/types';
import { useServices } from '../app/services';
import { useReloadOnReconnect } from '../app/use_realtime';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { classes } from '../ui/classes';
import { ChatPanel } from './ChatPanel';
import { hostNotices, HostToolbarButtons, kPeoplePanelId, useHostControls } from './HostControlsParts';
import { ParticipantsPanel } from './ParticipantsPanel';
import type { Conference } from './conference';
import { CameraIcon, ChatIcon, LeaveIcon, MicrophoneIcon, ScreenIcon, SpeakerViewIcon } from './Icons';
import styles from './Live.module.css';
import { MeetingChat } from './meeting_chat';
import { gridLayout, initialsOf } from './room_layout';
import { kShortcutKeys, shortcutOf } from './shortcuts';
import { arrangeTiles } from './speaker_view';
import { roomTiles, type TileModel } from './tiles';
import { useActiveSpeaker } from './use_active_speaker';
import { AudioView, VideoView } from './VideoView';

export const kSidePanelId = 'meeting-side-panel';

const kColumnClasses = [styles.cols1, styles.cols1, styles.cols2, styles.cols3, styles.cols4];

// The room: the tiles (a grid of 1 to 16, or a shared screen large with the
// cameras in a strip), the toolbar (microphone, camera, screen, chat,
// leave), Alt+M / Alt+C, the side panel with the chat and the meeting's
// documents, and what went wrong (connection lost: Rejoin).
export function MeetingRoom(props: { meeting: Meeting; me: Me; conference: Conference; reconnecting: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, realtime, announcer, media } = useServices();
  const { conference, meeting, me } = props;
  const state = useStore(conference.state);
  // Simulcast: each received video's shown size goes to the server (media.layout).
  const reportTile = useCallback(
    (mid: string, size: { width: number; height: number } | null) => conference.reportTile(mid, size),
    [conference],
  );
  const [panelOpen, setPanelOpen] = useState(false);
  const chatButton = useRef<HTMLButtonElement>(null);
  // Active speaker: the highlight, speaker view, Last-N's initials (speaker_view.ts).
  const speakers = useActiveSpeaker(meeting.id, conference);
  const [speakerView, setSpeakerView] = useState(false);
  // Host controls: the participant list, hands, the lobby (HostControlsParts.tsx).
  const host = useHostControls(meeting, me, conference, state, speakers.state.speaker);
  const [peopleOpen, setPeopleOpen] = useState(false);
  const gridBox = useRef<HTMLDivElement>(null);
  const width = useBoxWidth(gridBox);

  const chat = useMemo(
    () => new MeetingChat(api, realtime, meeting.id, me.id, (render) => announcer.say(render)),
    [api, realtime, meeting.id, me.id],
  );
  const chatState = useStore(chat.state);
  useEffect(() => {
    void chat.load();
    return () => chat.dispose();
  }, [chat]);
  useReloadOnReconnect(() => void chat.load());
  useEffect(() => chat.setVisible(panelOpen), [chat, panelOpen]);

  // Alt+M, Alt+C anywhere in the page while in the room (the chat box too).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = shortcutOf(event);
      if (!shortcut) return;
      event.preventDefault();
      if (shortcut === 'microphone') void conference.toggleMicrophone();
      else void conference.toggleCamera();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [conference]);

  const closePanel = () => {
    setPanelOpen(false);
    chatButton.current?.focus();
  };

  const { stage, tiles, hidden, audio, speakerKey } = arrangeTiles(roomTiles(state, me.name), speakers.state, {
    speakerView,
    selfId: state.participantId,
    lastOtherSpeaker: speakers.lastOtherSpeaker,
  });
  const layout = gridLayout(tiles.length, width);

  const notices = [...hostNotices(host, t)];
  if (props.reconnecting) notices.push(<p key="reconnecting" role="status">{t('live.reconnecting')}</p>);
  else if (state.connection === 'starting' || state.connection === 'connecting') {
    notices.push(<p key="connecting" role="status">{t('live.connecting')}</p>);
  } else if (state.connection === 'reconnecting') {
    notices.push(<p key="media-reconnecting" role="status">{t('live.media_reconnecting')}</p>);
  }
  if (state.connection === 'failed' && !props.reconnecting) {
    notices.push(
      <Alert key="lost" tone="error">
        <p>{t('live.lost')}</p>
        <Button onClick={() => void media.rejoin()}>{t('live.rejoin')}</Button>
      </Alert>,
    );
  }
  if (state.connection === 'unsupported') notices.push(<Alert key="unsupported" tone="error">{t('live.unsupported')}</Alert>);
  if (state.serverError) {
    notices.push(
      <Alert key="server" tone="error">{t('live.server_error', { code: state.serverError.code, detail: state.serverError.detail })}</Alert>,
    );
  }
  if (state.deviceProblem) {
    notices.push(
      <Alert key="device" tone="error">
        {t(`live.device_failed.${state.deviceProblem.device}`)} {t(`live.reason.${state.deviceProblem.problem}`)}
      </Alert>,
    );
  }

  const tileList = (
    <ul
      class={classes(stage ? styles.strip : styles.grid, !stage && kColumnClasses[layout.columns], !stage && tiles.length === 1 && styles.single)}
      aria-label={t('live.tiles')}
      // The strip scrolls sideways: reachable by keyboard.
      tabIndex={stage ? 0 : undefined}
    >
      {tiles.map((tile) => (
        <Tile key={tile.key} tile={tile} speaking={tile.key === speakerKey} onSize={reportTile} />
      ))}
    </ul>
  );

  return (
    <div class={styles.room}>
      <div class={styles.notices}>{notices}</div>
      <div class={classes(styles.body, (panelOpen || peopleOpen) && styles.withPanel)}>
        <div ref={gridBox} class={styles.stage}>
          {stage ? (
            <ul
              class={styles.stageTile}
              aria-label={stage.source === 'screen' ? t('live.tile.screen', { name: stage.name }) : t('live.stage.speaker', { name: stage.name })}
            >
              <Tile tile={stage} speaking={stage.key === speakerKey} onSize={reportTile} />
            </ul>
          ) : null}
          {tileList}
          {hidden > 0 ? <p class={styles.more}>{i18n.tp('live.more', hidden)}</p> : null}
          {state.participants.length === 0 ? <p class={styles.more}>{t('live.alone')}</p> : null}
        </div>
        {panelOpen ? <ChatPanel id={kSidePanelId} chat={chat} meetingId={meeting.id} onClose={closePanel} /> : null}
        {peopleOpen && !panelOpen ? (
          <ParticipantsPanel id={kPeoplePanelId} controls={host.controls} rows={host.rows} onClose={() => setPeopleOpen(false)} />
        ) : null}
      </div>
      <div role="group" aria-label={t('live.controls')} class={styles.toolbar}>
        <button
          type="button"
          class={styles.control}
          aria-pressed={state.microphoneOn ? 'true' : 'false'}
          aria-keyshortcuts={kShortcutKeys.microphone}
          onClick={() => void conference.toggleMicrophone()}
        >
          <MicrophoneIcon off={!state.microphoneOn} />
          {t('live.microphone')}
        </button>
        <button
          type="button"
          class={styles.control}
          aria-pressed={state.cameraOn ? 'true' : 'false'}
          aria-keyshortcuts={kShortcutKeys.camera}
          onClick={() => void conference.toggleCamera()}
        >
          <CameraIcon off={!state.cameraOn} />
          {t('live.camera')}
        </button>
        {state.canShare ? (
          <button
            type="button"
            class={classes(styles.control, styles.share)}
            aria-pressed={state.sharing === 'on' ? 'true' : 'false'}
            aria-disabled={state.sharing === 'starting' ? 'true' : undefined}
            onClick={() => {
              if (state.sharing === 'on') conference.stopScreenShare();
              else void conference.startScreenShare();
            }}
          >
            <ScreenIcon />
            {t('live.share')}
          </button>
        ) : null}
        <button
          type="button"
          class={styles.control}
          aria-pressed={speakerView ? 'true' : 'false'}
          onClick={() => setSpeakerView(!speakerView)}
        >
          <SpeakerViewIcon />
          {t('live.speaker_view')}
        </button>
        <HostToolbarButtons
          handle={host}
          peopleOpen={peopleOpen && !panelOpen}
          onPeople={() => {
            setPanelOpen(false);
            setPeopleOpen(!(peopleOpen && !panelOpen));
          }}
        />
        <button
          ref={chatButton}
          type="button"
          class={styles.control}
          aria-expanded={panelOpen ? 'true' : 'false'}
          aria-controls={panelOpen ? kSidePanelId : undefined}
          aria-describedby={chatState.unread > 0 ? 'chat-unread' : undefined}
          onClick={() => (panelOpen ? closePanel() : setPanelOpen(true))}
        >
          <ChatIcon />
          {t('live.chat')}
          {chatState.unread > 0 ? (
            <span class={styles.badge} aria-hidden="true">
              {chatState.unread}
            </span>
          ) : null}
        </button>
        {/* The button's name stays "Chat"; the count is its description. */}
        {chatState.unread > 0 ? (
          <span id="chat-unread" class="visually-hidden">
            {i18n.tp('chat.unread', chatState.unread)}
          </span>
        ) : null}
        <button type="button" class={classes(styles.control, styles.leave)} onClick={() => void media.leave(meeting.id)}>
          <LeaveIcon />
          {t('media.leave')}
        </button>
      </div>
      <p class={styles.shortcuts}>{t('live.shortcuts')}</p>
      <div hidden>
        {audio.map((track) => (track.stream ? <AudioView key={track.mid} stream={track.stream} /> : null))}
      </div>
    </div>
  );
}

function Tile(props: { tile: TileModel; speaking?: boolean; onSize?: (mid: string, size: { width: number; height: number } | null) => void }) {
  const { t } = useI18n();
  const { tile, speaking = false } = props;
  const screen = tile.source === 'screen';
  const label = tile.self && !screen ? t('live.you', { name: tile.name }) : screen ? t('live.tile.screen', { name: tile.name }) : tile.name;
  const ownScreen = tile.self && screen;
  return (
    <li
      class={classes(styles.tile, screen && styles.screenTile, speaking && styles.speaking)}
      data-testid={tile.self ? 'self-tile' : 'tile'}
      data-speaking={speaking ? 'true' : undefined}
      data-participant-id={tile.participantId === null ? undefined : String(tile.participantId)}
      data-source={tile.source}
    >
      {ownScreen ? (
        <p class={styles.ownScreen}>{t('live.tile.own_screen')}</p>
      ) : (
        <VideoView
          stream={tile.videoOn ? tile.stream : null}
          mirrored={tile.self}
          onSize={tile.mid !== undefined && props.onSize ? (size) => props.onSize?.(tile.mid ?? '', size) : undefined}
        />
      )}
      {!tile.videoOn && !ownScreen ? (
        <div class={styles.placeholder} aria-hidden="true">
          <span class={styles.initials}>{initialsOf(tile.name)}</span>
        </div>
      ) : null}
      {ownScreen ? null : (
        <p class={styles.caption}>
          {tile.microphoneOff && !screen ? <MicrophoneIcon off class={styles.captionIcon} /> : null}
          <span>{label}</span>
          {speaking ? <span class={styles.speakingBadge}>{t('live.tile.speaking')}</span> : null}
          {tile.microphoneOff && !screen ? <span class="visually-hidden">, {t('live.tile.microphone_off')}</span> : null}
          {!tile.videoOn && !screen ? <span class="visually-hidden">, {t('live.tile.camera_off')}</span> : null}
        </p>
      )}
    </li>
  );
}

// The width the tiles have (the viewport's until laid out).
function useBoxWidth(box: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const measure = () => {
      const measured = box.current?.clientWidth ?? 0;
      setWidth(measured > 0 ? measured : window.innerWidth);
    };
    measure();
    window.addEventListener('resize', measure);
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    if (observer && box.current) observer.observe(box.current);
    return () => {
      window.removeEventListener('resize', measure);
      observer?.disconnect();
    };
  }, []);
  return width;
}
