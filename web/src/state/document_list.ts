import type { Classification, DocumentQuery, DocumentRecord, DocumentScope, DocumentTypeFilter } from '../api/types';
import { LatestRequest } from './latest_request';
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
  private readonly request_: LatestRequest<{ documents: DocumentRecord[] }>;

  constructor(list: ListFunction, filters: Partial<DocumentFilters> = {}, delayMs = kDocumentSearchDelayMs) {
    this.state = new Store<DocumentListState>({
      filters: { ...kDefaultFilters, ...filters },
      status: 'loading',
      documents: [],
      error: null,
    });
    this.request_ = new LatestRequest(
      (signal) => list(queryOf(this.state.get().filters), signal),
      {
        onStart: () => this.state.set({ ...this.state.get(), status: 'loading', error: null }),
        onAnswer: (answer) => this.state.set({ ...this.state.get(), status: 'done', documents: answer.documents, error: null }),
        onError: (error) => this.state.set({ ...this.state.get(), status: 'error', documents: [], error }),
      },
      delayMs,
    );
  }

  setQuery(q: string): void {
    this.setFilters({ q });
    this.request_.later();
  }

  setFilter<K extends Exclude<keyof DocumentFilters, 'q'>>(name: K, value: DocumentFilters[K]): void {
    this.setFilters({ [name]: value } as Partial<DocumentFilters>);
    this.reload();
  }

  reload(): void {
    this.request_.now();
  }

  dispose(): void {
    this.request_.dispose();
  }

  private setFilters(changes: Partial<DocumentFilters>): void {
    const current = this.state.get();
    this.state.set({ ...current, filters: { ...current.filters, ...changes } });
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
