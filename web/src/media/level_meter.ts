import { Store } from '../state/store';

// Loudness shown from -60 dBFS (silence, 0) to -10 dBFS (speaking close to
// the microphone, 1): a meter that moves in the middle for normal speech.
const kFloorDb = -60;
const kCeilingDb = -10;
export const kLevelIntervalMs = 100;
// The level is rounded to this step so that the view re-renders only when
// the bar visibly moves.
const kLevelStep = 0.05;

// The level 0..1 of one block of samples (-1..1) from their RMS, on a
// decibel scale.
export function levelOfSamples(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return 0;
  const db = 20 * Math.log10(rms);
  const level = (db - kFloorDb) / (kCeilingDb - kFloorDb);
  const clamped = Math.min(1, Math.max(0, level));
  return Math.round(clamped / kLevelStep) * kLevelStep;
}

// The microphone level of one audio track, read every 100 ms through an
// AnalyserNode. `level` is 0 while the track is disabled (muted). stop()
// closes the AudioContext.
export class LevelMeter {
  readonly level = new Store(0);
  private readonly context_: AudioContext;
  private readonly timer_: ReturnType<typeof setInterval>;
  private readonly buffer_: Float32Array<ArrayBuffer>;

  constructor(
    createContext: () => AudioContext,
    private readonly track: MediaStreamTrack,
    createStream: (tracks: MediaStreamTrack[]) => MediaStream,
  ) {
    this.context_ = createContext();
    const source = this.context_.createMediaStreamSource(createStream([track]));
    const analyser = this.context_.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    this.buffer_ = new Float32Array(analyser.fftSize);
    this.timer_ = setInterval(() => {
      if (!this.track.enabled || this.track.readyState === 'ended') {
        this.level.set(0);
        return;
      }
      analyser.getFloatTimeDomainData(this.buffer_);
      this.level.set(levelOfSamples(this.buffer_));
    }, kLevelIntervalMs);
  }

  // A context made without a user gesture starts suspended; call this from
  // one (a click on the pre-join screen).
  resume(): void {
    if (this.context_.state === 'suspended') void this.context_.resume().catch(() => undefined);
  }

  stop(): void {
    clearInterval(this.timer_);
    void this.context_.close().catch(() => undefined);
  }
}
