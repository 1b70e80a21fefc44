// A WebSocket stand-in for tests: records what the client sends and lets
// the test play the server. Not shipped.
import type { ServerEvent } from '../api/realtime_types';
import type { SocketFactory, SocketLike } from '../state/realtime_client';

export class FakeSocket implements SocketLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly sent: unknown[] = [];
  closed = false;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send() on a socket that is not open');
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
    this.readyState = 3;
  }

  // The server side.
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  receive(event: ServerEvent | Record<string, unknown>): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  // The connection drops (server restart, network loss).
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }

  // Opens and says hello, as the server does for a good session.
  accept(employeeId = 'u1'): void {
    this.open();
    this.receive({ type: 'hello', employee_id: employeeId });
  }
}

export function fakeSockets() {
  const sockets: FakeSocket[] = [];
  const createSocket: SocketFactory = (url) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  };
  return { sockets, createSocket, last: () => sockets[sockets.length - 1] };
}
