import { beforeEach, describe, expect, it } from 'vitest';
import { fakeMediaDevices } from '../test/fake_webrtc';
import { deviceProblemOf, kDevicePrefsKey, listDevices, openLocalMedia, readDevicePrefs, saveDevicePrefs } from './devices';

beforeEach(() => window.localStorage.clear());

describe('device preferences', () => {
  it('are remembered in localStorage, with defaults for anything missing or broken', () => {
    expect(readDevicePrefs(window.localStorage)).toEqual({ cameraId: '', microphoneId: '', cameraOn: true, microphoneOn: true });
    saveDevicePrefs(window.localStorage, { cameraId: 'cam-2', microphoneId: 'mic-1', cameraOn: false, microphoneOn: true });
    expect(readDevicePrefs(window.localStorage)).toEqual({ cameraId: 'cam-2', microphoneId: 'mic-1', cameraOn: false, microphoneOn: true });
    window.localStorage.setItem(kDevicePrefsKey, '{"cameraId": 5, "cameraOn": "yes"');
    expect(readDevicePrefs(window.localStorage).cameraOn).toBe(true);
    expect(readDevicePrefs(null).cameraId).toBe('');
  });
});

describe('openLocalMedia', () => {
  it('asks for both at once with the chosen devices', async () => {
    const media = fakeMediaDevices();
    const opened = await openLocalMedia(media.devices, { audio: true, video: true }, { cameraId: 'cam-2', microphoneId: '' });
    expect(media.requests).toHaveLength(1);
    expect(media.requests[0].video).toMatchObject({ deviceId: { exact: 'cam-2' } });
    expect(opened.audio?.kind).toBe('audio');
    expect((opened.video as unknown as { deviceId: string }).deviceId).toBe('cam-2');
    expect(opened.problem).toBeNull();
  });

  it('says "denied" when the permission is refused, and tries no further', async () => {
    const media = fakeMediaDevices({ fail: 'NotAllowedError' });
    const opened = await openLocalMedia(media.devices, { audio: true, video: true }, { cameraId: '', microphoneId: '' });
    expect(opened).toEqual({ audio: null, video: null, problem: 'denied' });
    expect(media.requests).toHaveLength(1);
  });

  it('tries each device alone, and the default one, when the pair cannot be opened', async () => {
    const media = fakeMediaDevices({ fail: 'NotFoundError' });
    const opened = await openLocalMedia(media.devices, { audio: true, video: true }, { cameraId: 'gone', microphoneId: '' });
    // both, microphone alone, the remembered camera, the default camera
    expect(media.requests).toHaveLength(4);
    expect(opened.problem).toBe('none');
  });

  it('says "unsupported" without a devices API and asks nothing when nothing is wanted', async () => {
    expect((await openLocalMedia(null, { audio: true, video: false }, { cameraId: '', microphoneId: '' })).problem).toBe('unsupported');
    const media = fakeMediaDevices();
    expect(await openLocalMedia(media.devices, { audio: false, video: false }, { cameraId: '', microphoneId: '' })).toEqual({
      audio: null,
      video: null,
      problem: null,
    });
    expect(media.requests).toHaveLength(0);
  });

  it('names the problems of getUserMedia', () => {
    expect(deviceProblemOf(new DOMException('', 'NotReadableError'))).toBe('busy');
    expect(deviceProblemOf(new DOMException('', 'OverconstrainedError'))).toBe('none');
    expect(deviceProblemOf(new Error('x'))).toBe('failed');
  });
});

describe('listDevices', () => {
  it('lists cameras and microphones', async () => {
    const media = fakeMediaDevices({ cameras: 2, microphones: 1 });
    const found = await listDevices(media.devices);
    expect(found.cameras.map((c) => c.id)).toEqual(['cam-1', 'cam-2']);
    expect(found.microphones).toEqual([{ id: 'mic-1', label: 'Микрофон A' }]);
  });
});
