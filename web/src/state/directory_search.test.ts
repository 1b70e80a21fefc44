import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Employee } from '../api/types';
import { DirectorySearch } from './directory_search';

const employee = (name: string): Employee => ({
  id: name,
  code: 'K7M4-QX2P',
  name,
  email: '',
  department: null,
  position: '',
});

describe('DirectorySearch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in typing before searching', async () => {
    const search = vi.fn(async () => ({ items: [employee('Иван')] }));
    const model = new DirectorySearch(search, 250);
    model.setQuery('И');
    model.setQuery('Ив');
    model.setQuery('Иван ');
    await vi.advanceTimersByTimeAsync(249);
    expect(search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(search).toHaveBeenCalledTimes(1);
    expect(search.mock.calls[0]).toEqual([{ q: 'Иван', department: '' }, expect.any(AbortSignal)]);
    expect(model.state.get().status).toBe('done');
    expect(model.state.get().results.map((e) => e.name)).toEqual(['Иван']);
  });

  it('searches at once when the department changes', async () => {
    const search = vi.fn(async () => ({ items: [] }));
    const model = new DirectorySearch(search, 250);
    model.setDepartment('d7');
    await vi.advanceTimersByTimeAsync(0);
    expect(search).toHaveBeenCalledWith({ q: '', department: 'd7' }, expect.any(AbortSignal));
  });

  it('drops an answer that arrives after a newer search started', async () => {
    const resolvers: Array<(value: { items: Employee[] }) => void> = [];
    const signals: AbortSignal[] = [];
    const search = vi.fn(
      (_query: { q: string; department: string }, signal: AbortSignal) =>
        new Promise<{ items: Employee[] }>((resolve) => {
          signals.push(signal);
          resolvers.push(resolve);
        }),
    );
    const model = new DirectorySearch(search, 250);
    model.searchNow();
    model.setDepartment('d1');
    expect(signals[0].aborted).toBe(true);
    resolvers[1]({ items: [employee('Нова')] });
    resolvers[0]({ items: [employee('Стара')] });
    await vi.advanceTimersByTimeAsync(0);
    expect(model.state.get().results.map((e) => e.name)).toEqual(['Нова']);
  });
});
