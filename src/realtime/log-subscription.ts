import { compareKeys, type EventKey } from './cursor.js';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

export function isTerminal(type: string): boolean {
  return TERMINAL.has(type);
}

/** What a subscription yields: a log event, or an opening snapshot shaped like one. */
export interface Deliverable {
  readonly key: EventKey;
  readonly event: { readonly type: string; readonly id?: number };
}

/** A page of the log read for one subscription. */
export interface LogPage<T> {
  /** The page's updates in log order (hydrated; may be fewer than the rows read). */
  readonly updates: readonly T[];
  /** Rows the query returned: fewer than asked means the reader reached the stable end of the log. */
  readonly rows: number;
  /** Key of the last row read, delivered or not. */
  readonly lastKey: EventKey | undefined;
}

export interface LogSubscriptionOptions<T> {
  /** Reads the next page of this subscription's events after `after`. */
  readPage(after: EventKey, limit: number): Promise<LogPage<T>>;
  /** Job streams: whether the job ended with an event at or before `key` (the stream is complete). */
  endedAtOrBefore?(key: EventKey): Promise<boolean>;
  /** Job streams complete after the terminal event. */
  completeOnTerminal: boolean;
  /** Rows per replay page. */
  pageSize: number;
  /**
   * Live events held while a replay runs, and live events queued for a slow reader. Past it the
   * subscription drops them and reads the log instead: memory stays bounded, nothing is lost.
   */
  capacity: number;
  /** Called once when the subscription ends (unregister from the fan-out). */
  onEnd(): void;
}

/**
 * Takes a live update straight to the reader, synchronously, while the reader has taken everything
 * before it: the fast path of a fan-out (no iterator step per subscriber). `false` when it cannot
 * (a slow socket, a result that needs more than a synchronous write): the update is then queued
 * for `next()` as if there were no sink.
 */
export interface LiveSink<T> {
  push(update: T): boolean;
}

/** A parked reader (see `LogSubscription.park`). */
export interface Waker {
  wake(): void;
}

type Mode = 'replay' | 'live';

/** No skipped ids (most subscriptions): one set for all of them. */
const NO_IDS: ReadonlySet<number> = new Set();

/** Failed page reads retried before the stream ends with the error (about 40 s in all). */
const REPLAY_ATTEMPTS = 25;

/**
 * One subscriber's stream over the log. It starts in `replay` mode, reading the log in pages only
 * when the reader has taken everything already read (backpressure: a backlog of any size costs one
 * page of memory). Live events fanned out meanwhile are held, up to `capacity`; when more arrive
 * the held ones are dropped and the replay goes on, because dropped events are final in the log
 * and a later page reads them. A page shorter than asked, read after the last drop, proves the
 * replay has everything older than the held events: the stream switches to `live`, releasing the
 * held events after the last delivered key. A reader that falls `capacity` behind the live feed
 * goes back to replay from the last update it took. Keys only ever increase, so no event is
 * delivered twice.
 */
export class LogSubscription<T extends Deliverable> implements AsyncIterableIterator<T> {
  private mode: Mode = 'replay';
  /** Key of the newest update accepted (queued or delivered): everything up to it is dealt with. */
  private last: EventKey;
  /** Key of the last update the reader took. */
  private taken: EventKey;
  private skipIds: ReadonlySet<number> = NO_IDS;
  private ready: T[] = [];
  private held: T[] = [];
  /** Counts drops of held events; a replay page proves a catch-up only when none happened meanwhile. */
  private drops = 0;
  private checkedEnd = false;
  private ended = false;
  private failure: Error | undefined;
  private waiting: (() => void) | undefined;
  private parked: Waker | undefined;
  private sink: LiveSink<T> | undefined;

  constructor(
    after: EventKey,
    private readonly options: LogSubscriptionOptions<T>,
  ) {
    this.last = after;
    this.taken = after;
  }

  /** Live fan-out from the poller (events in log order). */
  deliver(update: T): void {
    if (this.ended) return;
    if (this.mode === 'live') return this.accept(update);
    if (this.held.length < this.options.capacity) this.held.push(update);
    else {
      this.held = [];
      this.drops++;
    }
  }

  /**
   * Opens the stream with a snapshot of the state at `update.key`; `seenIds` are newer events the
   * snapshot already reflects. Then live, or a replay if live events were dropped meanwhile.
   */
  openWithSnapshot(update: T, seenIds: ReadonlySet<number>, complete: boolean): void {
    this.skipIds = seenIds;
    this.last = update.key;
    this.push(update);
    if (complete) return this.end();
    this.checkedEnd = true;
    if (this.drops === 0) this.goLive();
  }

