import { isAbort } from '../api/client';

export interface LatestRequestHandlers<T> {
  // Just before the request is sent.
  onStart(): void;
  onAnswer(answer: T): void;
  // Not for an aborted request, nor for one a newer request replaced.
  onError(error: unknown): void;
}

// A request sent again and again as its input changes (a search box, a list's
// filters): later() waits `delayMs` for a pause (in typing) first, now() sends
// it at once. Only the newest request counts: starting one aborts the one
// before, and an answer that arrives after a newer request started is dropped.
export class LatestRequest<T> {
  private timer_: ReturnType<typeof setTimeout> | null = null;
  private controller_: AbortController | null = null;

  constructor(
    private readonly send: (signal: AbortSignal) => Promise<T>,
    private readonly handlers: LatestRequestHandlers<T>,
    private readonly delayMs: number,
  ) {}

  later(): void {
    this.cancelTimer();
    this.timer_ = setTimeout(() => {
      this.timer_ = null;
      void this.run();
    }, this.delayMs);
  }

  now(): void {
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
    this.handlers.onStart();
    try {
      const answer = await this.send(controller.signal);
      if (this.controller_ !== controller) return;
      this.handlers.onAnswer(answer);
    } catch (error) {
      if (isAbort(error) || this.controller_ !== controller) return;
      this.handlers.onError(error);
    }
  }
}
