import type { Lang } from '../i18n/i18n';
import { ApiError, errorFromResponse, networkError } from './problem';

export const kApiBase = '/api/v1';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  signal?: AbortSignal;
  // When true, session-level problems (expired session, forced password
  // change) are not broadcast to the listeners: the caller handles them.
  quiet?: boolean;
}

export interface ApiClientOptions {
  language: () => Lang;
  fetch?: typeof fetch;
  // Uploads go through XMLHttpRequest: fetch() reports no upload progress.
  xhr?: () => XMLHttpRequest;
  base?: string;
}

export interface UploadOptions {
  query?: Record<string, string | undefined>;
  // Bytes sent so far and the total (the file's size when the browser does
  // not know it).
  onProgress?: (loaded: number, total: number) => void;
  // Aborting it aborts the request; the promise then rejects with an
  // AbortError, as fetch() does.
  signal?: AbortSignal;
}

export interface UploadAnswer<T> {
  status: number;
  body: T;
}

// The one place that talks HTTP to the server. Adds the CSRF token to every
// state-changing request (except signing in, which has no session yet),
// Accept-Language, and same-origin credentials; turns every non-2xx answer
// into an ApiError. Not re-entrant in any interesting way: it keeps only the
// CSRF token.
export class ApiClient {
  private csrf_token_: string | null = null;
  private readonly listeners_ = new Set<(error: ApiError) => void>();
  private readonly language_: () => Lang;
  private readonly fetch_: typeof fetch;
  private readonly xhr_: () => XMLHttpRequest;
  private readonly base_: string;

  constructor(options: ApiClientOptions) {
    this.language_ = options.language;
    // Bound so that a plain window.fetch is not called with a wrong `this`.
    this.fetch_ = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.xhr_ = options.xhr ?? (() => new XMLHttpRequest());
    this.base_ = options.base ?? kApiBase;
  }

  setCsrfToken(token: string | null): void {
    this.csrf_token_ = token;
  }

  hasCsrfToken(): boolean {
    return this.csrf_token_ !== null;
  }

  // Listeners hear about every ApiError of a non-quiet request.
  onError(listener: (error: ApiError) => void): () => void {
    this.listeners_.add(listener);
    return () => {
      this.listeners_.delete(listener);
    };
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      'Accept-Language': this.language_(),
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const signingIn = method === 'POST' && path === '/session';
    if (method !== 'GET' && !signingIn && this.csrf_token_ !== null) {
      headers['X-CSRF-Token'] = this.csrf_token_;
    }

    let response: Response;
    try {
      response = await this.fetch_(this.url(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (cause) {
      if (isAbort(cause)) throw cause;
      throw this.report(networkError(), options);
    }

    if (!response.ok) throw this.report(await errorFromResponse(response), options);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  // A GET whose answer is bytes (a preview for pdf.js), not JSON.
  async bytes(path: string, options: Pick<RequestOptions, 'signal' | 'quiet'> = {}): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await this.fetch_(this.url(path), {
        method: 'GET',
        headers: { Accept: '*/*', 'Accept-Language': this.language_() },
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (cause) {
      if (isAbort(cause)) throw cause;
      throw this.report(networkError(), options);
    }
    if (!response.ok) throw this.report(await errorFromResponse(response), options);
    return new Uint8Array(await response.arrayBuffer());
  }

  // POSTs `file` as the raw request body (application/octet-stream, not
  // multipart), with the same headers as request() and the upload's
  // progress; the answer is JSON. Errors are ApiErrors, as for request().
  upload<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<UploadAnswer<T>> {
    return new Promise<UploadAnswer<T>>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(abortError());
        return;
      }
      const xhr = this.xhr_();
      const onAbortSignal = () => xhr.abort();
      const settle = () => options.signal?.removeEventListener('abort', onAbortSignal);
      xhr.open('POST', this.url(path, options.query));
      xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
      xhr.setRequestHeader('Accept-Language', this.language_());
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      if (this.csrf_token_ !== null) xhr.setRequestHeader('X-CSRF-Token', this.csrf_token_);
      xhr.responseType = 'text';
      xhr.upload.onprogress = (event) => {
        options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
      };
      xhr.onload = () => {
        settle();
        const text = typeof xhr.responseText === 'string' ? xhr.responseText : '';
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve({ status: xhr.status, body: (text === '' ? undefined : JSON.parse(text)) as T });
          } catch (cause) {
            reject(cause);
          }
          return;
        }
        // The same reading of a problem as for fetch(): a Response made of the answer.
        const headers = new Headers();
        for (const name of ['Content-Type', 'Retry-After']) {
          const value = xhr.getResponseHeader(name);
          if (value !== null) headers.set(name, value);
        }
        void errorFromResponse(new Response(text, { status: xhr.status, headers })).then((error) =>
          reject(this.report(error, {})),
        );
      };
      xhr.onerror = () => {
        settle();
        reject(this.report(networkError(), {}));
      };
      xhr.ontimeout = xhr.onerror;
      xhr.onabort = () => {
        settle();
        reject(abortError());
      };
      options.signal?.addEventListener('abort', onAbortSignal);
      xhr.send(file);
    });
  }

  private url(path: string, query?: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== '') params.set(name, value);
    }
    const search = params.toString();
    return `${this.base_}${path}${search ? `?${search}` : ''}`;
  }

  private report(error: ApiError, options: RequestOptions): ApiError {
    if (!options.quiet) for (const listener of [...this.listeners_]) listener(error);
    return error;
  }
}

function abortError(): DOMException {
  return new DOMException('The upload was aborted.', 'AbortError');
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
