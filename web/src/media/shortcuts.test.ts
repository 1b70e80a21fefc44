import { describe, expect, it } from 'vitest';
import { shortcutOf } from './shortcuts';

const key = (fields: Partial<KeyboardEvent>) =>
  ({ altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, repeat: false, code: '', key: '', ...fields }) as KeyboardEvent;

describe('shortcutOf', () => {
  it('reads Alt+M and Alt+C by the physical key', () => {
    expect(shortcutOf(key({ altKey: true, code: 'KeyM', key: 'm' }))).toBe('microphone');
    expect(shortcutOf(key({ altKey: true, code: 'KeyC', key: 'c' }))).toBe('camera');
    // macOS: Option+M types "µ"; a Bulgarian layout gives "м".
    expect(shortcutOf(key({ altKey: true, code: 'KeyM', key: 'µ' }))).toBe('microphone');
    expect(shortcutOf(key({ altKey: true, code: 'KeyC', key: 'ц' }))).toBe('camera');
  });

  it('falls back to the character when the browser gives no code', () => {
    expect(shortcutOf(key({ altKey: true, key: 'M' }))).toBe('microphone');
    expect(shortcutOf(key({ altKey: true, key: 'ц' }))).toBe('camera');
  });

  it('leaves everything else alone: no Alt, AltGr (Ctrl+Alt), Shift, Meta, a held key, other letters', () => {
    expect(shortcutOf(key({ code: 'KeyM', key: 'm' }))).toBeNull();
    expect(shortcutOf(key({ altKey: true, ctrlKey: true, code: 'KeyM' }))).toBeNull();
    expect(shortcutOf(key({ altKey: true, shiftKey: true, code: 'KeyM' }))).toBeNull();
    expect(shortcutOf(key({ altKey: true, metaKey: true, code: 'KeyC' }))).toBeNull();
    expect(shortcutOf(key({ altKey: true, repeat: true, code: 'KeyM' }))).toBeNull();
    expect(shortcutOf(key({ altKey: true, code: 'KeyD', key: 'd' }))).toBeNull();
  });
});
