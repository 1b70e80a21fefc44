import { ApiError, networkError } from '../api/problem';
import type { Employee, ItemList } from '../api/types';
import { LatestRequest } from './latest_request';
import { Store } from './store';

export type SearchStatus = 'idle' | 'loading' | 'done' | 'error';

export interface DirectoryState {
  query: string;
  department: string; // "" = all departments
  status: SearchStatus;
  results: Employee[];
  error: ApiError | null;
}

export type SearchFunction = (
  query: { q: string; department: string },
  signal: AbortSignal,
) => Promise<ItemList<Employee>>;

export const kSearchDelayMs = 250;
// The server returns at most this many; more means "narrow your search".
export const kSearchLimit = 50;

// The colleagues search: typing waits kSearchDelayMs for a pause, choosing a
// department or submitting searches at once, and an answer that arrives
// after a newer search started is dropped (its request is aborted).
export class DirectorySearch {
  readonly state = new Store<DirectoryState>({
    query: '',
    department: '',
    status: 'idle',
    results: [],
    error: null,
  });
  private readonly request_: LatestRequest<ItemList<Employee>>;

  constructor(search: SearchFunction, delayMs = kSearchDelayMs) {
    this.request_ = new LatestRequest(
      (signal) => {
        const { query, department } = this.state.get();
        return search({ q: query.trim(), department }, signal);
      },
      {
        onStart: () => this.state.set({ ...this.state.get(), status: 'loading', error: null }),
        onAnswer: (answer) => this.state.set({ ...this.state.get(), status: 'done', results: answer.items, error: null }),
        onError: (error) => {
          const apiError = error instanceof ApiError ? error : networkError();
          this.state.set({ ...this.state.get(), status: 'error', results: [], error: apiError });
        },
      },
      delayMs,
    );
  }

  setQuery(query: string): void {
    this.state.set({ ...this.state.get(), query });
    this.request_.later();
  }

  setDepartment(department: string): void {
    this.state.set({ ...this.state.get(), department });
    this.searchNow();
  }

  searchNow(): void {
    this.request_.now();
  }

  dispose(): void {
    this.request_.dispose();
  }
}
