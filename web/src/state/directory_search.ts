import { isAbort } from '../api/client';
import { ApiError, networkError } from '../api/problem';
import type { Employee, ItemList } from '../api/types';
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
  private timer_: ReturnType<typeof setTimeout> | null = null;
  private controller_: AbortController | null = null;

  constructor(
    private readonly search: SearchFunction,
    private readonly delayMs = kSearchDelayMs,
  ) {}

  setQuery(query: string): void {
    this.state.set({ ...this.state.get(), query });
    this.cancelTimer();
    this.timer_ = setTimeout(() => {
      this.timer_ = null;
      void this.run();
    }, this.delayMs);
  }

  setDepartment(department: string): void {
    this.state.set({ ...this.state.get(), department });
    this.searchNow();
  }

  searchNow(): void {
    this.cancelTimer();
    void this.run();
  }

  dispose(): void {
    this.cancelTimer();
    this.controller_?.abort();
    this.controller_ = null;
  }

  private cancelTimer(): void {
    if (this.timer_ !== null) clearTimeout(this.timer_);
    this.timer_ = null;
  }

  private async run(): Promise<void> {
    this.controller_?.abort();
    const controller = new AbortController();
    this.controller_ = controller;
    const { query, department } = this.state.get();
    this.state.set({ ...this.state.get(), status: 'loading', error: null });
    try {
      const answer = await this.search({ q: query.trim(), department }, controller.signal);
      if (this.controller_ !== controller) return;
      this.state.set({ ...this.state.get(), status: 'done', results: answer.items, error: null });
    } catch (error) {
      if (isAbort(error) || this.controller_ !== controller) return;
      const apiError = error instanceof ApiError ? error : networkError();
      this.state.set({ ...this.state.get(), status: 'error', results: [], error: apiError });
    }
  }
}
