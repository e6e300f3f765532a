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
 * pass found more work or `notify()` came in during it. A failing pass is reported and the loop
 * backs off instead of hot-looping on a broken database. `stop()` resolves once the pass in
 * progress has finished, so nothing runs after it.
 */
export class Loop {
  private current: LoopState = 'created';
  private running: Promise<void> | undefined;
  private readonly sleeper = new Sleeper();
  private notified = false;

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

  async stop(): Promise<void> {
    if (this.current !== 'active') return;
    this.current = 'stopping';
    this.sleeper.wake();
    await this.running;
    this.current = 'stopped';
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.current === 'active') {
      // A notify() from here on arrives during this pass and may concern work it did not see.
      this.notified = false;
      let more = false;
      try {
        more = await this.options.pass();
        if (failures > 0) this.options.onRecovered?.(failures);
        failures = 0;
      } catch (error) {
        failures++;
        this.options.onError(coerceError(error), failures);
      }
      if (this.current !== 'active') break;
      if (failures === 0 && (more || this.notified)) continue;
      const { initialMs, maxMs } = this.options.backoff;
      await this.sleeper.sleep(failures > 0 ? Math.min(maxMs, initialMs * 2 ** failures) : this.options.intervalMs);
    }
  }
}
