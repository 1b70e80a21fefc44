import { cleanup } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeServices } from '../test/harness';
import { devicePixelSize, VideoView } from './VideoView';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('devicePixelSize', () => {
  it('multiplies CSS pixels by the device-pixel ratio', () => {
    expect(devicePixelSize({ width: 320, height: 180 }, 2)).toEqual({ width: 640, height: 360 });
    expect(devicePixelSize({ width: 333, height: 187 }, 1.5)).toEqual({ width: 500, height: 281 });
  });

  it('caps the ratio at 3 and takes 1 when it is unknown or nonsense', () => {
    expect(devicePixelSize({ width: 100, height: 50 }, 4)).toEqual({ width: 300, height: 150 });
    expect(devicePixelSize({ width: 100, height: 50 }, undefined)).toEqual({ width: 100, height: 50 });
    expect(devicePixelSize({ width: 100, height: 50 }, 0)).toEqual({ width: 100, height: 50 });
    expect(devicePixelSize({ width: 100, height: 50 }, Number.NaN)).toEqual({ width: 100, height: 50 });
  });
});

describe('VideoView', () => {
  it('reports the tile in device pixels', () => {
    vi.spyOn(window, 'devicePixelRatio', 'get').mockReturnValue(2);
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(320);
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(180);
    const sizes: Array<{ width: number; height: number } | null> = [];
    const harness = makeServices({});
    harness.render(<VideoView onSize={(size) => sizes.push(size)} />);
    expect(sizes).toEqual([{ width: 640, height: 360 }]);
  });
});
