import type { Sql } from '../db/client.js';
import { coerceError } from '../errors.js';
import type { EventKey } from './cursor.js';
import { hydrateEvents, keyOf, readStableEvents, stableFrontier, type JobUpdateEvent } from './event-log.js';
import { Sleeper } from '../sleeper.js';

type PollerState = 'created' | 'active' | 'stopping' | 'stopped';

export interface PollerOptions {
  /** Idle interval between reads; `nudge()` cuts it short. */
  pollMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

/**
 * The one reader of `job_events` per process. Each pass is one indexed query whatever the number
 * of subscribers; new events are handed, in log order, to `onEvents`, which fans them out in
 * memory. On database errors it backs off and retries from the same cursor, so subscriptions
 * survive a database restart without losing anything.
 */
export class EventPoller {
  private state: PollerState = 'created';
  private cursor: EventKey | undefined;
  private loopPromise: Promise<void> | undefined;
  private readonly sleeper = new Sleeper();
  private nudged = false;
  /** Queries issued (exported as a metric: it must not grow with the number of subscribers). */
  queries = 0;
  /** Events read from the log and fanned out. */
  eventsRead = 0;

  constructor(
    private readonly sql: Sql,
    private readonly options: PollerOptions,
    private readonly onEvents: (events: JobUpdateEvent[]) => void,
  ) {}

  /** Where the poller has read up to: every event after it will be delivered live. */
  get position(): EventKey | undefined {
    return this.cursor;
  }

  start(): void {
    if (this.state !== 'created') throw new Error(`Poller cannot start from state ${this.state}`);
    this.state = 'active';
    this.loopPromise = this.loop();
  }

  /** Something was probably just committed: read now instead of at the next interval. */
  nudge(): void {
    this.nudged = true;
    this.sleeper.wake();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.state === 'active') {
      let more = false;
      try {
        this.cursor ??= await stableFrontier(this.sql);
        this.nudged = false;
        this.queries++;
        const rows = await readStableEvents(this.sql, this.cursor);
        if (rows.length > 0) {
          this.queries++;
          const events = await hydrateEvents(this.sql, rows);
          this.cursor = keyOf(rows[rows.length - 1]!);
          this.eventsRead += rows.length;
          this.onEvents(events);
          more = rows.length >= 500;
        }
        if (failures > 0) this.options.log('info', 'event poller recovered', { failures });
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 20 === 0) this.options.log('warn', 'event poller read failed; retrying', { failures, error: coerceError(error).message });
      }
      if (more || (this.nudged && failures === 0)) continue;
      await this.sleeper.sleep(failures > 0 ? Math.min(2000, 50 * 2 ** failures) : this.options.pollMs);
    }
  }


  async stop(): Promise<void> {
    if (this.state !== 'active') return;
    this.state = 'stopping';
    this.sleeper.wake();
    await this.loopPromise;
    this.state = 'stopped';
  }
}
