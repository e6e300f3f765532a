import type { Sql } from '../db/client.js';
import { Loop } from '../loop.js';
import type { EventKey } from './cursor.js';
import { hydrateEvents, keyOf, readStableEvents, stableFrontier, type JobUpdateEvent } from './event-log.js';

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
  private cursor: EventKey | undefined;
  private readonly loop: Loop;
  /** Queries issued (exported as a metric: it must not grow with the number of subscribers). */
  queries = 0;
  /** Events read from the log and fanned out. */
  eventsRead = 0;

  constructor(
    private readonly sql: Sql,
    options: PollerOptions,
    private readonly onEvents: (events: JobUpdateEvent[]) => void,
  ) {
    this.loop = new Loop({
      name: 'Poller',
      intervalMs: options.pollMs,
      backoff: { initialMs: 50, maxMs: 2000 },
      pass: () => this.readOnce(),
      onError: (error, failures) => {
        if (failures === 1 || failures % 20 === 0) options.log('warn', 'event poller read failed; retrying', { failures, error: error.message });
      },
      onRecovered: (failures) => options.log('info', 'event poller recovered', { failures }),
    });
  }

  /** Where the poller has read up to: every event after it will be delivered live. */
  get position(): EventKey | undefined {
    return this.cursor;
  }

  start(): void {
    this.loop.start();
  }

  /** Something was probably just committed: read now instead of at the next interval. */
  nudge(): void {
    this.loop.notify();
  }

  /** One read from the cursor (the same cursor again after a failure); true when a full batch came back. */
  private async readOnce(): Promise<boolean> {
    this.cursor ??= await stableFrontier(this.sql);
    this.queries++;
    const rows = await readStableEvents(this.sql, this.cursor);
    if (rows.length === 0) return false;
    this.queries++;
    const events = await hydrateEvents(this.sql, rows);
    this.cursor = keyOf(rows[rows.length - 1]!);
    this.eventsRead += rows.length;
    this.onEvents(events);
    return rows.length >= 500;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
