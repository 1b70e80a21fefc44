import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentQuery, DocumentRecord } from '../api/types';
import { kDocument } from '../test/document_fixtures';
import { DocumentList, queryOf } from './document_list';

interface Pending {
  query: DocumentQuery;
  signal: AbortSignal;
  resolve: (documents: DocumentRecord[]) => void;
  reject: (error: unknown) => void;
}

function fakeList() {
  const requests: Pending[] = [];
  const list = (query: DocumentQuery, signal: AbortSignal) =>
    new Promise<{ documents: DocumentRecord[] }>((resolve, reject) => {
      requests.push({ query, signal, resolve: (documents) => resolve({ documents }), reject });
    });
  return { list, requests };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DocumentList', () => {
  it('waits for a pause in typing, then asks once with the trimmed text', async () => {
    const { list, requests } = fakeList();
    const model = new DocumentList(list, {}, 250);
    model.setQuery('о');
    model.setQuery('отч');
    model.setQuery(' отчет ');
    expect(requests).toHaveLength(0);
    vi.advanceTimersByTime(250);
    expect(requests).toHaveLength(1);
    expect(requests[0].query).toEqual({ scope: 'all', q: 'отчет' });
    requests[0].resolve([kDocument]);
    await vi.runAllTimersAsync();
    expect(model.state.get()).toMatchObject({ status: 'done', documents: [kDocument] });
  });

  it('asks at once when a filter changes, and drops an older answer', async () => {
    const { list, requests } = fakeList();
    const model = new DocumentList(list);
    model.reload();
    model.setFilter('scope', 'deleted');
    expect(requests).toHaveLength(2);
    expect(requests[0].signal.aborted).toBe(true);
    expect(requests[1].query).toEqual({ scope: 'deleted' });
    requests[0].resolve([kDocument]);
    requests[1].resolve([]);
    await vi.runAllTimersAsync();
    expect(model.state.get()).toMatchObject({ status: 'done', documents: [] });
  });

  it('keeps the last documents while loading and reports an error', async () => {
    const { list, requests } = fakeList();
    const model = new DocumentList(list);
    model.reload();
    requests[0].resolve([kDocument]);
    await vi.runAllTimersAsync();
    model.setFilter('type', 'pdf');
    expect(model.state.get()).toMatchObject({ status: 'loading', documents: [kDocument] });
    requests[1].reject(new Error('boom'));
    await vi.runAllTimersAsync();
    expect(model.state.get().status).toBe('error');
  });

  it('forgets a pending search when disposed', () => {
    const { list, requests } = fakeList();
    const model = new DocumentList(list);
    model.setQuery('x');
    model.dispose();
    vi.advanceTimersByTime(1000);
    expect(requests).toHaveLength(0);
  });
});

describe('queryOf', () => {
  it('leaves out empty filters', () => {
    expect(queryOf({ q: '  ', scope: 'all', classification: '', type: '' })).toEqual({ scope: 'all' });
    expect(queryOf({ q: 'a', scope: 'shared', classification: 'restricted', type: 'office' })).toEqual({
      q: 'a',
      scope: 'shared',
      classification: 'restricted',
      type: 'office',
    });
  });
});
