import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeAudioContext, FakeStream, FakeTrack } from '../test/fake_webrtc';
import { kLevelIntervalMs, LevelMeter, levelOfSamples } from './level_meter';

afterEach(() => {
  vi.useRealTimers();
  FakeAudioContext.sample = 0;
});

describe('levelOfSamples', () => {
  it('maps the RMS from -60 dBFS (0) to -10 dBFS (1), in steps of 5 %', () => {
    expect(levelOfSamples(new Float32Array(128))).toBe(0);
    expect(levelOfSamples(new Float32Array(128).fill(0.001))).toBe(0); // -60 dB
    expect(levelOfSamples(new Float32Array(128).fill(0.01))).toBeCloseTo(0.4); // -40 dB
    expect(levelOfSamples(new Float32Array(128).fill(0.1))).toBeCloseTo(0.8); // -20 dB
    expect(levelOfSamples(new Float32Array(128).fill(-0.5))).toBe(1);
    expect(levelOfSamples([])).toBe(0);
  });
});

describe('LevelMeter', () => {
  it('reads the analyser every 100 ms, 0 while the track is disabled; stop() closes the context', () => {
    vi.useFakeTimers();
    let context: FakeAudioContext | null = null;
    const track = new FakeTrack('audio');
    const meter = new LevelMeter(
      () => {
        context = new FakeAudioContext();
        return context as unknown as AudioContext;
      },
      track as unknown as MediaStreamTrack,
      (tracks) => new FakeStream(tracks as unknown as FakeTrack[]) as unknown as MediaStream,
    );
    FakeAudioContext.sample = 0.1;
    vi.advanceTimersByTime(kLevelIntervalMs);
    expect(meter.level.get()).toBeCloseTo(0.8);
    track.enabled = false;
    vi.advanceTimersByTime(kLevelIntervalMs);
    expect(meter.level.get()).toBe(0);
    meter.stop();
    expect(context!.closed).toBe(true);
  });
});
