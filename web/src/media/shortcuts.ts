// The room's keyboard shortcuts. Alt with a letter, matched on the physical
// key (event.code), so that they work with a Bulgarian layout too and with
// macOS, where Option+M types "µ". Chosen not to clash: Chrome, Edge and
// Firefox give Alt+M and Alt+C no meaning (Firefox's menu keys are F, E, V,
// S, B, T, H), screen readers use their own modifier (Insert, Caps Lock,
// Ctrl+Option) and single letters in browse mode, never Alt+letter; Ctrl+D
// would be "bookmark this page". AltGr (Ctrl+Alt) and Shift are left alone.
export type RoomShortcut = 'microphone' | 'camera';

export const kShortcutKeys: Record<RoomShortcut, string> = { microphone: 'Alt+M', camera: 'Alt+C' };

const kCodes: Record<string, RoomShortcut> = { KeyM: 'microphone', KeyC: 'camera' };
// When a browser reports no code.
const kKeys: Record<string, RoomShortcut> = { m: 'microphone', м: 'microphone', c: 'camera', ц: 'camera' };

export function shortcutOf(
  event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'key' | 'repeat'>,
): RoomShortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.repeat) return null;
  if (event.code) return kCodes[event.code] ?? null;
  return kKeys[event.key.toLowerCase()] ?? null;
}