  /** Starts live at once, with nothing to replay (a stream without a cursor). */
  openLive(): void {
    this.checkedEnd = true;
    this.goLive();
  }

  /**
   * Live updates go to `sink` whenever the reader waits in `next()` with nothing queued: it has
   * taken (and handled) everything before, so writing the update now keeps the order.
   */
  attachSink(sink: LiveSink<T>): void {
    this.sink = sink;
  }

  /**
   * Whether a reader with a sink may wait in `park` instead of `next()`: nothing is queued, no
   * replay is due, and the stream has not ended. Otherwise `next()` has work to do at once.
   */
  idle(): boolean {
    return this.sink !== undefined && this.mode === 'live' && this.ready.length === 0 && !this.ended && this.failure === undefined;
  }

  /**
   * Waits like a reader in `next()` with nothing queued (live updates go to the sink), but without
   * a pending `next()`: `reader.wake()` is called once, synchronously, when `next()` has something
   * to do (an update the sink refused, the end of the stream, a fall-back to the log). Only while
   * `idle()`. A reader that takes everything through its sink keeps no suspended call per
   * subscription.
   */
  park(reader: Waker): void {
    this.parked = reader;
  }

  /** Ends the stream at once with `error` (the reader gets it instead of what is queued). */
  fail(error: Error): void {
    if (this.ended) return;
    this.failure = error;
    this.ready = [];
    this.end();
  }

  private accept(update: T): void {
    if (compareKeys(update.key, this.last) <= 0) return;
    if (update.event.id !== undefined && this.skipIds.has(update.event.id)) return;
    this.last = update.key;
    this.push(update);
    if (this.options.completeOnTerminal && isTerminal(update.event.type)) return this.end();
    if (this.mode === 'live' && this.ready.length > this.options.capacity) {
      // The reader is far behind the live feed: forget the queue and read the log from its position.
      this.ready = [];
      this.held = [];
      this.last = this.taken;
      this.mode = 'replay';
    }
  }

  private push(update: T): void {
    // `waiting` is set only while the reader awaits a live update (in `next()` or parked), never during a replay page.
    if ((this.waiting !== undefined || this.parked !== undefined) && this.ready.length === 0 && this.sink?.push(update)) {
      this.taken = update.key;
      return;
    }
    this.ready.push(update);
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    const parked = this.parked;
    this.waiting = undefined;
    this.parked = undefined;
    waiting?.();
    parked?.wake();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.held = [];
    this.sink = undefined;
    this.options.onEnd();
    this.wake();
  }

  private goLive(): void {
    this.mode = 'live';
    const held = this.held;
    this.held = [];
    for (const update of held) {
      if (this.ended) return;
      this.accept(update);
    }
  }

  private async replayPage(): Promise<void> {
    const drops = this.drops;
    const page = await this.options.readPage(this.last, this.options.pageSize);
    if (this.ended) return;
    for (const update of page.updates) this.accept(update);
    if (page.lastKey && compareKeys(page.lastKey, this.last) > 0) this.last = page.lastKey;
    if (this.ended || page.rows >= this.options.pageSize || drops !== this.drops) return;
    this.goLive();
    if (!this.checkedEnd && this.options.completeOnTerminal && this.options.endedAtOrBefore) {
      this.checkedEnd = true;
      // Resumed at or after the job's last event: nothing more will ever come.
      if (await this.options.endedAtOrBefore(this.last)) this.end();
    }
  }

  /** A database restart during a replay is waited out (with backoff) like the poller does. */
  private async replayPageRetrying(): Promise<void> {
    for (let failures = 0; ; failures++) {
      try {
        return await this.replayPage();
      } catch (error) {
        if (this.ended || failures >= REPLAY_ATTEMPTS) {
          this.end();
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** failures)));
      }
    }
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.failure) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      const update = this.ready.shift();
      if (update) {
        this.taken = update.key;
        return { value: update, done: false };
      }
      if (this.ended) return { value: undefined, done: true };
      if (this.mode === 'replay') {
        await this.replayPageRetrying();
        continue;
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /** The client unsubscribed or disconnected: release the subscriber at once. */
  return(): Promise<IteratorResult<T>> {
    this.ready = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** The subscription is its own (only) iterator: no per-subscription wrapper objects. */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
