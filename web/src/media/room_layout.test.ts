import { describe, expect, it } from 'vitest';
import { gridLayout, initialsOf, kMaxTiles } from './room_layout';

describe('gridLayout', () => {
  it('grows a square grid with the number of tiles on a wide screen', () => {
    expect(gridLayout(1, 1280)).toEqual({ columns: 1, rows: 1 });
    expect(gridLayout(2, 1280)).toEqual({ columns: 2, rows: 1 });
    expect(gridLayout(4, 1280)).toEqual({ columns: 2, rows: 2 });
    expect(gridLayout(9, 1280)).toEqual({ columns: 3, rows: 3 });
    expect(gridLayout(16, 1280)).toEqual({ columns: 4, rows: 4 });
  });

  it('fills the last row partly between squares', () => {
    expect(gridLayout(3, 1280)).toEqual({ columns: 2, rows: 2 });
    expect(gridLayout(5, 1280)).toEqual({ columns: 3, rows: 2 });
    expect(gridLayout(10, 1280)).toEqual({ columns: 4, rows: 3 });
  });

  it('uses one or two columns on a phone', () => {
    expect(gridLayout(1, 375)).toEqual({ columns: 1, rows: 1 });
    expect(gridLayout(2, 375)).toEqual({ columns: 1, rows: 2 });
    expect(gridLayout(4, 375)).toEqual({ columns: 2, rows: 2 });
    expect(gridLayout(9, 375)).toEqual({ columns: 2, rows: 5 });
    expect(gridLayout(16, 375)).toEqual({ columns: 2, rows: 8 });
  });

  it('keeps to three columns on a tablet', () => {
    expect(gridLayout(16, 800)).toEqual({ columns: 3, rows: 6 });
    expect(gridLayout(4, 800)).toEqual({ columns: 2, rows: 2 });
  });

  it('lays out at most 16 tiles and at least one', () => {
    expect(gridLayout(40, 1280)).toEqual({ columns: 4, rows: 4 });
    expect(gridLayout(0, 1280)).toEqual({ columns: 1, rows: 1 });
    expect(kMaxTiles).toBe(16);
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and the last name', () => {
    expect(initialsOf('Мария Иванова')).toBe('МИ');
    expect(initialsOf('  иван  петров  георгиев ')).toBe('ИГ');
    expect(initialsOf('Ана')).toBe('А');
    expect(initialsOf('')).toBe('?');
  });
});
