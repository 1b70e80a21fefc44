// An XMLHttpRequest stand-in for upload tests: records each request and
// lets the test play the network (progress, the answer, a failure). Not
// shipped.

type Handler = ((event: ProgressEvent) => void) | null;

export class FakeXhr {
  method = '';
  url = '';
  readonly headers: Record<string, string> = {};
  body: unknown = undefined;
  status = 0;
  responseText = '';
  responseType = '';
  aborted = false;
  private responseHeaders_: Record<string, string> = {};
  readonly upload: { onprogress: Handler } = { onprogress: null };
  onload: Handler = null;
  onerror: Handler = null;
  ontimeout: Handler = null;
  onabort: Handler = null;

  constructor(private readonly sent: (xhr: FakeXhr) => void) {}

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const key = Object.keys(this.responseHeaders_).find((k) => k.toLowerCase() === name.toLowerCase());
    return key === undefined ? null : this.responseHeaders_[key];
  }

  send(body: unknown): void {
    this.body = body;
    this.sent(this);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.onabort?.(new ProgressEvent('abort'));
  }

  // --- The network's side.

  get query(): URLSearchParams {
    return new URL(this.url, 'http://localhost').searchParams;
  }

  get path(): string {
    return new URL(this.url, 'http://localhost').pathname.replace(/^\/api\/v1/, '');
  }

  progress(loaded: number, total: number, lengthComputable = true): void {
    this.upload.onprogress?.(new ProgressEvent('progress', { loaded, total, lengthComputable }));
  }

  respond(status: number, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): void {
    this.status = status;
    this.responseText = body === undefined ? '' : JSON.stringify(body);
    this.responseHeaders_ = headers;
    this.onload?.(new ProgressEvent('load'));
  }

  // A problem+json answer, as the server sends errors.
  fail(slug: string, status: number, detail: string): void {
    this.respond(
      status,
      { type: `urn:egovbox:problem:${slug}`, title: slug, status, detail },
      { 'Content-Type': 'application/problem+json' },
    );
  }

  networkError(): void {
    this.onerror?.(new ProgressEvent('error'));
  }
}

export function fakeXhrs() {
  const all: FakeXhr[] = [];
  return {
    all,
    create: () => new FakeXhr((xhr) => all.push(xhr)) as unknown as XMLHttpRequest,
    last: (): FakeXhr => {
      const xhr = all[all.length - 1];
      if (!xhr) throw new Error('no upload was sent');
      return xhr;
    },
  };
}
