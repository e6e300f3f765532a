import type { Sql } from '../db/client.js';
import { Loop } from '../loop.js';
import type { EventKey } from './cursor.js';
import type { JobEventRecord } from '../jobs/records.js';
import { hydrateEvents, keyOf, passStableEvents, readStableEvents, stableFrontier, type JobUpdateEvent } from './event-log.js';

export interface PollerOptions {
  /** Idle interval between reads; `nudge()` cuts it short. */
  pollMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
}

/** Which events someone in this process listens to. */
export interface Interest {
  /** Changes whenever a subscriber registers. */
  epoch(): number;
  wants(event: JobEventRecord): boolean;
  /** True while nobody listens: `wants` is false for every event. */
  none(): boolean;
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
  /** Events read from the log and fanned out, or passed over while nobody listened. */
  eventsRead = 0;
  /** Batches whose jobs and images were loaded (only those someone here listens to). */
  hydrations = 0;

  constructor(
    private readonly sql: Sql,
    options: PollerOptions,
    private readonly onEvents: (events: JobUpdateEvent[]) => void,
    private readonly interest?: Interest,
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
    if (this.interest?.none() && (await this.passUnwanted(this.interest))) return false;
    this.queries++;
    const rows = await readStableEvents(this.sql, this.cursor);
    if (rows.length === 0) return false;
    const events = await this.hydrateWanted(rows);
    this.cursor = keyOf(rows[rows.length - 1]!);
    this.eventsRead += rows.length;
    this.onEvents(events);
    return rows.length >= 500;
  }

  /**
   * With nobody listening, moves the cursor past the new events without reading them: the same
   * outcome as reading them and handing none out, without the rows crossing the wire. False, with
   * the cursor where it was, when a subscriber registered meanwhile: the caller reads the rows.
   */
  private async passUnwanted(interest: Interest): Promise<boolean> {
    const epoch = interest.epoch();
    this.queries++;
    const passed = await passStableEvents(this.sql, this.cursor!);
    if (interest.epoch() !== epoch) return false;
    if (passed) {
      this.cursor = passed.last;
      this.eventsRead += passed.count;
    }
    return true;
  }

  /**
   * The rows someone listens to, with their jobs and images; events of jobs and accounts nobody
   * here follows are passed over without a query (a worker-heavy process with no subscribers reads
   * only the log). A subscriber registering during the read gets every row of the batch, as before.
   */
  private async hydrateWanted(rows: JobEventRecord[]): Promise<JobUpdateEvent[]> {
    const epoch = this.interest?.epoch();
    const wanted = this.interest ? rows.filter((row) => this.interest!.wants(row)) : rows;
    let events: JobUpdateEvent[] = [];
    if (wanted.length > 0) {
      this.queries++;
      this.hydrations++;
      events = await hydrateEvents(this.sql, wanted);
    }
    if (wanted.length < rows.length && this.interest?.epoch() !== epoch) {
      this.queries++;
      this.hydrations++;
      events = await hydrateEvents(this.sql, rows);
    }
    return events;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
