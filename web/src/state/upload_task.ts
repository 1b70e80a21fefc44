import { isAbort } from '../api/client';
import { Store } from './store';

export type UploadPhase = 'idle' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadState<T> {
  phase: UploadPhase;
  // Bytes sent so far, of `total`.
  loaded: number;
  total: number;
  result: T | null;
  // Set in phase "failed": an ApiError (problem+json, network) or whatever
  // else the request threw.
  error: unknown;
}

// Sends the file; calls `progress` as bytes go out and stops when `signal`
// aborts (rejecting with an AbortError).
export type UploadSend<T> = (progress: (loaded: number, total: number) => void, signal: AbortSignal) => Promise<T>;

// How often the progress is read out: every tenth of the way.
export const kAnnounceStep = 0.1;

function idle<T>(): UploadState<T> {
  return { phase: 'idle', loaded: 0, total: 0, result: null, error: null };
}

// One upload at a time with its progress, for the views: start() sends,
// cancel() aborts the request (nothing of it is kept by the server). Plain
// TypeScript, no DOM: the request itself is the caller's `send`.
export class UploadTask<T> {
  readonly state = new Store<UploadState<T>>(idle<T>());
  private controller_: AbortController | null = null;

  get busy(): boolean {
    return this.state.get().phase === 'uploading';
  }

  // Resolves with the answer, or null when the upload failed or was
  // cancelled (the state says which). A second start() while one runs is
  // refused (null).
  async start(total: number, send: UploadSend<T>): Promise<T | null> {
    if (this.busy) return null;
    const controller = new AbortController();
    this.controller_ = controller;
    this.state.set({ phase: 'uploading', loaded: 0, total, result: null, error: null });
    const progress = (loaded: number, knownTotal: number) => {
      if (this.controller_ !== controller) return;
      const current = this.state.get();
      const all = knownTotal > 0 ? knownTotal : current.total;
      // Progress only moves forward, and never past the total.
      const sent = Math.min(Math.max(loaded, current.loaded), all > 0 ? all : loaded);
      this.state.set({ ...current, loaded: sent, total: all });
    };
    try {
      const result = await send(progress, controller.signal);
      if (this.controller_ !== controller) return null;
      const current = this.state.get();
      this.state.set({ phase: 'done', loaded: current.total, total: current.total, result, error: null });
      return result;
    } catch (error) {
      if (this.controller_ !== controller) return null;
      const current = this.state.get();
      if (isAbort(error)) this.state.set({ ...current, phase: 'cancelled' });
      else this.state.set({ ...current, phase: 'failed', error });
      return null;
    } finally {
      if (this.controller_ === controller) this.controller_ = null;
    }
  }

  cancel(): void {
    if (!this.busy) return;
    this.controller_?.abort();
  }

  // Back to idle (a new file chosen); an upload under way is cancelled.
  reset(): void {
    this.controller_?.abort();
    this.controller_ = null;
    this.state.set(idle<T>());
  }
}

// How far the upload is, 0…1.
export function uploadFraction(state: Pick<UploadState<unknown>, 'phase' | 'loaded' | 'total'>): number {
  if (state.phase === 'done') return 1;
  if (state.total <= 0) return 0;
  return Math.min(1, Math.max(0, state.loaded / state.total));
}

// The fraction rounded down to the last step read out (0, 0.1, … 1), so that
// a live region speaks ten times per upload, not at every progress event.
export function announcedFraction(fraction: number, step = kAnnounceStep): number {
  const steps = Math.floor((fraction + 1e-9) / step);
  return Math.min(1, steps * step);
}
