import { useEffect, useRef, useState } from 'preact/hooks';
import type { Id } from '../api/types';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { problemText } from '../ui/problem_text';
import styles from './HostControls.module.css';
import { handQueue, type MeetingControls, type ParticipantRow } from './host_controls';
import { CameraIcon, HandIcon, MicrophoneIcon } from './Icons';
import live from './Live.module.css';

// The host's per-person buttons that silence a source: mute, stop video.
const kMuteButtons = [
  { source: 'microphone', label: 'host.mute', named: 'host.mute_name' },
  { source: 'camera', label: 'host.stop_video', named: 'host.stop_video_name' },
] as const;

// What waits for a second press: removing someone, ending for all.
type Confirm = { kind: 'remove'; row: ParticipantRow } | { kind: 'end' } | null;

// The side panel with everyone in the room (muted, camera off, hand raised
// with its place in line, host, speaking), the raised hands in order, and
// for hosts and co-hosts: who waits in the lobby (admit, decline), per
// person mute / stop camera / remove, and mute everyone, lock, end for all.
// Removing and ending ask first. Escape closes it.
export function ParticipantsPanel(props: { id: string; controls: MeetingControls; rows: ParticipantRow[]; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { controls, rows } = props;
  const state = useStore(controls.state);
  const host = controls.isHost;
  const [confirm, setConfirm] = useState<Confirm>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const queue = handQueue(state.hands, rows);

  useEffect(() => heading.current?.focus(), []);
  // The question takes focus; once answered, focus goes back to the panel's heading.
  const asking = confirm !== null;
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmButton.current?.focus();
    else if (wasAsking.current) heading.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const blocked = state.busy ? 'true' : undefined;
  const act = (action: () => Promise<boolean>) => () => {
    if (!state.busy) void action();
  };

  let confirmBox = null;
  if (confirm) {
    const question = confirm.kind === 'end' ? t('host.end_confirm') : t('host.remove_confirm', { name: confirm.row.name });
    const yes =
      confirm.kind === 'end'
        ? () => void controls.endForAll().then(() => setConfirm(null))
        : () => void controls.remove(confirm.row.employeeId, confirm.row.name).then(() => setConfirm(null));
    confirmBox = (
      <div role="alertdialog" aria-modal="false" aria-labelledby="host-confirm-question" class={styles.confirm}>
        <p id="host-confirm-question">{question}</p>
        <div class={styles.buttons}>
          <Button variant="danger" buttonRef={confirmButton} aria-disabled={blocked} onClick={yes} data-testid="host-confirm">
            {confirm.kind === 'end' ? t('host.end') : t('host.remove')}
          </Button>
          <Button variant="secondary" onClick={() => setConfirm(null)}>
            {t('host.cancel')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <aside
      id={props.id}
      class={live.panel}
      aria-label={t('host.panel')}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          if (confirm) setConfirm(null);
          else props.onClose();
        }
      }}
    >
      <div class={live.panelHeader}>
        <h2 ref={heading} tabIndex={-1}>
          {t('host.title', { count: rows.length })}
        </h2>
        <Button variant="quiet" onClick={props.onClose}>
          {t('host.close')}
        </Button>
      </div>
      {state.error ? <Alert tone="error">{problemText(i18n, state.error)}</Alert> : null}
      {confirmBox}

      {host ? (
        <section aria-labelledby="host-lobby" data-testid="lobby">
          <h3 id="host-lobby">{t('host.lobby')}</h3>
          {state.lobby.length === 0 ? <p>{t('host.lobby_empty')}</p> : null}
          <ul class={styles.list}>
            {state.lobby.map((entry) => (
              <li key={String(entry.knock_id)} class={styles.row} data-testid="lobby-entry">
                <span class={styles.name}>{entry.employee.name}</span>
                <span class={styles.buttons}>
                  <Button aria-label={t('host.admit_name', { name: entry.employee.name })} aria-disabled={blocked} onClick={act(() => controls.admit(entry))}>
                    {t('host.admit')}
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={t('host.decline_name', { name: entry.employee.name })}
                    aria-disabled={blocked}
                    onClick={act(() => controls.decline(entry))}
                  >
                    {t('host.decline')}
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {queue.length > 0 ? (
        <section aria-labelledby="host-hands">
          <h3 id="host-hands">{t('host.hands')}</h3>
          <ol class={styles.list} data-testid="hand-queue">
            {queue.map((row) => (
              <li key={row.key} class={styles.row}>
                <span class={styles.name}>{row.self ? t('host.you', { name: row.name }) : row.name}</span>
                {host && row.participantId !== null ? (
                  <Button
                    variant="secondary"
                    aria-label={t('host.lower_hand_name', { name: row.name })}
                    aria-disabled={blocked}
                    onClick={act(() => controls.lowerHand(row.participantId as Id))}
                  >
                    {t('host.lower_hand')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <section aria-labelledby="host-people">
        <h3 id="host-people">{t('host.list')}</h3>
        <ul class={styles.list} data-testid="participant-list">
          {rows.map((row) => (
            <li key={row.key} class={styles.person} data-testid="participant" data-participant-id={row.participantId === null ? undefined : String(row.participantId)}>
              <p class={styles.who}>
                <span class={styles.name}>{row.self ? t('host.you', { name: row.name }) : row.name}</span>
                {row.host ? <span class={styles.tag}>{t('host.role_host')}</span> : null}
                {row.speaking ? <span class={styles.tag}>{t('host.speaking')}</span> : null}
                {row.microphoneOff ? <MicrophoneIcon off class={styles.icon} /> : null}
                {row.cameraOff ? (
                  <span class={styles.icon}>
                    <CameraIcon off />
                  </span>
                ) : null}
                {row.handPosition !== null ? (
                  <span class={styles.hand} aria-hidden="true">
                    <HandIcon class={styles.icon} />
                    {row.handPosition}
                  </span>
                ) : null}
                <span class="visually-hidden">
                  {row.microphoneOff ? `, ${t('host.microphone_off')}` : ''}
                  {row.cameraOff ? `, ${t('host.camera_off')}` : ''}
                  {row.handPosition !== null ? `, ${t('host.hand', { position: row.handPosition })}` : ''}
                </span>
              </p>
              {host && !row.self && row.participantId !== null ? (
                <span class={styles.buttons}>
                  {kMuteButtons.map((button) => (
                    <Button
                      key={button.source}
                      variant="secondary"
                      aria-label={t(button.named, { name: row.name })}
                      aria-disabled={blocked}
                      onClick={act(() => controls.mute(row.participantId as Id, button.source))}
                    >
                      {t(button.label)}
                    </Button>
                  ))}
                  <Button variant="danger" aria-label={t('host.remove_name', { name: row.name })} onClick={() => setConfirm({ kind: 'remove', row })}>
                    {t('host.remove')}
                  </Button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {host ? (
        <div role="group" aria-label={t('host.controls')} class={styles.buttons}>
          <Button variant="secondary" aria-disabled={blocked} onClick={act(() => controls.muteAll())}>
            {t('host.mute_all')}
          </Button>
          <Button variant="secondary" aria-pressed={state.locked ? 'true' : 'false'} aria-disabled={blocked} onClick={act(() => controls.setLocked(!state.locked))}>
            {t('host.lock')}
          </Button>
          <Button variant="danger" onClick={() => setConfirm({ kind: 'end' })}>
            {t('host.end')}
          </Button>
        </div>
      ) : null}
    </aside>
  );
}
