import { isAbort } from '../api/client';
import type { Classification, DocumentQuery, DocumentRecord, DocumentScope, DocumentTypeFilter } from '../api/types';
import { Store } from './store';

export interface DocumentFilters {
  q: string;
  scope: DocumentScope;
  classification: Classification | '';
  type: DocumentTypeFilter | '';
}

export interface DocumentListState {
  filters: DocumentFilters;
  status: 'loading' | 'done' | 'error';
  documents: DocumentRecord[];
  // Set in status "error".
  error: unknown;
}

export type ListFunction = (query: DocumentQuery, signal: AbortSignal) => Promise<{ documents: DocumentRecord[] }>;

export const kDocumentSearchDelayMs = 250;

export const kDefaultFilters: DocumentFilters = { q: '', scope: 'all', classification: '', type: '' };

// The documents list: typing in the search box waits for a pause, a filter
// asks at once, and an answer that arrives after a newer request started is
// dropped (its request is aborted). The documents of the last answer stay
// shown while the next one loads.
export class DocumentList {
  readonly state: Store<DocumentListState>;
  private timer_: ReturnType<typeof setTimeout> | null = null;
  private controller_: AbortController | null = null;

  constructor(
    private readonly list: ListFunction,
    filters: Partial<DocumentFilters> = {},
    private readonly delayMs = kDocumentSearchDelayMs,
  ) {
    this.state = new Store<DocumentListState>({
      filters: { ...kDefaultFilters, ...filters },
      status: 'loading',
      documents: [],
      error: null,
    });
  }

  setQuery(q: string): void {
    this.setFilters({ q });
    this.cancelTimer();
    this.timer_ = setTimeout(() => {
      this.timer_ = null;
      void this.run();
    }, this.delayMs);
  }

  setFilter<K extends Exclude<keyof DocumentFilters, 'q'>>(name: K, value: DocumentFilters[K]): void {
    this.setFilters({ [name]: value } as Partial<DocumentFilters>);
    this.reload();
  }

  reload(): void {
    this.cancelTimer();
    void this.run();
  }

  dispose(): void {
    this.cancelTimer();
    this.controller_?.abort();
    this.controller_ = null;
  }

  private setFilters(changes: Partial<DocumentFilters>): void {
    const current = this.state.get();
    this.state.set({ ...current, filters: { ...current.filters, ...changes } });
  }

  private cancelTimer(): void {
    if (this.timer_ !== null) clearTimeout(this.timer_);
    this.timer_ = null;
  }

  private async run(): Promise<void> {
    this.controller_?.abort();
    const controller = new AbortController();
    this.controller_ = controller;
    const { filters } = this.state.get();
    this.state.set({ ...this.state.get(), status: 'loading', error: null });
    try {
      const answer = await this.list(queryOf(filters), controller.signal);
      if (this.controller_ !== controller) return;
      this.state.set({ ...this.state.get(), status: 'done', documents: answer.documents, error: null });
    } catch (error) {
      if (isAbort(error) || this.controller_ !== controller) return;
      this.state.set({ ...this.state.get(), status: 'error', documents: [], error });
    }
  }
}

// The query string of GET /documents: empty filters are left out.
export function queryOf(filters: DocumentFilters): DocumentQuery {
  const query: DocumentQuery = { scope: filters.scope };
  const q = filters.q.trim();
  if (q !== '') query.q = q;
  if (filters.classification !== '') query.classification = filters.classification;
  if (filters.type !== '') query.type = filters.type;
  return query;
}
