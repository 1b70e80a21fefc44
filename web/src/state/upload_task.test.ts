import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem';
import { announcedFraction, UploadTask, uploadFraction, type UploadSend } from './upload_task';

// A send whose progress and outcome the test drives.
function controlledSend<T>() {
  let progress: (loaded: number, total: number) => void = () => {};
  let signal: AbortSignal | null = null;
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const send: UploadSend<T> = (onProgress, abortSignal) => {
    progress = onProgress;
    signal = abortSignal;
    return new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
      abortSignal.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError')));
    });
  };
  return {
    send,
    progress: (loaded: number, total: number) => progress(loaded, total),
    resolve: (value: T) => resolve(value),
    reject: (error: unknown) => reject(error),
    signal: () => signal,
  };
}

describe('UploadTask', () => {
  it('follows the progress forward only, then ends done with the answer', async () => {
    const task = new UploadTask<string>();
    const net = controlledSend<string>();
    const result = task.start(1000, net.send);
    expect(task.state.get()).toMatchObject({ phase: 'uploading', loaded: 0, total: 1000 });
    net.progress(250, 1000);
    expect(uploadFraction(task.state.get())).toBe(0.25);
    // An older event arriving late does not move the bar back.
    net.progress(100, 1000);
    expect(task.state.get().loaded).toBe(250);
    // Never past the total.
    net.progress(5000, 1000);
    expect(task.state.get().loaded).toBe(1000);
    net.resolve('doc-1');
    await expect(result).resolves.toBe('doc-1');
    expect(task.state.get()).toMatchObject({ phase: 'done', result: 'doc-1' });
    expect(uploadFraction(task.state.get())).toBe(1);
  });

  it('takes the size it was given when the browser does not know the total', () => {
    const task = new UploadTask<string>();
    const net = controlledSend<string>();
    void task.start(400, net.send);
    net.progress(100, 0);
    expect(task.state.get()).toMatchObject({ loaded: 100, total: 400 });
  });

  it('cancels: aborts the request and ends "cancelled", not failed', async () => {
    const task = new UploadTask<string>();
    const net = controlledSend<string>();
    const result = task.start(1000, net.send);
    net.progress(500, 1000);
    task.cancel();
    await expect(result).resolves.toBeNull();
    expect(net.signal()?.aborted).toBe(true);
    expect(task.state.get()).toMatchObject({ phase: 'cancelled', loaded: 500 });
  });

  it('keeps the error of a failed upload', async () => {
    const task = new UploadTask<string>();
    const net = controlledSend<string>();
    const result = task.start(10, net.send);
    const refused = new ApiError({ type: 'urn:egovbox:problem:document-too-large', status: 413, detail: 'Твърде голям.' });
    net.reject(refused);
    await expect(result).resolves.toBeNull();
    expect(task.state.get().phase).toBe('failed');
    expect(task.state.get().error).toBe(refused);
  });

  it('refuses a second start while one runs, and reset() stops it', async () => {
    const task = new UploadTask<string>();
    const first = controlledSend<string>();
    const result = task.start(10, first.send);
    await expect(task.start(10, controlledSend<string>().send)).resolves.toBeNull();
    task.reset();
    await expect(result).resolves.toBeNull();
    expect(first.signal()?.aborted).toBe(true);
    expect(task.state.get().phase).toBe('idle');
  });
});

describe('announcedFraction', () => {
  it('rounds down to tenths, so a live region speaks ten times at most', () => {
    expect(announcedFraction(0)).toBe(0);
    expect(announcedFraction(0.09)).toBe(0);
    expect(announcedFraction(0.1)).toBe(0.1);
    expect(announcedFraction(0.3)).toBeCloseTo(0.3);
    expect(announcedFraction(0.999)).toBeCloseTo(0.9);
    expect(announcedFraction(1)).toBe(1);
  });

  it('reads an empty file as not started until it is done', () => {
    expect(uploadFraction({ phase: 'uploading', loaded: 0, total: 0 })).toBe(0);
    expect(uploadFraction({ phase: 'done', loaded: 0, total: 0 })).toBe(1);
  });
});
