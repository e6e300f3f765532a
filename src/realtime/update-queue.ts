import type { JobUpdateEvent } from './event-log.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

/**
 * A subscriber's outbox: an async iterable of updates. When a client reads slower than events
 * arrive, queued PROGRESS updates of the same job are coalesced (the client gets the latest
 * state); every other event type, terminal ones above all, is always delivered.
 */
export class UpdateQueue<T extends { event: { type: string; jobId: string } } = JobUpdateEvent> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;

  constructor(
    private readonly capacity: number,
    private readonly onClose: () => void,
  ) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.capacity && item.event.type === 'PROGRESS') {
      const stale = this.items.findIndex((queued) => queued.event.type === 'PROGRESS' && queued.event.jobId === item.event.jobId);
      if (stale >= 0) this.items.splice(stale, 1);
    }
    this.items.push(item);
    // A client this far behind is not reading: end its stream rather than buffer without bound.
    // Nothing is lost: it can resubscribe with the last cursor it received.
    if (this.items.length > this.capacity * 8) {
      this.items.length = 0;
      this.close();
    }
  }

  /** Ends the stream after what is queued has been read. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  static isTerminal(type: string): boolean {
    return TERMINAL.has(type);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item) return Promise.resolve({ value: item, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      // Called when the client unsubscribes or disconnects: release the subscriber at once.
      return: () => {
        this.items.length = 0;
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
