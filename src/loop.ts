import { coerceError } from './errors.js';
import { Sleeper } from './sleeper.js';

export type LoopState = 'created' | 'active' | 'stopping' | 'stopped';

export interface LoopOptions {
  /** Names the loop in the error a second `start()` throws. */
  name: string;
  /** Idle wait between passes when no more work is waiting; `notify()` cuts it short. */
  intervalMs: number;
  /** Wait after the n-th failed pass in a row: `min(maxMs, initialMs * 2^n)`. */
  backoff: { initialMs: number; maxMs: number };
  /** One pass; resolves true when more work is waiting, so the next pass runs at once. */
  pass: () => Promise<boolean>;
  /** A pass threw; `failures` counts the failed passes in a row (1 for the first). */
  onError: (error: Error, failures: number) => void;
  /** A pass succeeded after `failures` failed ones. */
  onRecovered?: (failures: number) => void;
}

/**
 * A long-running polling loop (event poller, webhook dispatcher, worker, retention sweep):
 * passes run one at a time; between them the loop sleeps `intervalMs`, or not at all when the
 * pass found more work or `notify()` came in during it (`notifySoon()`: once the quiet window a
 * pass asked for is over). A failing pass is reported and the loop
 * backs off instead of hot-looping on a broken database. `stop()` resolves once the pass in
 * progress has finished, so nothing runs after it.
 */
export class Loop {
  private current: LoopState = 'created';
  private running: Promise<void> | undefined;
  private readonly sleeper = new Sleeper();
  private notified = false;
  /** `notifySoon()` came in: run a pass once the quiet window (`quietFor`) is over. */
  private soon = false;
  private quietUntil = 0;
  private inPass = false;
  private deferred: NodeJS.Timeout | undefined;

  constructor(private readonly options: LoopOptions) {}

  get state(): LoopState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'created') throw new Error(`${this.options.name} cannot start from state ${this.current}`);
    this.current = 'active';
    this.running = this.run();
  }

  /** There may be work: run a pass now instead of after the idle wait. */
  notify(): void {
    this.notified = true;
    this.sleeper.wake();
  }

  /**
   * There may be work, but it can wait for the quiet window the last pass asked for (`quietFor`):
   * run a pass at the end of that window, or now when there is none. Wake-ups that come in during
   * a pass or a window make one pass between them.
   */
  notifySoon(): void {
    this.soon = true;
    if (this.inPass) return; // the end of the pass decides
    const wait = this.quietUntil - Date.now();
    if (wait <= 0) return this.sleeper.wake();
    this.deferred ??= setTimeout(() => {
      this.deferred = undefined;
      this.sleeper.wake();
    }, wait).unref();
  }

  /** Called by a pass: `notifySoon()` wake-ups in the next `ms` wait until then (0: none wait). */
  quietFor(ms: number): void {
    this.quietUntil = ms > 0 ? Date.now() + ms : 0;
  }

  async stop(): Promise<void> {
    if (this.current !== 'active') return;
    this.current = 'stopping';
    clearTimeout(this.deferred);
    this.sleeper.wake();
    await this.running;
    this.current = 'stopped';
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.current === 'active') {
      // A notify() from here on arrives during this pass and may concern work it did not see.
      this.notified = false;
      this.soon = false;
      clearTimeout(this.deferred);
      this.deferred = undefined;
      this.inPass = true;
      let more = false;
      try {
        more = await this.options.pass();
        if (failures > 0) this.options.onRecovered?.(failures);
        failures = 0;
      } catch (error) {
        failures++;
        this.options.onError(coerceError(error), failures);
      } finally {
        this.inPass = false;
      }
      if (this.current !== 'active') break;
      if (failures === 0 && (more || this.notified)) continue;
      if (failures === 0 && this.soon) {
        // The quiet window first; notify() and stop() cut it short.
        while (this.current === 'active' && !this.notified && Date.now() < this.quietUntil) await this.sleeper.sleep(this.quietUntil - Date.now());
        continue;
      }
      const { initialMs, maxMs } = this.options.backoff;
      await this.sleeper.sleep(failures > 0 ? Math.min(maxMs, initialMs * 2 ** failures) : this.options.intervalMs);
    }
  }
}
