// How the tiles of the meeting room are arranged: pure functions, so that
// they can be tested without a browser.

// Up to this many tiles are shown in the grid; the rest are counted.
export const kMaxTiles = 16;
// Below this width (CSS px) the room is laid out for a phone: one column
// for one or two people, two columns otherwise.
export const kPhoneMaxWidth = 600;
// Below this width, at most three columns.
export const kTabletMaxWidth = 1024;

export interface GridLayout {
  columns: number;
  rows: number;
}

// Columns and rows for `count` tiles on a screen `width` px wide: the
// smallest square grid that holds them (1, 2×1, 2×2, 3×3, 4×4), fewer columns
// on narrow screens.
export function gridLayout(count: number, width: number): GridLayout {
  const tiles = Math.min(kMaxTiles, Math.max(1, Math.floor(count)));
  let columns: number;
  if (width < kPhoneMaxWidth) {
    columns = tiles <= 2 ? 1 : 2;
  } else {
    columns = Math.ceil(Math.sqrt(tiles));
    if (width < kTabletMaxWidth) columns = Math.min(columns, 3);
  }
  return { columns, rows: Math.ceil(tiles / columns) };
}

// "Мария Иванова" -> "МИ"; one word gives one letter.
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]][0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}
