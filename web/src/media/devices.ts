import type { MediaDevicesLike } from './media_env';

// The camera and microphone chosen on the pre-join screen, remembered in
// localStorage for the next meeting. An empty id is "the browser's default".
export interface DevicePrefs {
  cameraId: string;
  microphoneId: string;
  cameraOn: boolean;
  microphoneOn: boolean;
}

export const kDevicePrefsKey = 'egovbox.media.devices';

export const kDefaultDevicePrefs: DevicePrefs = { cameraId: '', microphoneId: '', cameraOn: true, microphoneOn: true };

export function readDevicePrefs(storage: Storage | null): DevicePrefs {
  try {
    const raw = storage?.getItem(kDevicePrefsKey);
    if (!raw) return { ...kDefaultDevicePrefs };
    const parsed = JSON.parse(raw) as Partial<Record<keyof DevicePrefs, unknown>>;
    return {
      cameraId: typeof parsed.cameraId === 'string' ? parsed.cameraId : '',
      microphoneId: typeof parsed.microphoneId === 'string' ? parsed.microphoneId : '',
      cameraOn: typeof parsed.cameraOn === 'boolean' ? parsed.cameraOn : true,
      microphoneOn: typeof parsed.microphoneOn === 'boolean' ? parsed.microphoneOn : true,
    };
  } catch {
    return { ...kDefaultDevicePrefs };
  }
}

export function saveDevicePrefs(storage: Storage | null, prefs: DevicePrefs): void {
  try {
    storage?.setItem(kDevicePrefsKey, JSON.stringify(prefs));
  } catch {
    // Private mode or a full quota: remembered for this page only.
  }
}

// Why no device could be opened, for a sentence on the screen:
//  denied       - the person (or a policy) refused the permission
//  none         - no such device
//  busy         - another program holds it
//  unsupported  - no camera/microphone API here (an old browser, or a page
//                 that is not a secure context)
//  failed       - anything else
export type DeviceProblem = 'denied' | 'none' | 'busy' | 'unsupported' | 'failed';

export function deviceProblemOf(error: unknown): DeviceProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'none';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  return 'failed';
}

const kVideoIdeal = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

export function audioConstraints(deviceId: string): MediaTrackConstraints | boolean {
  const base = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

export function videoConstraints(deviceId: string): MediaTrackConstraints {
  return deviceId ? { ...kVideoIdeal, deviceId: { exact: deviceId } } : { ...kVideoIdeal };
}

export interface OpenedMedia {
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  // Set when something asked for could not be opened.
  problem: DeviceProblem | null;
}

async function tryOpen(
  devices: MediaDevicesLike,
  audio: MediaTrackConstraints | boolean,
  video: MediaTrackConstraints | boolean,
): Promise<{ audio: MediaStreamTrack | null; video: MediaStreamTrack | null }> {
  const stream = await devices.getUserMedia({ audio, video });
  return { audio: stream.getAudioTracks()[0] ?? null, video: stream.getVideoTracks()[0] ?? null };
}

// Opens the microphone and/or the camera. Both are asked for at once (one
// permission prompt); when that fails for a reason other than a refusal,
// each is tried alone, and a remembered device that is gone gives way to the
// default one. Never throws.
export async function openLocalMedia(
  devices: MediaDevicesLike | null,
  want: { audio: boolean; video: boolean },
  prefs: Pick<DevicePrefs, 'cameraId' | 'microphoneId'>,
): Promise<OpenedMedia> {
  if (!want.audio && !want.video) return { audio: null, video: null, problem: null };
  if (!devices) return { audio: null, video: null, problem: 'unsupported' };
  const audio = want.audio ? audioConstraints(prefs.microphoneId) : false;
  const video = want.video ? videoConstraints(prefs.cameraId) : false;
  try {
    return { ...(await tryOpen(devices, audio, video)), problem: null };
  } catch (error) {
    const problem = deviceProblemOf(error);
    if (problem === 'denied' || problem === 'unsupported') return { audio: null, video: null, problem };
    // One at a time, falling back to the default device.
    const result: OpenedMedia = { audio: null, video: null, problem: null };
    let last: DeviceProblem | null = problem;
    for (const kind of ['audio', 'video'] as const) {
      if (!want[kind]) continue;
      const id = kind === 'audio' ? prefs.microphoneId : prefs.cameraId;
      const attempts = id ? [id, ''] : [''];
      for (const attemptId of attempts) {
        try {
          const opened =
            kind === 'audio'
              ? await tryOpen(devices, audioConstraints(attemptId), false)
              : await tryOpen(devices, false, videoConstraints(attemptId));
          result[kind] = opened[kind];
          break;
        } catch (again) {
          last = deviceProblemOf(again);
          if (last === 'denied') break;
        }
      }
    }
    const missing = (want.audio && !result.audio) || (want.video && !result.video);
    result.problem = missing ? last : null;
    return result;
  }
}

export interface DeviceChoice {
  id: string;
  label: string;
}

// The cameras and microphones for the pre-join choice. Labels are empty
// until a permission was granted; `unnamed(n)` names them then.
export async function listDevices(
  devices: MediaDevicesLike | null,
): Promise<{ cameras: DeviceChoice[]; microphones: DeviceChoice[] }> {
  if (!devices) return { cameras: [], microphones: [] };
  let infos: MediaDeviceInfo[];
  try {
    infos = await devices.enumerateDevices();
  } catch {
    return { cameras: [], microphones: [] };
  }
  const pick = (kind: MediaDeviceKind) =>
    infos
      .filter((info) => info.kind === kind && info.deviceId !== '' && info.deviceId !== 'default')
      .map((info) => ({ id: info.deviceId, label: info.label }));
  return { cameras: pick('videoinput'), microphones: pick('audioinput') };
}

// The device id a live track came from (to show it as chosen).
export function deviceIdOf(track: MediaStreamTrack | null): string {
  if (!track || typeof track.getSettings !== 'function') return '';
  return track.getSettings().deviceId ?? '';
}
