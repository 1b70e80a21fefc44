// A value that views can watch. Listeners run synchronously after each
// change; set() with an identical value notifies nobody.
export class Store<T> {
  private value_: T;
  private readonly listeners_ = new Set<() => void>();

  constructor(initial: T) {
    this.value_ = initial;
  }

  get(): T {
    return this.value_;
  }

  set(next: T): void {
    if (Object.is(next, this.value_)) return;
    this.value_ = next;
    for (const listener of [...this.listeners_]) listener();
  }

  subscribe(listener: () => void): () => void {
    this.listeners_.add(listener);
    return () => {
      this.listeners_.delete(listener);
    };
  }
}
