import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Meeting } from '../api/types';
import { Link } from '../app/Link';
import { meetingPath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/use_store';
import { useI18n } from '../i18n/I18nContext';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { SelectField } from '../ui/SelectField';
import {
  deviceIdOf,
  listDevices,
  openLocalMedia,
  readDevicePrefs,
  saveDevicePrefs,
  type DeviceChoice,
  type DevicePrefs,
  type DeviceProblem,
} from './devices';
import { CameraIcon, MicrophoneIcon } from './Icons';
import { LevelMeter } from './level_meter';
import styles from './Live.module.css';
import { initialsOf } from './room_layout';
import { VideoView } from './VideoView';

interface Opened {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
}

// Before joining: the camera's preview (mirrored), which camera and which
// microphone (remembered), the microphone's level, joining with either on
// or off. A refused permission is explained, and joining without devices is
// always possible. The tracks opened here go with the person into the room.
export function PreJoin(props: {
  meeting: Meeting;
  myName: string;
  // A refusal or failure of the last attempt to join.
  notice?: ComponentChildren;
  // Why joining is not possible now (the door is not open); null when it is.
  closedNote: string | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { media } = useServices();
  const env = media.env;
  const [prefs, setPrefsState] = useState<DevicePrefs>(() => readDevicePrefs(env.storage));
  const [opened, setOpened] = useState<Opened>({ microphone: null, camera: null });
  const [opening, setOpening] = useState(true);
  const [problem, setProblem] = useState<DeviceProblem | null>(null);
  const [choices, setChoices] = useState<{ cameras: DeviceChoice[]; microphones: DeviceChoice[] }>({ cameras: [], microphones: [] });
  const [meter, setMeter] = useState<LevelMeter | null>(null);
  // The tracks now open, for the clean-up; handed over on joining.
  const live = useRef<Opened & { handedOver: boolean; mounted: boolean }>({
    microphone: null,
    camera: null,
    handedOver: false,
    mounted: true,
  });
  // The opening under way (a permission prompt may be showing): joining
  // waits for it, from the first render on.
  const first = useMemo(() => {
    let resolve = () => undefined as void;
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve };
  }, []);
  const opening_ = useRef<Promise<void>>(first.promise);
  const [joining, setJoining] = useState(false);

  const setPrefs = (next: DevicePrefs) => {
    setPrefsState(next);
    saveDevicePrefs(env.storage, next);
  };

  const replace = (kind: keyof Opened, track: MediaStreamTrack | null) => {
    const old = live.current[kind];
    if (old && old !== track) old.stop();
    live.current[kind] = track;
    setOpened((current) => ({ ...current, [kind]: track }));
  };

  // Opens what is asked for (with the devices of `using`) in place of what
  // was open of that kind.
  const open = (want: { audio: boolean; video: boolean }, using: DevicePrefs): Promise<void> => {
    const next = opening_.current.then(() => openNow(want, using));
    opening_.current = next;
    return next;
  };

  const openNow = async (want: { audio: boolean; video: boolean }, using: DevicePrefs) => {
    if (!live.current.mounted || live.current.handedOver) return;
    setOpening(true);
    if (want.audio) replace('microphone', null);
    if (want.video) replace('camera', null);
    const result = await openLocalMedia(env.devices, want, using);
    if (!live.current.mounted || live.current.handedOver) {
      result.audio?.stop();
      result.video?.stop();
      return;
    }
    if (result.audio) {
      result.audio.enabled = using.microphoneOn;
      replace('microphone', result.audio);
    }
    if (result.video) replace('camera', result.video);
    setProblem(result.problem);
    setOpening(false);
    setChoices(await listDevices(env.devices));
  };

  useEffect(() => {
    void openNow({ audio: true, video: prefs.cameraOn }, prefs).finally(first.resolve);
    const refresh = () => void listDevices(env.devices).then((found) => live.current.mounted && setChoices(found));
    env.devices?.addEventListener?.('devicechange', refresh);
    const current = live.current;
    return () => {
      current.mounted = false;
      env.devices?.removeEventListener?.('devicechange', refresh);
      if (!current.handedOver) {
        current.microphone?.stop();
        current.camera?.stop();
      }
    };
  }, []);

  // The level meter follows the microphone track.
  useEffect(() => {
    const create = env.createAudioContext;
    if (!opened.microphone || !create) {
      setMeter(null);
      return;
    }
    let made: LevelMeter;
    try {
      made = new LevelMeter(create, opened.microphone, env.createStream);
    } catch {
      setMeter(null);
      return;
    }
    setMeter(made);
    return () => made.stop();
  }, [opened.microphone]);

  const toggleMicrophone = () => {
    meter?.resume();
    const on = !prefs.microphoneOn;
    const next = { ...prefs, microphoneOn: on };
    setPrefs(next);
    if (opened.microphone) opened.microphone.enabled = on;
    else if (on) void open({ audio: true, video: false }, next);
  };

  const toggleCamera = () => {
    meter?.resume();
    const on = !prefs.cameraOn;
    const next = { ...prefs, cameraOn: on };
    setPrefs(next);
    if (on) void open({ audio: false, video: true }, next);
    else replace('camera', null);
  };

  const chooseCamera = (cameraId: string) => {
    const next = { ...prefs, cameraId };
    setPrefs(next);
    if (prefs.cameraOn) void open({ audio: false, video: true }, next);
  };

  const chooseMicrophone = (microphoneId: string) => {
    meter?.resume();
    const next = { ...prefs, microphoneId };
    setPrefs(next);
    void open({ audio: true, video: false }, next);
  };

  const join = async () => {
    if (joining) return;
    setJoining(true);
    await opening_.current;
    if (!live.current.mounted) return;
    live.current.handedOver = true;
    const microphone = live.current.microphone;
    const camera = prefs.cameraOn ? live.current.camera : null;
    if (!prefs.cameraOn) live.current.camera?.stop();
    void media.joinMeeting(props.meeting.id, {
      microphone,
      camera,
      microphoneOn: prefs.microphoneOn && microphone !== null,
      cameraOn: camera !== null,
      opened: true,
    });
  };

  const deviceOptions = (found: DeviceChoice[], unnamed: (n: number) => string) => [
    { value: '', label: t('live.prejoin.default_device') },
    ...found.map((device, index) => ({ value: device.id, label: device.label || unnamed(index + 1) })),
  ];
  const chosen = (found: DeviceChoice[], wanted: string, track: MediaStreamTrack | null) => {
    const id = wanted || deviceIdOf(track);
    return found.some((device) => device.id === id) ? id : '';
  };
  const cameraShown = prefs.cameraOn && opened.camera !== null;

  return (
    <div class={styles.prejoin}>
      <div>
        <p class={styles.lead}>{t('live.prejoin.lead')}</p>
        <div class={styles.previewBox} data-testid="prejoin-preview">
          <VideoView
            track={cameraShown ? opened.camera : null}
            mirrored
            label={t('live.prejoin.preview')}
          />
          {cameraShown ? null : (
            <div class={styles.placeholder}>
              <span class={styles.initials} aria-hidden="true">
                {initialsOf(props.myName)}
              </span>
              <span class="visually-hidden">{t('live.prejoin.camera_off')}</span>
            </div>
          )}
        </div>
      </div>
      <div class={styles.settings}>
        {props.notice}
        {opening ? <p role="status">{t('live.prejoin.opening')}</p> : null}
        {problem ? (
          <Alert tone="info">
            <p>{t(`live.problem.${problem}`)}</p>
            {problem !== 'unsupported' && problem !== 'none' ? (
              <Button variant="secondary" onClick={() => void open({ audio: true, video: prefs.cameraOn }, prefs)}>
                {t('live.retry')}
              </Button>
            ) : null}
          </Alert>
        ) : null}
        <div class={styles.toggles}>
          <button
            type="button"
            class={styles.control}
            aria-pressed={prefs.microphoneOn ? 'true' : 'false'}
            onClick={toggleMicrophone}
          >
            <MicrophoneIcon off={!prefs.microphoneOn} />
            {t('live.microphone')}
          </button>
          <button
            type="button"
            class={styles.control}
            aria-pressed={prefs.cameraOn ? 'true' : 'false'}
            onClick={toggleCamera}
          >
            <CameraIcon off={!prefs.cameraOn} />
            {t('live.camera')}
          </button>
        </div>
        {choices.cameras.length > 0 ? (
          <SelectField
            label={t('live.prejoin.which_camera')}
            value={chosen(choices.cameras, prefs.cameraId, opened.camera)}
            onValue={chooseCamera}
            options={deviceOptions(choices.cameras, (n) => t('live.prejoin.camera_n', { n }))}
          />
        ) : null}
        {choices.microphones.length > 0 ? (
          <SelectField
            label={t('live.prejoin.which_microphone')}
            value={chosen(choices.microphones, prefs.microphoneId, opened.microphone)}
            onValue={chooseMicrophone}
            options={deviceOptions(choices.microphones, (n) => t('live.prejoin.microphone_n', { n }))}
          />
        ) : null}
        {meter && opened.microphone ? <MicrophoneLevel meter={meter} /> : null}
        <div class={styles.actions}>
          <Button
            onClick={() => void join()}
            disabled={props.closedNote !== null}
            aria-disabled={joining ? 'true' : undefined}
          >
            {t('live.prejoin.join')}
          </Button>
          <Link href={meetingPath(props.meeting.id)}>{t('live.back')}</Link>
        </div>
        {props.closedNote ? <p class={styles.help}>{props.closedNote}</p> : null}
      </div>
    </div>
  );
}

// A <meter> (role "meter", its value read out as a percentage), 0–100 %.
function MicrophoneLevel(props: { meter: LevelMeter }) {
  const i18n = useI18n();
  const { t } = i18n;
  const level = useStore(props.meter.level);
  return (
    <div class={styles.meterRow}>
      <label class={styles.meterLabel} for="microphone-level">
        {t('live.prejoin.meter')}
      </label>
      <meter
        id="microphone-level"
        class={styles.meter}
        min={0}
        max={100}
        low={10}
        high={90}
        optimum={50}
        value={Math.round(level * 100)}
        aria-valuetext={i18n.percent(level)}
        data-testid="microphone-level"
      />
      <p class={styles.help}>{t('live.prejoin.meter_help')}</p>
    </div>
  );
}
