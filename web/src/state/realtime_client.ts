import type { ClientMessage, EventOf, ServerEvent, ServerEventType } from '../api/realtime_types';
import { Store } from './store';

// What RealtimeClient needs of a WebSocket (the browser's, or a fake in
// tests).
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string) => SocketLike;

//  stopped     - not wanted (signed out, or a forced step pending)
//  connecting  - a socket is opening
//  open        - the server said hello
//  waiting     - lost; the next attempt is scheduled
export type RealtimeStatus = 'stopped' | 'connecting' | 'open' | 'waiting';

export interface RealtimeOptions {
  url: () => string;
  createSocket: SocketFactory;
  pingIntervalMs?: number;
  // Back-off between attempts: first, doubling up to max, each with jitter.
  firstRetryMs?: number;
  maxRetryMs?: number;
  // In [0, 1); the jitter takes a delay d to d * (0.5 + random() / 2).
  random?: () => number;
  // Asked before each reconnection: false gives up (the session is gone;
  // a handshake refused with 401 would only fill the console).
  canReconnect?: () => Promise<boolean>;
}

export const kPingIntervalMs = 25_000;
const kConnecting = 0;
const kOpen = 1;

type Handler = (event: ServerEvent) => void;

// The one WebSocket of a tab: connects while started, reconnects with
// back-off after any loss, pings the server every 25 s (and gives up on a
// socket that has been silent for two pings), and hands every event to the
// subscribers of its type. Events missed while disconnected are not
// replayed: `reconnections` counts the connections after the first, and
// views reload over REST when it changes.
export class RealtimeClient {
  readonly status = new Store<RealtimeStatus>('stopped');
  readonly reconnections = new Store(0);
  private readonly handlers_ = new Map<string, Set<Handler>>();
  private socket_: SocketLike | null = null;
  private retryTimer_: ReturnType<typeof setTimeout> | null = null;
  private pingTimer_: ReturnType<typeof setInterval> | null = null;
  private attempts_ = 0;
  private helloCount_ = 0;
  private lastHeardMs_ = 0;
  private readonly pingIntervalMs_: number;
  private readonly firstRetryMs_: number;
  private readonly maxRetryMs_: number;
  private readonly random_: () => number;

  constructor(private readonly options: RealtimeOptions) {
    this.pingIntervalMs_ = options.pingIntervalMs ?? kPingIntervalMs;
    this.firstRetryMs_ = options.firstRetryMs ?? 1000;
    this.maxRetryMs_ = options.maxRetryMs ?? 30_000;
    this.random_ = options.random ?? Math.random;
  }

  get isOpen(): boolean {
    return this.status.get() === 'open';
  }

  start(): void {
    if (this.status.get() !== 'stopped') return;
    this.attempts_ = 0;
    this.helloCount_ = 0;
    this.connect();
  }

  stop(): void {
    this.clearTimers();
    this.dropSocket();
    this.status.set('stopped');
  }

  // After the browser says it is online again: do not wait for the timer.
  retryNow(): void {
    if (this.status.get() !== 'waiting') return;
    this.clearTimers();
    this.connect();
  }

  // False when there is no open socket (the message is not queued).
  send(message: ClientMessage): boolean {
    const socket = this.socket_;
    if (!socket || socket.readyState !== kOpen) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  on<T extends ServerEventType>(type: T, handler: (event: EventOf<T>) => void): () => void {
    let set = this.handlers_.get(type);
    if (!set) {
      set = new Set();
      this.handlers_.set(type, set);
    }
    const stored = handler as Handler;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  // The delay before attempt number `attempt` (0-based) after a loss.
  retryDelayMs(attempt: number): number {
    const base = Math.min(this.maxRetryMs_, this.firstRetryMs_ * 2 ** Math.min(attempt, 16));
    return Math.round(base * (0.5 + this.random_() / 2));
  }

  private connect(): void {
    this.dropSocket();
    this.status.set('connecting');
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket_ = socket;
    socket.onopen = () => {
      this.lastHeardMs_ = Date.now();
      this.startPinging();
    };
    socket.onmessage = (event) => {
      this.lastHeardMs_ = Date.now();
      this.receive(event.data);
    };
    socket.onclose = () => {
      if (this.socket_ !== socket) return;
      this.socket_ = null;
      this.scheduleRetry();
    };
    // An error is always followed by close; nothing to do here.
    socket.onerror = () => undefined;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let event: ServerEvent;
    try {
      const parsed: unknown = JSON.parse(data);
      if (!parsed || typeof parsed !== 'object' || typeof (parsed as { type?: unknown }).type !== 'string') return;
      event = parsed as ServerEvent;
    } catch {
      return;
    }
    if (event.type === 'hello') {
      this.attempts_ = 0;
      this.helloCount_ += 1;
      this.status.set('open');
      if (this.helloCount_ > 1) this.reconnections.set(this.reconnections.get() + 1);
    }
    for (const handler of [...(this.handlers_.get(event.type) ?? [])]) {
      try {
        handler(event);
      } catch (error) {
        // One broken subscriber must not starve the others; the error still
        // reaches the console (and the browser tests) on its own.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  private startPinging(): void {
    if (this.pingTimer_ !== null) clearInterval(this.pingTimer_);
    this.pingTimer_ = setInterval(() => {
      // Silent for two intervals (no pong, no event): the connection is dead
      // even if the browser has not noticed yet.
      if (Date.now() - this.lastHeardMs_ > 2 * this.pingIntervalMs_ + 5000) {
        this.dropSocket();
        this.scheduleRetry();
        return;
      }
      this.send({ type: 'ping' });
    }, this.pingIntervalMs_);
  }

  private scheduleRetry(): void {
    this.clearTimers();
    this.status.set('waiting');
    const delay = this.retryDelayMs(this.attempts_);
    this.attempts_ += 1;
    this.retryTimer_ = setTimeout(() => {
      this.retryTimer_ = null;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    const check = this.options.canReconnect;
    if (check) {
      const attempt = this.attempts_;
      let go: boolean;
      try {
        go = await check();
      } catch {
        go = true;
      }
      // Stopped, or restarted by retryNow(), while asking.
      if (this.status.get() !== 'waiting' || this.attempts_ !== attempt || this.retryTimer_ !== null) return;
      if (!go) {
        this.stop();
        return;
      }
    }
    this.connect();
  }

  private dropSocket(): void {
    const socket = this.socket_;
    this.socket_ = null;
    if (this.pingTimer_ !== null) clearInterval(this.pingTimer_);
    this.pingTimer_ = null;
    if (!socket) return;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    // Closing a socket that is still connecting makes the browser log an
    // error; let it open first, then close it.
    if (socket.readyState === kConnecting) {
      socket.onopen = () => socket.close(1000);
      return;
    }
    socket.onopen = null;
    try {
      socket.close(1000);
    } catch {
      // Already closing.
    }
  }

  private clearTimers(): void {
    if (this.retryTimer_ !== null) clearTimeout(this.retryTimer_);
    this.retryTimer_ = null;
    if (this.pingTimer_ !== null) clearInterval(this.pingTimer_);
    this.pingTimer_ = null;
  }
}

// wss://host/api/v1/ws on https, ws:// on plain http (the dev server).
export function realtimeUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
}
